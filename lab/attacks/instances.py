"""Counting background knowledge: how many pseudonyms hold a given set of points.

The engine behind the background-knowledge attacks. An adversary's knowledge
is an *instance*: a multiset of ``k`` items (locations, location-time points…)
taken from the target's records. A pseudonym matches an instance when it has
each item at least as often as the instance does. The key observation that makes
exact risks cheap: a pseudonym matches instance ``I`` exactly when ``I`` is one of
its *own* ``k``-instances. So enumerating every pseudonym's instances once and
counting identical instances (one ``numpy.unique``) gives every match count at
once, with no pairwise comparison of pseudonyms.

Instances are multisets of items with multiplicities capped by the pseudonym's
own counts; they are enumerated from precomputed index tables of
combinations with repetition, one table per number of distinct items.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import scipy.sparse as sp

__all__ = ["user_items", "multiset_table", "enumerate_rows", "instance_keys", "count_keys", "count_instances",
           "min_match", "containing"]

#: Instances enumerated per chunk, to bound memory.
CHUNK = 4_000_000


def user_items(user: np.ndarray, item: np.ndarray, *, cap: int | None = None):
    """Distinct (user, item) pairs with their counts, sorted by user then item.

    Returns
    -------
    u, it, c : numpy.ndarray
        User code, item code and count (capped at ``cap``) of each distinct pair.
    """
    order = np.lexsort((item, user))
    u, it = user[order], item[order]
    new = np.r_[True, (u[1:] != u[:-1]) | (it[1:] != it[:-1])]
    starts = np.flatnonzero(new)
    counts = np.diff(np.r_[starts, len(u)])
    if cap is not None:
        counts = np.minimum(counts, cap)
    return u[starts], it[starts], counts


@functools.lru_cache(maxsize=256)
def multiset_table(n: int, k: int) -> np.ndarray:
    """All multisets of size ``k`` over ``range(n)`` as sorted index rows (combinations with repetition)."""
    rows = list(itertools.combinations_with_replacement(range(n), k))
    return np.asarray(rows, dtype=np.int32).reshape(-1, k)


def _pack(codes: np.ndarray, bits: int) -> np.ndarray:
    """Pack rows of small non-negative integers into one int64 per row."""
    out = np.zeros(len(codes), dtype=np.int64)
    for j in range(codes.shape[1]):
        out = (out << np.int64(bits)) | codes[:, j].astype(np.int64)
    return out


def enumerate_rows(u: np.ndarray, c: np.ndarray, k: int):
    """Yield ``(owner, rows)`` chunks: every ``k``-instance of every user.

    ``u, c`` come from :func:`user_items` (sorted by user). An instance is a
    multiset of the user's distinct items with multiplicities within ``c``;
    ``rows`` (n, k) holds positions into the ``user_items`` arrays, sorted. Users
    with fewer than ``k`` records yield nothing here (see :func:`containing`).
    """
    starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]]) if len(u) else np.empty(0, np.int64)
    lengths = np.diff(np.r_[starts, len(u)])
    totals = np.add.reduceat(c, starts) if len(u) else np.empty(0, np.int64)
    for L in np.unique(lengths):
        users = np.flatnonzero((lengths == L) & (totals >= k))
        if len(users) == 0:
            continue
        table = multiset_table(int(L), k)                     # (M, k) positions within a user's items
        # Multiplicity of each position within each row: the row is a multiset of positions.
        mult = np.zeros((len(table), int(L)), dtype=np.int8)
        np.add.at(mult, (np.repeat(np.arange(len(table)), k), table.ravel()), 1)
        per = max(1, CHUNK // max(1, len(table)))
        for lo in range(0, len(users), per):
            grp = users[lo:lo + per]
            base = starts[grp][:, None] + np.arange(int(L))[None, :]   # (g, L) row indices into u/it/c
            caps = c[base]                                             # (g, L)
            ok = (mult[None, :, :] <= caps[:, None, :]).all(axis=2)    # (g, M) rows within caps
            gi, mi = np.nonzero(ok)
            yield u[starts[grp][gi]], base[gi[:, None], table[mi]]


def instance_keys(rows: np.ndarray, it: np.ndarray, *, n_items: int) -> np.ndarray:
    """One key per instance: its item codes packed into an int64, or the (n, k) rows when too wide."""
    items = it[rows]
    bits = max(1, int(np.ceil(np.log2(n_items + 1))))
    return _pack(items, bits) if bits * rows.shape[1] <= 63 else items


def count_keys(owners: list[np.ndarray], keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Owner of each instance and the number of instances (users) sharing its key."""
    if not owners:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    owner = np.concatenate(owners)
    key = np.concatenate(keys)
    if key.ndim == 1:
        _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    else:
        _, inverse, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    return owner, counts[inverse.ravel()]


def count_instances(u, it, c, k: int, *, n_items: int):
    """Every user's instances with the number of users holding each.

    Returns
    -------
    owner : numpy.ndarray
        User code of each instance.
    matches : numpy.ndarray
        Number of users holding the instance (1 means it singles its owner out).
    """
    owners, keys = [], []
    for owner, rows in enumerate_rows(u, c, k):
        owners.append(owner)
        keys.append(instance_keys(rows, it, n_items=n_items))
    return count_keys(owners, keys)


def min_match(owner: np.ndarray, matches: np.ndarray, n_users: int) -> np.ndarray:
    """Smallest match count over each user's instances (0 where a user has none)."""
    out = np.zeros(n_users, dtype=np.int64)
    if len(owner):
        big = np.iinfo(np.int64).max
        tmp = np.full(n_users, big, dtype=np.int64)
        np.minimum.at(tmp, owner, matches)
        out = np.where(tmp == big, 0, tmp)
    return out


def containing(u, it, c, targets: np.ndarray, *, n_items: int, n_users: int) -> np.ndarray:
    """Number of users holding each target user's whole multiset of items.

    Used for users whose trace is shorter than ``k`` (the adversary then knows all
    of it). Counts via a sparse product of requirement and holding matrices over
    (item, multiplicity) tokens.
    """
    cap = int(c.max()) if len(c) else 1
    # Tokens (item, m) for m = 1..count: a user holding (item, m) has the item at least m times.
    rep = np.repeat(np.arange(len(u)), c)
    m = np.arange(len(rep)) - np.repeat(np.cumsum(c) - c, c)
    tok = it[rep] * cap + m
    hold = sp.csr_matrix((np.ones(len(rep), dtype=np.int32), (u[rep], tok)), shape=(n_users, n_items * cap))
    sel = np.isin(u, targets)
    # A target's requirement: its top token per item (holding it implies the lower ones).
    req_rows = np.searchsorted(targets, u[sel])
    req_tok = it[sel] * cap + (c[sel] - 1)
    need = sp.csr_matrix((np.ones(sel.sum(), dtype=np.int32), (req_rows, req_tok)),
                         shape=(len(targets), n_items * cap))
    hits = (need @ hold.T).tocsr()
    required = np.asarray(need.sum(axis=1)).ravel()
    rows = np.repeat(np.arange(hits.shape[0]), np.diff(hits.indptr))
    full = hits.data == required[rows]
    return np.bincount(rows[full], minlength=len(targets))
