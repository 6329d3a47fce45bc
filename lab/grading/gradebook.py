"""The gradebook: one CSV row per roster student, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path

import lab
from lab.grading.exercise import Exercise
from lab.grading.grade import StudentResult
from lab.output import atomic_write

__all__ = ["COLUMNS", "gradebook_rows", "write_gradebook", "cell_text"]

#: The gradebook's fixed columns; one column per question follows.
COLUMNS = ("student_id", "exercise", "score", "max_score", "status", "flags", "runtime_s", "notebook_sha256",
           "lab_version")


def cell_text(value: object) -> str:
    """Text for one CSV cell that a spreadsheet shows and never runs as a formula.

    Examples
    --------
    >>> cell_text("=HYPERLINK(1)"), cell_text("s001")
    ("'=HYPERLINK(1)", 's001')
    """
    text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = text.replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def gradebook_rows(exercise: Exercise, results: Sequence[StudentResult]) -> list[dict[str, str]]:
    """The gradebook's rows, every value as the CSV shows it."""
    rows = []
    for r in results:
        row = {"student_id": cell_text(r.student), "exercise": exercise.name, "score": f"{r.score:g}",
               "max_score": f"{r.max_score:g}", "status": r.status, "flags": cell_text("; ".join(r.flags)),
               "runtime_s": f"{r.runtime_s:.1f}", "notebook_sha256": r.notebook_sha256,
               "lab_version": lab.__version__}
        row.update({q.name: f"{r.questions.get(q.name, 0.0):g}" for q in exercise.questions})
        rows.append(row)
    return rows


def write_gradebook(path: str | os.PathLike, exercise: Exercise, results: Sequence[StudentResult]) -> Path:
    """Write the gradebook CSV at ``path`` atomically (a reader never sees half a file)."""
    columns = [*COLUMNS, *(q.name for q in exercise.questions)]
    with atomic_write(path, option="--out") as tmp, tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(gradebook_rows(exercise, results))
    return Path(path)
