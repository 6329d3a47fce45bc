"""Tests for lab.attacks.keyed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from lab.attacks.keyed import draw_key, draw_sample, keyed_hashes, keyed_uniform, label_hashes, smallest


def test_label_hashes_do_not_depend_on_the_array_type():
    """Object, Arrow-backed and categorical arrays of the same labels hash alike."""
    labels = ["p-001", "p-002", "p-001"]
    a = label_hashes(np.array(labels, dtype=object))
    assert (a == label_hashes(pd.array(labels, dtype="string[pyarrow]"))).all()
    assert (a == label_hashes(pd.Categorical(labels))).all() and a[0] == a[2] != a[1]


def test_keyed_draws_follow_the_key_not_the_position():
    """The same (key, label, item) gives the same draw wherever it sits; another key gives another."""
    h = label_hashes(np.array(["a", "b", "c"], dtype=object))
    items = np.array([5, 7, 9])
    one = keyed_uniform(np.uint64(3), h, items)
    assert (keyed_uniform(np.uint64(3), h[::-1], items[::-1]) == one[::-1]).all()
    assert not (keyed_uniform(np.uint64(4), h, items) == one).any()


def test_keyed_uniforms_are_uniform():
    """200,000 draws pass a Kolmogorov-Smirnov test against U(0, 1)."""
    h = label_hashes(np.array([f"p{i}" for i in range(1000)], dtype=object))
    draws = keyed_uniform(draw_key(np.random.default_rng(0)), np.repeat(h, 200), np.tile(np.arange(200), 1000))
    assert draws.min() >= 0 and draws.max() < 1 and stats.kstest(draws, "uniform").pvalue > 0.01


def test_smallest_breaks_equal_hashes_by_the_tie_order():
    """Equal hashes go to the smaller tie value."""
    assert smallest(np.array([5, 1, 9, 1], dtype=np.uint64), np.array([0, 3, 1, 2]), 2).tolist() == [3, 1]


def test_a_sample_of_parts_merged_is_the_sample_of_the_whole():
    """The n smallest of each part's n smallest are the whole's n smallest: partitions change nothing."""
    h = label_hashes(np.array([f"p{i:04d}" for i in range(500)], dtype=object))
    key = np.uint64(99)
    whole = set(draw_sample(h, 20, key=key).tolist())
    kh = keyed_hashes(key, h)
    parts = np.array_split(np.arange(500), 7)
    best = np.concatenate([p[smallest(kh[p], p, 20)] for p in parts])
    assert set(best[smallest(kh[best], best, 20)].tolist()) == whole and len(whole) == 20
