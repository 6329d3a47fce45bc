"""Partial results of partitions, merged a few at a time: sums, and the smallest keyed hashes.

No task ever holds more than :data:`FAN_IN` partitions' results, so nothing grows with the
number of partitions but the depth of the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from lab.attacks.keyed import keyed_hashes, smallest

__all__ = ["FAN_IN", "tree", "add", "concat_pairs", "smallest_labels", "merge_smallest"]

#: Partial results combined per task.
FAN_IN = 8


def tree(values: Sequence, combine: Callable, *, fan_in: int = FAN_IN):
    """Merge delayed partial results ``fan_in`` at a time until one is left (a delayed value)."""
    import dask

    values = list(values)
    if not values:
        raise ValueError("nothing to combine: the release has no partitions")
    while len(values) > 1:
        values = [dask.delayed(combine)(*values[i:i + fan_in]) for i in range(0, len(values), fan_in)]
    return values[0]


def add(*arrays: np.ndarray) -> np.ndarray:
    """Element-wise sum of equally shaped arrays."""
    return sum(arrays[1:], arrays[0])


def concat_pairs(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(labels, rows) of several partitions, one after the other."""
    return np.concatenate([a for a, _ in parts]), np.concatenate([b for _, b in parts])


def smallest_labels(labels: np.ndarray, hashes: np.ndarray, n: int, *, key: np.uint64) -> pd.DataFrame:
    """The ``n`` labels of smallest keyed hash (ties to the smaller label; ``labels`` sorted), with the hashes."""
    h = keyed_hashes(key, hashes)
    pick = smallest(h, np.arange(len(labels)), n)
    return pd.DataFrame({"h": h[pick], "label": labels[pick]})


def merge_smallest(n: int, *frames: pd.DataFrame) -> pd.DataFrame:
    """The ``n`` smallest (hash, label) of several partitions' :func:`smallest_labels` (a label counted once)."""
    both = pd.concat(frames, ignore_index=True).drop_duplicates("label")
    return both.sort_values(["h", "label"], kind="stable").iloc[:n].reset_index(drop=True)
