"""Tests for lab.mitigations.suppress."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.grid import cell_slots
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.suppress import aggregate_release, differencing_risk, suppress_small_counts
from lab.params import LeakWarning

GRID = {"cell_m": 1000.0, "slot_s": 3600, "origin": (-48.5, -123.0),
        "start": pd.Timestamp("2031-03-03", tz="Etc/GMT+8")}


def _table(counts: list[float], cells: list[int] | None = None) -> pd.DataFrame:
    """A count table with one slot and cells 0, 1, 2, … unless given."""
    cells = list(range(len(counts))) if cells is None else cells
    return pd.DataFrame({"cell": cells, "slot": [0] * len(counts), "count": counts})


def test_suppress_removes_counts_below_k():
    """Counts 1 and 4 go at k=5; 0 is not a count anyone publishes either; 5 and 12 stay."""
    out = suppress_small_counts(_table([12, 1, 5, 4, 0]), k=5)
    assert out["count"].tolist() == [12, 5]
    assert out["cell"].tolist() == [0, 2]


def test_suppress_keeps_index_labels_and_other_columns():
    """Surviving rows keep their labels and every other column."""
    t = _table([3, 9, 7]).assign(district=["a", "b", "c"])
    t.index = [10, 20, 30]
    out = suppress_small_counts(t, k=5)
    assert out.index.tolist() == [20, 30]
    assert out["district"].tolist() == ["b", "c"]


def test_suppress_treats_missing_counts_as_suppressed():
    """A NaN count is never published."""
    out = suppress_small_counts(_table([np.nan, 6.0, 2.0]), k=3)
    assert out["count"].tolist() == [6.0]


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(0, 40), max_size=60), k=st.integers(2, 25))
def test_suppression_never_releases_a_small_count(counts, k):
    """For any counts and k, no published count lies in 1..k-1 and every count >= k survives, in order."""
    t = _table(counts)
    before = t.copy()
    out = suppress_small_counts(t, k=k)
    assert not out["count"].between(1, k - 1).any()
    assert out.index.tolist() == [i for i, c in enumerate(counts) if c >= k]
    pd.testing.assert_frame_equal(t, before)


def test_suppress_k1_warns():
    """k=1 suppresses nothing and says so."""
    with pytest.warns(LeakWarning, match="hides no one"):
        out = suppress_small_counts(_table([1, 2]), k=1)
    assert len(out) == 2


@pytest.mark.parametrize("k", [0, -3, 2.5, "3", None, True])
def test_suppress_rejects_bad_k(k):
    """k must be a whole number of at least 1."""
    with pytest.raises(ValueError, match="k must"):
        suppress_small_counts(_table([5]), k=k)


def test_suppress_rejects_a_table_without_counts():
    """The table needs a numeric count column."""
    with pytest.raises(ValueError, match="'count' column"):
        suppress_small_counts(pd.DataFrame({"cell": [1]}), k=3)
    with pytest.raises(ValueError, match="must hold numbers"):
        suppress_small_counts(pd.DataFrame({"count": ["many"]}), k=3)


def test_differencing_flags_counts_one_person_apart():
    """Cells published in both tables whose counts differ by 1..k-1 are listed with the difference."""
    a = _table([10, 7, 6, 20], cells=[1, 2, 3, 4])
    b = _table([9, 7, 6, 12], cells=[1, 2, 5, 4])
    with pytest.warns(LeakWarning, match="subtracting one table from the other"):
        risk = differencing_risk([a, b], k=5)
    assert risk[["first", "second", "cell", "slot", "count_first", "count_second", "difference"]].values.tolist() \
        == [[0, 1, 1, 0, 10, 9, 1]]


def test_differencing_compares_every_pair():
    """Three releases are compared pairwise; the pairs are named by position."""
    tables = [_table([10]), _table([10]), _table([8])]
    with pytest.warns(LeakWarning):
        risk = differencing_risk(tables, k=3)
    assert risk[["first", "second", "difference"]].values.tolist() == [[0, 2, 2], [1, 2, 2]]


def test_differencing_silent_for_identical_releases():
    """The same table published twice reveals nothing new: no warning, an empty result."""
    t = _table([10, 7, 6])
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        risk = differencing_risk([t, t.copy()], k=5)
    assert risk.empty
    assert list(risk.columns) == ["first", "second", "cell", "slot", "count_first", "count_second", "difference"]


def test_differencing_ignores_differences_of_k_or_more():
    """A difference of k people is a group the threshold allows."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        assert differencing_risk([_table([15]), _table([10])], k=5).empty


def test_differencing_uses_the_given_keys():
    """Keys other than (cell, slot) can name the published counts."""
    a = pd.DataFrame({"district": ["d000", "d001"], "count": [30, 8]})
    b = pd.DataFrame({"district": ["d000", "d001"], "count": [29, 8]})
    with pytest.warns(LeakWarning):
        risk = differencing_risk([a, b], k=5, keys=["district"])
    assert risk["district"].tolist() == ["d000"]


@pytest.mark.parametrize(("releases", "message"), [
    ([_table([3])], "at least two"),
    (_table([3]), "at least two"),
    ([_table([3]), pd.DataFrame({"cell": [0], "count": [3]})], "no column 'slot'"),
    ([_table([3, 4], cells=[0, 0]), _table([3])], "same key twice"),
])
def test_differencing_validation(releases, message):
    """Bad inputs get a sentence naming the problem."""
    with pytest.raises(ValueError, match=message):
        differencing_risk(releases, k=3)


def test_differencing_catches_a_population_one_person_smaller(classroom):
    """Suppressed gps tables with and without one pseudonym: every key it shares with 5+ others is flagged."""
    gps = classroom.releases["gps"]
    coarse = {**GRID, "cell_m": 3000.0, "slot_s": 6 * 3600}
    cs = cell_slots(gps, **coarse)
    counts = cs.drop_duplicates().groupby(["cell", "slot"]).size()
    busy = counts[counts >= 8].index
    in_busy = pd.MultiIndex.from_frame(cs[["cell", "slot"]]).isin(busy)
    target = cs.loc[in_busy, "pseudonym"].value_counts().index[0]
    full = aggregate_release(gps, k=5, **coarse)
    less_one = aggregate_release(gps[gps["pseudonym"] != target], k=5, **coarse)
    with pytest.warns(LeakWarning, match="tracker"):
        risk = differencing_risk([full, less_one], k=5)
    mine = set(zip(cs.loc[cs["pseudonym"] == target, "cell"], cs.loc[cs["pseudonym"] == target, "slot"]))
    published_in_both = {key for key, n in counts.items() if n >= 6}
    assert (risk["difference"] == 1).all()
    assert set(zip(risk["cell"], risk["slot"])) == mine & published_in_both
    assert len(risk) >= 1


def test_aggregate_release_is_count_then_suppress(classroom):
    """aggregate_release equals count_by_cell with counts below k dropped, and never shows 1..k-1."""
    gps = classroom.releases["gps"]
    before = gps.copy()
    out = aggregate_release(gps, k=4, **GRID)
    counts = count_by_cell(gps, **GRID)
    expected = counts[counts["count"] >= 4].reset_index(drop=True)
    pd.testing.assert_frame_equal(out, expected)
    assert out["count"].min() >= 4
    assert len(out) < len(counts)
    pd.testing.assert_frame_equal(gps, before)


def test_aggregate_release_validates_k(classroom):
    """k is checked before any counting."""
    with pytest.raises(ValueError, match="at least 1"):
        aggregate_release(classroom.releases["gps"], k=0, **GRID)
