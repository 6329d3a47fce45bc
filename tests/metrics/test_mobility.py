"""Mobility statistics on tiny hand-made worlds whose answers can be read by eye."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lab.geo import to_latlon
from lab.metrics import mobility as M
from lab.synth.scenario import load_scenario
from lab.world import generate_world


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


def daily(person: str, days: list[list[str]]) -> list[tuple[str, str, float, float]]:
    """Stays of one person day by day: day ``d``'s places an hour apart from 08:00."""
    return [(person, p, 24 * d + 8 + i, 24 * d + 8.5 + i)
            for d, places in enumerate(days) for i, p in enumerate(places)]


def test_trips_per_person_day_commuter(make_visits, commuter):
    """A home-work-home commuter makes two trips a day."""
    assert M.trips_per_person_day(make_visits(commuter), people_count=1, days=2) == pytest.approx(2.0)


def test_trips_per_person_day_counts_people_without_stays(make_visits, commuter):
    """People without stays still count in the denominator."""
    assert M.trips_per_person_day(make_visits(commuter), people_count=4, days=2) == pytest.approx(0.5)


def test_home_time_share_commuter_and_homebody(make_visits, commuter):
    """Home share is home hours over the covered span, averaged over people."""
    rows = [*commuter, ("p2", "h2", 0, 48)]
    people = pd.DataFrame(
        {"person_id": ["p1", "p2"], "home_id": ["h1", "h2"], "archetype": ["commuter", "homebody"]}
    )
    # p1: 8 + 14 + 6 = 28 h at home out of 48 h; p2: always home.
    assert M.home_time_share(make_visits(rows), people) == pytest.approx((28 / 48 + 1.0) / 2)


def test_home_time_share_counts_travel_gaps(make_visits):
    """Travel between stays lengthens the span but not the home time: 6 h of 10, not 6 of 8."""
    rows = [("p1", "h1", 0, 6), ("p1", "w1", 8, 10)]  # 2 h travel gap
    people = pd.DataFrame({"person_id": ["p1"], "home_id": ["h1"], "archetype": ["commuter"]})
    assert M.home_time_share(make_visits(rows), people) == pytest.approx(6 / 10)


def test_rank_exponent_exact_power_laws(make_visits):
    """Counts f_k = C/k give ζ = 1; two-place people are left out of the median."""
    rows = (
        sequence_visits("a", interleave({"a1": 12, "a2": 6, "a3": 4, "a4": 3}))
        + sequence_visits("b", interleave({"b1": 60, "b2": 30, "b3": 20, "b4": 15, "b5": 12}))
        + sequence_visits("c", ["c1", "c2", "c3"] * 5)  # ties: ζ = 0
        + sequence_visits("d", ["d1", "d2"])  # two places: excluded (would pull the median to 0.5)
    )
    assert M.rank_exponent(make_visits(rows)) == pytest.approx(1.0)


def test_rank_exponent_least_squares_slope(make_visits):
    """Counts 8, 4, 2, 1 give minus the least-squares slope of log f on log k."""
    rows = sequence_visits("a", interleave({"x": 8, "y": 4, "z": 2, "w": 1}))
    k = np.log([1, 2, 3, 4])
    f = np.log([8, 4, 2, 1])
    expected = -np.sum((k - k.mean()) * (f - f.mean())) / np.sum((k - k.mean()) ** 2)
    assert M.rank_exponent(make_visits(rows)) == pytest.approx(expected)


def test_exploration_one_new_place_a_day(make_visits, start):
    """A new place every day gives S(t) = t and μ = 1."""
    rows = [("p1", f"q{d}", 24 * d + 10, 24 * d + 11) for d in range(7)]
    visits = make_visits(rows)
    curve = M.exploration_curve(visits, start=start, days=7)
    assert curve.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert M.exploration_exponent(visits, start=start, days=7) == pytest.approx(1.0)


def test_exploration_no_new_places(make_visits, start):
    """The same two places every day give a flat S(t) and μ = 0."""
    rows = [r for d in range(5) for r in [("p1", "h", 24 * d, 24 * d + 8), ("p1", "w", 24 * d + 9, 24 * d + 17)]]
    assert M.exploration_exponent(make_visits(rows), start=start, days=5) == pytest.approx(0.0, abs=1e-12)


def test_exploration_uses_local_days_and_averages_people(make_visits, start):
    """Days are local even for UTC stamps (23:00 local is day 1), and S averages people."""
    rows = [("p1", "a", 0, 1), ("p1", "b", 23, 23.5), ("p1", "c", 25, 26), ("p2", "a", 30, 31)]
    curve = M.exploration_curve(make_visits(rows, tz="UTC"), start=start, days=2)
    # p1: {a, b} on day 1, c on day 2; p2: a on day 2.
    assert curve.tolist() == [1.0, 2.0]


