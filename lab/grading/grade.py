"""Grade a class: every roster student's submission, scored by the grader's own checks.

For each student the grader finds their notebook, runs it in a confined kernel
(:mod:`lab.grading.run`), computes the reference answers from that student's own seed
(:meth:`lab.grading.exercise.Exercise.expected`) and runs the question's checks on the answers it
received. Nothing the kernel prints counts: a submission scores only what the grader's checks
confirmed (fail closed). An answer that is wrong for its author but right for a classmate's data
is flagged. One bad submission never stops the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lab.grading.answers import Unreadable
from lab.grading.cases import CaseResult, run_cases
from lab.grading.exercise import Exercise, load_exercise
from lab.grading.forkserver import ForkServer
from lab.grading.notebook import MAX_NOTEBOOK_BYTES, find_submission, printable, setup_source
from lab.grading.run import Execution, Limits, kernel_env, run_submission
from lab.grading.seeds import normalise_id, student_seed
from lab.progress import Progress

__all__ = ["StudentResult", "grade_class", "STATUSES"]

#: What the gradebook's status column may say.
STATUSES = ("graded", "timeout", "kernel_died", "missing", "no_output")


@dataclass
class StudentResult:
    """One student's line in the gradebook, and what their feedback page says."""

    student: str
    status: str
    score: float
    max_score: float
    questions: dict[str, float]
    flags: list[str] = field(default_factory=list)
    runtime_s: float = 0.0
    notebook: str = ""
    notebook_sha256: str = ""
    checks: dict[str, list[CaseResult]] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)


def _expected(name: str, root: str, seed: int) -> dict[str, Any]:
    """Reference answers for one seed (run in a worker process)."""
    return load_exercise(name, root).expected(seed)


def _probe(name: str, root: str, seed: int, answers: dict[str, Any]) -> dict[str, Any]:
    """The exercise's own probe of the answers on the student's world (run in a worker process)."""
    exercise = load_exercise(name, root)
    return exercise.reference.probe(exercise.world(seed), answers)


def _code_cells(path: Path) -> list[str]:
    """The sources of a notebook's code cells, read as plain JSON (outputs ignored)."""
    notebook = json.loads(path.read_bytes()[:MAX_NOTEBOOK_BYTES])
    cells = notebook.get("cells", []) if isinstance(notebook, dict) else []
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else str(source))
    return sources


def _score(exercise: Exercise, answers: Mapping[str, Any] | None, expected: Mapping[str, Any],
           probed: Mapping[str, Any] | None = None) -> dict[str, list[CaseResult]]:
    """Every question's checks on ``answers`` (all failed when there are none)."""
    namespace = {**(answers or {}), "expected": SimpleNamespace(**expected),
                 "probed": SimpleNamespace(**(probed or {}))}
    results = {}
    for q in exercise.questions:
        unusable = [f"{n}: {namespace[n].kind}" for n in exercise.answers[q.name]
                    if isinstance(namespace.get(n), Unreadable)]
        if answers is None or unusable:
            why = "; ".join(unusable) if answers is not None else "not run: no answers came back"
            results[q.name] = [CaseResult(c, False, 0.0, why) for c in q.cases]
        else:
            results[q.name] = run_cases(q, namespace)
    return results


def _copies(exercise: Exercise, answers: Mapping[str, Any], own: str,
            expected: Mapping[str, Mapping[str, Any]], checks: Mapping[str, list[CaseResult]]) -> list[str]:
    """Questions whose hidden checks fail on the student's data but pass on a classmate's."""
    flags = []
    for q in exercise.questions:
        hidden = [r for r in checks[q.name] if r.case.hidden and "expected" in r.case.code]
        if not hidden or all(r.passed for r in hidden):
            continue
        for other, values in expected.items():
            if other == own:
                continue
            theirs = run_cases(q, {**answers, "expected": SimpleNamespace(**values)})
            if all(r.passed for r in theirs if r.case.hidden and "expected" in r.case.code):
                flags.append(f"{q.name} matches {other}'s data")
                break
    return flags


def _folders(submissions: Path) -> dict[str, Path | list[Path]]:
    """Submission folders by normalised student id (a list when several names normalise to one id)."""
    found: dict[str, list[Path]] = {}
    for p in sorted(submissions.iterdir()):
        if p.is_dir() and not p.is_symlink():
            found.setdefault(normalise_id(p.name), []).append(p)
    return {student: paths[0] if len(paths) == 1 else paths for student, paths in found.items()}


