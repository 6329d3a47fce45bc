"""Tests for lab.attacks.recovery: trajectories recovered from aggregates, scored by lab.metrics.recovery_score."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.attacks.recovery import (
    cell_centres,
    count_locations,
    information_gain,
    match_points,
    one_location_per_slot,
    recover_trajectories,
    tracking_cost,
)
from lab.geo import to_latlon
from lab.grid import cell_slots, grid_cell
from lab.metrics.recovery_score import score_recovery
from lab.mitigations.aggregate import count_by_cell

ORIGIN = (-48.5, -123.0)
START = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")
CELL_M = 1000
SLOT_S = 3600


def release_from(paths: dict[str, list[tuple[float, float]]]) -> pd.DataFrame:
    """A release with one observation per person and slot, from local (x, y) metres per slot."""
    rows = [(p, s, x, y) for p, xy in paths.items() for s, (x, y) in enumerate(xy)]
    p, s, x, y = map(np.array, zip(*rows))
    lat, lon = to_latlon(x, y, origin=ORIGIN)
    t = START + pd.to_timedelta(s * SLOT_S + 60, unit="s")
    return pd.DataFrame({"pseudonym": p, "t": t, "lat": lat, "lon": lon})


def attack(paths: dict[str, list[tuple[float, float]]], **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Aggregate ``paths`` with count_by_cell, recover them, and return (recovered, truth)."""
    release = release_from(paths)
    counts = count_by_cell(release, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)
    recovered = recover_trajectories(counts, cell_m=CELL_M, slot_s=SLOT_S, **kwargs)
    truth = cell_slots(release, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)
    return recovered, truth