def test_jump_lengths_between_consecutive_stays_only(make_visits, make_places, origin):
    """Jumps follow each person's own sequence, never across people."""
    places = make_places({"a": (0, 0), "b": (1000, 0), "c": (1000, 1000)})
    visits = make_visits(sequence_visits("p1", ["a", "b", "c", "a"]) + sequence_visits("p2", ["b", "a"]))
    jumps = M.jump_lengths_m(visits, places, origin=origin)
    np.testing.assert_allclose(jumps, [1000, 1000, math.sqrt(2) * 1000, 1000], rtol=1e-9)


@pytest.mark.parametrize("beta", [1.5, 1.75, 2.0])
def test_jump_length_exponent_recovers_power_law(beta, start, origin):
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
    lat, lon = to_latlon(x, np.zeros_like(x), origin=origin)
    places = pd.DataFrame({"place_id": ids, "kind": "shop", "lat": lat, "lon": lon})
    t = pd.to_timedelta(np.arange(n + 1), unit="h")
    visits = pd.DataFrame({"person_id": "p1", "place_id": ids, "start": start + t,
                           "end": start + t + pd.Timedelta(minutes=30)})
    np.testing.assert_allclose(np.sort(M.jump_lengths_m(visits, places, origin=origin)), np.sort(r), rtol=1e-6)
    assert M.jump_length_exponent(visits, places, origin=origin) == pytest.approx(beta, abs=0.1)


def test_radius_of_gyration_by_hand(make_visits, make_places, origin):
    """rg is the RMS distance of stays from their centre of mass, one entry per stay."""
    places = make_places({"a": (0, 0), "b": (2000, 0), "c": (3000, 0)})
    rows = (
        sequence_visits("p1", ["a", "b"])  # 1 km either side of the centre
        + sequence_visits("p2", ["a", "c", "a"])  # centre at 1 km: distances 1, 2, 1 km
        + sequence_visits("p3", ["a"])
    )
    rg = M.radius_of_gyration_m(make_visits(rows), places, origin=origin)
    assert rg.index.tolist() == ["p1", "p2", "p3"]
    np.testing.assert_allclose(rg.to_numpy(), [1000.0, math.sqrt(2e6), 0.0], rtol=1e-9, atol=1e-6)


def test_rg_tail_ratio():
    """The tail ratio is p90 / p50 (91 / 51 for 1..101) and 1 for equal radii."""
    assert M.rg_tail_ratio(np.arange(1, 102)) == pytest.approx(91 / 51)
    assert M.rg_tail_ratio([500.0] * 10) == pytest.approx(1.0)


def test_location_entropy_uniform_and_skewed(make_visits):
    """Uniform over 4 places gives 1, skewed splits give less, a single place is left out."""
    rows = (
        sequence_visits("u", ["a", "b", "c", "d"] * 3)
        + sequence_visits("s", ["a", "b", "a", "c", "a"])  # 3:1:1 over three places
        + sequence_visits("t", ["a", "b", "a", "b", "a", "b", "a"])  # 4:3 over two places
        + sequence_visits("one", ["a"])
    )
    ent = M.location_entropy(make_visits(rows))
    assert "one" not in ent.index
    assert ent["u"] == pytest.approx(1.0)
    p = np.array([3, 1, 1]) / 5
    assert ent["s"] == pytest.approx(-(p * np.log(p)).sum() / np.log(3))
    q = np.array([4, 3]) / 7
    assert ent["t"] == pytest.approx(-(q * np.log(q)).sum() / np.log(2))


def test_location_entropy_three_to_one(make_visits):
    """Visits split 3:1 over two places give H = 0.811."""
    ent = M.location_entropy(make_visits(sequence_visits("p", ["a", "b", "a", "a"])))
    assert ent["p"] == pytest.approx(0.8113, abs=1e-4)


def test_location_entropy_by_window(make_visits, start):
    """Windows split each person's stays by local day; the unfinished last window is dropped."""
    # Days 0-1: a, b, a, b (H = 1); days 2-3: a, a, a, c (3:1); day 4 starts a window that never ends.
    rows = daily("p", [["a", "b"], ["a", "b"], ["a", "a2"], ["a", "c"], ["x", "y"]])
    rows = [(p, "a" if place == "a2" else place, s, e) for p, place, s, e in rows]
    ent = M.location_entropy(make_visits(rows), start=start, days=5, window_days=2)
    assert ent.index.names == ["person_id", "window"]
    assert ent.index.tolist() == [("p", 0), ("p", 1)]
    q = np.array([3, 1]) / 4
    np.testing.assert_allclose(ent.to_numpy(), [1.0, -(q * np.log(q)).sum() / np.log(2)])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"window_days": 2}, "start and days"),
    ({"window_days": 0, "days": 4}, "window_days"),
    ({"window_days": 1.5, "days": 4}, "window_days"),
])
def test_location_entropy_window_arguments_are_checked(make_visits, start, kwargs, match):
    """Windows need the period and a whole positive number of days."""
    visits = make_visits(daily("p", [["a", "b"]]))
    kwargs = {"start": start, **kwargs} if "days" in kwargs else kwargs
    with pytest.raises(ValueError, match=match):
        M.location_entropy(visits, **kwargs)


