"""Trajectory recovery from aggregates: who went where, rebuilt from counts alone.

A data holder publishes, for every grid cell and time slot, how many people were
there, and nothing else. Xu et al. (2017) showed that such "ash" still holds the
individual trajectories, because people move continuously within a day and
repeat themselves across days. The attack has three steps:

1. **Night-time tracking.** At night people barely move, so each trajectory is
   extended to the next slot's location nearest to where it last was.
2. **Daytime tracking.** By day each trajectory's next position is predicted by
   moving on at its last velocity (from its last two points); the slot's
   locations go to the trajectories whose predictions they are nearest.
   Each slot transition, night or day, is one assignment problem between the
   trajectory ends and the next slot's locations (a cell with a count of ``k``
   is ``k`` locations), solved exactly (minimum total distance).
3. **Cross-day linking.** Tracking restarts every day; the day's trajectories
   are then joined to the next day's by their regularity: two days of one
   person, pooled, are hardly less predictable than each day alone. The cost of
   a link is the information gain ``H(A ∪ B) - (H(A) + H(B)) / 2`` of the
   location frequency distributions, and the links minimise its total.

Assumptions and conventions
---------------------------
* Counts come from :func:`lab.mitigations.aggregate.count_by_cell` (or
  :func:`count_locations`): columns ``cell`` (ids of :func:`lab.geo.grid_cell`),
  ``slot`` and ``count``, slot 0 starting at local midnight (that function's
  default), so slot ``s`` falls on day ``s // slots_per_day``.
* As in the paper, each person is counted in exactly one cell per slot, so a
  slot's total is the number of people. :func:`one_location_per_slot` makes a
  release satisfy this (last observation per slot, gaps filled forward).
* When the totals vary between slots (people missing from a slot, or cells
  suppressed by a defence) only the people present are recovered: a trajectory
  that gets no location in a slot pauses and may resume later (its prediction
  then extrapolates over the gap), and a location left over starts a new
  trajectory. Days are linked in the same way, an unlinked day starting a new
  trajectory.
* Distances are between cell centres in the local metric frame, decoded from
  the cell ids by :func:`cell_centres`.

The dense trajectories × locations cost matrix of each slot and the
trajectories × trajectories matrix of each pair of days are the only
quadratic objects; everything else is linear in the number of locations.

References
----------
.. [1] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., & Jin, D. (2017). Trajectory
   recovery from ash: User privacy is NOT preserved in aggregated mobility
   data. In *Proceedings of the 26th International Conference on World Wide
   Web* (WWW '17), 1241–1250. https://doi.org/10.1145/3038912.3052620
.. [2] Crouse, D. F. (2016). On implementing 2D rectangular assignment
   algorithms. *IEEE Transactions on Aerospace and Electronic Systems* 52(4),
   1679–1696. (The solver behind :func:`scipy.optimize.linear_sum_assignment`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import linear_sum_assignment

from lab.attacks.traces import check_release
from lab.grid import cell_slots, check_slot

__all__ = [
    "cell_centres",
    "one_location_per_slot",
    "count_locations",
    "check_counts",
    "tracking_cost",
    "match_points",
    "information_gain",
    "recover_trajectories",
]

#: Half the span of :func:`lab.geo.grid_cell`'s ids: ``cell = (ix + HALF) * 2 * HALF + (iy + HALF)``.
_HALF = np.int64(1 << 30)
_SPAN = np.int64(1 << 31)

#: Night ends at 06:00 local time (Xu et al. 2017).
NIGHT_END_S = 6 * 3600


def cell_centres(cell: npt.ArrayLike, *, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Centre of each grid cell in local metres: the inverse of :func:`lab.geo.grid_cell`.

    ``grid_cell`` numbers the cell of column ``ix`` and row ``iy`` (``ix = floor(x / cell_m)``)
    as ``(ix + 2**30) * 2**31 + (iy + 2**30)``; this undoes that and returns the middle of
    the square, ``((ix + 0.5) * cell_m, (iy + 0.5) * cell_m)``.

    Parameters
    ----------
    cell : array_like of int
        Cell ids made with the same ``cell_m``.
    cell_m : float
        Side of the cells in metres.

    Returns
    -------
    x, y : numpy.ndarray
        Metres east and north of the grid's origin.

    Examples
    --------
    >>> from lab.grid import grid_cell
    >>> c = grid_cell([1250.0, -10.0], [-400.0, 30.0], cell_m=500)
    >>> cell_centres(c, cell_m=500)
    (array([1250., -250.]), array([-250.,  250.]))
    """
    if not cell_m > 0:
        raise ValueError(f"cell_m must be a positive number of metres, got {cell_m!r}")
    cell = np.asarray(cell, dtype=np.int64)
    ix = cell // _SPAN - _HALF
    iy = cell % _SPAN - _HALF
    return (ix + 0.5) * float(cell_m), (iy + 0.5) * float(cell_m)