def counts_frame(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
    cell, slot, count = (np.array(v, dtype=np.int64) for v in zip(*rows))
    return pd.DataFrame({"cell": cell, "slot": slot, "count": count})


# --- cell centres ---------------------------------------------------------------------------


@given(st.integers(-20_000, 20_000), st.integers(-20_000, 20_000), st.sampled_from([1.0, 250.0, 500.0, 1000.0, 2000.0]))
def test_cell_centres_invert_grid_cell(ix, iy, cell_m):
    """Decoding a cell id gives a point inside that very cell, at its middle."""
    cell = grid_cell([(ix + 0.3) * cell_m], [(iy + 0.9) * cell_m], cell_m=cell_m)
    x, y = cell_centres(cell, cell_m=cell_m)
    assert (x[0], y[0]) == ((ix + 0.5) * cell_m, (iy + 0.5) * cell_m)
    assert grid_cell(x, y, cell_m=cell_m)[0] == cell[0]


# --- hand-made cases ------------------------------------------------------------------------


def test_people_far_apart_are_fully_recovered():
    """Two people 20 km apart, moving about their own corners for two days, come back whole."""
    a = [(500 + 1000 * (s % 3), 500) for s in range(48)]
    b = [(20_500, 500 + 1000 * (s % 4)) for s in range(48)]
    recovered, truth = attack({"a": a, "b": b})
    score = score_recovery(recovered, truth)
    assert score["accuracy"] == 1.0
    assert score["recovered_share"] == 1.0
    assert score["within_day"] == 1.0
    assert score["cross_day"] == 1.0
    assert recovered["trajectory"].nunique() == 2


def test_people_who_swap_sides_at_night_are_swapped():
    """At night the attack assumes nobody moves far, so two people passing each other are swapped."""
    recovered, truth = attack({"a": [(500, 500), (2500, 500)], "b": [(3500, 500), (1500, 500)]})
    by_traj = {tuple(g["cell"]) for _, g in recovered.groupby("trajectory")}
    cx = {c: cell_centres([c], cell_m=CELL_M)[0][0] for c in recovered["cell"]}
    assert {tuple(cx[c] for c in cells) for cells in by_traj} == {(500.0, 1500.0), (3500.0, 2500.0)}
    assert score_recovery(recovered, truth)["accuracy"] == 0.5


def test_velocity_tells_apart_people_crossing_in_one_cell():
    """By day two people meeting in one cell keep going their own ways, as their speeds predict."""
    east = [(500 + 1000 * s, 500) for s in range(5)]
    west = [(4500 - 1000 * s, 500) for s in range(5)]
    assert east[2] == west[2]
    recovered, truth = attack({"east": east, "west": west}, night_slots=[])
    assert score_recovery(recovered, truth)["accuracy"] == 1.0


def test_days_are_linked_by_regularity_not_by_order():
    """Each day's trajectories are joined to the next day's with the same places, wherever they start."""
    p, q = (500, 500), (8500, 500)          # a's two places
    r, s = (4500, 40_500), (2500, 40_500)   # b's two places, far north
    paths = {"a": [p, p, q, q, q, q, p, p], "b": [r, r, s, s, s, s, r, r]}
    recovered, truth = attack(paths, slots_per_day=4, night_slots=[])
    score = score_recovery(recovered, truth)
    assert score["accuracy"] == 1.0
    assert score["cross_day"] == 1.0


def test_suppressed_counts_recover_only_the_people_present():
    """A cell dropped from the counts leaves a gap; the trajectory resumes after it."""
    release = release_from({"a": [(500, 500)] * 4, "b": [(20_500, 500)] * 4})
    counts = count_by_cell(release, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)
    a_cell = counts["cell"].min()
    gap = counts.loc[~((counts["cell"] == a_cell) & (counts["slot"] == 2))]
    recovered = recover_trajectories(gap, cell_m=CELL_M, slot_s=SLOT_S)
    assert len(recovered) == 7
    assert recovered.groupby("trajectory")["cell"].nunique().tolist() == [1, 1]


# --- properties against brute force ---------------------------------------------------------

coord = st.integers(-5, 5).map(lambda v: v * 1000.0)
point = st.tuples(coord, coord)


@settings(max_examples=200, deadline=None)
@given(ends=st.lists(point, min_size=1, max_size=4), points=st.lists(point, min_size=1, max_size=4),
       prevs=st.lists(point, min_size=4, max_size=4), night=st.booleans())
def test_tracking_step_is_the_cheapest_assignment(ends, points, prevs, night):
    """The step's total distance equals the minimum over every assignment (itertools.permutations)."""
    k, m = len(ends), len(points)
    vel = None if night else np.array(ends) - np.array(prevs[:k])
    owner = match_points(tracking_cost(np.array(ends), np.array(points), velocity=vel))
    pred = ends if night else [(e[0] + v[0], e[1] + v[1]) for e, v in zip(ends, vel)]

    def dist(i, j):
        return math.hypot(pred[i][0] - points[j][0], pred[i][1] - points[j][1])

    got = sum(dist(owner[j], j) for j in range(m) if owner[j] >= 0)
    if k >= m:
        best = min(sum(dist(perm[j], j) for j in range(m)) for perm in itertools.permutations(range(k), m))
    else:
        best = min(sum(dist(i, perm[i]) for i in range(k)) for perm in itertools.permutations(range(m), k))
    assert got == pytest.approx(best, abs=1e-6)
    assert (owner >= 0).sum() == min(k, m)
    assert len(set(owner[owner >= 0].tolist())) == min(k, m)


def _entropy(cells):
    n = len(cells)
    return -sum(c / n * math.log(c / n) for c in Counter(cells).values())


trajectories = st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=6), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(a=trajectories, b=trajectories)
def test_information_gain_matches_direct_entropies(a, b):
    """G(A, B) = H(A ∪ B) - (H(A) + H(B)) / 2, computed pair by pair with Counter."""
    a_owner = [i for i, t in enumerate(a) for _ in t]
    b_owner = [j for j, t in enumerate(b) for _ in t]
    gain = information_gain(a_owner, functools.reduce(operator.iadd, a, []),
                            b_owner, functools.reduce(operator.iadd, b, []), n_a=len(a), n_b=len(b))
    want = [[_entropy(ta + tb) - (_entropy(ta) + _entropy(tb)) / 2 for tb in b] for ta in a]
    np.testing.assert_allclose(gain, want, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9), st.integers(0, 3)), min_size=1, max_size=30))
def test_recovery_uses_every_published_person_once(rows):
    """Whatever the counts, recovered trajectories reproduce them, with one cell per trajectory and slot."""
    counts = counts_frame([(2**31 * (c % 3) + c, s, n) for s, c, n in rows]).drop_duplicates(["cell", "slot"])
    recovered = recover_trajectories(counts, cell_m=500, slot_s=3600, slots_per_day=3)
    again = recovered.groupby(["slot", "cell"]).size()
    want = counts.loc[counts["count"] > 0].set_index(["slot", "cell"])["count"].sort_index()
    assert again.sort_index().to_dict() == want.to_dict()
    assert not recovered.duplicated(["trajectory", "slot"]).any()


# --- validation -----------------------------------------------------------------------------

GOOD = counts_frame([(0, 0, 1), (0, 1, 1)])


