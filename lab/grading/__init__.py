"""Graded exercises: each student's own data, a confined kernel, a gradebook an instructor can trust.

:mod:`~lab.grading.seeds` (seeds from the course key), :mod:`~lab.grading.exercise` (an exercise on
disk), :mod:`~lab.grading.cases` (Otter's OK-format checks), :mod:`~lab.grading.notebook` (release,
solve, find a submission), :mod:`~lab.grading.student` (what a released notebook imports),
:mod:`~lab.grading.sandbox`, :mod:`~lab.grading.kernel` and :mod:`~lab.grading.forkserver` (the
confined kernel, forked from one pre-imported process),
:mod:`~lab.grading.run` (one submission), :mod:`~lab.grading.grade` (a class),
:mod:`~lab.grading.gradebook` and :mod:`~lab.grading.feedback` (what comes out), and
:mod:`~lab.grading.commands` (``privacy-lab exercises``).
"""
