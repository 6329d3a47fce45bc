"""One feedback page per student: what passed, what failed and why, never a hidden expected value."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from lab.grading.exercise import Exercise
from lab.grading.grade import StudentResult
from lab.output import atomic_directory

__all__ = ["feedback_html", "write_feedback", "STATUS_TEXT"]

#: What each status means, said to the student.
STATUS_TEXT = {
    "graded": "Your notebook ran and your answers were checked.",
    "timeout": "A cell (or the whole notebook) ran out of time; answers that came back were checked, "
               "the rest score nothing.",
    "kernel_died": "Your notebook stopped the Python kernel (it exited or was killed, perhaps for using too "
                   "much memory), so no answer came back.",
    "missing": "No notebook of this exercise was found in your submission.",
    "no_output": "Your notebook ran, but the grader's own cell could not read your answers back (was print, "
                 "globals or json replaced?).",
}

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;color:#222}"
          ".pass{color:#1a7f37}.fail{color:#b42318}pre{background:#f6f8fa;padding:.5em;white-space:pre-wrap}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}")


def feedback_html(exercise: Exercise, result: StudentResult) -> str:
    """The feedback page of one student, as HTML text."""
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{e(exercise.title)}: feedback</title>",
             f"<style>{_STYLE}</style><h1>{e(exercise.title)}</h1>",
             f"<p>Student <b>{e(result.student)}</b> · score <b>{result.score:g} / {result.max_score:g}</b> · "
             f"status <b>{e(result.status)}</b></p><p>{e(STATUS_TEXT[result.status])}</p>"]
    if result.flags:
        parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{e(f)}</li>" for f in result.flags) + "</ul>")
    for q in exercise.questions:
        checks = result.checks.get(q.name, [])
        parts.append(f"<h2>{e(q.name)}: {result.questions.get(q.name, 0):g} / {q.points:g}</h2><table>"
                     "<tr><th>check</th><th>points</th><th>result</th></tr>")
        for i, r in enumerate(checks, 1):
            what = "hidden check" if r.case.hidden else f"<pre>{e(r.case.code)}</pre>"
            css = "pass" if r.passed else "fail"
            parts.append(f"<tr><td>{i}. {what}</td><td>{r.earned:g} / {r.case.points:g}</td>"
                         f"<td class='{css}'><pre>{e(r.message)}</pre></td></tr>")
        parts.append("</table>")
    if result.cell_errors:
        parts.append("<h2>Errors in your cells</h2><ul>"
                     + "".join(f"<li><code>{e(c)}</code></li>" for c in result.cell_errors[:20]) + "</ul>")
    return "".join(parts) + "</html>\n"


def write_feedback(folder: str | os.PathLike, exercise: Exercise, results: Sequence[StudentResult]) -> Path:
    """Write ``folder/STUDENT_ID.html`` for every student, all at once (the folder appears complete)."""
    with atomic_directory(folder, option="--feedback") as tmp:
        for r in results:
            (tmp / f"{r.student}.html").write_text(feedback_html(exercise, r), encoding="utf-8")
    return Path(folder)
