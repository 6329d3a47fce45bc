"""Background-knowledge attacks: what ``k`` known points are worth to an adversary.

The adversary knows ``k`` of a target's records (where, or where and when, or in
what order, or how often) and looks for the pseudonyms consistent with that
knowledge. The target's risk is the worst case over every ``k``-subset of its
records the adversary could know: ``1 / (number of matching pseudonyms)``. The
semantics follow scikit-mobility's :mod:`skmob.privacy.attacks` (Pellungrini et
al. 2017), computed exactly but without comparing pseudonyms pairwise: see
:mod:`lab.attacks.instances`.

Two known defects of that implementation are not repeated: its home-and-work
attack takes the two *least* frequent locations (its frequency vector is sorted
ascending) and its location-time attack at ``"Hour"`` precision compares whole
days (the hour never enters the key). Both are available here only as
explicitly named legacy options, for exercises.

References
----------
.. [1] Pellungrini, R., Pappalardo, L., Pratesi, F., Monreale, A. (2017). A data
   mining approach to assess privacy risk in human mobility data. ACM TIST 9(3), 31.
.. [2] Pappalardo, L., Simini, F., Barlacchi, G., Pellungrini, R. (2022).
   scikit-mobility: a Python library for the analysis, generation and risk
   assessment of mobility data. Journal of Statistical Software 103(4).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from lab.attacks.instances import (
    containing,
    count_instances,
    count_keys,
    enumerate_rows,
    instance_keys,
    min_match,
    user_items,
)
from lab.attacks.traces import Space, check_release, sorted_by_user_time, spatial_units

__all__ = [
    "PRECISIONS",
    "location_attack",
    "location_time_attack",
    "location_sequence_attack",
    "unique_location_attack",
    "frequency_attack",
    "probability_attack",
    "proportion_attack",
    "home_work_attack",
]

#: Time precisions of the location-time attack, coarsest first.
PRECISIONS = ("year", "month", "day", "hour", "minute", "second")


def _check_k(k: int) -> None:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k is the number of points the adversary knows and must be a whole number >= 1, got {k!r}")


def _check_tolerance(tolerance: float) -> None:
    if not 0.0 <= tolerance <= 1.0:
        raise ValueError(f"tolerance is a relative margin and must lie in [0, 1], got {tolerance!r}")


def _prepare(release: pd.DataFrame, space: Space | str) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Sorted release, user codes, location codes and pseudonym labels."""
    check_release(release)
    space = Space.parse(space) if isinstance(space, str) else space
    ordered, user, labels = sorted_by_user_time(release)
    loc = spatial_units(ordered, space)
    return user, loc, labels, ordered


def _risk_series(labels: np.ndarray, matches: np.ndarray) -> pd.Series:
    risk = np.where(matches > 0, 1.0 / np.maximum(matches, 1), np.nan)
    return pd.Series(risk, index=pd.Index(labels, name="pseudonym"), name="risk")


def _multiset_risk(user: np.ndarray, item: np.ndarray, n_users: int, k: int, *, distinct: bool = False) -> np.ndarray:
    """Smallest match count over each user's ``k``-multisets of items (whole trace if shorter)."""
    n_items = int(item.max()) + 1 if len(item) else 1
    u, it, c = user_items(user, item, cap=1 if distinct else k)
    owner, matches = count_instances(u, it, c, k, n_items=n_items)
    best = min_match(owner, matches, n_users)
    totals = np.bincount(u, weights=c, minlength=n_users).astype(np.int64)
    short = np.flatnonzero((totals < k) & (totals > 0))
    if len(short):
        best[short] = containing(u, it, c, short, n_items=n_items, n_users=n_users)
    return best


def location_attack(release: pd.DataFrame, *, k: int = 2, space: Space | str = "exact") -> pd.Series:
    """Risk when the adversary knows ``k`` places the target visited (with repeats).

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    k : int
        Number of known records.
    space : Space or str
        What counts as one location: ``"exact"`` (lat, lon pairs), a column such as
        ``"tower_id"``, or ``"grid:500"``.

    Returns
    -------
    pandas.Series
        Risk per pseudonym in (0, 1]: 1 means some ``k`` records single it out.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.Timestamp("2031-03-03 08:00", tz="UTC")
    >>> rel = pd.DataFrame({"pseudonym": ["a", "a", "b", "b"], "t": [t] * 4,
    ...                     "lat": [0.0, 1.0, 0.0, 2.0], "lon": [0.0] * 4})
    >>> location_attack(rel, k=2).tolist()
    [1.0, 1.0]
    """
    _check_k(k)
    user, loc, labels, _ = _prepare(release, space)
    return _risk_series(labels, _multiset_risk(user, loc, len(labels), k))


