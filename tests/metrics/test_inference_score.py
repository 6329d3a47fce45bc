"""Accuracy, coverage and base rate of attribute inferences."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.metrics.inference_score import attribute_accuracy, attribute_truth

PRED = pd.DataFrame({"pseudonym": ["a", "b", "c", "d", "e"], "prediction": ["X", "Y", "Y", None, "X"]})
TRUTH = pd.Series({"a": "X", "b": "Y", "c": "X", "d": "X", "z": "Y"})


def test_attribute_accuracy_by_eye():
    """e has no truth; of a-d, three are covered, two right; X is the covered majority (2 of 3)."""
    r = attribute_accuracy(PRED, TRUTH)
    assert (r["n"], r["covered"], r["majority"]) == (4, 3, "X")
    assert r["coverage"] == pytest.approx(0.75)
    assert r["accuracy"] == pytest.approx(2 / 3)
    assert r["base_rate"] == pytest.approx(2 / 3)
    assert r["lift"] == pytest.approx(1.0)


def test_perfect_inference_lifts_over_the_base_rate():
    """All right on a 3:1 population: accuracy 1, base rate 3/4, lift 4/3."""
    pred = pd.DataFrame({"pseudonym": list("abcd"), "prediction": list("XXXY")})
    r = attribute_accuracy(pred, pd.Series(dict(zip("abcd", "XXXY"))))
    assert (r["accuracy"], r["base_rate"], r["lift"], r["coverage"]) == pytest.approx((1.0, 0.75, 4 / 3, 1.0))


def test_majority_ties_go_to_the_first_class():
    """With one X and one Y, the majority is X and the base rate 1/2."""
    pred = pd.DataFrame({"pseudonym": ["a", "b"], "prediction": ["Y", "Y"]})
    r = attribute_accuracy(pred, pd.Series({"a": "Y", "b": "X"}))
    assert (r["majority"], r["base_rate"], r["accuracy"]) == ("X", 0.5, 0.5)


def test_nothing_covered_gives_nan_ratios():
    """Without a single prediction, coverage is 0 and the ratios are NaN."""
    pred = pd.DataFrame({"pseudonym": ["a"], "prediction": [None]})
    r = attribute_accuracy(pred, pd.Series({"a": "X"}))
    assert r["covered"] == 0 and r["coverage"] == 0.0
    assert math.isnan(r["accuracy"]) and math.isnan(r["base_rate"]) and math.isnan(r["lift"])


def test_validation_errors():
    """Missing columns, a non-Series truth, duplicate truths and no overlap are refused in plain words."""
    with pytest.raises(ValueError, match="prediction"):
        attribute_accuracy(PRED.drop(columns="prediction"), TRUTH)
    with pytest.raises(ValueError, match="Series"):
        attribute_accuracy(PRED, TRUTH.to_frame())
    with pytest.raises(ValueError, match="several values"):
        attribute_accuracy(PRED, pd.concat([TRUTH, TRUTH]))
    with pytest.raises(ValueError, match="nothing to score"):
        attribute_accuracy(PRED, pd.Series({"q": "X"}))


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["X", "Y", "Z", None]), st.sampled_from(["X", "Y", "Z"])),
                     min_size=1, max_size=30))
def test_attribute_accuracy_matches_brute_force(rows):
    """Accuracy, coverage and base rate equal a count by hand."""
    names = [f"u{i}" for i in range(len(rows))]
    pred = pd.DataFrame({"pseudonym": names, "prediction": [p for p, _ in rows]})
    truth = pd.Series({n: t for n, (_, t) in zip(names, rows)})
    r = attribute_accuracy(pred, truth)
    covered = [(p, t) for p, t in rows if p is not None]
    assert r["coverage"] == pytest.approx(len(covered) / len(rows))
    if covered:
        counts = {c: sum(t == c for _, t in covered) for c in "XYZ"}
        assert r["accuracy"] == pytest.approx(sum(p == t for p, t in covered) / len(covered))
        assert r["base_rate"] == pytest.approx(max(counts.values()) / len(covered))
        assert r["majority"] == min(counts, key=lambda c: (-counts[c], c))


def test_attribute_truth_through_the_keys():
    """Each pseudonym of the release gets its person's community."""
    keys = pd.DataFrame({"release": ["gps", "gps", "cdr"], "pseudonym": ["ad-1", "ad-2", "sub-1"],
                         "person_id": ["p1", "p2", "p1"]})
    people = pd.DataFrame({"person_id": ["p1", "p2"], "community": ["Aster", "Brine"]})
    assert attribute_truth(people, keys, "gps").to_dict() == {"ad-1": "Aster", "ad-2": "Brine"}
    with pytest.raises(ValueError, match="no release named 'wifi'"):
        attribute_truth(people, keys, "wifi")
    with pytest.raises(ValueError, match="no column 'religion'"):
        attribute_truth(people, keys, "gps", attribute="religion")
