"""Aggregation: a release turned into counts of people per grid cell and time slot.

Aggregates are what many data holders publish instead of traces ("footfall",
"crowd density"). Counting distinct pseudonyms per cell and slot is the
starting point of both the recovery attack (Xu et al. 2017) and membership
inference (Pyrgelis et al. 2018).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.grid import cell_slots, resolve_origin

__all__ = ["count_by_cell"]


def count_by_cell(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, origin: tuple[float, float] | None = None,
    start: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Number of distinct pseudonyms per (cell, slot): the published aggregate.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m, slot_s : float, int
        Cell side in metres and slot length in seconds (:func:`lab.grid.cell_slots`).
    origin : (float, float), optional
        Anchor of the grid; default read off the release, with a
        :class:`~lab.params.LeakWarning`.
    start : pandas.Timestamp, optional
        Start of slot 0 (default: local midnight before the first observation).

    Returns
    -------
    pandas.DataFrame
        cell, slot, count (one row per non-empty cell and slot), sorted by slot then cell.
    """
    if len(release):
        origin = resolve_origin(origin, release["lat"].to_numpy(float), release["lon"].to_numpy(float),
                                protection="count_by_cell")
    cs = cell_slots(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    user = pd.factorize(cs["pseudonym"])[0].astype(np.int64)
    cell, cells = pd.factorize(cs["cell"], sort=True)
    slot = cs["slot"].to_numpy(dtype=np.int64)
    n_users, n_cells, first = max(int(user.max(initial=0)) + 1, 1), max(len(cells), 1), int(slot.min(initial=0))
    # Distinct (slot, cell, person) triples, then people per (slot, cell): sorted by slot then cell.
    triple = np.unique(((slot - first) * n_cells + cell) * n_users + user)
    pair, count = np.unique(triple // n_users, return_counts=True)
    return pd.DataFrame({"cell": np.asarray(cells, dtype=np.int64)[pair % n_cells],
                         "slot": pair // n_cells + first, "count": count.astype(np.int64)})
