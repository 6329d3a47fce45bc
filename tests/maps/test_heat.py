"""Tests for :mod:`lab.maps.heat`: a release as heat, and before/after a mitigation side by side."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
from folium.plugins import DualMap, HeatMap

from lab.maps import heat_comparison, heat_map
from lab.maps.heat import heat_cells
from lab.mitigations.coarsen import snap_to_grid


def _heat_layers(m) -> list[HeatMap]:
    return [c for c in m._children.values() if isinstance(c, HeatMap)]


def test_heat_cells_count_every_row() -> None:
    """Rows in one 100 m cell are one weighted point; the counts add up to the rows."""
    release = pd.DataFrame({"lat": [-48.50001, -48.50002, -48.6], "lon": [-123.00001, -123.00002, -123.0]})
    cells = heat_cells(release, cell_m=100, origin=(-48.5, -123.0))
    assert sorted(cells["count"]) == [1, 2]
    assert cells["count"].sum() == len(release)


def test_heat_map_draws_the_release(classroom) -> None:
    """One heat layer named with the release's size, one point per occupied cell, a legend of the ramp."""
    cdr = classroom.releases["cdr"]
    m = heat_map(cdr, districts=classroom.districts, name="cdr")
    (layer,) = _heat_layers(m)
    assert layer.layer_name == f"cdr: {len(cdr):,} observations"
    assert len(layer.data) == len(heat_cells(cdr))
    html = m.get_root().render()
    assert "L.heatLayer(" in html
    assert len(re.findall(r"per 100 m cell", html)) == 5


def test_heat_comparison_is_a_synchronised_dual_map(classroom) -> None:
    """Before and after sit on two maps synchronised both ways, on one grid and one intensity scale."""
    gps = classroom.releases["gps"]
    after = snap_to_grid(gps, cell_m=1000, origin=(-48.5, -123.0))
    dual = heat_comparison(gps, after, districts=classroom.districts, names=("gps", "gps snapped"))
    assert isinstance(dual, DualMap)
    (left,), (right,) = _heat_layers(dual.m1), _heat_layers(dual.m2)
    assert left.layer_name == f"gps: {len(gps):,} observations"
    assert right.layer_name == f"gps snapped: {len(after):,} observations"
    assert len(right.data) < len(left.data)  # snapping merges cells: the analyst sees fewer, brighter spots
    html = dual.get_root().render()
    a, b = dual.m1.get_name(), dual.m2.get_name()
    assert f"{a}.sync({b});" in html and f"{b}.sync({a});" in html
    # One scale: the heaviest weight drawn is the same fraction of the common peak on both sides.
    weights = [np.array(layer.data)[:, 2] for layer in (left, right)]
    assert max(w.max() for w in weights) >= 1.0


def test_empty_release_draws_an_empty_layer(classroom) -> None:
    """An empty table gives an empty heat layer, not an error."""
    m = heat_map(classroom.releases["cdr"].iloc[:0], districts=classroom.districts)
    (layer,) = _heat_layers(m)
    assert json.loads(json.dumps(layer.data)) == []
