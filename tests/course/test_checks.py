"""Self-checks: right answers tick, unanswered ones wait, wrong ones fail with a reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.course.checks import CheckFailed, check


def test_a_number_within_tolerance_is_right(capsys):
    """A number within the relative tolerance passes and prints a tick."""
    assert check("q1", 0.954, 0.95, rtol=0.01) is True
    assert capsys.readouterr().out == "✓ q1: right\n"


def test_an_unanswered_exercise_returns_false_without_failing(capsys):
    """``...`` is reported as not answered, and the notebook carries on."""
    assert check("q1", ..., 0.95) is False
    assert "not answered yet" in capsys.readouterr().out


def test_a_wrong_number_fails_without_revealing_the_answer():
    """A wrong number raises CheckFailed with the hint, never the expected value."""
    with pytest.raises(CheckFailed, match="Hint: count pseudonyms") as err:
        check("q1", 0.5, 0.9512345, hint="count pseudonyms")
    assert "0.95" not in str(err.value) and "0.5" in str(err.value)


def test_arrays_must_match_in_shape_and_values():
    """Arrays compare element by element; a shape mismatch or one wrong value fails."""
    assert check("q", np.array([1.0, 2.0]), [1.0, 2.0]) is True
    with pytest.raises(CheckFailed, match="shape"):
        check("q", [1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(CheckFailed, match="1 of 2 values are off"):
        check("q", [1.0, 3.0], [1.0, 2.0])


def test_nan_is_never_right_for_a_number():
    """A NaN answer to a numeric question fails."""
    with pytest.raises(CheckFailed, match="NaN"):
        check("q", float("nan"), 0.5)


def test_text_is_not_a_number():
    """A string answer to a numeric question fails with the type named."""
    with pytest.raises(CheckFailed, match="got a str"):
        check("q", "0.5", 0.5)


def test_sets_compare_as_sets():
    """A list with the right elements in any order is right for a set; one element off fails."""
    assert check("q", ["b", "a"], {"a", "b"}) is True
    with pytest.raises(CheckFailed, match="2 element"):
        check("q", {"a", "c"}, {"a", "b"})


def test_frames_compare_columns_and_values():
    """A DataFrame must have the same columns and values within tolerance."""
    want = pd.DataFrame({"p": [1, 2], "share": [0.1, 0.7]})
    assert check("q", want.assign(share=[0.1001, 0.7]), want) is True
    with pytest.raises(CheckFailed, match="columns"):
        check("q", want[["share", "p"]], want)
    with pytest.raises(CheckFailed, match="values differ"):
        check("q", want.assign(share=[0.1, 0.2]), want)
    with pytest.raises(CheckFailed, match="expected a DataFrame"):
        check("q", want["share"], want)


def test_a_predicate_decides():
    """A callable expected value is a predicate on the answer."""
    assert check("q", 7, lambda a: a > 5) is True
    with pytest.raises(CheckFailed, match="property"):
        check("q", 3, lambda a: a > 5)
