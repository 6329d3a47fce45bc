"""The exact median of a column of a Dask dataframe, in two passes and little memory.

What the in-memory engine anchors an auditor's grid on (:func:`lab.grid.grid_origin`): the
median point of the release. Dask's quantiles are approximate; an approximate median would
move the grid and change every answer. So: a first pass counts the values in a histogram of
:data:`BINS` bins over the column's range, which says in which bin (or two) the middle values
fall; a second pass gathers only the values of those bins, whose sort gives the middle ones.
The result equals :func:`numpy.median` on the whole column, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.attacks.on_dask.combine import add, tree

__all__ = ["BINS", "exact_median"]

#: Bins of the first pass's histogram: the second pass gathers about 1 / BINS of the rows, or more
#: when values crowd into one bin.
BINS = 1 << 16


def _range(part: pd.DataFrame, column: str) -> np.ndarray:
    v = part[column].to_numpy(dtype=float)
    return np.array([v.min(initial=np.inf), v.max(initial=-np.inf), len(v)])


def _bounds(*ranges: np.ndarray) -> np.ndarray:
    r = np.stack(ranges)
    return np.array([r[:, 0].min(), r[:, 1].max(), r[:, 2].sum()])


def _bin(values: np.ndarray, low: float, high: float) -> np.ndarray:
    width = (high - low) / BINS
    if width == 0:
        return np.zeros(len(values), dtype=np.int64)
    return np.clip(((values - low) / width).astype(np.int64), 0, BINS - 1)


def _histogram(part: pd.DataFrame, column: str, low: float, high: float) -> np.ndarray:
    return np.bincount(_bin(part[column].to_numpy(dtype=float), low, high), minlength=BINS)


def _gather(part: pd.DataFrame, column: str, low: float, high: float, bins: tuple[int, ...]) -> np.ndarray:
    v = part[column].to_numpy(dtype=float)
    return v[np.isin(_bin(v, low, high), bins)]


def _concat(*arrays: np.ndarray) -> np.ndarray:
    return np.concatenate(arrays)


def exact_median(frame, column: str) -> float:
    """The median of ``frame[column]`` (no missing values), as :func:`numpy.median` gives it.

    Raises
    ------
    ValueError
        When the column has no values.
    """
    import dask

    parts = frame.to_delayed()
    low, high, n = tree([dask.delayed(_range)(d, column) for d in parts], _bounds).compute()
    n = int(n)
    if n == 0:
        raise ValueError(f"column {column!r} has no values: no median")
    counts = tree([dask.delayed(_histogram)(d, column, low, high) for d in parts], add).compute()
    below = np.cumsum(counts)
    middle = (n - 1) // 2, n // 2                       # ranks of the middle values
    bins = tuple(sorted({int(np.searchsorted(below, r, side="right")) for r in middle}))
    values = np.sort(tree([dask.delayed(_gather)(d, column, low, high, bins) for d in parts], _concat).compute())
    before = int(below[bins[0] - 1]) if bins[0] > 0 else 0  # values in the bins below the first gathered one
    return float(np.mean(values[[middle[0] - before, middle[1] - before]]))
