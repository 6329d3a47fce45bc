"""Answers travel as JSON: every kind a lesson uses comes back equal, anything else as Unreadable."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.grading.answers import MISSING, Unreadable, decode, encode, export_source


def roundtrip(value):
    return decode(encode({"a": value}), ["a"])["a"]


def test_numbers_text_and_containers_come_back_equal():
    """Ints, floats, text, lists, tuples, dicts and sets survive the trip."""
    assert roundtrip(np.int64(3)) == 3 and roundtrip(0.25) == 0.25 and roundtrip("x") == "x"
    assert roundtrip([1, (2, 3)]) == [1, [2, 3]] and roundtrip({"k": 1, 2: "v"}) == {"k": 1, 2: "v"}
    assert roundtrip({1, 2}) == {1, 2} and roundtrip(None) is None and roundtrip(np.bool_(True)) is True


def test_non_finite_floats_survive():
    """NaN and infinities are written without breaking JSON and come back."""
    assert np.isnan(roundtrip(float("nan"))) and roundtrip(float("-inf")) == float("-inf")


def test_arrays_series_and_frames_come_back_equal():
    """Arrays, Series and DataFrames keep their values, index and columns."""
    np.testing.assert_array_equal(roundtrip(np.array([[1, 2], [3, 4]])), [[1, 2], [3, 4]])
    s = pd.Series([0.1, 0.2], index=["a", "b"], name="share")
    pd.testing.assert_series_equal(roundtrip(s), s)
    df = pd.DataFrame({"p": [1, 2], "share": [0.5, 0.9]})
    pd.testing.assert_frame_equal(roundtrip(df), df)


def test_other_objects_arrive_unreadable():
    """An object of another kind becomes Unreadable, named by its type."""
    assert roundtrip(object()) == Unreadable("object")


def test_missing_malformed_and_oversized_answers_never_raise():
    """A name never defined, broken JSON or a huge payload give Unreadable values, not errors."""
    assert decode("{}", ["a"]) == {"a": MISSING}
    assert decode("not json", ["a"])["a"] == Unreadable("malformed answers")
    assert decode('{"a": {"__frame__": 1}}', ["a"])["a"] == Unreadable("malformed answer")
    assert decode('"' + "x" * 3_000_000 + '"', ["a"])["a"] == Unreadable("answers too large")


def test_export_cell_prints_marker_and_defined_names():
    """The grader's cell prints its marker and the JSON of the names that exist."""
    namespace: dict = {"a": 2}
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(export_source(["a", "b"], "M:"), namespace)
    assert out.getvalue() == 'M:{"a": 2}\n'


def test_deep_or_huge_answers_arrive_unreadable_quickly():
    """Nesting past the limit, or more values than allowed, never reach a check (no recursion, no hash storm)."""
    import time

    from lab.grading.answers import MAX_DEPTH, MAX_VALUES

    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    assert decode('{"a": ' + deep + "}", ["a"])["a"] == Unreadable("answer too large")
    assert decode("[" * 100_000 + "]" * 100_000, ["a"])["a"] == Unreadable("malformed answers")
    colliding = [k * (2 ** 61 - 1) for k in range(1, MAX_VALUES + 2)]  # ints that all hash alike
    start = time.perf_counter()
    assert decode(encode({"a": set(colliding[:50])}), ["a"])["a"] == set(colliding[:50])
    import json

    assert decode(json.dumps({"a": {"__set__": colliding}}), ["a"])["a"] == Unreadable("answer too large")
    assert time.perf_counter() - start < 5
