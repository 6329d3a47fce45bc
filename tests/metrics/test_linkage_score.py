"""Top-k accuracy of ranked candidates against truth pairs, and the pairs built from the keys."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.metrics.linkage_score import pairs_between, pairs_by_name, reidentification_rate, top_k_accuracy

MATCHES = pd.DataFrame({
    "identity": ["Ann", "Ann", "Ann", "Bob", "Bob", "Cy"],
    "rank": [1, 2, 3, 1, 2, 1],
    "pseudonym": ["ad-1", "ad-2", "ad-3", "ad-2", "ad-4", "ad-9"],
})
TRUTH = pd.DataFrame({"identity": ["Ann", "Bob", "Dee"], "pseudonym": ["ad-2", "ad-2", "ad-7"]})


def test_top_k_accuracy_by_eye():
    """Bob is right at rank 1, Ann at rank 2, Dee never: 1/3, 2/3, 2/3."""
    assert [top_k_accuracy(MATCHES, TRUTH, k) for k in (1, 2, 3)] == pytest.approx([1 / 3, 2 / 3, 2 / 3])


def test_reidentification_rate_is_top_1():
    """The re-identification rate is the top-1 accuracy."""
    assert reidentification_rate(MATCHES, TRUTH) == pytest.approx(1 / 3)


def test_queries_without_truth_are_ignored():
    """Cy has candidates but no true pair, so it is neither a hit nor a miss."""
    assert top_k_accuracy(MATCHES, TRUTH[TRUTH["identity"] != "Dee"], 1) == pytest.approx(0.5)


def test_any_true_candidate_is_a_hit():
    """A name borne by two people is found when either is ranked within k."""
    truth = pd.DataFrame({"identity": ["Ann", "Ann"], "pseudonym": ["ad-5", "ad-1"]})
    assert top_k_accuracy(MATCHES, truth, 1) == 1.0


def test_columns_follow_the_truth_pairs():
    """Cross-release matches are scored with truth columns pseudonym_a, pseudonym_b."""
    matches = pd.DataFrame({"pseudonym_a": ["x", "x", "z"], "rank": [1, 2, 1], "pseudonym_b": ["p", "q", "r"]})
    truth = pd.DataFrame({"pseudonym_a": ["x", "z"], "pseudonym_b": ["q", "r"]})
    assert top_k_accuracy(matches, truth, 1) == 0.5
    assert top_k_accuracy(matches, truth, 2) == 1.0


@pytest.mark.parametrize("k", [0, -1, 1.5, True])
def test_k_must_be_a_whole_number(k):
    """k below 1 or not whole is refused."""
    with pytest.raises(ValueError, match="k must be"):
        top_k_accuracy(MATCHES, TRUTH, k)


def test_mismatched_columns_are_named():
    """Truth pairs whose columns are not in the matches are refused, naming them."""
    with pytest.raises(ValueError, match="pseudonym_a"):
        top_k_accuracy(MATCHES, pd.DataFrame({"pseudonym_a": ["x"], "pseudonym_b": ["y"]}), 1)


def test_empty_truth_is_refused():
    """With no true pair the accuracy is undefined, and says so."""
    with pytest.raises(ValueError, match="undefined"):
        top_k_accuracy(MATCHES, TRUTH.iloc[:0], 1)


@settings(max_examples=80, deadline=None)
@given(ranks=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5)), max_size=20, unique=True),
       truth=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=8),
       k=st.integers(1, 4))
def test_top_k_accuracy_matches_brute_force(ranks, truth, k):
    """The accuracy equals a loop over the truth's queries."""
    # Ranks in order of appearance within each query.
    rows, seen = [], {}
    for q, c in ranks:
        seen[q] = seen.get(q, 0) + 1
        rows.append((f"q{q}", seen[q], f"c{c}"))
    matches = pd.DataFrame(rows, columns=["identity", "rank", "pseudonym"])
    pairs = pd.DataFrame([(f"q{q}", f"c{c}") for q, c in truth], columns=["identity", "pseudonym"])
    queries = sorted(set(pairs["identity"]))
    hits = 0
    for q in queries:
        good = set(pairs.loc[pairs["identity"] == q, "pseudonym"])
        hits += any(r[0] == q and r[1] <= k and r[2] in good for r in rows)
    assert top_k_accuracy(matches, pairs, k) == pytest.approx(hits / len(queries))


KEYS = pd.DataFrame({
    "release": ["gps", "gps", "cdr", "cdr", "cdr", "checkins"],
    "pseudonym": ["ad-1", "ad-2", "sub-1", "sub-2", "sub-3", "@a"],
    "person_id": ["p1", "p2", "p2", "p3", "p1", "p1"],
})
PEOPLE = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "name": ["Ann Lee", "Bo Ray", "Ann Lee"]})


def test_pairs_between_releases():
    """Pseudonyms of two releases pair up when the keys give them one person."""
    pairs = pairs_between(KEYS, "gps", "cdr")
    assert sorted(map(tuple, pairs.values.tolist())) == [("ad-1", "sub-3"), ("ad-2", "sub-1")]
    assert pairs.columns.tolist() == ["pseudonym_a", "pseudonym_b"]
    named = pairs_between(KEYS, "checkins", "gps", columns=("identity", "pseudonym"))
    assert named.values.tolist() == [["@a", "ad-1"]]


def test_pairs_by_name_covers_namesakes():
    """A name pairs with the pseudonyms of everyone who bears it."""
    pairs = pairs_by_name(PEOPLE, KEYS, "cdr")
    assert sorted(map(tuple, pairs.values.tolist())) == [("Ann Lee", "sub-2"), ("Ann Lee", "sub-3"),
                                                        ("Bo Ray", "sub-1")]


def test_unknown_release_is_refused():
    """A release the keys do not hold is named in the error."""
    with pytest.raises(ValueError, match="sightings"):
        pairs_between(KEYS, "gps", "sightings")
    with pytest.raises(ValueError, match="sightings"):
        pairs_by_name(PEOPLE, KEYS, "sightings")
