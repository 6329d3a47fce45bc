"""Tests for lab.experiments.counts."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.experiments.counts import CountSetting, count_settings, counts_tradeoff
from lab.mitigations.aggregate import count_by_cell

ORIGIN = (-48.5, -123.0)


@pytest.fixture(scope="module")
def gps(classroom):
    return classroom.releases["gps"]


@pytest.fixture(scope="module")
def bounds(classroom):
    return tuple(float(v) for v in classroom.districts.total_bounds)


@pytest.fixture(scope="module")
def table(gps, bounds):
    return counts_tradeoff(gps, bounds=bounds, origin=ORIGIN, targets=4, group_size=20, n_test=40, rng=0)


def test_default_settings_are_exact_suppressed_and_dp(table):
    """Exact counts, three suppression thresholds and three DP budgets, in that order."""
    assert list(table["mitigation"]) == ["aggregate"] + ["suppress_small_counts"] * 3 + ["dp_counts"] * 3
    assert list(table["setting"])[1:4] == ["k = 5", "k = 10", "k = 20"]


def test_exact_counts_have_no_error_and_high_membership_risk(table):
    """Exact counts are exact, publish every non-empty cell, and let membership show."""
    exact = table.iloc[0]
    assert exact["count_mae"] == 0 and exact["true_cells_published"] == 1 and exact["mass_on_empty"] == 0
    assert exact["membership_auc"] > 0.8


def test_dp_publishes_every_key_and_pays_on_empty_cells(table, gps, bounds):
    """DP counts publish the whole domain; at ε = 1 most of the published mass sits on truly empty cells."""
    dp = table[table["mitigation"] == "dp_counts"].reset_index(drop=True)
    start = gps["t"].min().normalize()
    end = gps["t"].max().normalize() + pd.Timedelta(days=1)
    domain_size = len(count_settings(cell_m=1000.0, slot_s=86_400, origin=ORIGIN, start=start, end=end,
                                     bounds=bounds, rng=0)[-1].publish(gps))
    assert (dp["cells_published"] == domain_size).all()
    assert dp["count_mae"].is_monotonic_increasing
    assert dp.loc[1, "mass_on_empty"] > 0.5
    assert dp["membership_auc"].iloc[-1] < table.iloc[0]["membership_auc"]


def test_suppression_publishes_fewer_cells(table):
    """Suppression publishes fewer cells as k grows and never a cell that was empty."""
    sup = table[table["mitigation"] == "suppress_small_counts"]
    assert sup["cells_published"].is_monotonic_decreasing and (sup["mass_on_empty"] == 0).all()
    assert sup["membership_auc"].min() < table.iloc[0]["membership_auc"]


def test_the_attack_runs_on_the_rows_own_publication(gps, bounds):
    """A publication that reveals nothing leaves the adversary at a coin flip, whatever the exact counts show."""
    start = gps["t"].min().normalize()

    def nothing(traces):
        return count_by_cell(traces, cell_m=1000.0, slot_s=86_400, origin=ORIGIN, start=start).iloc[:0]

    calls = []

    def exact(traces):
        calls.append(traces["pseudonym"].nunique())
        return count_by_cell(traces, cell_m=1000.0, slot_s=86_400, origin=ORIGIN, start=start)

    settings = [CountSetting("blank", "nothing", nothing), CountSetting("aggregate", "exact counts", exact)]
    out = counts_tradeoff(gps, bounds=bounds, origin=ORIGIN, settings=settings, targets=3, group_size=20,
                          n_test=10, rng=0)
    assert out.loc[0, "membership_auc"] == 0.5 and out.loc[0, "cells_published"] == 0
    assert out.loc[1, "membership_auc"] > 0.5
    # Once for the published table (every pseudonym), then once per group of 20 in each target's game.
    assert calls[0] == gps["pseudonym"].nunique() and set(calls[1:]) == {20} and len(calls) == 1 + 3 * 10


def test_counts_tradeoff_is_deterministic(gps, bounds):
    """The same release and seed give an identical table."""
    kw = {"bounds": bounds, "origin": ORIGIN, "targets": 2, "group_size": 20, "n_test": 10, "rng": 5}
    pd.testing.assert_frame_equal(counts_tradeoff(gps, **kw), counts_tradeoff(gps, **kw))


def test_a_groups_dp_table_depends_only_on_who_is_in_it(gps, bounds):
    """The DP noise of a publication is fixed by the seed and the group, not by call order or row order."""
    start = gps["t"].min().normalize()
    end = gps["t"].max().normalize() + pd.Timedelta(days=1)
    dp = count_settings(cell_m=1000.0, slot_s=86_400, origin=ORIGIN, start=start, end=end, bounds=bounds,
                        rng=4)[-2].publish
    group = gps[gps["pseudonym"].isin(gps["pseudonym"].unique()[:20])]
    other = gps[gps["pseudonym"].isin(gps["pseudonym"].unique()[20:40])]
    first = dp(group)
    dp(other)  # another target's game drawing in between changes nothing
    pd.testing.assert_frame_equal(dp(group.sample(frac=1, random_state=0)), first)
    assert not dp(other)["count"].equals(first["count"])
