"""Tests for lab.attacks.on_dask.combine."""

from __future__ import annotations

import dask
import numpy as np
import pytest

from lab.attacks.keyed import label_hashes
from lab.attacks.on_dask.combine import add, concat_pairs, merge_smallest, smallest_labels, tree


def test_a_tree_of_sums_adds_every_partition():
    """Twenty partial arrays merged eight at a time give their sum."""
    parts = [dask.delayed(np.full)(3, i) for i in range(20)]
    assert tree(parts, add).compute(scheduler="sync").tolist() == [190, 190, 190]
    with pytest.raises(ValueError, match="no partitions"):
        tree([], add)


def test_concatenated_pairs_keep_partition_order():
    """Labels and rows of two partitions, first then second."""
    labels, rows = concat_pairs((np.array(["a"]), np.array([[1, 2]])), (np.array(["b"]), np.array([[3, 4]])))
    assert labels.tolist() == ["a", "b"] and rows.tolist() == [[1, 2], [3, 4]]


def test_merged_offers_are_the_smallest_of_the_whole_and_count_a_label_once():
    """Offers from overlapping partitions merge to the whole's n smallest, a label appearing in two counted once."""
    labels = np.array([f"p{i:03d}" for i in range(100)], dtype=object)
    h, key = label_hashes(labels), np.uint64(5)
    whole = smallest_labels(labels, h, 10, key=key)
    a = smallest_labels(labels[:60], h[:60], 10, key=key)
    b = smallest_labels(labels[40:], h[40:], 10, key=key)
    assert merge_smallest(10, a, b).equals(whole)
