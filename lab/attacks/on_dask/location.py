"""The location attack on Dask: :func:`lab.attacks.prudence.location_attack`, partition by partition.

An adversary knows ``k`` places a target visited (with repeats); the target's risk is one over
the fewest pseudonyms consistent with any ``k`` of its records. Every pseudonym's ``k``-instances
are enumerated in its own partition (:mod:`lab.attacks.instances`), the pseudonyms sharing each
instance are counted by a groupby shuffled on the instance keys, the counts are joined back and
the smallest is kept per pseudonym. A pseudonym with fewer than ``k`` records is matched on its
whole trace: those traces are few and short, so they are broadcast and every partition counts its
pseudonyms holding them.

References
----------
.. [1] Pellungrini, R., Pappalardo, L., Pratesi, F., Monreale, A. (2017). A data mining approach to
   assess privacy risk in human mobility data. ACM TIST 9(3), 31.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.attacks.instances import enumerate_rows, instance_keys
from lab.attacks.on_dask.combine import add, concat_pairs, tree
from lab.attacks.on_dask.release import Codebook, PartPairs, Scan, among, part_pairs, read_release, scan
from lab.attacks.prudence import check_known
from lab.attacks.unicity import Postings
from lab.grid import Space

__all__ = ["location_attack"]


def _instances(part: pd.DataFrame, book: Codebook, k: int) -> pd.DataFrame:
    """Every ``k``-instance of every pseudonym of the partition: (pseudonym, key)."""
    pp = part_pairs(part, book, cap=k)
    owners, keys = [], []
    for owner, rows in enumerate_rows(pp.u, pp.c, k):
        key = instance_keys(rows, pp.it, n_items=book.n_items)
        if key.ndim != 1:
            raise ValueError(f"k={k} instances over {book.n_items:,} places do not fit one 64-bit key; "
                             "use the in-memory engine")
        owners.append(owner)
        keys.append(key)
    owner = np.concatenate(owners) if owners else np.empty(0, np.int64)
    key = np.concatenate(keys) if keys else np.empty(0, np.int64)
    return pd.DataFrame({"pseudonym": pp.labels[owner], "key": key})


def _short_tokens(pp: PartPairs, k: int, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Users of ``keep`` with fewer than ``k`` records, and their traces as (item, count) tokens padded to ``k``.

    Holding the token (item, m) means holding the item at least m + 1 times; a trace's top token per
    item implies the lower ones.
    """
    totals = np.bincount(pp.u, weights=pp.c, minlength=len(pp.labels)).astype(np.int64)
    short = keep[totals[keep] < k]
    sel = np.isin(pp.u, short)
    u, tok = pp.u[sel], pp.it[sel] * k + (pp.c[sel] - 1)
    rank = np.arange(len(u)) - np.searchsorted(u, u)
    first = tok[np.searchsorted(u, short)] if len(short) else np.empty(0, np.int64)
    table = np.repeat(first[:, None], k, axis=1)
    table[np.searchsorted(short, u), rank] = tok
    return short, table


