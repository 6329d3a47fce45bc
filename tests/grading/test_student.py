"""What students run: their own world and the visible checks, with hidden checks left to grading."""

from __future__ import annotations

from lab.grading.student import Exercise, student_world

VISIBLE = {"q1": [">>> n > 0\nTrue", ">>> isinstance(n, int)\nTrue"]}


def exercise():
    return Exercise("tiny", student="s001", seed=3, world={"scenario": "classroom", "population": 60, "days": 3},
                    answers={"q1": ["n"]}, visible=VISIBLE)


def test_the_world_is_the_seeds_and_is_kept():
    """The world has the scenario's size and is built once per seed."""
    e = exercise()
    assert len(e.world().people) == 60 and e.world() is e.world()
    assert e.world() is student_world({"scenario": "classroom", "days": 3, "population": 60}, 3)


def test_check_runs_visible_cases_on_the_callers_names(capsys):
    """check("q1") passes when the caller's n satisfies every visible case."""
    globals()["n"] = 5  # the check reads its caller's globals, as in a notebook
    try:
        assert exercise().check("q1") is True
    finally:
        del globals()["n"]
    out = capsys.readouterr().out
    assert "2 of 2 visible checks passed; hidden checks run when your notebook is graded." in out


def test_check_reports_a_failing_case(capsys):
    """A wrong answer fails the visible case that catches it."""
    globals()["n"] = -1
    try:
        assert exercise().check("q1") is False
    finally:
        del globals()["n"]
    assert "✗ q1, check 1" in capsys.readouterr().out


def test_check_waits_for_an_unset_answer(capsys):
    """An answer left as ... or not defined is "not answered yet", not a failure."""
    assert exercise().check("q1") is False
    assert "not answered yet (set n)" in capsys.readouterr().out


def test_overrides_may_hold_lists_and_sections():
    """Unhashable overrides (a list of releases) are accepted and the world follows them."""
    world = student_world({"scenario": "classroom", "population": 40, "days": 2, "releases": ["gps", "cdr"]}, 1)
    assert len(world.people) == 40 and sorted(world.releases) == ["cdr", "gps"]