@pytest.mark.parametrize(("counts", "message"), [
    (GOOD.assign(count=[1, -1]), "negative"),
    (GOOD.drop(columns="count"), "missing column"),
    (GOOD.drop(columns=["cell", "slot"]), "cell, slot"),
    (GOOD.assign(slot=[0.0, 0.5]), "'slot' must hold whole numbers"),
    (GOOD.assign(slot=["0", "1"]), "'slot' must hold whole numbers"),
    (GOOD.assign(count=[1.0, np.nan]), "missing value"),
    (GOOD.assign(slot=[-1, 0]), "'slot' has negative"),
    (GOOD.assign(slot=[0, 0]), "more than once"),
])
def test_bad_counts_are_refused_by_name(counts, message):
    """Negative counts, missing columns, non-integer slots and the like raise a ValueError naming them."""
    with pytest.raises(ValueError, match=message):
        recover_trajectories(counts, cell_m=500, slot_s=3600)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"cell_m": 0, "slot_s": 3600}, "cell_m"),
    ({"cell_m": 500, "slot_s": 0}, "slot_s"),
    ({"cell_m": 500, "slot_s": 1.5}, "slot_s"),
    ({"cell_m": 500, "slot_s": 7000}, "does not divide a day"),
    ({"cell_m": 500, "slot_s": 3600, "slots_per_day": 0}, "slots_per_day"),
    ({"cell_m": 500, "slot_s": 3600, "night_slots": [24]}, "night_slots"),
])
def test_bad_parameters_are_refused_by_name(kwargs, message):
    """Out-of-range parameters raise a ValueError naming the parameter."""
    with pytest.raises(ValueError, match=message):
        recover_trajectories(GOOD, **kwargs)


def test_counts_must_be_a_dataframe():
    """Anything but a DataFrame is a TypeError."""
    with pytest.raises(TypeError, match="DataFrame"):
        recover_trajectories([(0, 0, 1)], cell_m=500, slot_s=3600)


def test_inputs_are_not_mutated():
    """The counts come back untouched."""
    counts = counts_frame([(5, 1, 2), (0, 0, 1), (3, 0, 1), (6, 1, 0)])
    before = counts.copy()
    recover_trajectories(counts, cell_m=500, slot_s=3600)
    pd.testing.assert_frame_equal(counts, before)


# --- preparing a release --------------------------------------------------------------------


def test_one_location_per_slot_keeps_the_last_and_fills_gaps():
    """Last observation in a slot wins; empty slots take the cell before (or, at first, after)."""
    lat, lon = to_latlon([500.0, 1500.0, 2500.0, 7500.0], [500.0] * 4, origin=ORIGIN)
    release = pd.DataFrame({
        "pseudonym": ["u", "u", "u", "v"],
        "t": START + pd.to_timedelta([60, 120, 2 * 3600 + 5, 2 * 3600 + 9], unit="s"),
        "lat": lat, "lon": lon,
    })
    table = one_location_per_slot(release, cell_m=CELL_M, slot_s=SLOT_S, n_slots=4, origin=ORIGIN, start=START)
    x = cell_centres(table["cell"], cell_m=CELL_M)[0]
    assert table["pseudonym"].tolist() == ["u"] * 4 + ["v"] * 4
    assert table["slot"].tolist() == [0, 1, 2, 3] * 2
    assert x.tolist() == [1500.0, 1500.0, 2500.0, 2500.0] + [7500.0] * 4


def test_count_locations_equals_count_by_cell():
    """With one observation per person and slot, the two aggregates agree."""
    rng = np.random.default_rng(3)
    paths = {f"p{i}": [tuple(rng.integers(0, 4, 2) * 1000 + 500) for _ in range(6)] for i in range(8)}
    release = release_from(paths)
    table = one_location_per_slot(release, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)
    direct = count_by_cell(release, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)
    pd.testing.assert_frame_equal(count_locations(table), direct, check_dtype=False)


# --- the classroom world --------------------------------------------------------------------


def test_recovery_on_the_classroom_gps_release_beats_chance(classroom):
    """Hourly counts on a 1 km grid of the classroom's GPS users give back most of their points.

    Seed 7: 125 users over 336 hours; accuracy 0.555 against a chance of 1/125 = 0.008
    (within-day 0.761, cross-day 0.543, 25.6 % of users with at least 80 % of points right).
    """
    truth = one_location_per_slot(classroom.releases["gps"], cell_m=1000, slot_s=3600)
    recovered = recover_trajectories(count_locations(truth), cell_m=1000, slot_s=3600)
    score = score_recovery(recovered, truth)
    assert score["n_people"] == truth["pseudonym"].nunique()
    assert score["accuracy"] > 40 * score["chance"]
    assert score["accuracy"] > 0.4
    assert score["within_day"] > score["accuracy"]
    assert score["cross_day"] > 0.3
