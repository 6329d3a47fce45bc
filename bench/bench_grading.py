"""Grading speed: a class of 30 submissions of one exercise, graded in real, confined kernels.

Writes the reference solution of each of 30 students (their own data) as their submission, grades
the class with `grade_class` (as `privacy-lab exercises grade` does) and prints the wall time, the
time per notebook and the statuses. Target on a 2-core machine: at most 30 s for 30 submissions
(otter-grader took 221 s and nbgrader 30 s for the same count here).

    python bench/bench_grading.py [EXERCISE] [--students N] [--workers N]
"""

from __future__ import annotations

import argparse
import collections
import os
import tempfile
import time
from pathlib import Path

import nbformat

from lab.grading.exercise import load_exercise
from lab.grading.grade import grade_class
from lab.grading.notebook import solution_notebook
from lab.grading.sandbox import landlock_abi
from lab.grading.seeds import student_seed

TARGET_S = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exercise", nargs="?", default="unique_in_the_crowd")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    exercise = load_exercise(args.exercise)
    key = os.urandom(32)
    roster = [f"s{i:03d}" for i in range(args.students)]
    with tempfile.TemporaryDirectory() as tmp:
        for student in roster:
            (Path(tmp) / student).mkdir()
            notebook = solution_notebook(exercise, student, student_seed(key, exercise.name, student))
            nbformat.write(notebook, Path(tmp) / student / f"{exercise.name}.ipynb")
        start = time.perf_counter()
        results = grade_class(exercise, tmp, roster, key, workers=args.workers, confine=landlock_abi() > 0)
        seconds = time.perf_counter() - start
    statuses = collections.Counter(r.status for r in results)
    full = sum(r.score == r.max_score for r in results)
    kernel = sorted(r.runtime_s for r in results)
    print(f"cpus: {os.cpu_count()}, workers: {args.workers or min(8, 2 * (os.cpu_count() or 1))}, "
          f"sandbox: {'Landlock ABI ' + str(landlock_abi()) if landlock_abi() else 'none'}")
    print(f"exercise {exercise.name}: {len(results)} submissions graded in {seconds:.1f} s "
          f"({seconds / len(results):.2f} s per submission; target {TARGET_S:.0f} s for 30: "
          f"{'yes' if seconds * 30 / len(results) <= TARGET_S else 'NO'})")
    print(f"kernel time per notebook: median {kernel[len(kernel) // 2]:.1f} s, max {kernel[-1]:.1f} s")
    print(f"statuses: {dict(statuses)}; full marks: {full} of {len(results)}")


if __name__ == "__main__":
    main()
