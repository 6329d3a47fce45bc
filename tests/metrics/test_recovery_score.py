"""Tests for lab.metrics.recovery_score."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.metrics.recovery_score import overlap_matching, score_recovery


def points(label: str, rows: dict[object, list[int]]) -> pd.DataFrame:
    """A (label, slot, cell) table: each key's list gives its cell in slots 0, 1, 2, ..."""
    return pd.DataFrame([(k, s, c) for k, cells in rows.items() for s, c in enumerate(cells)],
                        columns=[label, "slot", "cell"])


# ------------------------------------------------------------------ the matching


def test_overlap_matching_by_eye():
    """Trajectory 10 shares two slots with a and one with b, 20 the reverse: 10 pairs with a, 20 with b."""
    recovered = points("trajectory", {10: [1, 1, 2], 20: [2, 2, 1]})
    truth = points("pseudonym", {"a": [1, 1, 1], "b": [2, 2, 2]})
    traj, people, overlap, labels, n_points = overlap_matching(recovered, truth)
    assert dict(zip(traj.tolist(), people.tolist())) == {10: "a", 20: "b"}
    assert overlap.tolist() == [2, 2]
    assert labels.tolist() == ["a", "b"] and n_points.tolist() == [3, 3]


@pytest.mark.parametrize("prefer", [{10: "a", 20: "b"}, {10: "b", 20: "a"}])
def test_preference_breaks_ties_only(prefer):
    """Two people and two trajectories all in one cell tie; the preferred pairing is the one chosen."""
    recovered = points("trajectory", {10: [1, 1], 20: [1, 1]})
    truth = points("pseudonym", {"a": [1, 1], "b": [1, 1]})
    traj, people, overlap, _, _ = overlap_matching(recovered, truth, prefer=pd.Series(prefer))
    assert dict(zip(traj.tolist(), people.tolist())) == prefer
    assert overlap.tolist() == [2, 2]


def test_preference_never_lowers_the_overlap():
    """A preference against the best pairing is ignored: the total overlap comes first."""
    recovered = points("trajectory", {10: [1, 1, 2], 20: [2, 2, 1]})
    truth = points("pseudonym", {"a": [1, 1, 1], "b": [2, 2, 2]})
    traj, people, _, _, _ = overlap_matching(recovered, truth, prefer=pd.Series({10: "b", 20: "a"}))
    assert dict(zip(traj.tolist(), people.tolist())) == {10: "a", 20: "b"}


def test_more_people_than_trajectories():
    """One trajectory against three people pairs with the one it overlaps most; every person is still counted."""
    recovered = points("trajectory", {0: [3, 3, 2]})
    truth = points("pseudonym", {"x": [1, 1, 1], "y": [2, 2, 2], "z": [3, 3, 3]})
    traj, people, overlap, labels, n_points = overlap_matching(recovered, truth)
    assert (traj.tolist(), people.tolist(), overlap.tolist()) == ([0], ["z"], [2])
    assert labels.tolist() == ["x", "y", "z"] and n_points.sum() == 9


# ------------------------------------------------------------------ the score


def test_score_of_the_truth_is_perfect():
    """The truth, relabelled, scores 1 everywhere."""
    truth = pd.DataFrame({"pseudonym": ["a"] * 4 + ["b"] * 4, "slot": [0, 1, 2, 3] * 2,
                          "cell": [1, 1, 2, 2, 3, 3, 4, 4]})
    recovered = truth.rename(columns={"pseudonym": "trajectory"}).replace({"trajectory": {"a": 7, "b": 9}})
    score = score_recovery(recovered, truth, slots_per_day=2)
    assert score == {"accuracy": 1.0, "recovered_share": 1.0, "within_day": 1.0, "cross_day": 1.0,
                     "chance": 0.5, "n_people": 2, "n_trajectories": 2, "n_points": 8}


