"""Tests for lab.progress: steps shown on stderr, never on stdout, and none when switched off."""

from __future__ import annotations

from lab.progress import Progress, steps


def test_steps_yield_the_items_unchanged(capsys):
    """Wrapping an iterable gives back the same items in the same order."""
    assert list(steps(iter("abc"), total=3, desc="letters")) == ["a", "b", "c"]
    assert capsys.readouterr().out == ""


def test_steps_show_count_description_and_label_on_stderr(capsys):
    """The bar names the work, counts the steps done out of the total and labels the current step."""
    for _ in steps([1, 2, 3], total=3, desc="risk cdr", unit="step", label=lambda x: f"unicity p={x}"):
        pass
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "risk cdr" in captured.err and "3/3" in captured.err and "unicity p=3" in captured.err


def test_steps_disabled_are_silent(capsys):
    """With enabled=False (-q) nothing is written anywhere."""
    assert sum(steps(range(5), total=5, desc="quiet", enabled=False)) == 10
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_steps_is_a_progress():
    """steps can be passed wherever a Progress is expected: it takes the keyword arguments libraries use."""
    progress: Progress = steps
    assert list(progress([4, 5], total=2, desc="x", unit="block", label=str)) == [4, 5]

