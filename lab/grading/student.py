"""What a released exercise notebook imports: the student's own world and the visible checks.

The release writes a setup cell such as::

    from lab.grading.student import Exercise
    exercise = Exercise(name="unicity", student="s001", seed=81234, world={"scenario": "classroom"},
                        answers={"q1": ["eps4"]}, visible={"q1": [">>> 0 <= eps4 <= 1\\nTrue"]})
    world = exercise.world()
    check = exercise.check

The seed is derived from the course key by the instructor's command; the key itself is never here.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Mapping, Sequence
from typing import Any

from lab.grading.cases import Case, Question, run_cases
from lab.synth.scenario import load_scenario
from lab.world import World, generate_world

__all__ = ["Exercise", "student_world"]


@functools.lru_cache(maxsize=4)
def _world(spec: str, seed: int) -> World:
    overrides = json.loads(spec)
    return generate_world(load_scenario(overrides.pop("scenario"), **overrides), seed=seed)


def student_world(spec: Mapping[str, Any], seed: int) -> World:
    """The world of an exercise for one seed: ``spec`` names a scenario and its overrides.

    Overrides may be whole sections (``{"checkins": {...}}``), as in a scenario file.

    Examples
    --------
    >>> len(student_world({"scenario": "classroom", "population": 50}, 3).people)
    50
    """
    return _world(json.dumps(dict(spec), sort_keys=True), int(seed))


class Exercise:
    """One student's exercise: their data and the checks they may run themselves.

    Parameters
    ----------
    name : str
        The exercise.
    student : str
        The student's normalised id.
    seed : int
        The seed of their data (from the course key; see :func:`lab.grading.seeds.student_seed`).
    world : mapping
        ``{"scenario": name, **overrides}``.
    answers : mapping of str to sequence of str
        Each question's answer names (a check waits until they are set).
    visible : mapping of str to sequence of str
        Each question's visible doctest cases.
    """

    def __init__(self, name: str, *, student: str, seed: int, world: Mapping[str, Any],
                 answers: Mapping[str, Sequence[str]], visible: Mapping[str, Sequence[str]]) -> None:
        self.name, self.student, self.seed = name, student, int(seed)
        self._world = dict(world)
        self._answers = {q: tuple(names) for q, names in answers.items()}
        self._questions = {q: Question(q, tuple(Case(code, False, 1.0) for code in codes))
                           for q, codes in visible.items()}

    def world(self) -> World:
        """This student's town (the same every time for the same seed)."""
        return student_world(self._world, self.seed)

    def check(self, question: str) -> bool:
        """Run the visible checks of ``question`` on the names this notebook defines.

        Prints each check's result. Hidden checks run only when the notebook is graded.

        Returns
        -------
        bool
            True when every visible check passed.
        """
        if question not in self._questions:
            raise KeyError(f"no question {question!r}; this exercise has {', '.join(self._questions)}")
        caller = inspect.currentframe().f_back
        namespace = dict(caller.f_globals) if caller is not None else {}
        waiting = [n for n in self._answers.get(question, ()) if n not in namespace or namespace[n] is Ellipsis]
        if waiting:
            print(f"… {question}: not answered yet (set {', '.join(waiting)})")
            return False
        results = run_cases(self._questions[question], namespace, hidden=False)
        for i, r in enumerate(results, 1):
            print(f"{'✓' if r.passed else '✗'} {question}, check {i}: {r.message}")
        passed = all(r.passed for r in results)
        print(f"{question}: {sum(r.passed for r in results)} of {len(results)} visible checks passed"
              + ("; hidden checks run when your notebook is graded." if passed else "."))
        return passed
