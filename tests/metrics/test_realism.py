"""The realism table: one row per statistic against its band, and the check of a generated world."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from lab.geo import to_local
from lab.metrics import realism as R
from lab.metrics.sensors import tower_spacing_m
from lab.synth.city import TOWER_ZONES, tower_zones_m
from lab.synth.scenario import load_scenario
from lab.world import write_world


@pytest.fixture
def small_world(make_visits, make_places, commuter):
    """A commuter and a homebody over two days, with their places and registry."""
    places = make_places({"h1": (0, 0), "w1": (3000, 0), "h2": (0, 2000), "a": (500, 500)})
    people = pd.DataFrame(
        {"person_id": ["p1", "p2"], "home_id": ["h1", "h2"], "archetype": ["commuter", "homebody"]}
    )
    rows = [*commuter, ("p2", "h2", 0, 10), ("p2", "a", 10.5, 12), ("p2", "h2", 12.5, 48)]
    return make_visits(rows), places, people


def test_realism_table_rows_and_columns(small_world, start, origin):
    """The table has one row per statistic with inputs, in order, with bands and verdicts."""
    visits, places, people = small_world
    table = R.realism_table(visits=visits, places=places, people=people, start=start, days=2, origin=origin)
    assert list(table.columns) == ["statistic", "value", "low", "high", "ok", "reference"]
    assert table["statistic"].tolist() == [
        "trips_per_person_day",
        "home_time_share",
        "rank_exponent",
        "exploration_exponent",
        "jump_length_exponent",
        "rg_p90_p50",
        "location_entropy",
        "trips_by_hour_two_peaks",
    ]
    assert table["ok"].dtype == bool
    row = table.set_index("statistic")
    assert row.loc["trips_per_person_day", "value"] == pytest.approx(6 / 4)  # 4 + 2 trips, 2 people, 2 days
    assert not row.loc["trips_per_person_day", "ok"]
    assert row.loc["home_time_share", "value"] == pytest.approx((28 / 48 + 45.5 / 48) / 2)
    assert sum(table.attrs["trips_by_hour"]) == 6 and len(table.attrs["trips_by_hour"]) == 24


def test_realism_table_optional_rows_and_format(small_world, grid_towers, start, origin):
    """CDR, towers and sightings add their rows; the text table shows PASS and FAIL."""
    visits, places, people = small_world
    cdr = pd.DataFrame({"pseudonym": ["s1"] * 4, "t": start + pd.to_timedelta([1, 2, 3, 30], unit="h")})
    sightings = pd.DataFrame({"pseudonym": ["x"] * 10, "t": [start] * 10})
    table = R.realism_table(
        visits=visits, places=places, people=people, start=start, days=2, origin=origin,
        towers=grid_towers, tower_zones_m=(3000.0, 7000.0), cdr=cdr, cdr_subscribers=2, sightings=sightings,
    )
    row = table.set_index("statistic")
    assert row.loc["cdr_events_per_person_day", "value"] == pytest.approx(1.0)
    assert row.loc["cdr_events_per_person_day", "ok"]
    assert row.loc["tower_spacing_centre_m", "ok"] and row.loc["tower_spacing_outskirts_m", "ok"]
    assert row.loc["sightings_per_person_day", "value"] == pytest.approx(2.5)
    assert row.loc["sightings_per_person_day", "ok"]
    text = R.format_realism_table(table)
    lines = text.splitlines()
    assert len(lines) == len(table) + 1
    assert "PASS" in text and "FAIL" in text
    assert all(name in text for name in table["statistic"])


def test_realism_table_cdr_needs_subscribers(small_world, start, origin):
    """CDR without a subscriber count is refused rather than guessed."""
    visits, places, people = small_world
    cdr = pd.DataFrame({"pseudonym": ["s1"], "t": [start]})
    with pytest.raises(ValueError, match="cdr_subscribers"):
        R.realism_table(visits=visits, places=places, people=people, start=start, days=2, origin=origin, cdr=cdr)


def test_realism_table_towers_need_their_zones(small_world, grid_towers, start, origin):
    """Towers without the zones they were placed by are refused rather than judged in made-up zones."""
    visits, places, people = small_world
    with pytest.raises(ValueError, match="tower_zones_m"):
        R.realism_table(visits=visits, places=places, people=people, start=start, days=2, origin=origin,
                        towers=grid_towers)


def test_entropy_row_is_the_reference_length_entropy(small_world, start, origin):
    """The entropy row is the entropy carried to the reference length, not the plain mean of the period."""
    visits, places, people = small_world
    table = R.realism_table(visits=visits, places=places, people=people, start=start, days=2, origin=origin)
    value = table.set_index("statistic").loc["location_entropy", "value"]
    assert math.isnan(value)  # two days have no halves long enough to show the decline
    assert f"over {R.REFERENCE_DAYS} days" in R.BANDS["location_entropy"].reference


def test_tower_zones_have_one_home():
    """The generator's zones are TOWER_ZONES of the radius, and the town reports the same ones."""
    sc = load_scenario("classroom")
    radius = sc.radius_km * 1000.0
    assert tower_zones_m(sc) == (TOWER_ZONES[0] * radius, TOWER_ZONES[1] * radius)
    from lab.synth.city import build_town

    assert build_town(sc, 1).tower_zones_m == tower_zones_m(sc)


def test_realism_measures_towers_in_the_generators_zones(tmp_path, classroom):
    """realism_for_world judges tower spacing in the zones the generator placed the towers by."""
    sc = classroom.scenario
    write_world(sc, classroom.seed, tmp_path / "w", workers=1)
    table = R.realism_for_world(tmp_path / "w").set_index("statistic")["value"]
    districts = classroom.districts
    boundary = shapely.union_all(districts.geometry.to_numpy())
    outline = shapely.transform(boundary, lambda c: np.c_[to_local(c[:, 1], c[:, 0], origin=sc.origin)])
    inner, outer = tower_zones_m(sc)
    centre, outskirts = tower_spacing_m(classroom.towers, origin=sc.origin, outline=outline,
                                        centre_radius_m=inner, outskirts_radius_m=outer)
    assert table["tower_spacing_centre_m"] == pytest.approx(centre)
    assert table["tower_spacing_outskirts_m"] == pytest.approx(outskirts)
    radius = sc.radius_km * 1000.0
    _, elsewhere = tower_spacing_m(classroom.towers, origin=sc.origin, outline=outline,
                                   centre_radius_m=0.2 * radius, outskirts_radius_m=0.55 * radius)
    assert elsewhere != pytest.approx(outskirts)  # other zones would give another figure


@pytest.mark.parametrize("seed", [1, 2, 3, 7])
def test_default_world_passes_its_own_check(tmp_path, seed):
    """The README's first world, the classroom, passes every realism band on several seeds."""
    write_world(load_scenario("classroom"), seed, tmp_path / "w", workers=1)
    table = R.realism_for_world(tmp_path / "w")
    failed = table.loc[~table["ok"], ["statistic", "value", "low", "high"]]
    assert failed.empty, failed.to_string()
    assert len(table) == len(R.BANDS)
