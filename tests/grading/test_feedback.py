"""Feedback pages: what passed and failed, escaped, and never a hidden expected value."""

from __future__ import annotations

from lab.grading.cases import run_cases
from lab.grading.feedback import STATUS_TEXT, feedback_html, write_feedback
from lab.grading.grade import STATUSES, StudentResult


def result(tiny, **answers):
    namespace = {"n_people": 60, "gps_rows": 5, **answers, "expected": type("E", (), {"n_people": 60,
                                                                                       "gps_rows": 987654})}
    checks = {q.name: run_cases(q, namespace) for q in tiny.questions}
    scores = {q: sum(r.earned for r in rs) for q, rs in checks.items()}
    return StudentResult("s<01>", "graded", sum(scores.values()), tiny.points, scores, ["<b>flag</b>"], 1.0,
                         "tiny.ipynb", "", checks, ["cell 2: NameError: name 'x' is not defined"])


def test_the_page_shows_scores_checks_and_errors(tiny):
    """Score per question, each check's result, the flags and the student's cell errors."""
    page = feedback_html(tiny, result(tiny))
    assert "score <b>1.5 / 3</b>" in page and "q1: 1 / 1" in page and "q2: 0.5 / 2" in page
    assert "hidden check" in page and "NameError" in page and STATUS_TEXT["graded"] in page


def test_hidden_expected_values_never_appear(tiny):
    """The value a hidden check compared against is not on the page."""
    assert "987654" not in feedback_html(tiny, result(tiny))


def test_text_from_submissions_is_escaped(tiny):
    """Ids, flags and messages are HTML-escaped."""
    page = feedback_html(tiny, result(tiny))
    assert "s&lt;01&gt;" in page and "&lt;b&gt;flag&lt;/b&gt;" in page and "<b>flag</b>" not in page


def test_every_status_is_explained():
    """Each gradebook status has a sentence for the student."""
    assert set(STATUS_TEXT) == set(STATUSES)


def test_one_page_per_student_written_at_once(tmp_path, tiny):
    """The folder appears with one HTML page per student."""
    write_feedback(tmp_path / "fb", tiny, [result(tiny)])
    assert [p.name for p in (tmp_path / "fb").iterdir()] == ["s<01>.html"]
