"""`privacy-lab exercises`: list, release, solve and grade end to end, and bad input refused up front."""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest

from lab.cli import main

from .conftest import EXERCISES


@pytest.fixture
def course(tmp_path, key_file):
    """A roster of two and the tiny exercise's folder."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\nS01,Ada\ns02,Bo\n", encoding="utf-8")
    return tmp_path, roster, key_file, ["--exercises", str(EXERCISES)]


def test_list_prints_name_lesson_and_points(capsys):
    """One line per exercise with its lesson and points."""
    assert main(["exercises", "list", "--exercises", str(EXERCISES)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:3] == ["tiny", "00", "3"]


def test_list_reports_a_broken_exercise_and_lists_the_rest(tmp_path, capsys):
    """A malformed exercise is named on stderr with its problem (exit 1); the others are still listed."""
    shutil.copytree(EXERCISES / "tiny", tmp_path / "tiny")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "exercise.toml").write_text('name = "broken"\n')
    assert main(["exercises", "list", "--exercises", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "tiny" in out and "exercise broken cannot be used" in err and "missing 'lesson'" in err


def test_release_writes_one_notebook_per_student(course):
    """OUT/ID/NAME.ipynb for each roster id, each with its own seed and no solution."""
    tmp, roster, key, ex = course
    assert main(["exercises", "release", "tiny", "--roster", str(roster), "--key-file", str(key),
                 "--out", str(tmp / "rel"), *ex]) == 0
    sources = {s: "\n".join(c.source for c in nbformat.read(tmp / "rel" / s / "tiny.ipynb", 4).cells)
               for s in ("s01", "s02")}
    assert sources["s01"] != sources["s02"] and all("len(world.releases" not in t for t in sources.values())


def test_solve_release_and_grade_round_trip(course, capsys):
    """The solution scores full marks, the untouched release scores only what it earns, feedback is written."""
    tmp, roster, key, ex = course
    main(["exercises", "release", "tiny", "--roster", str(roster), "--key-file", str(key), "--out",
          str(tmp / "rel"), *ex])
    (tmp / "subs" / "S01").mkdir(parents=True)
    assert main(["exercises", "solve", "tiny", "--student", "S01", "--key-file", str(key), "--out",
                 str(tmp / "subs" / "S01" / "mine.ipynb"), *ex]) == 0
    shutil.copytree(tmp / "rel" / "s02", tmp / "subs" / "s02")
    assert main(["exercises", "grade", "tiny", str(tmp / "subs"), "--roster", str(roster), "--key-file", str(key),
                 "--out", str(tmp / "gb.csv"), "--feedback", str(tmp / "fb"), "--workers", "2", "-q", *ex]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader((tmp / "gb.csv").open(encoding="utf-8"))}
    assert (rows["s01"]["score"], rows["s01"]["status"]) == ("3", "graded")
    assert (rows["s02"]["score"], rows["s02"]["status"]) == ("0", "graded")
    assert sorted(p.name for p in (tmp / "fb").iterdir()) == ["s01.html", "s02.html"]
    assert "graded 2 students of tiny: 2 graded" in capsys.readouterr().out


@pytest.mark.parametrize(("change", "message"), [
    (lambda t, r, k: k.chmod(0o644), "readable by other users"),
    (lambda t, r, k: k.unlink(), "no such file"),
    (lambda t, r, k: r.write_text("name\nA\n"), "no student_id column"),
    (lambda t, r, k: (t / "gb.csv").mkdir(), "is a directory"),
    (lambda t, r, k: (t / "fb").mkdir() or (t / "fb" / "old.html").write_text("x"), "--feedback"),
    (lambda t, r, k: shutil.rmtree(t / "subs"), "SUBMISSIONS"),
])
def test_grade_refuses_bad_input_before_any_work(course, capsys, change, message):
    """A bad key, roster, output or folder: exit 2, one line naming it, nothing written."""
    tmp, roster, key, ex = course
    (tmp / "subs").mkdir()
    change(tmp, roster, key)
    status = main(["exercises", "grade", "tiny", str(tmp / "subs"), "--roster", str(roster), "--key-file", str(key),
                   "--out", str(tmp / "gb.csv"), "--feedback", str(tmp / "fb"), *ex])
    err = capsys.readouterr().err
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp / "gb.csv").is_file()


def test_unknown_exercise_and_bad_numbers_are_refused(course, capsys):
    """An unknown name lists the known ones; --workers 0 and a negative timeout are refused."""
    tmp, roster, key, ex = course
    assert main(["exercises", "solve", "nope", "--student", "a", "--key-file", str(key), "--out",
                 str(tmp / "a.ipynb"), *ex]) == 2
    assert "available: tiny" in capsys.readouterr().err
    (tmp / "subs").mkdir()
    base = ["exercises", "grade", "tiny", str(tmp / "subs"), "--roster", str(roster), "--key-file", str(key),
            "--out", str(tmp / "gb.csv"), *ex]
    assert main([*base, "--workers", "0"]) == 2 and "--workers must be at least 1" in capsys.readouterr().err
    assert main([*base, "--timeout", "-1"]) == 2 and "--timeout must be a positive" in capsys.readouterr().err


def test_solve_refuses_a_wrong_suffix(course, capsys):
    """The solution must be written to a .ipynb file."""
    tmp, _, key, ex = course
    assert main(["exercises", "solve", "tiny", "--student", "a", "--key-file", str(key), "--out",
                 str(tmp / "a.txt"), *ex]) == 2
    assert ".ipynb" in capsys.readouterr().err
