"""Keyed draws: randomness tied to what is drawn for, not to where it sits.

A draw for a pseudonym (which ones to sample) or for one of its points (which
``p`` points the adversary knows) is a hash of a key taken from ``rng``, the
pseudonym's label and the point's code. It does not depend on the order of the
rows, on how a release is split into partitions, or on which process looks at
it, so the in-memory engine and the Dask engine draw exactly the same targets
and the same points for the same seed (:mod:`lab.attacks.on_dask`).

The hash of a label is pandas' (SipHash with a fixed key, the same in every
process); the mixing of key, label and point is SplitMix64's finaliser, whose
output bits are uniform enough that the top 53 make a double in [0, 1).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["draw_key", "label_hashes", "keyed_hashes", "keyed_uniform", "smallest", "draw_sample"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def draw_key(rng: np.random.Generator) -> np.uint64:
    """One 64-bit key from ``rng`` (advances it by one draw)."""
    return rng.integers(0, np.iinfo(np.uint64).max, dtype=np.uint64, endpoint=True)


def label_hashes(labels: npt.ArrayLike) -> np.ndarray:
    """A uint64 per label: equal labels hash equal whatever array type holds them (object, Arrow, Categorical)."""
    values = np.asarray(pd.array(labels).astype(object), dtype=object) if len(labels) else np.empty(0, object)
    return pd.util.hash_array(values, categorize=True)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: every input bit reaches every output bit."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def keyed_hashes(key: np.uint64, labels: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
    """Hash of (key, label hash[, item code]) as uint64.

    Parameters
    ----------
    key : numpy.uint64
        From :func:`draw_key`.
    labels : numpy.ndarray of uint64
        Label hashes (:func:`label_hashes`).
    items : numpy.ndarray of int, optional
        A code per label (a point), mixed in after the label.
    """
    with np.errstate(over="ignore"):
        h = _mix(np.asarray(labels, dtype=np.uint64) ^ np.uint64(key))
        if items is not None:
            h = _mix(h + (np.asarray(items).astype(np.uint64) + np.uint64(1)) * _GOLDEN)
    return h


def keyed_uniform(key: np.uint64, labels: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
    """Uniform doubles in [0, 1) from :func:`keyed_hashes`."""
    return (keyed_hashes(key, labels, items) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def smallest(hashes: np.ndarray, ties: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` smallest hashes, equal hashes broken by ``ties`` (a uniform random sample of ``n``).

    Taking the ``n`` smallest of independent uniform hashes draws ``n`` without
    replacement; it can be done part by part and merged (the ``n`` smallest of
    the parts' ``n`` smallest), which is how the Dask engine samples.

    Examples
    --------
    >>> smallest(np.array([5, 1, 9, 1], dtype=np.uint64), np.array([0, 3, 1, 2]), 2).tolist()
    [3, 1]
    """
    order = np.lexsort((ties, hashes))
    return order[:n]


def draw_sample(hashes: np.ndarray, n: int, *, key: np.uint64) -> np.ndarray:
    """Positions of ``n`` labels drawn without replacement: the smallest keyed hashes.

    ``hashes`` are label hashes of labels in sorted order, so equal keyed hashes go
    to the smaller label, as they do when the Dask engine merges its partitions' draws.
    """
    return smallest(keyed_hashes(key, hashes), np.arange(len(hashes)), n)
