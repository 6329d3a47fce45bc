"""Reference answers from each student's own world, and the probe of their access policy.

``probe`` runs in the grader, never in the student's kernel: it starts a fresh PostgreSQL server
with the student's world, applies their SQL as ``admin`` and tries, as ``analyst``, what the
policy must allow and deny (:func:`lab.db.probe.probe_policy`).
"""

from lab.db.probe import expected_counts, probe_policy

K = 10


def published_cells(world):
    return len(expected_counts(world, k=K))


def withheld_cells(world):
    return len(expected_counts(world, k=1)) - len(expected_counts(world, k=K))


def probe(world, answers):
    return probe_policy(world, answers.get("policy_sql"), k=K)
