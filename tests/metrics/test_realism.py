"""Realism statistics on tiny hand-made worlds whose answers can be read by eye."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from lab.geo import to_latlon
from lab.metrics import realism as R

TZ = "Etc/GMT+8"
START = pd.Timestamp("2031-03-03", tz=TZ)
ORIGIN = (-48.5, -123.0)
H = pd.Timedelta(hours=1)


def make_visits(rows: list[tuple[str, str, float, float]], tz: str = TZ) -> pd.DataFrame:
    """Stays from ``(person, place, start_hour, end_hour)``, hours counted from START."""
    frame = pd.DataFrame(rows, columns=["person_id", "place_id", "s", "e"])
    dtype = f"datetime64[ms, {tz}]"
    return pd.DataFrame(
        {
            "person_id": frame["person_id"],
            "place_id": frame["place_id"],
            "start": (START + frame["s"] * H).dt.tz_convert(tz).astype(dtype),
            "end": (START + frame["e"] * H).dt.tz_convert(tz).astype(dtype),
        }
    )


def make_places(coords: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Places from local ``(x, y)`` metres around ORIGIN."""
    ids = list(coords)
    xy = np.array([coords[i] for i in ids], dtype=float).reshape(-1, 2)
    lat, lon = to_latlon(xy[:, 0], xy[:, 1], origin=ORIGIN)
    return pd.DataFrame({"place_id": ids, "kind": "shop", "lat": lat, "lon": lon})


def sequence_visits(person: str, places: list[str], hours: float = 1.0) -> list[tuple[str, str, float, float]]:
    """One stay per place in order, back to back with a short gap."""
    return [(person, p, i * hours, i * hours + 0.5 * hours) for i, p in enumerate(places)]


def interleave(counts: dict[str, int]) -> list[str]:
    """A visiting order with the given counts per place and no place twice in a row."""
    left = dict(counts)
    out: list[str] = []
    while any(left.values()):
        choices = [p for p in left if left[p] and (not out or p != out[-1])]
        pick = max(choices, key=lambda p: left[p])
        out.append(pick)
        left[pick] -= 1
    return out


# Commuter over two days: home 0-8, work 9-17, home 18-(next day 8), work, home to 48.
COMMUTER = [
    ("p1", "h1", 0, 8),
    ("p1", "w1", 9, 17),
    ("p1", "h1", 18, 32),
    ("p1", "w1", 33, 41),
    ("p1", "h1", 42, 48),
]


def test_trips_per_person_day_commuter():
    """A home-work-home commuter makes two trips a day."""
    assert R.trips_per_person_day(make_visits(COMMUTER), people_count=1, days=2) == pytest.approx(2.0)


def test_trips_per_person_day_counts_people_without_stays():
    """People without stays still count in the denominator."""
    assert R.trips_per_person_day(make_visits(COMMUTER), people_count=4, days=2) == pytest.approx(0.5)


def test_home_time_share_commuter_and_homebody():
    """Home share is home hours over the covered span, averaged over people."""
    rows = COMMUTER + [("p2", "h2", 0, 48)]
    people = pd.DataFrame(
        {"person_id": ["p1", "p2"], "home_id": ["h1", "h2"], "archetype": ["commuter", "homebody"]}
    )
    # p1: 8 + 14 + 6 = 28 h at home out of 48 h; p2: always home.
    assert R.home_time_share(make_visits(rows), people) == pytest.approx((28 / 48 + 1.0) / 2)


def test_home_time_share_counts_travel_gaps():
    """Travel between stays lengthens the span but not the home time."""
    rows = [("p1", "h1", 0, 6), ("p1", "w1", 8, 10)]  # 2 h travel gap
    people = pd.DataFrame({"person_id": ["p1"], "home_id": ["h1"], "archetype": ["commuter"]})
    assert R.home_time_share(make_visits(rows), people) == pytest.approx(6 / 10)


def test_rank_exponent_exact_power_laws():
    """Counts f_k = C/k give ζ = 1; two-place people are left out of the median."""
    rows = (
        sequence_visits("a", interleave({"a1": 12, "a2": 6, "a3": 4, "a4": 3}))
        + sequence_visits("b", interleave({"b1": 60, "b2": 30, "b3": 20, "b4": 15, "b5": 12}))
        + sequence_visits("c", ["c1", "c2", "c3"] * 5)  # ties: ζ = 0
        + sequence_visits("d", ["d1", "d2"])  # two places: excluded (would pull the median to 0.5)
    )
    assert R.rank_exponent(make_visits(rows)) == pytest.approx(1.0)


