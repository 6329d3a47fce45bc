"""Checks in Otter-Grader's OK format, run by the grader on answers it received as data.

A question's file ``tests/q1.py`` holds one dict named ``test``::

    test = {"name": "q1", "points": 2, "suites": [{"type": "doctest", "scored": True, "setup": "",
            "teardown": "", "cases": [
                {"code": ">>> 0 <= eps4 <= 1\\nTrue", "hidden": False, "points": 1},
                {"code": ">>> close(eps4, expected.eps4)\\nTrue", "hidden": True, "points": 1}]}]}

as Otter writes it, so an instructor can move exercises between the two. Visible cases run in the
student's notebook (``check("q1")``) and may use only the student's names; hidden cases run in the
grader, where ``expected`` holds the values the reference computes from that student's own data.

References
----------
.. [1] Otter-Grader, "Test Files", https://otter-grader.readthedocs.io/en/latest/test_files/
"""

from __future__ import annotations

import ast
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lab.course.checks import matches
from lab.errors import InputError

__all__ = ["Case", "Question", "CaseResult", "load_question", "run_cases", "helpers", "names_used"]


@dataclass(frozen=True)
class Case:
    """One doctest case: its code, whether students can see it, its points."""

    code: str
    hidden: bool
    points: float


@dataclass(frozen=True)
class Question:
    """One graded question: its name, its cases and their points."""

    name: str
    cases: tuple[Case, ...]

    @property
    def points(self) -> float:
        return float(sum(c.points for c in self.cases))

    @property
    def visible(self) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if not c.hidden)


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case: passed or not, points earned, and what a student may be told."""

    case: Case
    passed: bool
    earned: float
    message: str


def names_used(code: str) -> set[str]:
    """The names a doctest case's source reads and does not bind itself (its ``>>>`` and ``...`` lines)."""
    source = "\n".join(line[4:] for line in code.splitlines() if line.startswith((">>> ", "... ")))
    nodes = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)]
    return {n.id for n in nodes if isinstance(n.ctx, ast.Load)} - {n.id for n in nodes if isinstance(n.ctx, ast.Store)}


def load_question(path: str | Path) -> Question:
    """Read one OK-format test file, checking its shape before any grading.

    Points: a case's own ``points``, else the test's ``points`` shared equally among its cases.

    Raises
    ------
    InputError
        The file does not define ``test`` as the format asks, names no case, or has a visible case
        that reads ``expected`` (which only the grader has).
    """
    path = Path(path)
    namespace: dict[str, Any] = {}
    try:
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
        test = namespace["test"]
        cases = [c for suite in test["suites"] for c in suite["cases"]]
        share = float(test.get("points", len(cases))) / max(len(cases), 1)
        question = Question(str(test["name"]), tuple(
            Case(str(c["code"]), bool(c.get("hidden", False)), float(c.get("points", share))) for c in cases))
    except (OSError, SyntaxError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not an OK-format test file ({type(exc).__name__}: {exc})") from None
    if not question.cases:
        raise InputError(f"{path}: the test {question.name!r} has no case")
    for case in question.visible:
        if {"expected", "probed"} & names_used(case.code):
            raise InputError(f"{path}: a visible case reads `expected` or `probed`, which students do not have: "
                             f"{case.code!r}")
    return question


def helpers() -> dict[str, Any]:
    """What every case may use besides the answers: ``close``, ``np`` and ``pd``."""
    return {"close": matches, "np": np, "pd": pd}


def run_cases(question: Question, namespace: Mapping[str, Any], *, hidden: bool = True) -> list[CaseResult]:
    """Run a question's cases in a copy of ``namespace``; hidden ones only when ``hidden``.

    A case passes when its doctest output matches; an exception fails it. The message says what
    the code printed for a visible case, and only "failed" for a hidden one.
    """
    # Imported here, not with the module: doctest brings in pdb, and a kernel forked from a process
    # that imported pdb before IPython set its debugger up breaks doctest's output redirection.
    import doctest

    results = []
    for case in question.cases:
        if case.hidden and not hidden:
            continue
        globs = {**helpers(), **namespace}
        test = doctest.DocTestParser().get_doctest(case.code, globs, question.name, None, 0)
        out = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        try:
            outcome = runner.run(test, out=out.write, clear_globs=False)
            passed = outcome.failed == 0 and outcome.attempted > 0
        except Exception as exc:
            passed, out = False, io.StringIO(f"{type(exc).__name__}: {exc}")
        if passed:
            message = "passed"
        elif case.hidden:
            message = "failed (a hidden check: it compares your answer with the value your data gives)"
        else:
            message = "failed:\n" + _short(out.getvalue())
        results.append(CaseResult(case, passed, case.points if passed else 0.0, message))
    return results


def _short(report: str, limit: int = 1500) -> str:
    """Doctest's report without its banner lines or traceback frames, cut to ``limit`` characters."""
    lines = [line for line in report.splitlines() if not set(line) <= {"*"} and not line.startswith("File ")]
    if "Exception raised:" in lines:
        cut = lines.index("Exception raised:")
        lines = [*lines[: cut + 1], "    " + lines[-1].strip()]
    text = "\n".join(lines).strip()
    return text if len(text) <= limit else text[:limit] + " …"