def test_threshold_decides_who_counts_as_recovered():
    """A trajectory with three of a's four points right recovers a at a threshold of 0.75, not at 0.8."""
    truth = points("pseudonym", {"a": [1, 1, 1, 1]})
    recovered = points("trajectory", {0: [1, 1, 1, 2]})
    assert score_recovery(recovered, truth, slots_per_day=4)["accuracy"] == 0.75
    assert score_recovery(recovered, truth, slots_per_day=4)["recovered_share"] == 0.0
    assert score_recovery(recovered, truth, slots_per_day=4, threshold=0.75)["recovered_share"] == 1.0


def test_day_length_is_read_from_the_attack():
    """Without slots_per_day the score uses the one the attack recorded in recovered.attrs."""
    truth = points("pseudonym", {"a": [1, 1, 2, 2]})
    recovered = points("trajectory", {0: [1, 1, 2, 2]})
    recovered.attrs["slots_per_day"] = 2
    assert score_recovery(recovered, truth) == score_recovery(recovered, truth, slots_per_day=2)


def test_one_day_has_no_link_to_score():
    """A single day has no day-to-day link, so cross_day is NaN rather than a made-up number."""
    truth = points("pseudonym", {"a": [1, 2]})
    score = score_recovery(points("trajectory", {0: [1, 2]}), truth, slots_per_day=24)
    assert score["accuracy"] == 1.0 and pd.isna(score["cross_day"])


def test_score_tells_a_wrong_link_from_wrong_tracking():
    """Days tracked right but linked crosswise: within-day 1, cross-day 0, overall one half."""
    truth = pd.DataFrame({"pseudonym": ["a"] * 4 + ["b"] * 4, "slot": [0, 1, 2, 3] * 2,
                          "cell": [1, 1, 1, 1, 2, 2, 2, 2]})
    recovered = pd.DataFrame({"trajectory": [0] * 4 + [1] * 4, "slot": [0, 1, 2, 3] * 2,
                              "cell": [1, 1, 2, 2, 2, 2, 1, 1]})
    score = score_recovery(recovered, truth, slots_per_day=2)
    assert (score["accuracy"], score["within_day"], score["cross_day"]) == (0.5, 1.0, 0.0)
    assert score["recovered_share"] == 0.0


def test_score_needs_the_day_length():
    """Without slots_per_day (given or recorded by the attack) the score refuses."""
    truth = pd.DataFrame({"pseudonym": ["a"], "slot": [0], "cell": [1]})
    with pytest.raises(ValueError, match="slots_per_day"):
        score_recovery(truth.rename(columns={"pseudonym": "trajectory"}), truth)


# ------------------------------------------------------------------ validation

TRUTH = points("pseudonym", {"a": [1, 1]})
RECOVERED = points("trajectory", {0: [1, 1]})


@pytest.mark.parametrize(("recovered", "truth", "kwargs", "message"), [
    (RECOVERED.drop(columns="cell"), TRUTH, {}, "recovered is missing column"),
    (RECOVERED, TRUTH.iloc[:0], {}, "truth is empty"),
    (pd.concat([RECOVERED, RECOVERED]), TRUTH, {}, "more than one cell"),
    (RECOVERED, TRUTH, {"slots_per_day": 0}, "slots_per_day must be a positive whole"),
    (RECOVERED, TRUTH, {"slots_per_day": 2.0}, "slots_per_day must be a positive whole"),
    (RECOVERED, TRUTH, {"threshold": 0}, "threshold must be a share"),
    (RECOVERED, TRUTH, {"threshold": 1.5}, "threshold must be a share"),
])
def test_bad_input_is_refused_by_name(recovered, truth, kwargs, message):
    """Missing columns, empty tables, two cells in one slot and impossible settings are refused in a sentence."""
    with pytest.raises(ValueError, match=message):
        score_recovery(recovered, truth, **{"slots_per_day": 2, **kwargs})


def test_tables_must_be_dataframes():
    """Anything but a DataFrame is a TypeError naming the argument."""
    with pytest.raises(TypeError, match="truth must be a pandas DataFrame"):
        score_recovery(RECOVERED, [("a", 0, 1)], slots_per_day=2)
