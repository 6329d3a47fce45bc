"""Shared fixtures of the grader's tests: the tiny exercise and a course key."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.grading.exercise import load_exercise

EXERCISES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"
KEY = b"k" * 32


@pytest.fixture(scope="session")
def tiny():
    """The two-question test exercise (a 60-person town)."""
    return load_exercise("tiny", EXERCISES)


@pytest.fixture
def key_file(tmp_path):
    """A private course key file."""
    path = tmp_path / "course.key"
    path.write_bytes(KEY)
    path.chmod(0o600)
    return path