def test_rank_exponent_least_squares_slope():
    """Counts 8, 4, 2, 1 give minus the least-squares slope of log f on log k."""
    rows = sequence_visits("a", interleave({"x": 8, "y": 4, "z": 2, "w": 1}))
    k = np.log([1, 2, 3, 4])
    f = np.log([8, 4, 2, 1])
    expected = -np.sum((k - k.mean()) * (f - f.mean())) / np.sum((k - k.mean()) ** 2)
    assert R.rank_exponent(make_visits(rows)) == pytest.approx(expected)


def test_exploration_one_new_place_a_day():
    """A new place every day gives S(t) = t and μ = 1."""
    rows = [("p1", f"q{d}", 24 * d + 10, 24 * d + 11) for d in range(7)]
    visits = make_visits(rows)
    curve = R.exploration_curve(visits, start=START, days=7)
    assert curve.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert R.exploration_exponent(visits, start=START, days=7) == pytest.approx(1.0)


def test_exploration_no_new_places():
    """The same two places every day give a flat S(t) and μ = 0."""
    rows = [r for d in range(5) for r in [("p1", "h", 24 * d, 24 * d + 8), ("p1", "w", 24 * d + 9, 24 * d + 17)]]
    assert R.exploration_exponent(make_visits(rows), start=START, days=5) == pytest.approx(0.0, abs=1e-12)


def test_exploration_uses_local_days_and_averages_people():
    """Days are local even for UTC stamps (23:00 local is day 1), and S averages people."""
    rows = [("p1", "a", 0, 1), ("p1", "b", 23, 23.5), ("p1", "c", 25, 26), ("p2", "a", 30, 31)]
    curve = R.exploration_curve(make_visits(rows, tz="UTC"), start=START, days=2)
    # p1: {a, b} on day 1, c on day 2; p2: a on day 2.
    assert curve.tolist() == [1.0, 2.0]


def test_jump_lengths_between_consecutive_stays_only():
    """Jumps follow each person's own sequence, never across people."""
    places = make_places({"a": (0, 0), "b": (1000, 0), "c": (1000, 1000)})
    visits = make_visits(sequence_visits("p1", ["a", "b", "c", "a"]) + sequence_visits("p2", ["b", "a"]))
    jumps = R.jump_lengths_m(visits, places, origin=ORIGIN)
    np.testing.assert_allclose(jumps, [1000, 1000, math.sqrt(2) * 1000, 1000], rtol=1e-9)


@pytest.mark.parametrize("beta", [1.5, 1.75, 2.0])
def test_jump_length_exponent_recovers_power_law(beta):
    """Jumps drawn from P(r) ~ r**-β on 100 m - 50 km recover β within 0.1."""
    rng = np.random.default_rng(7)
    lo, hi, n = 100.0, 50_000.0, 100_000
    u = rng.random(n)
    a = 1.0 - beta
    r = (lo**a + u * (hi**a - lo**a)) ** (1.0 / a)
    # Walk along the x axis, always stepping back towards the origin so it stays in town.
    x = np.zeros(n + 1)
    for i in range(n):  # test fixture only
        x[i + 1] = x[i] - r[i] if x[i] > 0 else x[i] + r[i]
    ids = [f"q{i}" for i in range(n + 1)]
    lat, lon = to_latlon(x, np.zeros_like(x), origin=ORIGIN)
    places = pd.DataFrame({"place_id": ids, "kind": "shop", "lat": lat, "lon": lon})
    t = pd.to_timedelta(np.arange(n + 1), unit="h")
    visits = pd.DataFrame({"person_id": "p1", "place_id": ids, "start": START + t, "end": START + t + 0.5 * H})
    np.testing.assert_allclose(np.sort(R.jump_lengths_m(visits, places, origin=ORIGIN)), np.sort(r), rtol=1e-6)
    assert R.jump_length_exponent(visits, places, origin=ORIGIN) == pytest.approx(beta, abs=0.1)


def test_radius_of_gyration_by_hand():
    """rg is the RMS distance of stays from their centre of mass, one entry per stay."""
    places = make_places({"a": (0, 0), "b": (2000, 0), "c": (3000, 0)})
    rows = (
        sequence_visits("p1", ["a", "b"])  # 1 km either side of the centre
        + sequence_visits("p2", ["a", "c", "a"])  # centre at 1 km: distances 1, 2, 1 km
        + sequence_visits("p3", ["a"])
    )
    rg = R.radius_of_gyration_m(make_visits(rows), places, origin=ORIGIN)
    assert rg.index.tolist() == ["p1", "p2", "p3"]
    np.testing.assert_allclose(rg.to_numpy(), [1000.0, math.sqrt(2e6), 0.0], rtol=1e-9, atol=1e-6)


