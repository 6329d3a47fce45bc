"""An exercise on disk: ``exercises/NAME/`` with its master notebook, checks and reference.

::

    exercises/NAME/
      exercise.toml   name, lesson, title, [world] (scenario and overrides), [questions] (answer names)
      NAME.py         the master notebook (jupytext py:percent), solutions between
                      ``# BEGIN SOLUTION`` / ``# END SOLUTION`` (or a line ending ``# SOLUTION``),
                      one code cell tagged ``setup`` that the release fills in
      tests/qN.py     the checks, Otter's OK format (visible and hidden cases, points)
      expected.py     one function per answer name, ``name(world) -> value``: the reference answer,
                      computed from each student's own world at grading time; optionally
                      ``probe(world, answers) -> dict``, run by the grader on the answers it received
                      (outside the student's kernel), whose results hidden checks read as ``probed.KEY``
"""

from __future__ import annotations

import builtins
import functools
import importlib.util
import os
import re
import tomllib
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import lab
from lab.errors import InputError
from lab.grading.cases import Question, helpers, load_question, names_used
from lab.grading.student import student_world
from lab.world import World

__all__ = ["Exercise", "load_exercise", "available_exercises", "exercises_root", "per_world"]


def per_world(function: Callable[..., Any]) -> Callable[..., Any]:
    """Remember ``function(world, *args, **kwargs)`` for as long as ``world`` lives.

    For the intermediate results an exercise's ``expected.py`` shares between answers (the matches
    several answers score, a sample several answers use): each is computed once per student.

    Examples
    --------
    >>> calls = []
    >>> @per_world
    ... def size(world):
    ...     calls.append(1)
    ...     return len(world)
    >>> class Town(list): ...
    >>> world = Town([1, 2, 3])
    >>> size(world), size(world), len(calls)
    (3, 3, 1)
    """
    results: dict[tuple, Any] = {}

    def forget(world_id: int) -> None:
        for key in [k for k in results if k[0] == world_id]:
            del results[key]

    @functools.wraps(function)
    def remembered(world: Any, *args: Any, **kwargs: Any) -> Any:
        key = (id(world), args, tuple(sorted(kwargs.items())))
        if key not in results:
            if not any(k[0] == id(world) for k in results):
                try:
                    weakref.finalize(world, forget, id(world))
                except TypeError:  # an object without weak references: keep nothing beyond this call
                    return function(world, *args, **kwargs)
            results[key] = function(world, *args, **kwargs)
        return results[key]

    return remembered


@dataclass(frozen=True)
class Exercise:
    """An exercise read from its folder and checked whole."""

    name: str
    lesson: str
    title: str
    folder: Path
    world_spec: dict[str, Any]
    answers: dict[str, tuple[str, ...]]
    questions: tuple[Question, ...]
    reference: ModuleType = field(repr=False)

    @property
    def probes(self) -> bool:
        """Whether ``expected.py`` defines ``probe(world, answers)``, whose results hidden checks read as ``probed``."""
        return callable(getattr(self.reference, "probe", None))

    @property
    def master(self) -> Path:
        """The master notebook's source."""
        return self.folder / f"{self.name}.py"

    @property
    def points(self) -> float:
        return float(sum(q.points for q in self.questions))

    @property
    def answer_names(self) -> list[str]:
        """Every name the checks read, in question order."""
        return list(dict.fromkeys(n for q in self.questions for n in self.answers[q.name]))

    def world(self, seed: int) -> World:
        """The world a student with ``seed`` works on."""
        return student_world(self.world_spec, seed)

    def expected(self, seed: int) -> dict[str, Any]:
        """The reference answers for ``seed``, one per answer name the hidden checks read."""
        world = self.world(seed)
        return {name: getattr(self.reference, name)(world) for name in self.expected_names}

    @property
    def expected_names(self) -> list[str]:
        """Answer names read as ``expected.NAME`` by some hidden check."""
        found = []
        for q in self.questions:
            for case in q.cases:
                found += re.findall(r"\bexpected\.(\w+)", case.code)
        return list(dict.fromkeys(found))


def exercises_root(folder: str | os.PathLike | None = None) -> Path:
    """The folder holding the exercises: ``folder`` if given, else the checkout's ``exercises/``.

    Raises
    ------
    InputError
        When the folder does not exist (an installed wheel carries no exercises: pass ``--exercises``).
    """
    root = Path(folder) if folder is not None else Path(lab.__file__).resolve().parents[1] / "exercises"
    if not root.is_dir():
        raise InputError(f"--exercises {str(root)!r}: no such folder (exercises live in the repository's "
                         "exercises/ folder; pass --exercises DIR)")
    return root


def available_exercises(root: str | os.PathLike | None = None) -> list[str]:
    """Names of the exercises under ``root`` (folders holding an ``exercise.toml``), sorted by lesson.

    Only the lesson number is read here; :func:`load_exercise` checks an exercise whole.
    """
    base = exercises_root(root)

    def lesson(path: Path) -> str:
        try:
            return str(tomllib.loads(path.read_text(encoding="utf-8")).get("lesson", ""))
        except (OSError, tomllib.TOMLDecodeError):
            return ""

    return [p.parent.name for p in sorted(base.glob("*/exercise.toml"), key=lambda p: (lesson(p), p.parent.name))]


def load_exercise(name: str, root: str | os.PathLike | None = None) -> Exercise:
    """Read and check the exercise ``name``.

    Raises
    ------
    InputError
        Unknown exercise, or a folder that breaks the layout above (each problem named).
    """
    base = exercises_root(root)
    folder = base / name
    config_path = folder / "exercise.toml"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not config_path.is_file():
        known = sorted(p.parent.name for p in base.glob("*/exercise.toml"))
        raise InputError(f"unknown exercise {name!r}; available: {', '.join(known) or 'none'}")
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{config_path}: {exc}") from None
    for key in ("name", "lesson", "title", "world", "questions"):
        if key not in config:
            raise InputError(f"{config_path}: missing {key!r}")
    if config["name"] != name or not (folder / f"{name}.py").is_file():
        raise InputError(f"{config_path}: name {config['name']!r} must match the folder and its {name}.py")
    answers = {q: tuple(v) for q, v in config["questions"].items()}
    questions = tuple(load_question(folder / "tests" / f"{q}.py") for q in answers)
    known = {*dir(builtins), *helpers(), "expected", "probed"}
    for q in questions:
        unknown = set().union(*(names_used(c.code) for c in q.cases)) - known - set(answers[q.name])
        if unknown:
            raise InputError(f"{folder / 'tests' / q.name}.py reads {', '.join(sorted(unknown))}, not among the "
                             f"answers of {q.name}; list them under [questions] {q.name} in exercise.toml")
    reference = _load_reference(folder / "expected.py", name)
    exercise = Exercise(name, str(config["lesson"]), str(config["title"]), folder, dict(config["world"]), answers,
                        questions, reference)
    missing = [n for n in exercise.expected_names if not callable(getattr(reference, n, None))]
    if missing:
        raise InputError(f"{folder / 'expected.py'} lacks {', '.join(missing)}(world), read by hidden checks")
    return exercise


def _load_reference(path: Path, name: str) -> ModuleType:
    """Import an exercise's ``expected.py`` as a module of its own."""
    if not path.is_file():
        raise InputError(f"{path}: missing (the reference answers)")
    spec = importlib.util.spec_from_file_location(f"lab_exercise_{name}_expected", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
