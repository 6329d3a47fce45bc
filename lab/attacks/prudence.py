"""Background-knowledge attacks: what ``k`` known points are worth to an adversary.

The adversary knows ``k`` of a target's records (where, or where and when, or in
what order, or how often) and looks for the pseudonyms consistent with that
knowledge. The target's risk is the worst case over every ``k``-subset of its
records the adversary could know: ``1 / (number of matching pseudonyms)``. The
semantics follow scikit-mobility's :mod:`skmob.privacy.attacks` (Pellungrini et
al. 2017), computed exactly but without comparing pseudonyms pairwise: see
:mod:`lab.attacks.instances`.

Three known defects of that implementation are not repeated: its home-and-work
attack takes the two *least* frequent locations (its frequency vector is sorted
ascending), its location-time attack at ``"Hour"`` precision compares whole
days (the hour never enters the key), and its tolerances compare floating-point
quotients, so a candidate exactly at the limit can be dropped by rounding (here
counts are compared as exact fractions). Each is available here only as an
explicitly named legacy option (``legacy_ascending``, ``legacy_hour``,
``legacy_float``), for exercises. Rules that depend on order (first visits,
sequences) read simultaneous records in the order of their location codes, so
no risk depends on the order of the release's rows.

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
import numbers
from decimal import Decimal
from fractions import Fraction

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
from lab.attacks.traces import check_release, sorted_by_user_time
from lab.grid import Space, spatial_units
from lab.params import check_whole

__all__ = [
    "PRECISIONS",
    "check_known",
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


def check_known(k: int) -> int:
    """``k``, the number of points the adversary knows, checked (a whole number of at least 1)."""
    return check_whole(k, name="k", meaning="the number of points the adversary knows")


def _check_tolerance(tolerance: float | Fraction) -> Fraction:
    """The tolerance as an exact fraction: a float is read as the decimal it prints as (0.1 is one tenth)."""
    message = f"tolerance is a relative margin and must be a number in [0, 1], got {tolerance!r}"
    if isinstance(tolerance, (bool, np.bool_)) or not isinstance(tolerance, (numbers.Real, Decimal)):
        raise ValueError(message)
    try:
        if isinstance(tolerance, (Fraction, int, np.integer, Decimal)):
            tol = Fraction(int(tolerance) if isinstance(tolerance, np.integer) else tolerance)
        else:
            value = float(tolerance)
            if not math.isfinite(value):
                raise ValueError(message)
            tol = Fraction(repr(value))
    except (TypeError, ValueError, ArithmeticError):
        raise ValueError(message) from None
    if not 0 <= tol <= 1:
        raise ValueError(message)
    return tol


def _prepare(release: pd.DataFrame, space: Space | str) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """User codes, location codes, pseudonym labels and the release sorted by (user, time, location).

    Location codes follow the sorted labels of the units (so they do not depend
    on row order), and simultaneous records of one pseudonym are ordered by
    location code: every order-sensitive rule below is a function of the
    release's content, not of how its rows were shuffled.
    """
    check_release(release)
    space = Space.parse(space) if isinstance(space, str) else space
    units = spatial_units(release, space)
    ordered, user, labels, order = sorted_by_user_time(release, units=units)
    return user, units[order], labels, ordered


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
    check_known(k)
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
    check_known(k)
    user, loc, labels, ordered = _prepare(release, space)
    tkey = _time_keys(ordered["t"], precision, legacy_hour=legacy_hour)
    item = pd.factorize(pd.MultiIndex.from_arrays([loc, tkey]), sort=True)[0].astype(np.int64)
    return _risk_series(labels, _multiset_risk(user, item, len(labels), k))


def unique_location_attack(release: pd.DataFrame, *, k: int = 2, space: Space | str = "exact") -> pd.Series:
    """Risk when the adversary knows ``k`` distinct places the target visited (no counts)."""
    check_known(k)
    user, loc, labels, _ = _prepare(release, space)
    return _risk_series(labels, _multiset_risk(user, loc, len(labels), k, distinct=True))


def _vector_attack(release: pd.DataFrame, k: int, space: Space | str, tolerance: float | Fraction, kind: str,
                   legacy_float: bool) -> pd.Series:
    check_known(k)
    tol = _check_tolerance(tolerance)
    user, loc, labels, _ = _prepare(release, space)
    n_users = len(labels)
    u, it, f = user_items(user, loc)
    # Each value is a ratio of counts: num / den (a probability divides by the pseudonym's records).
    den = np.bincount(u, weights=f, minlength=n_users).astype(np.int64)[u] if kind == "probability" else np.ones_like(f)
    if tol == 0 and kind in ("frequency", "probability"):
        # Exact values: an item is (location, value), each held once.
        if kind == "probability":
            g = np.gcd(f, den)
            vkey = pd.factorize(pd.MultiIndex.from_arrays([f // g, den // g]), sort=True)[0]
        else:
            vkey = f
        item = pd.factorize(pd.MultiIndex.from_arrays([it, vkey]), sort=True)[0].astype(np.int64)
        return _risk_series(labels, _multiset_risk(u, item, n_users, k, distinct=True))
    if tol == 0 and kind == "proportion":
        return _risk_series(labels, _exact_proportion(u, it, f, k, n_users))
    return _risk_series(labels, _tolerant_matches(u, it, f, den, k, tol, n_users,
                                                  relative_to_max=(kind == "proportion"), legacy_float=legacy_float))


def _by_effective_size(u: np.ndarray, k: int, n_users: int):
    """Users grouped by ``min(distinct items, k)``: the size of the knowledge about them."""
    counts = np.bincount(u, minlength=n_users)
    eff = np.minimum(counts, k)
    for size in np.unique(eff[counts > 0]):
        yield int(size), np.flatnonzero(eff == size)


def _within(mine_num: np.ndarray, mine_den: np.ndarray, their_num: np.ndarray, their_den: np.ndarray,
            tol: Fraction, *, legacy_float: bool) -> np.ndarray:
    """Whether each known value ``mine`` lies within ``tol`` of the candidate's value ``their``, relative to theirs.

    ``|mine - their| <= tol * their``, compared exactly on integers: with
    ``mine = a / b``, ``their = c / d`` and ``tol = p / q``, it reads
    ``|a d - c b| q <= p c b``. Python integers take over when int64 could
    overflow. ``legacy_float`` compares the floating-point quotients instead, as
    scikit-mobility does (a candidate exactly at the limit may then be dropped).
    """
    if legacy_float:
        with np.errstate(invalid="ignore", divide="ignore"):
            mine = mine_num / mine_den
            their = their_num / their_den
        t = float(tol)
        return (mine >= their - their * t) & (mine <= their + their * t)
    p, q = tol.numerator, tol.denominator
    largest = max(int(np.max(x, initial=0)) for x in (mine_num, mine_den, their_num, their_den))
    if largest * largest * max(p, q) >= 2**62:
        mine_num, mine_den, their_num, their_den = (np.asarray(x, dtype=object)
                                                    for x in (mine_num, mine_den, their_num, their_den))
    gap = np.abs(mine_num * their_den - their_num * mine_den) * q
    return np.asarray(gap <= p * their_num * mine_den, dtype=bool)


def _tolerant_matches(u: np.ndarray, it: np.ndarray, num: np.ndarray, den: np.ndarray, k: int, tol: Fraction,
                      n_users: int, *, relative_to_max: bool, legacy_float: bool) -> np.ndarray:
    """Match counts when values need only agree within ``tol`` (exact, by checking candidates).

    A value is ``num / den`` for each distinct (user, location); with
    ``relative_to_max`` it is divided by the largest ``num`` among the instance's
    locations instead. An instance's candidates are the users holding its rarest
    location; each is checked for every location and value (:func:`_within`).
    The cost grows with the candidates, so this path suits tolerance studies on
    small releases.
    """
    n_items = int(it.max()) + 1
    code = u * n_items + it
    order = np.argsort(code)
    code_sorted, num_sorted, den_sorted = code[order], num[order], den[order]
    by_loc = np.lexsort((u, it))
    loc_start = np.searchsorted(it[by_loc], np.arange(n_items + 1))
    big = np.iinfo(np.int64).max
    best = np.full(n_users, big)
    for size, owners in _by_effective_size(u, k, n_users):
        mask = np.isin(u, owners)
        own_u, own_it, own_num, own_den = u[mask], it[mask], num[mask], den[mask]
        for owner, rows in enumerate_rows(own_u, np.ones_like(own_u), size):
            inst_items = own_it[rows]
            sizes = loc_start[inst_items + 1] - loc_start[inst_items]
            idx = np.arange(len(rows))
            rare_item = inst_items[idx, np.argmin(sizes, axis=1)]
            n_cand = sizes.min(axis=1)
            inst_idx = np.repeat(idx, n_cand)
            offs = np.arange(n_cand.sum()) - np.repeat(np.cumsum(n_cand) - n_cand, n_cand)
            cand = u[by_loc[loc_start[rare_item][inst_idx] + offs]]
            ok = np.ones(len(cand), dtype=bool)
            their_num = np.zeros((len(cand), size), dtype=np.int64)
            their_den = np.ones((len(cand), size), dtype=np.int64)
            for j in range(size):
                q = cand * n_items + inst_items[inst_idx, j]
                pos = np.clip(np.searchsorted(code_sorted, q), 0, len(code_sorted) - 1)
                has = code_sorted[pos] == q
                ok &= has
                their_num[:, j] = np.where(has, num_sorted[pos], 0)
                their_den[:, j] = np.where(has, den_sorted[pos], 1)
            mine_num, mine_den = own_num[rows][inst_idx], own_den[rows][inst_idx]
            if relative_to_max:  # each count over the largest among the instance's locations
                mine_den = np.broadcast_to(mine_num.max(axis=1, keepdims=True), mine_num.shape)
                their_den = np.broadcast_to(np.maximum(their_num.max(axis=1, keepdims=True), 1), their_num.shape)
            ok &= _within(mine_num, mine_den, their_num, their_den, tol, legacy_float=legacy_float).all(axis=1)
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


def frequency_attack(release: pd.DataFrame, *, k: int = 2, tolerance: float | Fraction = 0.0,
                     space: Space | str = "exact", legacy_float: bool = False) -> pd.Series:
    """Risk when the adversary knows ``k`` places and how often the target visited each.

    A pseudonym matches when, at each known place, the known count lies within
    ``tolerance`` of the pseudonym's own count, relative to its own count:
    ``|known - own| <= tolerance * own`` (scikit-mobility's rule). The comparison
    is exact: a candidate exactly at the limit matches.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    k : int
        Number of known places.
    tolerance : float or fractions.Fraction
        Relative margin in [0, 1]. A float is read as the decimal it prints as
        (``0.1`` is exactly one tenth); pass a :class:`~fractions.Fraction` for
        any other ratio, such as ``Fraction(1, 3)``.
    space : Space or str
        What counts as one location (see :func:`location_attack`).
    legacy_float : bool
        Compare in floating point as scikit-mobility does, where a candidate
        exactly at the limit can be dropped by rounding. For exercises only.

    Returns
    -------
    pandas.Series
        Risk per pseudonym in (0, 1].
    """
    return _vector_attack(release, k, space, tolerance, "frequency", legacy_float)


def probability_attack(release: pd.DataFrame, *, k: int = 2, tolerance: float | Fraction = 0.0,
                       space: Space | str = "exact", legacy_float: bool = False) -> pd.Series:
    """Risk when the adversary knows ``k`` places and the share of the target's records at each.

    Shares are compared as fractions of whole counts, exactly; the margin rule,
    ``tolerance`` and ``legacy_float`` are those of :func:`frequency_attack`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.Timestamp("2031-03-03 08:00", tz="UTC")
    >>> rel = pd.DataFrame({"pseudonym": list("aaaaabbb"), "t": [t] * 8,
    ...                     "lat": [1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0], "lon": [0.0] * 8})
    >>> probability_attack(rel, k=2, tolerance=0.2).to_dict()  # a's 2/5 is b's 1/3 plus a fifth of it
    {'a': 0.5, 'b': 0.5}
    >>> probability_attack(rel, k=2, tolerance=0.2, legacy_float=True).to_dict()  # rounding drops b
    {'a': 1.0, 'b': 0.5}
    """
    return _vector_attack(release, k, space, tolerance, "probability", legacy_float)


def proportion_attack(release: pd.DataFrame, *, k: int = 2, tolerance: float | Fraction = 0.0,
                      space: Space | str = "exact", legacy_float: bool = False) -> pd.Series:
    """Risk when the adversary knows ``k`` places and their visit counts relative to the most visited of them.

    Proportions are compared as fractions of whole counts, exactly; the margin
    rule, ``tolerance`` and ``legacy_float`` are those of :func:`frequency_attack`.
    """
    return _vector_attack(release, k, space, tolerance, "proportion", legacy_float)


def location_sequence_attack(release: pd.DataFrame, *, k: int = 2, space: Space | str = "exact",
                             max_instances: int = 50_000_000) -> pd.Series:
    """Risk when the adversary knows ``k`` places the target visited, in order.

    A pseudonym matches when the known places appear in its trace in that order
    (not necessarily consecutively). Records at the same instant are read in
    the order of their location codes (sorted unit labels), so a trace's order,
    and the risk, do not depend on the order of the release's rows. Every
    distinct ordered ``k``-subsequence of
    every trace is enumerated once, so the cost grows as the sum of ``C(n, k)``
    over trace lengths ``n``; ``max_instances`` guards against a runaway.

    Raises
    ------
    ValueError
        If the enumeration would exceed ``max_instances`` (coarsen the space,
        shorten the traces, or lower ``k``).
    """
    check_known(k)
    check_whole(max_instances, name="max_instances", meaning="the most subsequences the attack may enumerate")
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


def home_work_attack(
    release: pd.DataFrame, *, space: Space | str = "exact", legacy_ascending: bool = False
) -> pd.Series:
    """Risk when the adversary knows the target's two most visited places (home and work).

    Ties in visit counts are broken by the earlier first visit, then, for places
    first visited at the same instant, by location code (codes follow the sorted
    unit labels: the smaller ``(lat, lon)``, column value or grid cell first).
    This is a total order on a pseudonym's places, so the result does not depend
    on the order of the release's rows. A pseudonym matches when both known
    places are among its own two most visited. ``legacy_ascending=True``
    reproduces scikit-mobility's defect of taking the two *least* visited places
    (ties: smaller location code first; for exercises only).
    """
    user, loc, labels, _ordered = _prepare(release, space)
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
