"""OK-format checks: Otter's test files load, score by points, and hide what is hidden."""

from __future__ import annotations

import pytest

from lab.errors import InputError
from lab.grading.cases import Case, Question, load_question, names_used, run_cases

QUESTION = Question("q1", (Case(">>> 0 <= eps <= 1\nTrue", False, 0.5),
                           Case(">>> close(eps, expected)\nTrue", True, 1.5)))


def write(tmp_path, body):
    path = tmp_path / "q1.py"
    path.write_text(body, encoding="utf-8")
    return path


def test_an_otter_test_file_loads_with_its_points(tmp_path):
    """Cases keep their own points; without them the test's points are shared equally."""
    path = write(tmp_path, 'OK_FORMAT = True\ntest = {"name": "q1", "points": 3, "suites": [{"cases": ['
                           '{"code": ">>> x\\n1", "hidden": False}, {"code": ">>> x\\n1", "hidden": True, '
                           '"points": 2}, {"code": ">>> x\\n1"}], "type": "doctest"}]}\n')
    question = load_question(path)
    assert [c.points for c in question.cases] == [1.0, 2.0, 1.0] and [c.hidden for c in question.cases] == \
        [False, True, False]


def test_a_visible_case_may_not_read_expected(tmp_path):
    """A visible case that reads the hidden reference is refused at load time."""
    path = write(tmp_path, 'test = {"name": "q1", "suites": [{"cases": [{"code": ">>> a == expected.a\\nTrue"}]}]}')
    with pytest.raises(InputError, match="visible case reads `expected`"):
        load_question(path)


def test_a_file_without_test_is_refused(tmp_path):
    """A file that does not define `test` in the OK format is refused, naming the file."""
    with pytest.raises(InputError, match="not an OK-format test file"):
        load_question(write(tmp_path, "tests = {}\n"))


def test_right_answers_earn_the_points():
    """Both cases pass on a right answer: all points."""
    results = run_cases(QUESTION, {"eps": 0.9, "expected": 0.9})
    assert [r.passed for r in results] == [True, True] and sum(r.earned for r in results) == 2.0


def test_wrong_answers_earn_nothing_and_hidden_failures_say_nothing():
    """A wrong answer fails the hidden case without showing the expected value."""
    results = run_cases(QUESTION, {"eps": 0.5, "expected": 0.912345})
    assert [r.earned for r in results] == [0.5, 0.0]
    assert "0.912345" not in results[1].message and "hidden" in results[1].message


def test_a_visible_failure_shows_what_the_code_gave():
    """A visible case's message shows the doctest's expected and actual output."""
    (result,) = run_cases(QUESTION, {"eps": 7}, hidden=False)
    assert not result.passed and "Expected:" in result.message and "False" in result.message


def test_an_error_in_a_case_fails_it():
    """A case raising (a name not defined) fails, with the exception's last line only."""
    (result,) = run_cases(QUESTION, {}, hidden=False)
    assert not result.passed and "NameError: name 'eps' is not defined" in result.message
    assert "Traceback" not in result.message


def test_names_used_reads_prompt_lines_only():
    """Only the >>> and ... lines count, not the expected output."""
    assert names_used(">>> a + b\n... \nc") == {"a", "b"}