def _time_keys(t: pd.Series, precision: str, *, legacy_hour: bool = False) -> np.ndarray:
    """Calendar key of each instant at ``precision`` on the local clock."""
    p = precision.lower()
    if p not in PRECISIONS:
        raise ValueError(f"time precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    local = t.dt.tz_localize(None)
    if p == "year":
        return local.dt.year.to_numpy(dtype=np.int64)
    if p == "month":
        return (local.dt.year * 12 + local.dt.month).to_numpy(dtype=np.int64)
    seconds = local.to_numpy().astype("datetime64[s]").astype(np.int64)
    if p == "day" or (p == "hour" and legacy_hour):
        return seconds // 86_400
    return seconds // {"hour": 3600, "minute": 60, "second": 1}[p]


def location_time_attack(
    release: pd.DataFrame, *, k: int = 2, precision: str = "hour", space: Space | str = "exact",
    legacy_hour: bool = False,
) -> pd.Series:
    """Risk when the adversary knows ``k`` places and when (to ``precision``) the target was there.

    Parameters
    ----------
    precision : {"year", "month", "day", "hour", "minute", "second"}
        Calendar precision of the known times (local clock).
    legacy_hour : bool
        Reproduce scikit-mobility's defect where ``"hour"`` compares whole days
        (its key is year, month, day and month again). For exercises only.
    """
    _check_k(k)
    user, loc, labels, ordered = _prepare(release, space)
    tkey = _time_keys(ordered["t"], precision, legacy_hour=legacy_hour)
    item = pd.factorize(pd.MultiIndex.from_arrays([loc, tkey]), sort=True)[0].astype(np.int64)
    return _risk_series(labels, _multiset_risk(user, item, len(labels), k))


def unique_location_attack(release: pd.DataFrame, *, k: int = 2, space: Space | str = "exact") -> pd.Series:
    """Risk when the adversary knows ``k`` distinct places the target visited (no counts)."""
    _check_k(k)
    user, loc, labels, _ = _prepare(release, space)
    return _risk_series(labels, _multiset_risk(user, loc, len(labels), k, distinct=True))


def _vector_attack(release, k, space, tolerance, kind) -> pd.Series:
    _check_k(k)
    _check_tolerance(tolerance)
    user, loc, labels, _ = _prepare(release, space)
    n_users = len(labels)
    u, it, f = user_items(user, loc)
    if kind == "probability":
        total = np.bincount(u, weights=f, minlength=n_users)[u]
        value = f / total
    else:
        value = f.astype(float)
    if tolerance == 0.0 and kind in ("frequency", "probability"):
        # Exact values: an item is (location, value), each held once.
        if kind == "probability":
            g = np.gcd(f, total.astype(np.int64))
            vkey = pd.factorize(pd.MultiIndex.from_arrays([f // g, total.astype(np.int64) // g]), sort=True)[0]
        else:
            vkey = f
        item = pd.factorize(pd.MultiIndex.from_arrays([it, vkey]), sort=True)[0].astype(np.int64)
        return _risk_series(labels, _multiset_risk(u, item, n_users, k, distinct=True))
    if tolerance == 0.0 and kind == "proportion":
        return _risk_series(labels, _exact_proportion(u, it, f, k, n_users))
    return _risk_series(labels, _tolerant_matches(u, it, value, k, tolerance, n_users,
                                                  relative_to_max=(kind == "proportion")))


def _by_effective_size(u: np.ndarray, k: int, n_users: int):
    """Users grouped by ``min(distinct items, k)``: the size of the knowledge about them."""
    counts = np.bincount(u, minlength=n_users)
    eff = np.minimum(counts, k)
    for size in np.unique(eff[counts > 0]):
        yield int(size), np.flatnonzero(eff == size)


def _tolerant_matches(u, it, value, k, tolerance, n_users, *, relative_to_max) -> np.ndarray:
    """Match counts when values need only agree within ``tolerance`` (exact, by checking candidates).

    An instance's candidates are the users holding its rarest location; each is
    checked for every location and value. The cost grows with the candidates, so
    this path suits tolerance studies on small releases.
    """
    n_items = int(it.max()) + 1
    code = u * n_items + it
    order = np.argsort(code)
    code_sorted, value_sorted = code[order], value[order]
    by_loc = np.lexsort((u, it))
    loc_start = np.searchsorted(it[by_loc], np.arange(n_items + 1))
    big = np.iinfo(np.int64).max
    best = np.full(n_users, big)
    for size, owners in _by_effective_size(u, k, n_users):
        mask = np.isin(u, owners)
        own_u, own_it, own_v = u[mask], it[mask], value[mask]
        for owner, rows in enumerate_rows(own_u, np.ones_like(own_u), size):
            inst_items = own_it[rows]
            inst_vals = own_v[rows].astype(float)
            sizes = loc_start[inst_items + 1] - loc_start[inst_items]
            idx = np.arange(len(rows))
            rare_item = inst_items[idx, np.argmin(sizes, axis=1)]
            n_cand = sizes.min(axis=1)
            inst_idx = np.repeat(idx, n_cand)
            offs = np.arange(n_cand.sum()) - np.repeat(np.cumsum(n_cand) - n_cand, n_cand)
            cand = u[by_loc[loc_start[rare_item][inst_idx] + offs]]
            ok = np.ones(len(cand), dtype=bool)
            vals = np.full((len(cand), size), np.nan)
            for j in range(size):
                q = cand * n_items + inst_items[inst_idx, j]
                pos = np.clip(np.searchsorted(code_sorted, q), 0, len(code_sorted) - 1)
                has = code_sorted[pos] == q
                ok &= has
                vals[:, j] = np.where(has, value_sorted[pos], np.nan)
            mine = inst_vals[inst_idx]
            if relative_to_max:
                mine = mine / mine.max(axis=1, keepdims=True)
                vals = vals / np.nanmax(vals, axis=1, keepdims=True)
            with np.errstate(invalid="ignore"):
                ok &= ((mine >= vals - vals * tolerance) & (mine <= vals + vals * tolerance)).all(axis=1)
            np.minimum.at(best, owner, np.bincount(inst_idx[ok], minlength=len(rows)))
    return np.where(best == big, 0, best)


def _exact_proportion(u, it, f, k, n_users) -> np.ndarray:
    """Exact proportions: an instance's key is its locations and its frequencies divided by their gcd."""
    best = np.zeros(n_users, dtype=np.int64)
    for size, users in _by_effective_size(u, k, n_users):
        owners_l, keys_l = [], []
        # Everyone holding at least ``size`` locations can match an instance of that size.
        for owner, rows in enumerate_rows(u, np.ones_like(u), size):
            fr = f[rows]
            g = np.gcd.reduce(fr, axis=1)
            owners_l.append(owner)
            keys_l.append(np.concatenate([it[rows], fr // g[:, None]], axis=1))
        owner, matches = count_keys(owners_l, keys_l)
        sel = np.isin(owner, users)
        best[users] = min_match(owner[sel], matches[sel], n_users)[users]
    return best


def frequency_attack(release: pd.DataFrame, *, k: int = 2, tolerance: float = 0.0,
                     space: Space | str = "exact") -> pd.Series:
    """Risk when the adversary knows ``k`` places and how often the target visited each.

    A pseudonym matches when it visited each place a number of times within
    ``tolerance`` (relative) of the known count.
    """
    return _vector_attack(release, k, space, tolerance, "frequency")


def probability_attack(release: pd.DataFrame, *, k: int = 2, tolerance: float = 0.0,
                       space: Space | str = "exact") -> pd.Series:
    """Risk when the adversary knows ``k`` places and the share of the target's records at each."""
    return _vector_attack(release, k, space, tolerance, "probability")


def proportion_attack(release: pd.DataFrame, *, k: int = 2, tolerance: float = 0.0,
                      space: Space | str = "exact") -> pd.Series:
    """Risk when the adversary knows ``k`` places and their visit counts relative to the most visited of them."""
    return _vector_attack(release, k, space, tolerance, "proportion")


def location_sequence_attack(release: pd.DataFrame, *, k: int = 2, space: Space | str = "exact",
                             max_instances: int = 50_000_000) -> pd.Series:
    """Risk when the adversary knows ``k`` places the target visited, in order.

    A pseudonym matches when the known places appear in its trace in that order
    (not necessarily consecutively). Every distinct ordered ``k``-subsequence of
    every trace is enumerated once, so the cost grows as the sum of ``C(n, k)``
    over trace lengths ``n``; ``max_instances`` guards against a runaway.

    Raises
    ------
    ValueError
        If the enumeration would exceed ``max_instances`` (coarsen the space,
        shorten the traces, or lower ``k``).
    """
    _check_k(k)
    user, loc, labels, _ = _prepare(release, space)
    n_users = len(labels)
    lengths = np.bincount(user, minlength=n_users)
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    sizes = sorted({int(min(n, k)) for n in lengths if n > 0})
    total = sum(math.comb(int(n), s) for s in sizes for n in lengths if n >= s)
    if total > max_instances:
        raise ValueError(f"a location-sequence attack with k={k} would enumerate {total:,} subsequences "
                         f"(more than max_instances={max_instances:,}); coarsen the space or lower k")
    n_items = int(loc.max()) + 1
    best = np.zeros(n_users, dtype=np.int64)
    for size in sizes:
        owners_l, keys_l = [], []
        for n in np.unique(lengths[lengths >= size]):
            users = np.flatnonzero(lengths == n)
            table = np.asarray(list(itertools.combinations(range(int(n)), size)), dtype=np.int64)
            seq = loc[starts[users][:, None] + np.arange(int(n))[None, :]]      # (g, n)
            rows = seq[:, table].reshape(-1, size)                              # every subsequence
            owner = np.repeat(users, len(table))
            key = instance_keys(np.arange(len(rows) * size).reshape(-1, size), rows.ravel(), n_items=n_items)
            # A trace holds each distinct subsequence once, however many ways it embeds.
            if key.ndim == 1:
                pair = pd.DataFrame({"o": owner, "k": key}).drop_duplicates()
                owners_l.append(pair["o"].to_numpy())
                keys_l.append(pair["k"].to_numpy())
            else:
                both = np.unique(np.c_[owner, key], axis=0)
                owners_l.append(both[:, 0])
                keys_l.append(both[:, 1:])
        owner, matches = count_keys(owners_l, keys_l)
        targets = np.flatnonzero(np.minimum(lengths, k) == size)
        sel = np.isin(owner, targets)
        best[targets] = min_match(owner[sel], matches[sel], n_users)[targets]
    return _risk_series(labels, best)


def home_work_attack(release: pd.DataFrame, *, space: Space | str = "exact", legacy_ascending: bool = False) -> pd.Series:
    """Risk when the adversary knows the target's two most visited places (home and work).

    Ties in visit counts are broken by the earlier first visit, then by location
    code. A pseudonym matches when both known places are among its own two most
    visited. ``legacy_ascending=True`` reproduces scikit-mobility's defect of
    taking the two *least* visited places (for exercises only).
    """
    user, loc, labels, ordered = _prepare(release, space)
    n_users = len(labels)
    first = pd.DataFrame({"u": user, "l": loc, "i": np.arange(len(user))}).groupby(["u", "l"], sort=True)
    stats = first["i"].agg(["size", "min"]).reset_index()
    if legacy_ascending:
        stats = stats.sort_values(["u", "size"], kind="stable")
    else:
        stats = stats.sort_values(["u", "size", "min", "l"], ascending=[True, False, True, True], kind="stable")
    rank = stats.groupby("u").cumcount().to_numpy()
    top = stats[rank < 2]
    u2 = top["u"].to_numpy()
    l2 = top["l"].to_numpy()
    n_items = int(loc.max()) + 1
    # Each user's top-two set, as a sorted pair (a lone location is paired with itself).
    a = pd.Series(l2).groupby(u2).min()
    b = pd.Series(l2).groupby(u2).max()
    pair_key = a.to_numpy() * n_items + b.to_numpy()
    sizes = pd.Series(l2).groupby(u2).size().to_numpy()
    users = a.index.to_numpy()
    # Matches for two-location knowledge: users with the same top-two set.
    counts = pd.Series(pair_key[sizes == 2]).value_counts()
    match = np.zeros(n_users, dtype=np.int64)
    two = sizes == 2
    match[users[two]] = counts.reindex(pair_key[two]).to_numpy()
    # One-location knowledge (a trace with one place): users whose top two include it.
    one = ~two
    if one.any():
        holders = pd.Series(u2).groupby(l2).nunique()
        match[users[one]] = holders.reindex(a.to_numpy()[one]).to_numpy()
    return _risk_series(labels, match)
