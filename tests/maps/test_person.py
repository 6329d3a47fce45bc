"""Tests for :mod:`lab.maps.person`: one person's stays beside what each release recorded."""

from __future__ import annotations

import re

import folium
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from lab.errors import InputError
from lab.maps import person_map
from lab.maps.canvas import SENSITIVE_OUTLINE
from lab.maps.person import voronoi_cells


def _overlays(html: str) -> list[str]:
    block = re.search(r"overlays\s*:\s*\{(.*?)\}", html, re.DOTALL)
    assert block is not None
    return re.findall(r'"([^"]+)"\s*:\s*\w+,', block.group(1))


def _rows(world, person: str) -> dict[str, pd.DataFrame]:
    """The rows each release holds about ``person``, through the answer key."""
    mine = world.keys[world.keys["person_id"] == person]
    return {name: rel[rel["pseudonym"].isin(mine.loc[mine["release"] == name, "pseudonym"])]
            for name, rel in world.releases.items()}


def _features(m: folium.Map, prefix: str) -> list[dict]:
    """The point features drawn in the overlay whose name starts with ``prefix``."""
    groups = [g for g in m._children.values() if isinstance(g, folium.FeatureGroup) and g.layer_name.startswith(prefix)]
    assert len(groups) == 1, prefix
    return [f for layer in groups[0]._children.values() if isinstance(layer, folium.GeoJson)
            for f in layer.data["features"]]


@pytest.fixture(scope="module")
def person(classroom) -> str:
    """A person seen by the most releases (cdr and sightings at least)."""
    counts = pd.DataFrame({p: {k: len(v) for k, v in _rows(classroom, p).items()}
                           for p in classroom.keys["person_id"].unique()[:80]}).T
    seen = counts[(counts["cdr"] > 0) & (counts["sightings"] > 0)]
    return str((seen > 0).sum(axis=1).sort_values(ascending=False, kind="stable").index[0])


def test_layers_name_every_view(classroom, person) -> None:
    """Stays and each release holding the person are layers of their own, counts in their names."""
    rows = _rows(classroom, person)
    visits = classroom.visits[classroom.visits["person_id"] == person]
    names = _overlays(person_map(classroom, person).get_root().render())
    assert f"stays (truth): {len(visits):,} stays at {visits['place_id'].nunique():,} places" in names
    towers = rows["cdr"]["tower_id"].nunique()
    assert f"cdr: {len(rows['cdr']):,} records at {towers:,} towers" in names
    assert f"cdr: Voronoi cells of {towers:,} towers" in names
    assert f"sightings: {len(rows['sightings']):,} sightings" in names
    for name in ("gps", "checkins"):
        assert any(n.startswith(f"{name}: ") for n in names) == (len(rows[name]) > 0)


def test_markers_equal_rows_drawn(classroom, person) -> None:
    """One stay marker per place visited, one sighting marker per sighting, one cdr marker per tower."""
    m = person_map(classroom, person)
    rows = _rows(classroom, person)
    visits = classroom.visits[classroom.visits["person_id"] == person]
    stays = _features(m, "stays (truth)")
    assert len(stays) == visits["place_id"].nunique()
    assert sum(int(f["properties"]["stays"]) for f in stays) == len(visits)
    assert len(_features(m, "sightings: ")) == len(rows["sightings"])
    cdr = _features(m, "cdr: ")
    assert sorted(f["properties"]["tower"] for f in cdr) == sorted(rows["cdr"]["tower_id"].unique())
    assert sum(int(f["properties"]["records"]) for f in cdr) == len(rows["cdr"])


def test_times_in_popups_and_sensitive_outlined(classroom, person) -> None:
    """Popups give times; stays at sensitive places are outlined in red."""
    m = person_map(classroom, person)
    sightings = _features(m, "sightings: ")
    first = _rows(classroom, person)["sightings"].sort_values("t")["t"].iloc[0]
    assert sightings[0]["properties"]["time"] == first.strftime("%a %d %b %H:%M")
    visits = classroom.visits[classroom.visits["person_id"] == person]
    sensitive = classroom.places.loc[classroom.places["is_sensitive"], "place_id"]
    groups = [g for g in m._children.values() if isinstance(g, folium.FeatureGroup)
              and g.layer_name.startswith("stays")]
    outlined = {f["properties"]["name"] for layer in groups[0]._children.values()
                if isinstance(layer, folium.GeoJson) and layer.marker.options["color"] == SENSITIVE_OUTLINE
                for f in layer.data["features"]}
    expected = classroom.places.loc[classroom.places["place_id"].isin(visits["place_id"])
                                    & classroom.places["place_id"].isin(sensitive), "name"]
    assert outlined == set(expected)
    assert "sensitive place (outline)" in m.get_root().render()


def test_tables_by_name_give_the_same_map(classroom, person) -> None:
    """A mapping of tables draws the same layers as the World."""
    tables = {name: getattr(classroom, name) for name in
              ("districts", "places", "people", "visits", "towers", "cameras", "keys")} | classroom.releases
    assert _overlays(person_map(tables, person).get_root().render()) == \
        _overlays(person_map(classroom, person).get_root().render())


def test_unknown_person(classroom) -> None:
    """An unknown person is an InputError naming them."""
    with pytest.raises(InputError, match="unknown person 'p99999999'"):
        person_map(classroom, "p99999999")


def test_voronoi_cells_tile_the_outline() -> None:
    """Voronoi cells of four towers at the corners of a square split it into four equal quarters."""
    towers = pd.DataFrame({"tower_id": ["A", "B", "C", "D"], "lat": [-48.51, -48.51, -48.49, -48.49],
                           "lon": [-123.01, -122.99, -123.01, -122.99]})
    outline = box(-123.02, -48.52, -122.98, -48.48)
    cells = voronoi_cells(towers, outline)
    assert list(cells["tower_id"]) == ["A", "B", "C", "D"]
    areas = shapely.area(cells.geometry.to_numpy())  # degrees², as a share of the square
    assert np.allclose(areas, outline.area / 4, rtol=1e-3)
    assert shapely.union_all(cells.geometry.to_numpy()).symmetric_difference(outline).area < 1e-9
    assert cells.geometry.iloc[0].contains(shapely.Point(-123.015, -48.515))


def test_towers_sharing_a_mast_share_its_cell() -> None:
    """Two towers at one position both keep a row, with the same cell; no tower loses its cell."""
    towers = pd.DataFrame({"tower_id": ["A", "A2", "B"], "lat": [-48.51, -48.51, -48.49],
                           "lon": [-123.01, -123.01, -122.99]})
    cells = voronoi_cells(towers, box(-123.02, -48.52, -122.98, -48.48))
    assert list(cells["tower_id"]) == ["A", "A2", "B"]
    assert cells.geometry.iloc[0].equals(cells.geometry.iloc[1]) and not cells.geometry.iloc[0].equals(
        cells.geometry.iloc[2])
