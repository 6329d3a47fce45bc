"""Tests for lab.attacks.instances."""

from __future__ import annotations

import numpy as np

from lab.attacks.instances import containing, count_instances, min_match, multiset_table, user_items


def test_multiset_table_counts():
    """Multisets of size k over n items number C(n + k - 1, k)."""
    assert len(multiset_table(4, 2)) == 10 and len(multiset_table(3, 3)) == 10
    assert multiset_table(2, 2).tolist() == [[0, 0], [0, 1], [1, 1]]


def test_user_items_caps_counts():
    """Distinct (user, item) pairs carry their counts, capped."""
    u, it, c = user_items(np.array([0, 0, 0, 1]), np.array([5, 5, 5, 5]), cap=2)
    assert u.tolist() == [0, 1] and it.tolist() == [5, 5] and c.tolist() == [2, 1]


def test_instance_counts_by_eye():
    """Users {x,x}, {x,y} and {x}: pair instances and their holders."""
    u, it, c = user_items(np.array([0, 0, 1, 1, 2]), np.array([0, 0, 0, 1, 0]), cap=2)
    owner, matches = count_instances(u, it, c, 2, n_items=2)
    best = min_match(owner, matches, 3)
    assert best[:2].tolist() == [1, 1]  # {x,x} and {x,y} each held by one user
    assert containing(u, it, c, np.array([2]), n_items=2, n_users=3).tolist() == [3]
