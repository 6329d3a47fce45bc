"""Aggregation: a release turned into counts of people per grid cell and time slot.

Aggregates are what many data holders publish instead of traces ("footfall",
"crowd density"). Counting distinct pseudonyms per cell and slot is the
starting point of both the recovery attack (Xu et al. 2017) and membership
inference (Pyrgelis et al. 2018).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.geo import grid_cell, to_local

__all__ = ["cell_slots", "count_by_cell"]


def cell_slots(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, origin: tuple[float, float] | None = None,
    start: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Each row's grid cell and time slot, keeping the release's index labels.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the time slots in seconds.
    origin : (float, float), optional
        Anchor of the grid (default: the release's median point, rounded to 0.01°).
    start : pandas.Timestamp, optional
        Start of slot 0 (default: local midnight before the first observation).

    Returns
    -------
    pandas.DataFrame
        pseudonym, cell (int), slot (int), aligned with ``release``.
    """
    if not cell_m > 0:
        raise ValueError(f"cell_m must be a positive number of metres, got {cell_m!r}")
    if not (isinstance(slot_s, (int, np.integer)) and slot_s > 0):
        raise ValueError(f"slot_s must be a positive whole number of seconds, got {slot_s!r}")
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    if origin is None:
        origin = (round(float(np.median(lat)), 2), round(float(np.median(lon)), 2))
    x, y = to_local(lat, lon, origin=origin)
    t = release["t"]
    if start is None:
        start = t.min().normalize()
    slot = ((t - start).dt.total_seconds().to_numpy() // slot_s).astype(np.int64)
    return pd.DataFrame({"pseudonym": release["pseudonym"].to_numpy(),
                         "cell": grid_cell(x, y, cell_m=cell_m), "slot": slot}, index=release.index)


def count_by_cell(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, origin: tuple[float, float] | None = None,
    start: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Number of distinct pseudonyms per (cell, slot): the published aggregate.

    Returns
    -------
    pandas.DataFrame
        cell, slot, count (one row per non-empty cell and slot), sorted by slot then cell.
    """
    cs = cell_slots(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    counts = cs.drop_duplicates().groupby(["slot", "cell"], sort=True).size().rename("count").reset_index()
    return counts[["cell", "slot", "count"]]