def one_location_per_slot(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, n_slots: int | None = None,
    origin: tuple[float, float] | None = None, start: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Each pseudonym's cell in every slot: the one-person-one-cell table the attack assumes.

    A pseudonym's cell in a slot is that of its last observation in the slot; a slot
    without observations takes the cell of the latest slot before it (forward fill),
    and slots before the first observation take the first one's (backward fill). The
    grid and the slots are those of :func:`lab.grid.cell_slots`.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the slots in seconds.
    n_slots : int, optional
        Number of slots to cover (default: up to the last observed slot).
    origin, start
        As for :func:`lab.grid.cell_slots`.

    Returns
    -------
    pandas.DataFrame
        pseudonym, slot, cell: one row per pseudonym and slot ``0 .. n_slots - 1``,
        sorted by pseudonym then slot.
    """
    check_release(release)
    cs = cell_slots(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    slot = cs["slot"].to_numpy(np.int64)
    if slot.min() < 0:
        raise ValueError("some observations fall before the start of slot 0; choose an earlier start")
    last_slot = int(slot.max())
    if n_slots is None:
        n_slots = last_slot + 1
    if not (isinstance(n_slots, (int, np.integer)) and n_slots > 0):
        raise ValueError(f"n_slots must be a positive whole number, got {n_slots!r}")
    user, pseudonyms = pd.factorize(cs["pseudonym"], sort=True)
    t = (release["t"] - release["t"].min()).dt.total_seconds().to_numpy()
    keep = slot < n_slots
    user, slot, cell, t = user[keep], slot[keep], cs["cell"].to_numpy(np.int64)[keep], t[keep]
    # Last observation per (pseudonym, slot): sort by user, slot, time and keep each group's last row.
    order = np.lexsort((t, slot, user))
    user, slot, cell = user[order], slot[order], cell[order]
    last = np.r_[(user[1:] != user[:-1]) | (slot[1:] != slot[:-1]), True]
    grid = np.full((len(pseudonyms), n_slots), -1, dtype=np.int64)
    grid[user[last], slot[last]] = cell[last]
    seen = grid >= 0
    col = np.where(seen, np.arange(n_slots), -1)
    col = np.maximum.accumulate(col, axis=1)
    first = seen.argmax(axis=1)
    col = np.where(col < 0, first[:, None], col)
    filled = np.take_along_axis(grid, col, axis=1)
    return pd.DataFrame({
        "pseudonym": np.repeat(np.asarray(pseudonyms), n_slots),
        "slot": np.tile(np.arange(n_slots, dtype=np.int64), len(pseudonyms)),
        "cell": filled.ravel(),
    })


def count_locations(locations: pd.DataFrame) -> pd.DataFrame:
    """The published aggregate of a table of one location per pseudonym and slot.

    Equals :func:`lab.mitigations.aggregate.count_by_cell` on a release holding one
    observation per pseudonym and slot.

    Parameters
    ----------
    locations : pandas.DataFrame
        pseudonym, slot, cell (for example from :func:`one_location_per_slot`).

    Returns
    -------
    pandas.DataFrame
        cell, slot, count, sorted by slot then cell.
    """
    counts = (locations.drop_duplicates(["pseudonym", "slot", "cell"])
              .groupby(["slot", "cell"], sort=True).size().rename("count").reset_index())
    return counts[["cell", "slot", "count"]]


def check_counts(counts: pd.DataFrame) -> None:
    """Refuse aggregate counts the attack would misread.

    Raises
    ------
    TypeError
        If ``counts`` is not a DataFrame.
    ValueError
        Naming the missing column, a column that does not hold integers, negative
        counts or slots, or (cell, slot) pairs listed twice.
    """
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"counts must be a pandas DataFrame, got {type(counts).__name__}")
    missing = [c for c in ("cell", "slot", "count") if c not in counts.columns]
    if missing:
        raise ValueError(f"counts is missing column(s) {', '.join(missing)}; "
                         "expected cell, slot and count as made by count_by_cell")
    for col in ("cell", "slot", "count"):
        if counts[col].isna().any():
            raise ValueError(f"column {col!r} has {int(counts[col].isna().sum())} missing value(s)")
        if not pd.api.types.is_integer_dtype(counts[col].dtype):
            raise ValueError(f"column {col!r} must hold whole numbers (an integer dtype), "
                             f"found {counts[col].dtype}")
    if (counts["count"] < 0).any():
        raise ValueError(f"column 'count' has {int((counts['count'] < 0).sum())} negative value(s); "
                         "a count of people cannot be negative")
    if (counts["slot"] < 0).any():
        raise ValueError("column 'slot' has negative values; slot 0 is the first slot")
    if counts.duplicated(["cell", "slot"]).any():
        raise ValueError(f"counts lists {int(counts.duplicated(['cell', 'slot']).sum())} (cell, slot) "
                         "pair(s) more than once; add them up first")


def tracking_cost(
    ends: np.ndarray, points: np.ndarray, *, velocity: np.ndarray | None = None,
    steps: npt.ArrayLike = 1,
) -> np.ndarray:
    """Cost of extending each trajectory to each location: distance from its predicted position.

    Parameters
    ----------
    ends : numpy.ndarray, shape (K, 2)
        Last position of each trajectory, metres.
    points : numpy.ndarray, shape (M, 2)
        The next slot's locations, metres.
    velocity : numpy.ndarray, shape (K, 2), optional
        Metres per slot from each trajectory's last two points (daytime tracking);
        ``None`` predicts no movement (night-time tracking).
    steps : int or array_like of shape (K,)
        Slots from each trajectory's last point to the next slot (1 unless it paused).

    Returns
    -------
    numpy.ndarray, shape (K, M)
        Euclidean distances in metres.
    """
    pred = np.asarray(ends, dtype=float)
    if velocity is not None:
        pred = pred + np.asarray(velocity, dtype=float) * np.asarray(steps, dtype=float).reshape(-1, 1)
    points = np.asarray(points, dtype=float)
    return np.hypot(pred[:, None, 0] - points[None, :, 0], pred[:, None, 1] - points[None, :, 1])


def match_points(cost: np.ndarray) -> np.ndarray:
    """Trajectory given to each location by the minimum-cost assignment.

    Parameters
    ----------
    cost : numpy.ndarray, shape (K, M)
        Trajectories × locations.

    Returns
    -------
    numpy.ndarray of int, shape (M,)
        Row of the trajectory each location extends, or -1 where there are more
        locations than trajectories and the location starts a new one.
    """
    rows, cols = linear_sum_assignment(cost)
    owner = np.full(cost.shape[1], -1, dtype=np.int64)
    owner[cols] = rows
    return owner


def _plogp_sum(owner: np.ndarray, n_owner: int, weight: np.ndarray) -> np.ndarray:
    """Per owner, the sum of ``w log w`` over its entries."""
    return np.bincount(owner, weights=weight * np.log(weight), minlength=n_owner)


def information_gain(
    a_owner: npt.ArrayLike, a_cell: npt.ArrayLike, b_owner: npt.ArrayLike, b_cell: npt.ArrayLike,
    *, n_a: int | None = None, n_b: int | None = None,
) -> np.ndarray:
    """Information gain of pooling each trajectory of one day with each of the next.

    For location multisets ``A`` and ``B`` (a trajectory's cells, one per slot),
    ``G(A, B) = H(A ∪ B) - (H(A) + H(B)) / 2`` with ``H`` the Shannon entropy (nats)
    of the location frequency distribution and ``A ∪ B`` the pooled multiset. Two days
    of the same routine pool into a distribution barely more uncertain than either,
    so a low gain marks a likely link.

    Parameters
    ----------
    a_owner, a_cell : array_like of int
        One entry per point of the first day: its trajectory (``0 .. n_a - 1``) and cell.
    b_owner, b_cell : array_like of int
        The same for the second day.
    n_a, n_b : int, optional
        Number of trajectories (default: largest owner + 1).

    Returns
    -------
    numpy.ndarray, shape (n_a, n_b)
        ``G`` for every pair, in nats.

    Notes
    -----
    With ``g(x) = x log x`` and ``n`` points spread over cells as counts ``c``,
    ``H = log n - sum(g(c)) / n``. For the pooled set ``sum g(a_c + b_c)`` equals
    ``sum g(a_c) + sum g(b_c)`` plus a correction on the cells both visit, so only
    pairs of trajectories sharing a cell need work beyond the outer sums.

    References
    ----------
    .. [1] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., & Jin, D. (2017). Trajectory
       recovery from ash: User privacy is NOT preserved in aggregated mobility data.
       WWW '17, 1241–1250.
    """
    a = _cell_counts(a_owner, a_cell)
    b = _cell_counts(b_owner, b_cell)
    n_a = (int(a[0].max()) + 1 if len(a[0]) else 0) if n_a is None else n_a
    n_b = (int(b[0].max()) + 1 if len(b[0]) else 0) if n_b is None else n_b
    size_a = np.bincount(a[0], weights=a[2], minlength=n_a)
    size_b = np.bincount(b[0], weights=b[2], minlength=n_b)
    ga = _plogp_sum(a[0], n_a, a[2])
    gb = _plogp_sum(b[0], n_b, b[2])
    with np.errstate(divide="ignore", invalid="ignore"):
        h_a = np.where(size_a > 0, np.log(size_a) - ga / size_a, 0.0)
        h_b = np.where(size_b > 0, np.log(size_b) - gb / size_b, 0.0)
    # Correction on shared cells: join a's entries to b's entries of the same cell.
    order = np.argsort(b[1], kind="stable")
    b_own, b_cel, b_cnt = b[0][order], b[1][order], b[2][order]
    lo = np.searchsorted(b_cel, a[1], side="left")
    hi = np.searchsorted(b_cel, a[1], side="right")
    length = hi - lo
    ia = np.repeat(np.arange(len(a[0])), length)
    ib = np.repeat(lo - (np.cumsum(length) - length), length) + np.arange(int(length.sum()))
    x, y = a[2][ia], b_cnt[ib]
    corr = (x + y) * np.log(x + y) - x * np.log(x) - y * np.log(y)
    shared = np.bincount(a[0][ia] * n_b + b_own[ib], weights=corr, minlength=n_a * n_b).reshape(n_a, n_b)
    size = size_a[:, None] + size_b[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        h_ab = np.log(size) - (ga[:, None] + gb[None, :] + shared) / size
    h_ab = np.where(size > 0, h_ab, 0.0)
    return h_ab - (h_a[:, None] + h_b[None, :]) / 2


def _cell_counts(owner: npt.ArrayLike, cell: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (owner, cell) pairs and how often each occurs."""
    owner = np.asarray(owner, dtype=np.int64)
    cell = np.asarray(cell, dtype=np.int64)
    if len(owner) == 0:
        return owner, cell, np.zeros(0)
    pairs, n = np.unique(np.c_[owner, cell], axis=0, return_counts=True)
    return pairs[:, 0], pairs[:, 1], n.astype(float)


def _check_clock(slot_s: int, slots_per_day: int | None, night_slots: Iterable[int] | None) -> tuple[int, np.ndarray]:
    """Validated slots per day and a boolean mask of the night slots of a day."""
    slot_s = check_slot(slot_s)
    if slots_per_day is None:
        if 86400 % slot_s:
            raise ValueError(f"slot_s = {slot_s} does not divide a day; give slots_per_day")
        slots_per_day = 86400 // int(slot_s)
    if not (isinstance(slots_per_day, (int, np.integer)) and slots_per_day > 0):
        raise ValueError(f"slots_per_day must be a positive whole number, got {slots_per_day!r}")
    night = np.zeros(slots_per_day, dtype=bool)
    if night_slots is None:
        night[: -(-NIGHT_END_S // int(slot_s))] = True
    else:
        idx = np.asarray(list(night_slots), dtype=np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= slots_per_day):
            raise ValueError(f"night_slots must be slots of the day, 0 to {slots_per_day - 1}, "
                             f"got {sorted(idx.tolist())}")
        night[idx] = True
    return int(slots_per_day), night


def _track_day(x: np.ndarray, y: np.ndarray, slot: np.ndarray, bounds: np.ndarray,
               night: np.ndarray, slots_per_day: int) -> np.ndarray:
    """Within-day tracking: the day's trajectory (0, 1, ...) of each of its locations."""
    owner = np.empty(len(x), dtype=np.int64)
    end = np.zeros((0, 2))
    vel = np.zeros((0, 2))
    last = np.zeros(0, dtype=np.int64)
    for lo, hi in pairwise(bounds):
        s = int(slot[lo])
        pts = np.c_[x[lo:hi], y[lo:hi]]
        if len(end):
            is_night = bool(night[s % slots_per_day])
            cost = tracking_cost(end, pts, velocity=None if is_night else vel, steps=s - last)
            own = match_points(cost)
        else:
            own = np.full(len(pts), -1, dtype=np.int64)
        fresh = own < 0
        own[fresh] = len(end) + np.arange(int(fresh.sum()))
        end = np.r_[end, np.zeros((int(fresh.sum()), 2))]
        vel = np.r_[vel, np.zeros((int(fresh.sum()), 2))]
        last = np.r_[last, np.full(int(fresh.sum()), s, dtype=np.int64)]
        moved = ~fresh
        gap = (s - last[own[moved]]).reshape(-1, 1)
        vel[own[moved]] = (pts[moved] - end[own[moved]]) / gap
        end[own] = pts
        last[own] = s
        owner[lo:hi] = own
    return owner


def recover_trajectories(
    counts: pd.DataFrame, *, cell_m: float, slot_s: int, slots_per_day: int | None = None,
    night_slots: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Rebuild individual trajectories from counts of people per cell and slot.

    Parameters
    ----------
    counts : pandas.DataFrame
        cell, slot, count, as made by :func:`lab.mitigations.aggregate.count_by_cell`
        (slot 0 starting at local midnight). Each person should be counted in one
        cell per slot; see the module notes for what happens otherwise.
    cell_m : float
        Side of the grid cells in metres (the one the counts were made with).
    slot_s : int
        Length of the slots in seconds.
    slots_per_day : int, optional
        Slots in a day (default ``86400 // slot_s``). Tracking restarts at each day's
        first slot and days are then linked.
    night_slots : iterable of int, optional
        Slots of the day (``0 .. slots_per_day - 1``) tracked by distance from the last
        location; the others use the velocity prediction. Default: slots starting
        before 06:00.

    Returns
    -------
    pandas.DataFrame
        trajectory, slot, cell: one row per recovered trajectory per slot in which it
        has a location, sorted by trajectory then slot. ``attrs["slots_per_day"]``
        records the day length.

    Raises
    ------
    ValueError
        If ``counts`` has missing columns, non-integer values, negative counts or
        slots, or duplicated (cell, slot) pairs, or a parameter is out of range.

    References
    ----------
    .. [1] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., & Jin, D. (2017). Trajectory
       recovery from ash: User privacy is NOT preserved in aggregated mobility data.
       WWW '17, 1241–1250. https://doi.org/10.1145/3038912.3052620

    Examples
    --------
    Two people 5 km apart, each staying put for a day:

    >>> counts = pd.DataFrame({"cell": [0, 10 * 2**31] * 3, "slot": [0, 0, 1, 1, 2, 2],
    ...                        "count": [1] * 6})
    >>> rec = recover_trajectories(counts, cell_m=500, slot_s=3600)
    >>> rec.groupby("trajectory")["cell"].nunique().tolist()
    [1, 1]
    """
    check_counts(counts)
    if not cell_m > 0:
        raise ValueError(f"cell_m must be a positive number of metres, got {cell_m!r}")
    slots_per_day, night = _check_clock(slot_s, slots_per_day, night_slots)
    counts = counts.loc[counts["count"] > 0].sort_values(["slot", "cell"], kind="stable")
    n = counts["count"].to_numpy(np.int64)
    slot = np.repeat(counts["slot"].to_numpy(np.int64), n)
    cell = np.repeat(counts["cell"].to_numpy(np.int64), n)
    x, y = cell_centres(cell, cell_m=cell_m)
    out = pd.DataFrame({"trajectory": np.zeros(0, np.int64), "slot": slot[:0], "cell": cell[:0]})
    out.attrs["slots_per_day"] = slots_per_day
    if len(slot) == 0:
        return out
    starts = np.r_[0, np.flatnonzero(np.diff(slot)) + 1, len(slot)]
    day_of = slot[starts[:-1]] // slots_per_day
    day_edges = np.r_[0, np.flatnonzero(np.diff(day_of)) + 1, len(day_of)]

    chain = np.empty(len(slot), dtype=np.int64)
    n_chains = 0
    prev: tuple[np.ndarray, np.ndarray, int, np.ndarray] | None = None
    for d0, d1 in pairwise(day_edges):
        lo, hi = starts[d0], starts[d1]
        own = _track_day(x[lo:hi], y[lo:hi], slot[lo:hi], starts[d0:d1 + 1] - lo, night, slots_per_day)
        k = int(own.max()) + 1
        link = np.full(k, -1, dtype=np.int64)
        if prev is not None:
            p_own, p_cell, p_k, p_chain = prev
            gain = information_gain(p_own, p_cell, own, cell[lo:hi], n_a=p_k, n_b=k)
            rows, cols = linear_sum_assignment(gain)
            link[cols] = p_chain[rows]
        fresh = link < 0
        link[fresh] = n_chains + np.arange(int(fresh.sum()))
        n_chains += int(fresh.sum())
        chain[lo:hi] = link[own]
        prev = (own, cell[lo:hi], k, link)

    # Trajectory ids are numbered in order of first appearance; sort by trajectory then slot.
    order = np.lexsort((slot, chain))
    out = pd.DataFrame({"trajectory": chain[order], "slot": slot[order], "cell": cell[order]})
    out.attrs["slots_per_day"] = slots_per_day
    return out
