"""Exercises on disk: their layout checked whole, reference answers computed per seed."""

from __future__ import annotations

import shutil

import pytest

from lab.errors import InputError
from lab.grading.exercise import available_exercises, exercises_root, load_exercise

from .conftest import EXERCISES


def test_the_tiny_exercise_loads_with_its_questions_and_points(tiny):
    """Questions in the order of exercise.toml, their answer names and 3 points in all."""
    assert [q.name for q in tiny.questions] == ["q1", "q2"] and tiny.points == 3.0
    assert tiny.answer_names == ["n_people", "gps_rows"] == tiny.expected_names


def test_expected_answers_come_from_the_seed(tiny):
    """The reference is computed from the seed's own world: 60 people, and GPS rows that vary by seed."""
    a, b = tiny.expected(1), tiny.expected(2)
    assert a["n_people"] == b["n_people"] == 60
    assert a["gps_rows"] == len(tiny.world(1).releases["gps"]) != b["gps_rows"]


def test_listing_finds_exercise_folders():
    """Every folder with an exercise.toml is listed."""
    assert available_exercises(EXERCISES) == ["tiny"]


def test_the_repository_exercises_all_load():
    """Each exercise shipped in exercises/ passes the layout checks."""
    names = available_exercises()
    assert names and all(load_exercise(n).points > 0 for n in names)


def test_an_unknown_exercise_is_refused_with_the_known_ones():
    """A name without a folder lists those that exist."""
    with pytest.raises(InputError, match="unknown exercise 'nope'; available: tiny"):
        load_exercise("nope", EXERCISES)


def test_a_missing_root_says_to_pass_exercises(tmp_path):
    """A folder that does not exist names the --exercises option."""
    with pytest.raises(InputError, match="--exercises"):
        exercises_root(tmp_path / "none")


def test_a_hidden_check_without_its_reference_is_refused(tmp_path):
    """A hidden check reading expected.NAME needs NAME(world) in expected.py."""
    shutil.copytree(EXERCISES / "tiny", tmp_path / "tiny")
    (tmp_path / "tiny" / "expected.py").write_text("def n_people(world):\n    return 1\n")
    with pytest.raises(InputError, match="lacks gps_rows"):
        load_exercise("tiny", tmp_path)


def test_a_check_reading_another_questions_answer_is_refused(tmp_path):
    """A question's checks may read only the answers listed for it."""
    shutil.copytree(EXERCISES / "tiny", tmp_path / "tiny")
    toml = tmp_path / "tiny" / "exercise.toml"
    toml.write_text(toml.read_text().replace('q1 = ["n_people"]', 'q1 = ["x"]'))
    with pytest.raises(InputError, match="reads n_people, not among the answers of q1"):
        load_exercise("tiny", tmp_path)
