"""Sensor statistics: CDR activity, tower spacing and camera sightings on hand-made inputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import shapely

from lab.geo import to_latlon
from lab.metrics import sensors as S

HOUR = pd.Timedelta(hours=1)


def test_cdr_counts_zero_days(start):
    """Subscriber-days without events count as zeros in the mean and CV."""
    t = start + pd.to_timedelta([1, 2, 3, 30, 24 * 5], unit="h")  # last one is after the period
    cdr = pd.DataFrame({"pseudonym": ["s1", "s1", "s1", "s1", "s1"], "t": t})
    mean, cv = S.cdr_events_per_person_day(cdr, subscribers=2, start=start, days=2)
    # Subscriber-days: s1 day 1 -> 3, s1 day 2 -> 1, s2 -> 0, 0.
    assert mean == pytest.approx(1.0)
    assert cv == pytest.approx(math.sqrt((9 + 1) / 4 - 1.0) / 1.0)


def test_cdr_rejects_too_few_subscribers(start):
    """More active pseudonym-days than subscriber-days is an error."""
    cdr = pd.DataFrame({"pseudonym": ["a", "b", "c"], "t": [start + HOUR] * 3})
    with pytest.raises(ValueError, match="subscribers"):
        S.cdr_events_per_person_day(cdr, subscribers=2, start=start, days=1)


def test_tower_spacing_two_grids_with_outline(grid_towers, origin):
    """A 600 m grid in the centre and a 2.5 km grid outside give those spacings."""
    outline = shapely.box(-21250, -21250, 21250, 21250)
    centre, outskirts = S.tower_spacing_m(grid_towers, origin=origin, outline=outline,
                                          centre_radius_m=3000, outskirts_radius_m=7000)
    assert centre == pytest.approx(600, rel=0.01)
    assert outskirts == pytest.approx(2500, rel=0.10)


def test_tower_spacing_default_outline(grid_towers, origin):
    """Without an outline the buffered hull still gives the grid spacings within 10%."""
    centre, outskirts = S.tower_spacing_m(grid_towers, origin=origin, centre_radius_m=3000, outskirts_radius_m=7000)
    assert centre == pytest.approx(600, rel=0.10)
    assert outskirts == pytest.approx(2500, rel=0.10)


def test_tower_spacing_reads_the_zones_it_is_given(grid_towers, origin):
    """The zones decide which towers count: outskirts starting at 1 km take in the fine grid and its median falls."""
    outline = shapely.box(-21250, -21250, 21250, 21250)
    _, outskirts = S.tower_spacing_m(grid_towers, origin=origin, outline=outline,
                                     centre_radius_m=1000, outskirts_radius_m=1000)
    assert outskirts == pytest.approx(1059, rel=0.01)


def test_tower_spacing_nan_for_sparse_zone(origin):
    """A zone with fewer than three towers has no spacing."""
    lat, lon = to_latlon([0, 600, 0, 600, 9000], [0, 0, 600, 600, 0], origin=origin)
    towers = pd.DataFrame({"tower_id": list("abcde"), "lat": lat, "lon": lon})
    centre, outskirts = S.tower_spacing_m(towers, origin=origin, centre_radius_m=3000, outskirts_radius_m=7000)
    assert math.isfinite(centre)
    assert math.isnan(outskirts)


def test_tower_spacing_rejects_crossed_zones(grid_towers, origin):
    """A centre zone wider than the outskirts' inner edge is refused by name."""
    with pytest.raises(ValueError, match="centre_radius_m <= outskirts_radius_m"):
        S.tower_spacing_m(grid_towers, origin=origin, centre_radius_m=7000, outskirts_radius_m=3000)


def test_sightings_per_person_day(start):
    """Rows over person-days: 26 sightings of 2 people in 5 days is 2.6."""
    sightings = pd.DataFrame({"pseudonym": ["x"] * 26, "t": [start] * 26})
    assert S.sightings_per_person_day(sightings, people_count=2, days=5) == pytest.approx(2.6)
