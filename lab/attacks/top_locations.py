"""Top-N locations: how often a pseudonym's N most visited places are unique.

Zang and Bolot (2011) showed that a person's top one location is shared by many,
but the top two or three locations single most people out at the level of a
cell, and remain identifying at the level of a zip code. What must be counted
is the *people* whose top-N set no one else has — not the number of distinct
top-N sets, a mistake a public re-implementation makes (both are reported here,
so the difference can be seen).

References
----------
.. [1] Zang, H., Bolot, J. (2011). Anonymization of location data does not work:
   a large-scale measurement study. MobiCom '11, 145–156.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.attacks.traces import check_release, sorted_by_user_time
from lab.grid import Space, spatial_units
from lab.params import check_whole

__all__ = ["top_n_codes", "top_n_uniqueness"]


def _ranked_locations(release: pd.DataFrame, space: Space) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per pseudonym, its distinct locations from most to least visited.

    Ties in visits go to the location seen first; locations first seen at the
    same instant go in the order of their unit codes, which follow the sorted
    unit labels (the smaller ``(lat, lon)``, column value or grid cell first).
    The ranking is therefore a total order that does not depend on row order.

    Returns user codes, location codes and rank (0 = most visited) of each
    distinct (user, location), sorted by user then rank, and the pseudonym labels.
    """
    units = spatial_units(release, space)
    _, user, labels, order = sorted_by_user_time(release, units=units)
    loc = units[order]
    n_loc = int(loc.max()) + 1
    pair = user.astype(np.int64) * n_loc + loc
    uniq, first, count = np.unique(pair, return_index=True, return_counts=True)
    u, loc_code = uniq // n_loc, uniq % n_loc
    order = np.lexsort((first, -count, u))
    u, loc_code = u[order], loc_code[order]
    rank = np.arange(len(u)) - np.searchsorted(u, u)
    return u, loc_code, rank, np.asarray(labels)


def top_n_codes(release: pd.DataFrame, *, n: int, space: Space | str = "exact", ordered: bool = False) -> pd.Series:
    """An integer code per pseudonym identifying its top-N set (or ranked list when ``ordered``).

    Equal codes mean equal sets. Pseudonyms with fewer than ``n`` distinct
    locations keep the ones they have.
    """
    check_release(release)
    n = check_whole(n, name="n", meaning="a number of top locations")
    space = Space.parse(space) if isinstance(space, str) else space
    u, loc_code, rank, labels = _ranked_locations(release, space)
    keep = rank < n
    u, loc_code, rank = u[keep], loc_code[keep], rank[keep]
    if not ordered:  # a set: sort each user's locations by code
        order = np.lexsort((loc_code, u))
        u, loc_code = u[order], loc_code[order]
        rank = np.arange(len(u)) - np.searchsorted(u, u)
    width = np.zeros((len(labels), n), dtype=np.int64) - 1
    width[u, rank] = loc_code
    codes = pd.factorize(pd.MultiIndex.from_arrays([width[:, j] for j in range(n)]))[0]
    return pd.Series(codes, index=pd.Index(labels, name="pseudonym"), name=f"top{n}")


def top_n_uniqueness(
    release: pd.DataFrame, *, ns=(1, 2, 3), spaces=("exact",), ordered: bool = False,
) -> pd.DataFrame:
    """Share of pseudonyms whose top-N location set is unique, per N and granularity.

    Parameters
    ----------
    ns : iterable of int
        Values of N.
    spaces : iterable of Space or str
        Granularities, e.g. ``("tower_id", "grid:1000", "grid:5000")``.
    ordered : bool
        Compare ranked lists instead of sets.

    Returns
    -------
    pandas.DataFrame
        n, space, share_unique (people whose set no one else has), median_set
        (median anonymity-set size), distinct_sets (for contrast: not a risk
        measure), users.
    """
    ns = [check_whole(n, name="each n in ns", meaning="a number of top locations") for n in ns]
    rows = []
    for sp in spaces:
        space = Space.parse(sp) if isinstance(sp, str) else sp
        for n in ns:
            codes = top_n_codes(release, n=n, space=space, ordered=ordered).to_numpy()
            size = np.bincount(codes)[codes]
            rows.append({"n": n, "space": space.label(), "share_unique": float((size == 1).mean()),
                         "median_set": float(np.median(size)), "distinct_sets": int(codes.max() + 1),
                         "users": len(size)})
    return pd.DataFrame(rows)
