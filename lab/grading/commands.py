"""``privacy-lab exercises list | release | solve | grade``: the instructor's commands.

Every input is checked before any work starts (the exercise, the roster, the key, the folders);
every output is written whole or not at all.
"""

from __future__ import annotations

import argparse
import collections
import math
import sys
import warnings
from pathlib import Path

import nbformat

from lab.errors import InputError
from lab.output import atomic_directory, atomic_write, check_destination, check_output_dir

__all__ = ["add_exercises_parser"]


def _exercise(args: argparse.Namespace):
    from lab.grading.exercise import load_exercise

    return load_exercise(args.name, args.exercises)


def _cmd_list(args: argparse.Namespace) -> int:
    from lab.grading.exercise import available_exercises, load_exercise

    names = available_exercises(args.exercises)
    print(f"{'exercise':<28}{'lesson':>7}{'points':>8}  title")
    broken = 0
    for name in names:
        try:
            e = load_exercise(name, args.exercises)
        except InputError as exc:
            broken += 1
            print(f"privacy-lab: exercise {name} cannot be used: {exc}", file=sys.stderr)
            continue
        print(f"{name:<28}{e.lesson:>7}{e.points:>8g}  {e.title}")
    return 1 if broken else 0


def _cmd_release(args: argparse.Namespace) -> int:
    from lab.grading.notebook import student_notebook
    from lab.grading.seeds import read_key, read_roster, student_seed

    exercise = _exercise(args)
    roster = read_roster(args.roster)
    key = read_key(args.key_file)
    check_output_dir(args.out, option="--out")
    with atomic_directory(args.out, option="--out") as tmp:
        for student in roster:
            (tmp / student).mkdir()
            notebook = student_notebook(exercise, student, student_seed(key, exercise.name, student))
            nbformat.write(notebook, tmp / student / f"{exercise.name}.ipynb")
    where = Path(args.out) / "STUDENT_ID" / f"{exercise.name}.ipynb"
    print(f"released {exercise.name} to {len(roster)} students in {where}")
    return 0


def _cmd_solve(args: argparse.Namespace) -> int:
    from lab.grading.notebook import solution_notebook
    from lab.grading.seeds import normalise_id, read_key, student_seed

    exercise = _exercise(args)
    student = normalise_id(args.student)
    if not student:
        raise InputError("--student is empty")
    key = read_key(args.key_file)
    check_destination(args.out, option="--out", suffixes=(".ipynb",))
    notebook = solution_notebook(exercise, student, student_seed(key, exercise.name, student))
    with atomic_write(args.out, option="--out") as tmp:
        nbformat.write(notebook, tmp)
    print(f"wrote the solution of {exercise.name} on {student}'s data to {args.out}")
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from lab.grading.feedback import write_feedback
    from lab.grading.grade import grade_class
    from lab.grading.gradebook import write_gradebook
    from lab.grading.run import Limits
    from lab.grading.sandbox import landlock_abi
    from lab.grading.seeds import read_key, read_roster
    from lab.params import LeakWarning
    from lab.progress import steps

    exercise = _exercise(args)
    roster = read_roster(args.roster)
    key = read_key(args.key_file)
    submissions = Path(args.submissions)
    if not submissions.is_dir():
        raise InputError(f"SUBMISSIONS {str(submissions)!r}: no such folder (one folder per student id)")
    for option, value in (("--cell-timeout", args.cell_timeout), ("--timeout", args.timeout),
                          ("--memory-mb", args.memory_mb)):
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"{option} must be a positive number, got {value!r}")
    check_destination(args.out, option="--out", suffixes=(".csv",))
    if args.feedback is not None:
        check_output_dir(args.feedback, option="--feedback")
    confine = landlock_abi() > 0
    if not confine:
        if not args.unconfined:
            raise InputError("this system cannot confine a graded kernel (Linux Landlock, kernel 5.13 or later); "
                             "a submission could read the course key. Grade on Linux, or pass --unconfined to "
                             "accept the risk")
        warnings.warn("grading without a sandbox: submissions can read what you can read", LeakWarning,
                      stacklevel=1)
    limits = Limits(cell_timeout_s=args.cell_timeout, notebook_timeout_s=args.timeout, memory_mb=int(args.memory_mb))
    secret = [Path(args.key_file), Path(args.out).parent if args.out else None, args.feedback, args.roster]
    results = grade_class(exercise, submissions, roster, key, limits=limits, workers=args.workers, confine=confine,
                          secret=[Path(s).resolve() for s in secret if s is not None],
                          progress=None if args.quiet else steps)
    write_gradebook(args.out, exercise, results)
    if args.feedback is not None:
        write_feedback(args.feedback, exercise, results)
    counts = collections.Counter(r.status for r in results)
    flagged = sum(bool(r.flags) for r in results)
    print(f"graded {len(results)} students of {exercise.name}: "
          + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + f"; {flagged} with flags; gradebook {args.out}")
    return 0