async def _grade_one(exercise: Exercise, student: str, seed: int, folder: Path | list[Path] | None, limits: Limits,
                     secret: list[Path], confine: bool, gate: asyncio.Semaphore, server: ForkServer | None,
                     pool: ProcessPoolExecutor) -> tuple[str, Execution | None, Path | None, list[str], dict | None]:
    if isinstance(folder, list):
        return student, None, None, [f"{len(folder)} folders name this student; none graded"], None
    path, flags = find_submission(folder, exercise.name) if folder is not None else (None, [])
    if path is None:
        return student, None, None, flags or ["no folder"], None
    try:
        cells = _code_cells(path)
    except (OSError, ValueError, RecursionError):
        return student, None, path, [*flags, f"unreadable notebook {printable(path.name)}"], None
    try:
        async with gate:
            execution = await run_submission(cells, exercise.answer_names, limits=limits, secret=secret,
                                             setup=[setup_source(exercise, student, seed)], confine=confine,
                                             forkserver=server)
        probed = None
        if execution.answers is not None and exercise.probes:
            probed = await asyncio.get_running_loop().run_in_executor(
                pool, _probe, exercise.name, str(exercise.folder.parent), seed, execution.answers)
    except Exception as exc:
        execution = Execution("no_output", None, 0.0, [], [f"grading failed: {type(exc).__name__}"])
        probed = None
    return student, execution, path, flags, probed


def grade_class(exercise: Exercise, submissions: str | os.PathLike, roster: Iterable[str], key: bytes, *,
                limits: Limits | None = None, workers: int | None = None, secret: Iterable[str | os.PathLike] = (),
                confine: bool = True, progress: Progress | None = None) -> list[StudentResult]:
    """Grade every roster student's submission of ``exercise``.

    Parameters
    ----------
    exercise : Exercise
    submissions : path
        One folder per student id holding the notebook they handed in (any file name).
    roster : iterable of str
        Normalised student ids; the gradebook has one row per id, in this order.
    key : bytes
        The course key (seeds come from it; it never reaches a kernel).
    limits : Limits, optional
        Time and memory per submission (default: :class:`Limits`).
    workers : int, optional
        Kernels running at once (default: twice the CPUs, at most 8).
    secret : iterable of path
        Paths no kernel may read besides the submissions and the exercises (the key file, the outputs).
    confine : bool
        Confine kernels with Landlock.
    progress : Progress, optional

    Returns
    -------
    list of StudentResult
    """
    roster = list(roster)
    limits = limits or Limits()
    submissions = Path(submissions)
    workers = workers or min(8, 2 * (os.cpu_count() or 1))
    seeds = {s: student_seed(key, exercise.name, s) for s in roster}
    folders = _folders(submissions)
    hidden_from_kernels = [submissions.resolve(), exercise.folder.parent.resolve(), *(Path(s) for s in secret)]
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=max(1, min(workers, os.cpu_count() or 1))))
        futures = {s: pool.submit(_expected, exercise.name, str(exercise.folder.parent), seeds[s]) for s in roster}
        server = None
        if hasattr(os, "pidfd_open"):  # Linux: fork kernels from one process that did the imports
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lab-grade-")))
            server = stack.enter_context(ForkServer(kernel_env(home)))
        runs = asyncio.run(_run_all(exercise, roster, seeds, folders, limits, hidden_from_kernels, confine, workers,
                                    server, pool, progress))
        expected = {s: f.result() for s, f in futures.items()}
    return [_result(exercise, s, runs[s], expected) for s in roster]


async def _run_all(exercise: Exercise, roster: list[str], seeds: dict[str, int], folders: dict[str, Path],
                   limits: Limits, secret: list[Path], confine: bool, workers: int, server: ForkServer | None,
                   pool: ProcessPoolExecutor, progress: Progress | None) -> dict[str, tuple]:
    gate = asyncio.Semaphore(workers)
    tasks = [asyncio.ensure_future(_grade_one(exercise, s, seeds[s], folders.get(s), limits, secret, confine, gate,
                                              server, pool))
             for s in roster]
    done = asyncio.as_completed(tasks)
    if progress is not None:
        done = progress(done, total=len(tasks), desc=f"grading {exercise.name}", unit="notebook")
    runs = {}
    for next_done in done:
        student, execution, path, flags, probed = await next_done
        runs[student] = (execution, path, flags, probed)
    return runs


def _result(exercise: Exercise, student: str, run: tuple, expected: Mapping[str, Mapping[str, Any]]) -> StudentResult:
    execution, path, flags, probed = run
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path is not None and path.is_file() else ""
    if execution is None:
        checks = _score(exercise, None, {})
        return StudentResult(student, "missing", 0.0, exercise.points, dict.fromkeys(checks, 0.0), flags, 0.0,
                             printable(path.name) if path else "", sha, checks)
    checks = _score(exercise, execution.answers, expected[student], probed)
    flags = [*flags, *execution.flags]
    if execution.answers is not None:
        flags += _copies(exercise, execution.answers, student, expected, checks)
    questions = {q: float(sum(r.earned for r in rs)) for q, rs in checks.items()}
    return StudentResult(student, execution.status, float(sum(questions.values())), exercise.points, questions,
                         flags, execution.runtime_s, printable(path.name), sha, checks, execution.cell_errors)
