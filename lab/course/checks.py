"""Self-checks a student runs on a "your turn" answer.

An answer left as ``...`` is reported as not answered (the lesson still runs top to bottom); a
right answer prints a tick; a wrong one raises :class:`CheckFailed` with what was wrong and a hint,
so "Run all" stops where the student has work to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CheckFailed", "check", "matches"]


class CheckFailed(AssertionError):
    """A "your turn" answer does not match what the data gives."""


def check(name: str, answer: Any, expected: Any, *, rtol: float = 0.01, atol: float = 0.0,
          hint: str | None = None) -> bool:
    """Compare a student's answer with the value computed from the data.

    Parameters
    ----------
    name : str
        The exercise, as the lesson names it ("q1", "unicity at p = 6").
    answer : object
        The student's answer; ``...`` (Ellipsis) means not answered yet.
    expected : object or callable
        The reference value (number, array, Series, DataFrame, set, string), or a predicate
        ``expected(answer) -> bool`` for answers with more than one right form.
    rtol, atol : float
        Tolerances for numbers (relative, absolute), as in :func:`numpy.isclose`.
    hint : str, optional
        Said when the answer is wrong.

    Returns
    -------
    bool
        True when right, False when not answered yet.

    Raises
    ------
    CheckFailed
        When the answer is wrong; the message says how, never the expected value.

    Examples
    --------
    >>> check("q1", 0.5012, 0.5)
    ✓ q1: right
    True
    >>> check("q1", ..., 0.5)
    … q1: not answered yet (replace the ... with your code)
    False
    """
    if answer is Ellipsis:
        print(f"… {name}: not answered yet (replace the ... with your code)")
        return False
    problem = _problem(answer, expected, rtol=rtol, atol=atol)
    if problem is None:
        print(f"✓ {name}: right")
        return True
    raise CheckFailed(f"✗ {name}: {problem}" + (f". Hint: {hint}" if hint else ""))


def matches(answer: Any, expected: Any, *, rtol: float = 0.01, atol: float = 0.0) -> bool:
    """Whether ``answer`` matches ``expected`` under the rules of :func:`check` (no printing).

    Examples
    --------
    >>> matches([1.0, 2.0], [1.0, 2.01]), matches({"a"}, {"b"})
    (True, False)
    """
    return answer is not Ellipsis and _problem(answer, expected, rtol=rtol, atol=atol) is None


def _problem(answer: Any, expected: Any, *, rtol: float, atol: float) -> str | None:
    """What is wrong with ``answer``, or None when it matches ``expected``."""
    if callable(expected) and not isinstance(expected, pd.DataFrame | pd.Series | np.ndarray):
        predicate: Callable[[Any], bool] = expected
        return None if predicate(answer) else "the answer does not have the expected property"
    if isinstance(expected, pd.DataFrame | pd.Series):
        return _frame_problem(answer, expected, rtol=rtol, atol=atol)
    if isinstance(expected, set | frozenset | str | bool | np.bool_):
        if type(answer) is not type(expected) and not isinstance(expected, set | frozenset):
            return f"expected a {type(expected).__name__}, got a {type(answer).__name__}"
        if isinstance(expected, set | frozenset):
            answer = set(answer) if isinstance(answer, list | tuple | set | frozenset | pd.Index) else answer
            if not isinstance(answer, set):
                return f"expected a set, got a {type(answer).__name__}"
            return None if answer == expected else f"{len(answer ^ expected)} element(s) differ"
        return None if answer == expected else "not the expected value"
    return _numeric_problem(answer, expected, rtol=rtol, atol=atol)


def _numeric_problem(answer: Any, expected: Any, *, rtol: float, atol: float) -> str | None:
    """Compare numbers or arrays of numbers."""
    if isinstance(answer, str | bytes):
        return f"expected a number or numbers, got a {type(answer).__name__}"
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"expected a number or numbers, got a {type(answer).__name__}"
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        return f"expected shape {want.shape}, got {got.shape}"
    if np.isnan(got).any() and not np.isnan(want).any():
        return "the answer holds NaN"
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if got.ndim == 0:
        return f"{float(got):.6g} is not within {rtol:.0%} of the value the data gives"
    return f"{int((~close).sum())} of {close.size} values are off"


def _frame_problem(answer: Any, expected: pd.DataFrame | pd.Series, *, rtol: float, atol: float) -> str | None:
    """Compare tables: same kind, same labels, values within tolerance."""
    if not isinstance(answer, type(expected)):
        return f"expected a {type(expected).__name__}, got a {type(answer).__name__}"
    if isinstance(expected, pd.DataFrame) and list(answer.columns) != list(expected.columns):
        return f"expected the columns {list(expected.columns)}, got {list(answer.columns)}"
    if len(answer) != len(expected):
        return f"expected {len(expected)} rows, got {len(answer)}"
    try:
        same = pd.testing.assert_frame_equal if isinstance(expected, pd.DataFrame) else pd.testing.assert_series_equal
        same(answer, expected, check_dtype=False, check_names=False, rtol=rtol, atol=atol)
    except AssertionError as err:
        return "the values differ: " + str(err).splitlines()[0]
    return None
