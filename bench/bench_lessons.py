"""How long each lesson takes in a real Jupyter kernel, as a student's "Run all" would.

Executes every notebooks/NN_name.ipynb in a fresh kernel, one after the other, and prints each
lesson's wall time (kernel start to last cell) and the course's total. Targets on a 2-core
machine: each lesson under 60 s, the whole course under 10 minutes.

    python bench/bench_lessons.py [NN ...]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lab.course.execute import execute_notebook

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
LESSON_TARGET_S = 60.0
COURSE_TARGET_S = 600.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lessons", nargs="*", help="lesson numbers to run (default: all)")
    args = parser.parse_args()
    paths = sorted(p for p in FOLDER.glob("[0-9][0-9]_*.ipynb") if not args.lessons or p.name[:2] in args.lessons)
    if not paths:
        parser.error(f"no lesson matches {args.lessons} in {FOLDER}")
    print(f"cpus: {os.cpu_count()}; target {LESSON_TARGET_S:.0f} s per lesson, {COURSE_TARGET_S:.0f} s in all")
    print(f"{'lesson':<34}{'seconds':>9}  within target")
    total, slow = 0.0, []
    for path in paths:
        _, seconds = execute_notebook(path, timeout=600)
        total += seconds
        ok = seconds <= LESSON_TARGET_S
        slow += [] if ok else [path.stem]
        print(f"{path.stem:<34}{seconds:>9.1f}  {'yes' if ok else 'NO'}", flush=True)
    print(f"{'course':<34}{total:>9.1f}  {'yes' if total <= COURSE_TARGET_S and not slow else 'NO'}")
    return 1 if slow or total > COURSE_TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