def test_rg_tail_ratio():
    """The tail ratio is p90 / p50 (91 / 51 for 1..101) and 1 for equal radii."""
    assert R.rg_tail_ratio(np.arange(1, 102)) == pytest.approx(91 / 51)
    assert R.rg_tail_ratio([500.0] * 10) == pytest.approx(1.0)


def test_location_entropy_uniform_and_skewed():
    """Uniform over 4 places gives 1, skewed splits give less, a single place is left out."""
    rows = (
        sequence_visits("u", ["a", "b", "c", "d"] * 3)
        + sequence_visits("s", ["a", "b", "a", "c", "a"])  # 3:1:1 over three places
        + sequence_visits("t", ["a", "b", "a", "b", "a", "b", "a"])  # 4:3 over two places
        + sequence_visits("one", ["a"])
    )
    ent = R.location_entropy(make_visits(rows))
    assert "one" not in ent.index
    assert ent["u"] == pytest.approx(1.0)
    p = np.array([3, 1, 1]) / 5
    assert ent["s"] == pytest.approx(-(p * np.log(p)).sum() / np.log(3))
    q = np.array([4, 3]) / 7
    assert ent["t"] == pytest.approx(-(q * np.log(q)).sum() / np.log(2))


def test_location_entropy_three_to_one():
    """Visits split 3:1 over two places give H = 0.811."""
    ent = R.location_entropy(make_visits(sequence_visits("p", ["a", "b", "a", "a"])))
    assert ent["p"] == pytest.approx(0.8113, abs=1e-4)


def test_trips_by_hour_commuter():
    """A commuter departs at 08:00 and 17:00 each day; the last stay is no departure."""
    hist = R.trips_by_hour(make_visits(COMMUTER))
    assert len(hist) == 24 and hist.sum() == 4
    assert hist[8] == 2 and hist[17] == 2
    assert R.two_peaks(hist)


def test_trips_by_hour_reads_local_clock():
    """Hours come from the timestamps' own zone, not UTC."""
    hist = R.trips_by_hour(make_visits([("p", "a", 0, 8), ("p", "b", 9, 10)], tz=TZ))
    assert hist[8] == 1


def test_two_peaks_passes_and_fails():
    """Morning and evening peaks pass; a flat day or a single peak fails."""
    h = np.ones(24)
    h[7] = h[8] = 10
    h[17] = 12
    assert R.two_peaks(h)
    assert not R.two_peaks(np.full(24, 5.0))
    morning_only = np.ones(24)
    morning_only[8] = 20
    assert not R.two_peaks(morning_only)
    busy_night = h.copy()
    busy_night[0:5] = 5  # peaks below 3x the night level
    assert not R.two_peaks(busy_night)


def test_cdr_counts_zero_days():
    """Subscriber-days without events count as zeros in the mean and CV."""
    t = START + pd.to_timedelta([1, 2, 3, 30, 24 * 5], unit="h")  # last one is after the period
    cdr = pd.DataFrame({"pseudonym": ["s1", "s1", "s1", "s1", "s1"], "t": t})
    mean, cv = R.cdr_events_per_person_day(cdr, subscribers=2, start=START, days=2)
    # Subscriber-days: s1 day 1 -> 3, s1 day 2 -> 1, s2 -> 0, 0.
    assert mean == pytest.approx(1.0)
    assert cv == pytest.approx(math.sqrt((9 + 1) / 4 - 1.0) / 1.0)


def test_cdr_rejects_too_few_subscribers():
    """More active pseudonym-days than subscriber-days is an error."""
    cdr = pd.DataFrame({"pseudonym": ["a", "b", "c"], "t": [START + H] * 3})
    with pytest.raises(ValueError, match="subscribers"):
        R.cdr_events_per_person_day(cdr, subscribers=2, start=START, days=1)


