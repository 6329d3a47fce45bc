"""Tests for lab.synth.city."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from lab.geo import to_latlon, to_local
from lab.metrics.sensors import tower_spacing_m
from lab.synth.city import PLACE_KINDS, SENSITIVE_KINDS, _hex_lattice, build_town, tower_zones_m
from lab.synth.scenario import load_scenario


@pytest.fixture(scope="module")
def town():
    return build_town(load_scenario("classroom"), 3)


def test_town_sits_in_open_ocean(town):
    """Every place lies within the island around the scenario's ocean origin, far from (0, 0)."""
    sc = town.scenario
    x, y = to_local(town.places["lat"], town.places["lon"], origin=sc.origin)
    assert np.hypot(x, y).max() < 1.3 * sc.radius_km * 1000
    assert abs(sc.origin_lat) > 10 and abs(sc.origin_lon) > 10
    assert shapely.contains_xy(town.outline.buffer(1.0), town.place_x, town.place_y).all()


def test_every_place_kind_present(town):
    """All place kinds exist, sensitive ones flagged and only those."""
    kinds = set(town.places["kind"])
    assert kinds == set(PLACE_KINDS)
    flagged = set(town.places.loc[town.places["is_sensitive"], "kind"])
    assert flagged == set(SENSITIVE_KINDS)


def test_districts_partition_the_island(town):
    """District polygons cover the island without overlapping."""
    d = town.districts
    assert len(d) == town.scenario.districts
    assert d["district_id"].is_unique and d["name"].is_unique
    assert d.geometry.is_valid.all()
    total = shapely.area(d.geometry.to_numpy()).sum()  # square degrees: only the ratio matters
    union = shapely.area(shapely.union_all(d.geometry.to_numpy()))
    assert total == pytest.approx(union, rel=1e-6)


def test_every_community_has_a_place_of_worship(town):
    """Each fictional community has at least one place of worship."""
    worship = town.places[town.places["kind"] == "worship"]
    assert set(worship["community"]) == set(town.scenario.communities)
    assert town.places.loc[town.places["kind"] != "worship", "community"].isna().all()


def test_towers_denser_in_centre(town):
    """Tower nearest-neighbour spacing is smaller in the centre than on the outskirts."""
    from scipy.spatial import cKDTree

    xy = np.c_[town.tower_x, town.tower_y]
    d, _ = cKDTree(xy).query(xy, k=2)
    r = np.hypot(town.tower_x, town.tower_y)
    inner, outer = town.tower_zones_m
    assert np.median(d[r < inner, 1]) * 2 < np.median(d[r > outer, 1])


def test_cameras_only_at_camera_kinds(town):
    """Cameras hang only at places of the scenario's camera kinds."""
    kinds = town.places.set_index("place_id").loc[town.cameras["place_id"], "kind"]
    assert set(kinds) <= set(town.scenario.cameras.kinds)
    assert len(town.cameras) > 0


def test_same_seed_same_town():
    """The same scenario and seed build the same town; another seed a different one."""
    sc = load_scenario("classroom")
    a, b, c = build_town(sc, 5), build_town(sc, 5), build_town(sc, 6)
    assert a.places.equals(b.places) and a.towers.equals(b.towers)
    assert not a.places["lat"].equals(c.places["lat"])


def test_home_addresses_are_unique(town):
    """No two homes share an address."""
    homes = town.places[town.places["kind"] == "home"]
    assert homes["name"].is_unique


def test_tower_cells_measure_their_spacing():
    """A tower lattice of spacing d gives cells of area d²: the spacing realism measures is d."""
    sc = load_scenario("classroom")
    pts = _hex_lattice(600.0, 8000.0, np.random.default_rng(0))
    pts = pts[np.hypot(pts[:, 0], pts[:, 1]) < 7000]
    lat, lon = to_latlon(pts[:, 0], pts[:, 1], origin=sc.origin)
    towers = pd.DataFrame({"tower_id": range(len(pts)), "lat": lat, "lon": lon})
    centre, _ = tower_spacing_m(towers, origin=sc.origin, outline=shapely.Point(0, 0).buffer(7000),
                                centre_radius_m=5000, outskirts_radius_m=5000)
    assert centre == pytest.approx(600, rel=0.03)


def test_towers_follow_their_zones(town):
    """Towers sit at the centre spacing inside the inner zone and the outskirts spacing beyond the outer."""
    sc = town.scenario
    inner, outer = tower_zones_m(sc)
    centre, outskirts = tower_spacing_m(town.towers, origin=sc.origin, outline=town.outline,
                                        centre_radius_m=inner, outskirts_radius_m=outer)
    assert centre == pytest.approx(sc.cdr.centre_spacing_m, rel=0.1)
    assert outskirts == pytest.approx(sc.cdr.outskirts_spacing_m, rel=0.15)
