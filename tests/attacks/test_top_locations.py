"""Tests for lab.attacks.top_locations."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.attacks.top_locations import top_n_codes, top_n_uniqueness

BASE = pd.Timestamp("2031-03-03", tz="UTC")


def _rel(rows):
    return pd.DataFrame({"pseudonym": [r[0] for r in rows],
                         "t": [BASE + pd.Timedelta(minutes=i) for i in range(len(rows))],
                         "lat": [0.0] * len(rows), "lon": [0.0] * len(rows), "tower_id": [r[1] for r in rows]})


def test_counts_people_not_sets():
    """Three people share one top-2 set and one has its own: 1/4 unique, though 2 distinct sets exist."""
    rows = [(u, "x") for u in "abcd" for _ in range(3)] + [(u, "y") for u in "abc"] + [("d", "z")]
    out = top_n_uniqueness(_rel(rows), ns=(2,), spaces=("tower_id",))
    assert out.loc[0, "share_unique"] == pytest.approx(0.25)
    assert out.loc[0, "distinct_sets"] == 2 and out.loc[0, "median_set"] == 3


def test_top_one_ties_go_to_first_seen():
    """With equal counts, the location seen first ranks higher."""
    rows = [("a", "y"), ("a", "x")]
    codes = top_n_codes(_rel([*rows, ("b", "x"), ("b", "y")]), n=1, space="tower_id")
    assert codes["a"] != codes["b"]


def test_sets_ignore_order_unless_asked():
    """The same two places in different order form one set but two ranked lists."""
    rows = [("a", "x"), ("a", "x"), ("a", "y"), ("b", "y"), ("b", "y"), ("b", "x")]
    sets = top_n_codes(_rel(rows), n=2, space="tower_id")
    ranked = top_n_codes(_rel(rows), n=2, space="tower_id", ordered=True)
    assert sets["a"] == sets["b"] and ranked["a"] != ranked["b"]


def test_n_validated():
    """n below 1 is refused."""
    with pytest.raises(ValueError, match="n is a number of top locations"):
        top_n_codes(_rel([("a", "x")]), n=0, space="tower_id")


def test_zang_bolot_pattern(classroom):
    """On the classroom CDR, top-1 is rarely unique, top-3 far more often, and coarser cells lower both."""
    out = top_n_uniqueness(classroom.releases["cdr"], ns=(1, 3), spaces=("tower_id", "grid:5000"))
    fine = out[out["space"] == "tower_id"].set_index("n")["share_unique"]
    coarse = out[out["space"] == "grid 5000 m"].set_index("n")["share_unique"]
    assert fine[1] < fine[3] and coarse[3] <= fine[3]


from collections import Counter  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdefgh")),
                       st.lists(st.sampled_from(list("vwxyz")), min_size=1, max_size=8),
                       min_size=1, max_size=8), st.integers(1, 3))
def test_uniqueness_matches_brute_force(records, n):
    """The share of people with a unique top-N set equals a direct count over Python sets."""
    def top(recs):
        c = Counter(recs)
        first = {loc: recs.index(loc) for loc in c}
        return frozenset(sorted(c, key=lambda loc: (-c[loc], first[loc]))[:n])

    sets = {u: top(r) for u, r in records.items()}
    ref = sum(sum(s == t for t in sets.values()) == 1 for s in sets.values()) / len(sets)
    rows = [(u, loc) for u, recs in records.items() for loc in recs]
    out = top_n_uniqueness(_rel(rows), ns=(n,), spaces=("tower_id",))
    assert out.loc[0, "share_unique"] == pytest.approx(ref)


def _timed(rows):
    """rows: (pseudonym, minute, tower); few minutes, so simultaneous records are common."""
    return pd.DataFrame({"pseudonym": [r[0] for r in rows], "t": [BASE + pd.Timedelta(minutes=r[1]) for r in rows],
                         "lat": [0.0] * len(rows), "lon": [0.0] * len(rows), "tower_id": [f"tw{r[2]}" for r in rows]})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list("abc")), st.integers(0, 1), st.integers(0, 2)), min_size=1, max_size=16),
       st.integers(1, 3), st.booleans(), st.data())
def test_top_n_ignores_row_order(rows, n, ordered, data):
    """Shuffling the rows, simultaneous records included, never changes the top-N codes or shares."""
    release = _timed(rows)
    perm = data.draw(st.permutations(range(len(release))))
    shuffled = release.iloc[perm]
    pd.testing.assert_series_equal(top_n_codes(release, n=n, space="tower_id", ordered=ordered),
                                   top_n_codes(shuffled, n=n, space="tower_id", ordered=ordered))
    pd.testing.assert_frame_equal(top_n_uniqueness(release, ns=(n,), spaces=("tower_id",), ordered=ordered),
                                  top_n_uniqueness(shuffled, ns=(n,), spaces=("tower_id",), ordered=ordered))


def test_simultaneous_first_sightings_go_to_the_smaller_label():
    """Places first seen at one instant rank by label: a's top one is tw1 whichever row comes first."""
    rows = [("a", 0, 2), ("a", 0, 1), ("b", 0, 1)]
    for release in (_timed(rows), _timed(rows[::-1])):
        codes = top_n_codes(release, n=1, space="tower_id")
        assert codes["a"] == codes["b"]


@pytest.mark.parametrize("bad", [True, 1.0, "2", 0])
def test_n_must_be_a_whole_number(bad):
    """n that is a bool, a float, a string or below 1 is refused, naming n (also inside ns)."""
    with pytest.raises(ValueError, match="n is a number of top locations"):
        top_n_codes(_rel([("a", "x")]), n=bad, space="tower_id")
    with pytest.raises(ValueError, match="each n in ns"):
        top_n_uniqueness(_rel([("a", "x")]), ns=(1, bad), spaces=("tower_id",))