def _short(part: pd.DataFrame, book: Codebook, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pseudonym of the partition with fewer than ``k`` records, and its tokens."""
    pp = part_pairs(part, book, cap=k)
    short, table = _short_tokens(pp, k, np.arange(len(pp.labels)))
    return pp.labels[short], table


def _target_tokens(part: pd.DataFrame, book: Codebook, k: int, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The partition's targets: each of their ``k``-instances (or short trace) as ``k`` tokens, with its owner."""
    pp = part_pairs(part, book, cap=k)
    keep = np.flatnonzero(among(pp.labels, targets))
    sel = np.isin(pp.u, keep)
    u, it, c = pp.u[sel], pp.it[sel], pp.c[sel]
    owners, tables = [], []
    for owner, rows in enumerate_rows(u, c, k):      # rows: sorted positions, a repeat is a second record
        occ = np.zeros(rows.shape, dtype=np.int64)
        for j in range(1, k):
            occ[:, j] = np.where(rows[:, j] == rows[:, j - 1], occ[:, j - 1] + 1, 0)
        owners.append(owner)
        tables.append(it[rows] * k + occ)
    short, table = _short_tokens(pp, k, keep)
    owners.append(short)
    tables.append(table)
    return pp.labels[np.concatenate(owners)], np.concatenate(tables).reshape(-1, k)


def _token_holders(part: pd.DataFrame, book: Codebook, k: int, need: np.ndarray) -> np.ndarray:
    """Pseudonyms of the partition holding every token of each row of ``need`` (a token: item seen m times)."""
    pp = part_pairs(part, book, cap=k)
    rep = np.repeat(np.arange(len(pp.u)), pp.c)
    m = np.arange(len(rep)) - np.repeat(np.cumsum(pp.c) - pp.c, pp.c)
    return Postings(pp.u[rep], pp.it[rep] * k + m, n_items=book.n_items * k).holders(need)


def location_attack(source, *, k: int = 2, space: Space | str = "exact", scanned: Scan | None = None,
                    targets: np.ndarray | None = None) -> pd.Series:
    """Risk per pseudonym when the adversary knows ``k`` places the target visited, on Dask.

    Parameters
    ----------
    source : str, path or dask.dataframe.DataFrame
        The release: a Parquet file, a folder of Parquet parts, or a dataframe.
    k : int
        Number of known records.
    space : Space or str
        What counts as one location (a column, merged towers, or a grid).
    scanned : Scan, optional
        The release's scan at this ``space`` with ``hours=None``, when already made.
    targets : numpy.ndarray, optional
        Only these pseudonyms' risks (as :func:`lab.attacks.on_dask.release.draw_pseudonyms` draws
        them): their instances are broadcast and every partition counts its pseudonyms holding each,
        instead of counting every instance of every pseudonym by a shuffle.

    Returns
    -------
    pandas.Series
        Risk per pseudonym in (0, 1], indexed by sorted pseudonym: equal to
        :func:`lab.attacks.prudence.location_attack`'s (for ``targets``, its values at them).
    """
    import dask
    import dask.dataframe as dd

    k = check_known(k)
    space = Space.parse(space) if isinstance(space, str) else space
    frame = read_release(source, space=space)
    scanned = scanned or scan(frame, space=space, hours=None)
    if scanned.codebook.hours is not None:
        raise ValueError("the location attack ignores time: scan the release with hours=None")
    if not scanned.whole:
        frame = frame.shuffle("pseudonym")
    book = dask.delayed(scanned.codebook)
    parts = frame.to_delayed()
    if targets is not None:
        shared_targets = dask.delayed(np.asarray(targets, dtype=object))
        owner, need = tree([dask.delayed(_target_tokens)(d, book, k, shared_targets) for d in parts],
                           concat_pairs).compute()
        shared = dask.delayed(need)
        holders = tree([dask.delayed(_token_holders)(d, book, k, shared) for d in parts], add).compute()
        best = pd.Series(holders, index=owner).groupby(level=0).min()
    else:
        meta = pd.DataFrame({"pseudonym": pd.Series(dtype=object), "key": pd.Series(dtype=np.int64)})
        inst = frame.map_partitions(_instances, book, k, meta=meta)
        counts = inst.groupby("key").size().rename("matches").reset_index()
        best = dd.merge(inst, counts, on="key", how="inner").groupby("pseudonym")["matches"].min().compute()
        labels, need = tree([dask.delayed(_short)(d, book, k) for d in parts], concat_pairs).compute()
        if len(labels):
            shared = dask.delayed(need)
            holders = tree([dask.delayed(_token_holders)(d, book, k, shared) for d in parts], add).compute()
            best = pd.concat([best, pd.Series(holders, index=labels)])
    best = best.sort_index()
    risk = 1.0 / best.to_numpy(dtype=float)
    return pd.Series(risk, index=pd.Index(best.index.to_numpy(dtype=object), name="pseudonym"), name="risk")