def add_exercises_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``exercises`` and its four commands to the ``privacy-lab`` parser."""
    x = sub.add_parser("exercises", help="graded exercises: list, release to a class, solve, grade",
                       description="Graded exercises: each student gets data of their own (from a course key and "
                                   "their id); notebooks run in a confined kernel; a CSV gradebook comes out.")
    xs = x.add_subparsers(dest="action", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser, *, name: bool = True) -> None:
        if name:
            p.add_argument("name", help="the exercise (see `privacy-lab exercises list`)")
        p.add_argument("--exercises", default=None, metavar="DIR",
                       help="folder of exercises (default: the repository's exercises/)")

    ls = xs.add_parser("list", help="one line per exercise: name, lesson, points")
    common(ls, name=False)
    ls.set_defaults(func=_cmd_list)

    key_help = "the course key: a private file of at least 16 random bytes (head -c 32 /dev/urandom > KEY)"
    r = xs.add_parser("release", help="write each roster student's notebook: their data, no solutions",
                      description="Write OUT/STUDENT_ID/NAME.ipynb for every student in the roster.")
    common(r)
    r.add_argument("--roster", required=True, metavar="ROSTER.csv", help="a CSV with a student_id column")
    r.add_argument("--key-file", required=True, metavar="KEY", help=key_help)
    r.add_argument("--out", required=True, metavar="DIR", help="folder to write; must not exist or be empty")
    r.set_defaults(func=_cmd_release)

    s = xs.add_parser("solve", help="the reference solution on one student's data",
                      description="Write the exercise with its solutions on the data of student ID.")
    common(s)
    s.add_argument("--student", required=True, metavar="ID", help="the student's id, as in the roster")
    s.add_argument("--key-file", required=True, metavar="KEY", help=key_help)
    s.add_argument("--out", required=True, metavar="FILE.ipynb", help="notebook to write")
    s.set_defaults(func=_cmd_solve)

    g = xs.add_parser("grade", help="grade every submission into a CSV gradebook",
                      description="Run each student's notebook in a fresh, confined kernel (time and memory "
                                  "limits, no network, no reading outside Python and the lab), check their "
                                  "answers against values computed from their own data, and write one gradebook "
                                  "row per roster student (status graded, timeout, kernel_died, missing or "
                                  "no_output). A submission scores only what the grader's checks confirmed.")
    common(g)
    g.add_argument("submissions", metavar="SUBMISSIONS", help="one folder per student id, any notebook name inside")
    g.add_argument("--roster", required=True, metavar="ROSTER.csv", help="a CSV with a student_id column")
    g.add_argument("--key-file", required=True, metavar="KEY", help=key_help)
    g.add_argument("--out", required=True, metavar="GRADEBOOK.csv", help="CSV to write")
    g.add_argument("--feedback", default=None, metavar="DIR", help="also write DIR/STUDENT_ID.html per student")
    g.add_argument("--workers", type=int, default=None, help="kernels at once (default: twice the CPUs, at most 8)")
    g.add_argument("--cell-timeout", type=float, default=60.0, help="seconds per cell (default: 60)")
    g.add_argument("--timeout", type=float, default=300.0, help="seconds per notebook (default: 300)")
    g.add_argument("--memory-mb", type=float, default=4096, help="memory of each kernel in MiB (default: 4096)")
    g.add_argument("--unconfined", action="store_true",
                   help="grade even where kernels cannot be confined (not Linux): submissions could read the key")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    g.set_defaults(func=_cmd_grade)

