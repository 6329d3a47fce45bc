"""Answers cross from the student's kernel to the grader as plain JSON, nothing else.

The grader never unpickles or evaluates what a kernel sends: numbers, text, lists, sets, arrays,
Series and DataFrames are written as JSON by :func:`encode` inside the kernel and rebuilt by
:func:`decode` in the grader. Anything else arrives as :class:`Unreadable`, which matches no
expected value.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["encode", "decode", "Unreadable", "MISSING", "export_source", "MAX_ANSWER_CHARS"]

#: The largest answer (as JSON text) the grader accepts; a bigger one arrives as Unreadable.
MAX_ANSWER_CHARS = 2_000_000
#: The most values (numbers, strings, nested items) one answer may hold, and how deep it may nest:
#: a check compares what arrives, so a crafted answer must not cost the grader quadratic time.
MAX_VALUES, MAX_DEPTH = 20_000, 16


@dataclass(frozen=True)
class Unreadable:
    """An answer the grader could not rebuild (its kind is kept for the feedback)."""

    kind: str

    def __repr__(self) -> str:
        return f"<{self.kind}>"


#: A name the student never defined.
MISSING = Unreadable("not defined")


def _plain(value: Any) -> Any:
    """A JSON-ready form of one value."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return {"__ndarray__": [_plain(v) for v in value.tolist()] if value.ndim else _plain(value.item())}
    if isinstance(value, set | frozenset):
        return {"__set__": sorted((_plain(v) for v in value), key=repr)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, pd.Series):
        return {"__series__": {"index": [_plain(v) for v in value.index.tolist()],
                               "values": [_plain(v) for v in value.tolist()], "name": _plain(value.name)}}
    if isinstance(value, pd.DataFrame):
        return {"__frame__": {"columns": [_plain(c) for c in value.columns.tolist()],
                              "index": [_plain(v) for v in value.index.tolist()],
                              "data": [[_plain(v) for v in row] for row in value.itertuples(index=False)]}}
    if isinstance(value, pd.Timestamp):
        return {"__timestamp__": value.isoformat()}
    return {"__unreadable__": type(value).__name__}


def encode(answers: dict[str, Any]) -> str:
    """JSON text of the answers (run inside the kernel).

    Examples
    --------
    >>> encode({"eps4": np.float64(0.93), "ps": {1, 2}})
    '{"eps4": 0.93, "ps": {"__set__": [1, 2]}}'
    """
    return json.dumps({name: _plain(value) for name, value in answers.items()}, allow_nan=False)


class _TooBig(Exception):
    """An answer beyond MAX_VALUES or MAX_DEPTH."""


def _size(value: Any, depth: int = 0) -> int:
    """How many values ``value`` holds, refusing (by raising) past the limits."""
    if depth > MAX_DEPTH:
        raise _TooBig
    if isinstance(value, list):
        total = 1 + sum(_size(v, depth + 1) for v in value)
    elif isinstance(value, dict):
        total = 1 + sum(_size(v, depth + 1) for v in value.values())
    else:
        total = 1
    if total > MAX_VALUES:
        raise _TooBig
    return total


def _rebuild(value: Any) -> Any:
    """The Python value of one JSON value written by :func:`_plain`."""
    if isinstance(value, list):
        return [_rebuild(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        return Unreadable("malformed answer")
    (tag, body), = value.items()
    if tag == "__float__" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "__ndarray__":
        return np.asarray(_rebuild(body))
    if tag == "__set__" and isinstance(body, list):
        try:
            return set(_rebuild(body))
        except TypeError:
            return Unreadable("set of unhashable values")
    if tag == "__dict__" and isinstance(body, list):
        return {_rebuild(k): _rebuild(v) for k, v in body} if all(len(kv) == 2 for kv in body) else \
            Unreadable("malformed dict")
    if tag == "__series__":
        return pd.Series(_rebuild(body["values"]), index=_rebuild(body["index"]), name=_rebuild(body["name"]))
    if tag == "__frame__":
        return pd.DataFrame(_rebuild(body["data"]), columns=_rebuild(body["columns"]), index=_rebuild(body["index"]))
    if tag == "__timestamp__":
        return pd.Timestamp(body)
    if tag == "__unreadable__":
        return Unreadable(str(body)[:80])
    return Unreadable("malformed answer")


def decode(text: str, names: list[str]) -> dict[str, Any]:
    """The answers named ``names`` from the JSON text a kernel printed.

    Anything missing, malformed or oversized becomes an :class:`Unreadable` answer, never an error.

    Examples
    --------
    >>> decode('{"eps4": 0.93, "ps": {"__set__": [1, 2]}}', ["eps4", "ps", "beta"])
    {'eps4': 0.93, 'ps': {1, 2}, 'beta': <not defined>}
    """
    if len(text) > MAX_ANSWER_CHARS * max(len(names), 1):
        return dict.fromkeys(names, Unreadable("answers too large"))
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return dict.fromkeys(names, Unreadable("malformed answers"))
    if not isinstance(raw, dict):
        return dict.fromkeys(names, Unreadable("malformed answers"))
    out: dict[str, Any] = {}
    for name in names:
        if name not in raw:
            out[name] = MISSING
            continue
        try:
            _size(raw[name])
            out[name] = _rebuild(raw[name])
        except _TooBig:
            out[name] = Unreadable("answer too large")
        except (KeyError, TypeError, ValueError, RecursionError):
            out[name] = Unreadable("malformed answer")
    return out


def export_source(names: list[str], marker: str) -> str:
    """The code the grader appends to a submission: print ``marker`` and the named answers as JSON.

    Names the student never defined are left out (and arrive as :data:`MISSING`).
    """
    return ("from lab.grading.answers import encode as __lab_encode\n"
            f"print({marker!r} + __lab_encode({{__n: globals()[__n] for __n in {names!r} if __n in globals()}}))\n")
