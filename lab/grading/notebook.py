"""From the master notebook to a student's notebook (or its solution), and back to a submission.

The release replaces the master's ``setup`` cell with the student's own seed, world and visible
checks, and removes the solutions (Otter's markers). Grading finds a student's notebook by what it
holds, not by its file name.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jupytext
import nbformat

import lab
from lab.errors import InputError
from lab.grading.exercise import Exercise

__all__ = ["strip_solutions", "setup_source", "student_notebook", "solution_notebook", "find_submission",
           "MAX_NOTEBOOK_BYTES"]

_BEGIN, _END = re.compile(r"^\s*# BEGIN SOLUTION\s*$"), re.compile(r"^\s*# END SOLUTION\s*$")
_LINE = re.compile(r"^(?P<lhs>\s*[\w.\[\]'\", ]+?\s*=)\s*.*#\s*SOLUTION\s*$")

#: The largest file taken for a notebook when grading (bigger ones are not read).
MAX_NOTEBOOK_BYTES = 50_000_000
#: How deep a student's folder is searched, and how many notebooks are looked at.
MAX_DEPTH, MAX_NOTEBOOKS = 8, 200


def printable(name: str) -> str:
    r"""A file name as text that any file can hold (undecodable bytes escaped).

    Examples
    --------
    >>> printable("caf\udce9.ipynb")
    'caf\\xe9.ipynb'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def strip_solutions(source: str, *, keep: bool = False) -> str:
    """Replace each solution block by ``...`` (or, with ``keep``, only drop the markers).

    A block between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes one ``...`` line at the
    block's indentation; a line ``x = f(y)  # SOLUTION`` becomes ``x = ...``.

    Examples
    --------
    >>> print(strip_solutions("a = 1\\n# BEGIN SOLUTION\\nb = a + 1\\n# END SOLUTION\\nc = 3  # SOLUTION"))
    a = 1
    ...
    c = ...
    >>> print(strip_solutions("b = 2  # SOLUTION", keep=True))
    b = 2
    """
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        if _BEGIN.match(line):
            if inside:
                raise InputError("a # BEGIN SOLUTION inside another solution block")
            inside = True
            if not keep:
                out.append(line[: len(line) - len(line.lstrip())] + "...")
        elif _END.match(line):
            if not inside:
                raise InputError("a # END SOLUTION without its # BEGIN SOLUTION")
            inside = False
        elif inside:
            if keep:
                out.append(line)
        elif (m := _LINE.match(line)) is not None:
            out.append(f"{m['lhs']} ..." if not keep else re.sub(r"\s*#\s*SOLUTION\s*$", "", line))
        else:
            out.append(line)
    if inside:
        raise InputError("a # BEGIN SOLUTION without its # END SOLUTION")
    return "\n".join(out)


def setup_source(exercise: Exercise, student: str, seed: int) -> str:
    """The code of a student's setup cell: their seed, world and visible checks (never the key)."""
    visible = {q.name: [c.code for c in q.visible] for q in exercise.questions}
    return ("# Your own data, made for you from your student id. Do not edit this cell.\n"
            "from lab.grading.student import Exercise\n\n"
            f"exercise = Exercise(name={exercise.name!r}, student={student!r}, seed={seed},\n"
            f"                    world={exercise.world_spec!r},\n"
            f"                    answers={json.dumps({q: list(v) for q, v in exercise.answers.items()})},\n"
            f"                    visible={json.dumps(visible, ensure_ascii=False, indent=4)})\n"
            "world = exercise.world()\n"
            "check = exercise.check")


def _build(exercise: Exercise, student: str, seed: int, *, solutions: bool) -> nbformat.NotebookNode:
    master = jupytext.read(exercise.master, fmt="py:percent")
    setups = [c for c in master.cells if "setup" in c.metadata.get("tags", [])]
    if len(setups) != 1 or setups[0].cell_type != "code":
        raise InputError(f"{exercise.master}: needs exactly one code cell tagged setup (found {len(setups)})")
    cells = []
    for cell in master.cells:
        if "setup" in cell.metadata.get("tags", []):
            cell = nbformat.v4.new_code_cell(setup_source(exercise, student, seed), metadata={"tags": ["setup"]})
        elif cell.cell_type == "code":
            try:
                source = strip_solutions(cell.source, keep=solutions)
            except InputError as exc:
                raise InputError(f"{exercise.master}: {exc}") from None
            cell = nbformat.v4.new_code_cell(source, metadata=dict(cell.metadata))
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"},
                         "privacy_lab": {"exercise": exercise.name, "student": student, "lab_version": lab.__version__}}
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"{exercise.name[:40]}-{i}"
    return notebook


def student_notebook(exercise: Exercise, student: str, seed: int) -> nbformat.NotebookNode:
    """The notebook a student receives: their data, the visible checks, no solution."""
    return _build(exercise, student, seed, solutions=False)


def solution_notebook(exercise: Exercise, student: str, seed: int) -> nbformat.NotebookNode:
    """The reference solution on one student's data (for instructors and for testing the grader)."""
    return _build(exercise, student, seed, solutions=True)


def _holds_exercise(path: Path, name: str) -> bool | None:
    """Whether the notebook at ``path`` is this exercise's (None when it cannot be read)."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if notebook.get("metadata", {}).get("privacy_lab", {}).get("exercise") == name:
            return True
        sources = ("".join(c.get("source", "")) for c in notebook.get("cells", []) if isinstance(c, dict))
        return any(f"Exercise(name={name!r}" in s for s in sources)
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):
        return None


def find_submission(folder: Path, name: str) -> tuple[Path | None, list[str]]:
    """The notebook a student handed in for exercise ``name``, whatever its file name.

    Looks at every ``.ipynb`` under ``folder`` (checkpoints aside) and takes one that holds the
    exercise (by its metadata or its setup cell); among several, the last modified.

    Returns
    -------
    path : pathlib.Path or None
        None when there is none to grade.
    flags : list of str
        What the gradebook should say about the choice (renamed, several, unreadable).
    """
    if not folder.is_dir():
        return None, []
    found = []
    for top, dirs, files in os.walk(folder):  # symbolic links are not followed
        depth = len(Path(top).relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints") if depth < MAX_DEPTH else []
        found += [Path(top) / f for f in files if f.endswith(".ipynb") and (Path(top) / f).is_file()
                  and not (Path(top) / f).is_symlink()]
    found = sorted(found)[:MAX_NOTEBOOKS]
    verdicts = {p: _holds_exercise(p, name) for p in found}
    flags = [f"unreadable notebook {printable(p.name)}" for p, v in verdicts.items() if v is None]
    ours = [p for p, v in verdicts.items() if v]
    if not ours:
        return None, flags + (["no notebook of this exercise"] if found else [])
    if len(ours) > 1:
        flags.append(f"{len(ours)} notebooks of this exercise; graded the last modified")
    chosen = max(ours, key=lambda p: (p.stat().st_mtime_ns, p.name))
    if chosen.name != f"{name}.ipynb":
        flags.append(f"renamed to {printable(chosen.name)}")
    return chosen, flags