def test_reference_entropy_averages_whole_windows(make_visits, start):
    """A period of at least the reference length is the mean over (person, window) pairs."""
    rows = daily("p", [["a", "b"], ["a", "b"], ["a", "a2"], ["a", "c"]])
    rows = [(p, "a" if place == "a2" else place, s, e) for p, place, s, e in rows] + daily("r", [["h", "k"]] * 4)
    q = np.array([3, 1]) / 4
    h31 = -(q * np.log(q)).sum() / np.log(2)
    got = M.reference_location_entropy(make_visits(rows), start=start, days=4, reference_days=2)
    assert got == pytest.approx((1.0 + h31 + 1.0 + 1.0) / 4)


def test_reference_entropy_carries_a_short_period_along_its_decline(make_visits, start):
    """A shorter period is carried to the reference length as H(T) (ln ref / ln T)**-α, α from its halves."""
    # Eight days: the first four alternate a, b; the last four a, c. Halves: H = 1 each;
    # whole period: a 8, b 4, c 4.
    rows = daily("p", [["a", "b"]] * 4 + [["a", "c"]] * 4)
    p = np.array([8, 4, 4]) / 16
    whole = -(p * np.log(p)).sum() / np.log(3)
    alpha = math.log(1.0 / whole) / math.log(math.log(8) / math.log(4))
    expected = whole * (math.log(16) / math.log(8)) ** -alpha
    got = M.reference_location_entropy(make_visits(rows), start=start, days=8, reference_days=16)
    assert got == pytest.approx(expected)
    assert got < whole  # watched longer, the entropy falls


def test_reference_entropy_needs_four_days(make_visits, start):
    """Three days have no two halves of two days to show the decline: NaN."""
    visits = make_visits(daily("p", [["a", "b"], ["a", "c"], ["a", "d"]]))
    assert math.isnan(M.reference_location_entropy(visits, start=start, days=3))


def test_reference_entropy_does_not_depend_on_the_length_of_the_world():
    """Two weeks and four weeks of the same people give the same four-week entropy, where the plain mean falls."""
    sc = load_scenario("classroom", days=28)
    visits = generate_world(sc, 3).visits
    start = pd.Timestamp(sc.start).tz_localize(sc.timezone)
    cut = start + pd.Timedelta(days=14)
    first = visits[visits["start"] < cut].assign(end=lambda v: v["end"].clip(upper=cut))
    four = M.reference_location_entropy(visits, start=start, days=28)
    two = M.reference_location_entropy(first, start=start, days=14)
    assert two == pytest.approx(four, abs=0.015)
    assert M.location_entropy(first).mean() - M.location_entropy(visits).mean() > 0.03


def test_trips_by_hour_commuter(make_visits, commuter):
    """A commuter departs at 08:00 and 17:00 each day; the last stay is no departure."""
    hist = M.trips_by_hour(make_visits(commuter))
    assert len(hist) == 24 and hist.sum() == 4
    assert hist[8] == 2 and hist[17] == 2
    assert M.two_peaks(hist)


def test_trips_by_hour_reads_local_clock(make_visits):
    """Hours come from the timestamps' own zone, not UTC."""
    hist = M.trips_by_hour(make_visits([("p", "a", 0, 8), ("p", "b", 9, 10)]))
    assert hist[8] == 1


def test_two_peaks_passes_and_fails():
    """Morning and evening peaks pass; a flat day or a single peak fails."""
    h = np.ones(24)
    h[7] = h[8] = 10
    h[17] = 12
    assert M.two_peaks(h)
    assert not M.two_peaks(np.full(24, 5.0))
    morning_only = np.ones(24)
    morning_only[8] = 20
    assert not M.two_peaks(morning_only)
    busy_night = h.copy()
    busy_night[0:5] = 5  # peaks below 3x the night level
    assert not M.two_peaks(busy_night)


def test_unsorted_visits_give_the_same_answers(make_visits, commuter, start):
    """Row order does not matter: stays are sorted by person and start first."""
    rows = commuter + sequence_visits("p2", ["h2", "a", "b", "h2", "c"])
    visits = make_visits(rows)
    shuffled = visits.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert M.exploration_curve(shuffled, start=start, days=2).tolist() == M.exploration_curve(
        visits, start=start, days=2
    ).tolist()
    assert M.trips_by_hour(shuffled).tolist() == M.trips_by_hour(visits).tolist()
    pd.testing.assert_series_equal(
        M.location_entropy(shuffled).sort_index(), M.location_entropy(visits).sort_index()
    )
    pd.testing.assert_series_equal(
        M.location_entropy(shuffled, start=start, days=2, window_days=1).sort_index(),
        M.location_entropy(visits, start=start, days=2, window_days=1).sort_index(),
    )


def test_reference_entropy_arguments_are_checked(make_visits, start):
    """A reference length or period that is not a whole positive number of days is refused by name."""
    visits = make_visits(daily("p", [["a", "b"]] * 4))
    with pytest.raises(ValueError, match="reference_days"):
        M.reference_location_entropy(visits, start=start, days=4, reference_days=0)
    with pytest.raises(ValueError, match="days must be a whole number"):
        M.reference_location_entropy(visits, start=start, days=2.5)
