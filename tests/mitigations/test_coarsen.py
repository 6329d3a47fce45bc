"""Tests for lab.mitigations.coarsen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.geo import to_local
from lab.mitigations.coarsen import bin_time, merge_towers, snap_to_grid

T0 = pd.Timestamp("2031-03-03 08:17:45", tz="Etc/GMT+8")
ORIGIN = (-48.5, -123.0)


def test_snap_to_grid_centres_and_nesting():
    """Snapped points sit at cell centres; two points in one 500 m cell share a snapped position."""
    rel = pd.DataFrame({"pseudonym": ["a", "b", "c"], "t": T0,
                        "lat": [-48.4990, -48.4985, -48.4900], "lon": [-122.9990, -122.9985, -122.9900]},
                       index=[7, 8, 9])
    out = snap_to_grid(rel, cell_m=500, origin=ORIGIN)
    x, y = to_local(out["lat"], out["lon"], origin=ORIGIN)
    assert np.allclose(np.mod(x, 500), 250, atol=1e-6) and np.allclose(np.mod(y, 500), 250, atol=1e-6)
    assert out.loc[7, "lat"] == out.loc[8, "lat"] and out.loc[7, "lat"] != out.loc[9, "lat"]
    assert list(out.index) == [7, 8, 9] and rel.loc[7, "lat"] == -48.4990
    # A 1000 m cell holds its 500 m cells: coarser snapping of the snapped points changes nothing more.
    twice = snap_to_grid(snap_to_grid(rel, cell_m=500, origin=ORIGIN), cell_m=1000, origin=ORIGIN)
    assert np.allclose(twice["lat"], snap_to_grid(rel, cell_m=1000, origin=ORIGIN)["lat"])


def test_snap_displacement_bounded():
    """No point moves more than half a cell diagonal."""
    rng = np.random.default_rng(0)
    rel = pd.DataFrame({"pseudonym": "a", "t": T0, "lat": -48.5 + rng.uniform(-0.05, 0.05, 2000),
                        "lon": -123.0 + rng.uniform(-0.05, 0.05, 2000)})
    out = snap_to_grid(rel, cell_m=300, origin=ORIGIN)
    x0, y0 = to_local(rel["lat"], rel["lon"], origin=ORIGIN)
    x1, y1 = to_local(out["lat"], out["lon"], origin=ORIGIN)
    assert np.hypot(x1 - x0, y1 - y0).max() <= 300 * np.sqrt(2) / 2 + 1e-6


def test_bin_time_floors():
    """Times are rounded down to their bin."""
    rel = pd.DataFrame({"pseudonym": ["a"], "t": [T0], "lat": [0.0], "lon": [0.0]})
    assert bin_time(rel, minutes=60)["t"].iloc[0] == pd.Timestamp("2031-03-03 08:00", tz="Etc/GMT+8")
    with pytest.raises(ValueError, match="minutes must be a positive"):
        bin_time(rel, minutes=0)


def test_merge_towers_groups_and_centroids():
    """Merging 12 towers by 4 leaves 3 groups, each record at its group's centroid."""
    rng = np.random.default_rng(1)
    towers = pd.DataFrame({"tower_id": [f"t{i}" for i in range(12)],
                           "lat": (np.r_[np.full(4, -48.40), np.full(4, -48.50), np.full(4, -48.60)]
                                   + rng.normal(0, 1e-3, 12)),
                           "lon": -123.0 + rng.normal(0, 1e-3, 12)})
    rel = towers.assign(pseudonym="a", t=T0)
    out = merge_towers(rel, factor=4, rng=0)
    assert out["tower_id"].nunique() == 3
    assert out.groupby("tower_id")["lat"].nunique().max() == 1
    assert (out.groupby("tower_id").size() == 4).all()
