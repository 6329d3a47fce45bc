"""Every exercise in exercises/ releases, solves and grades end to end in real kernels.

The reference solution on a student's own data scores full marks; the untouched student version
scores nothing; the student version holds no solution; answers differ between students' towns.
"""

from __future__ import annotations

import nbformat
import pytest

from lab.grading.exercise import available_exercises, load_exercise
from lab.grading.grade import grade_class
from lab.grading.notebook import solution_notebook, student_notebook
from lab.grading.run import Limits
from lab.grading.sandbox import landlock_abi
from lab.grading.seeds import student_seed

from .conftest import require

KEY = b"exercise-suite-key-0123456789abcdef"
NAMES = available_exercises()


def test_each_lesson_has_its_exercise():
    """Lessons 01–10 each have an exercise."""
    lessons = {load_exercise(n).lesson for n in NAMES}
    assert {f"{n:02d}" for n in range(1, 11)} <= lessons


@pytest.mark.parametrize("name", NAMES)
def test_answers_differ_between_students(name):
    """At least two answers the hidden checks compare differ between two students' towns."""
    exercise = load_exercise(name)
    a, b = (exercise.expected(student_seed(KEY, name, s)) for s in ("s1", "s2"))
    differ = [n for n in a if repr(a[n]) != repr(b[n])]
    assert len(differ) >= 2, differ


@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_marks_and_the_release_nothing(name, tmp_path):
    """Graded in a real kernel: s1's solution earns every point; s2's untouched notebook earns none."""
    exercise = load_exercise(name)
    if exercise.probes:  # the probe starts a PostgreSQL server in the grader
        from lab.db.binaries import PostgresMissing, find_bin

        try:
            find_bin()
        except PostgresMissing as exc:
            require(False, f"grading {name} starts a PostgreSQL server: {exc}")
    for student, build in (("s1", solution_notebook), ("s2", student_notebook)):
        (tmp_path / student).mkdir()
        nbformat.write(build(exercise, student, student_seed(KEY, name, student)), tmp_path / student / "x.ipynb")
    released = "\n".join(c.source for c in student_notebook(exercise, "s2", 1).cells)
    assert "SOLUTION" not in released
    results = {r.student: r for r in grade_class(exercise, tmp_path, ["s1", "s2"], KEY, workers=2,
                                                 confine=landlock_abi() > 0,
                                                 limits=Limits(cell_timeout_s=120, notebook_timeout_s=300))}
    assert (results["s1"].status, results["s1"].score) == ("graded", exercise.points), results["s1"].checks
    assert (results["s2"].status, results["s2"].score) == ("graded", 0.0)