def _grid_towers() -> pd.DataFrame:
    inner = np.arange(-4800, 4801, 600.0)
    outer = np.arange(-20000, 20001, 2500.0)
    ix, iy = np.meshgrid(inner, inner)
    ox, oy = np.meshgrid(outer, outer)
    keep = np.maximum(np.abs(ox), np.abs(oy)) > 5000
    x = np.concatenate([ix.ravel(), ox[keep]])
    y = np.concatenate([iy.ravel(), oy[keep]])
    lat, lon = to_latlon(x, y, origin=ORIGIN)
    return pd.DataFrame({"tower_id": [f"t{i}" for i in range(len(x))], "lat": lat, "lon": lon})


def test_tower_spacing_two_grids_with_outline():
    """A 600 m grid in the centre and a 2.5 km grid outside give those spacings."""
    outline = shapely.box(-21250, -21250, 21250, 21250)
    centre, outskirts = R.tower_spacing_m(_grid_towers(), origin=ORIGIN, outline=outline)
    assert centre == pytest.approx(600, rel=0.01)
    assert outskirts == pytest.approx(2500, rel=0.10)


def test_tower_spacing_default_outline():
    """Without an outline the buffered hull still gives the grid spacings within 10%."""
    centre, outskirts = R.tower_spacing_m(_grid_towers(), origin=ORIGIN)
    assert centre == pytest.approx(600, rel=0.10)
    assert outskirts == pytest.approx(2500, rel=0.10)


def test_tower_spacing_nan_for_sparse_zone():
    """A zone with fewer than three towers has no spacing."""
    lat, lon = to_latlon([0, 600, 0, 600, 9000], [0, 0, 600, 600, 0], origin=ORIGIN)
    towers = pd.DataFrame({"tower_id": list("abcde"), "lat": lat, "lon": lon})
    centre, outskirts = R.tower_spacing_m(towers, origin=ORIGIN)
    assert np.isfinite(centre)
    assert math.isnan(outskirts)


def test_sightings_per_person_day():
    """Rows over person-days: 26 sightings of 2 people in 5 days is 2.6."""
    sightings = pd.DataFrame({"pseudonym": ["x"] * 26, "t": [START] * 26})
    assert R.sightings_per_person_day(sightings, people_count=2, days=5) == pytest.approx(2.6)


def test_unsorted_visits_give_the_same_answers():
    """Row order does not matter: stays are sorted by person and start first."""
    rows = COMMUTER + sequence_visits("p2", ["h2", "a", "b", "h2", "c"])
    visits = make_visits(rows)
    shuffled = visits.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert R.exploration_curve(shuffled, start=START, days=2).tolist() == R.exploration_curve(
        visits, start=START, days=2
    ).tolist()
    assert R.trips_by_hour(shuffled).tolist() == R.trips_by_hour(visits).tolist()
    pd.testing.assert_series_equal(
        R.location_entropy(shuffled).sort_index(), R.location_entropy(visits).sort_index()
    )


def _small_world():
    places = make_places({"h1": (0, 0), "w1": (3000, 0), "h2": (0, 2000), "a": (500, 500)})
    people = pd.DataFrame(
        {"person_id": ["p1", "p2"], "home_id": ["h1", "h2"], "archetype": ["commuter", "homebody"]}
    )
    rows = COMMUTER + [("p2", "h2", 0, 10), ("p2", "a", 10.5, 12), ("p2", "h2", 12.5, 48)]
    return make_visits(rows), places, people


def test_realism_table_rows_and_columns():
    """The table has one row per statistic with inputs, in order, with bands and verdicts."""
    visits, places, people = _small_world()
    table = R.realism_table(visits=visits, places=places, people=people, start=START, days=2, origin=ORIGIN)
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


def test_realism_table_optional_rows_and_format():
    """CDR, towers and sightings add their rows; the text table shows PASS and FAIL."""
    visits, places, people = _small_world()
    cdr = pd.DataFrame({"pseudonym": ["s1"] * 4, "t": START + pd.to_timedelta([1, 2, 3, 30], unit="h")})
    sightings = pd.DataFrame({"pseudonym": ["x"] * 10, "t": [START] * 10})
    table = R.realism_table(
        visits=visits, places=places, people=people, start=START, days=2, origin=ORIGIN,
        towers=_grid_towers(), cdr=cdr, cdr_subscribers=2, sightings=sightings,
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


def test_realism_table_cdr_needs_subscribers():
    """CDR without a subscriber count is refused rather than guessed."""
    visits, places, people = _small_world()
    cdr = pd.DataFrame({"pseudonym": ["s1"], "t": [START]})
    with pytest.raises(ValueError, match="cdr_subscribers"):
        R.realism_table(visits=visits, places=places, people=people, start=START, days=2, origin=ORIGIN, cdr=cdr)
