"""Unicity on Dask: ε_p without loading the release into one process.

The steps of :func:`lab.attacks.unicity.unicity`, partition by partition (each holds whole
pseudonyms, see :mod:`~lab.attacks.on_dask.release`):

1. every partition counts its pseudonyms' distinct points and how many pseudonyms hold each point;
   the counts are summed in a tree (no task sees more than a few partitions' results);
2. targets are drawn as the in-memory engine draws them (the smallest keyed hashes, merged in the
   same tree), and every target's ``p`` points are chosen in its own partition with the same keyed
   priorities;
3. the holders of each target's points are counted:

   - *sampled targets* (the paper's way): the targets' points are broadcast to every partition,
     each counts its own pseudonyms holding them, and the counts are summed;
   - *every pseudonym a target*: joins shuffled on point keys — each target meets the pseudonyms
     holding its rarest point, then each remaining point is checked by a join on (pseudonym, point).

The answer, interval included, equals the in-memory engine's for the same seed.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013). Unique in the Crowd.
   Scientific Reports 3, 1376.
.. [2] Farzanehfar, A., Houssiau, F., de Montjoye, Y.-A. (2021). The risk of re-identification remains
   high even in country-scale location datasets. Patterns 2(3).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd

from lab.attacks.keyed import draw_key
from lab.attacks.on_dask.combine import add, concat_pairs, merge_smallest, smallest_labels, tree
from lab.attacks.on_dask.release import (
    Codebook,
    PartPairs,
    Scan,
    among,
    pairs_frame,
    part_pairs,
    read_release,
    scan,
)
from lab.attacks.unicity import (
    Postings,
    Unicity,
    check_lengths,
    check_unicity_options,
    choose_points,
    point_priorities,
    result,
)
from lab.grid import Space

__all__ = ["unicity"]


@dataclasses.dataclass(frozen=True)
class _Counts:
    """Step 1 of one or more partitions."""

    post_size: np.ndarray   # pseudonyms holding each point
    users: int
    too_short: int
    shortest: int
    longest: int


def _count(pp: PartPairs, n_items: int, p: int) -> _Counts:
    distinct = np.bincount(pp.u, minlength=len(pp.labels))
    return _Counts(np.bincount(pp.it, minlength=n_items), len(pp.labels), int((distinct < p).sum()),
                   int(distinct.min(initial=1 << 62)), int(distinct.max(initial=0)))


def _add_counts(*parts: _Counts) -> _Counts:
    return _Counts(add(*[c.post_size for c in parts]), sum(c.users for c in parts),
                   sum(c.too_short for c in parts), min(c.shortest for c in parts), max(c.longest for c in parts))


def _candidates(pp: PartPairs, p: int, n: int, key: np.uint64) -> pd.DataFrame:
    """This partition's ``n`` smallest keyed hashes among pseudonyms with ``p`` distinct points."""
    ok = np.flatnonzero(np.bincount(pp.u, minlength=len(pp.labels)) >= p)
    return smallest_labels(pp.labels[ok], pp.hashes[ok], n, key=key)


def _chosen(pp: PartPairs, p: int, strategy: str, key: np.uint64, post_size: np.ndarray,
            targets: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Labels and (n, p) chosen points of the partition's targets (all eligible pseudonyms when ``targets`` is None)."""
    keep = np.ones(len(pp.u), dtype=bool) if targets is None else among(pp.labels, targets)[pp.u]
    u, it, c = pp.u[keep], pp.it[keep], pp.c[keep]
    prio = point_priorities(pp.hashes[u], it, c, post_size, strategy=strategy, key=key)
    who, pts = choose_points(u, it, prio, p)
    return pp.labels[who], pts


def _holders(pp: PartPairs, n_items: int, pts: np.ndarray) -> np.ndarray:
    return Postings(pp.u, pp.it, n_items=n_items).holders(pts)


def _target_frame(part: pd.DataFrame, book: Codebook, p: int, strategy: str, key: np.uint64,
                  post_size: np.ndarray) -> pd.DataFrame:
    """Every eligible pseudonym of the partition with its rarest chosen point ``r`` and the others ``o0..``."""
    labels, pts = _chosen(part_pairs(part, book), p, strategy, key, post_size, None)
    rows = np.arange(len(pts))
    rare = np.argmin(post_size[pts], axis=1) if len(pts) else np.empty(0, np.int64)
    out = {"pseudonym": labels, "r": pts[rows, rare] if len(pts) else np.empty(0, np.int64)}
    rest = np.array([[j for j in range(p) if j != r] for r in range(p)], dtype=np.int64)[rare]
    for j in range(p - 1):
        out[f"o{j}"] = pts[rows, rest[:, j]]
    return pd.DataFrame(out)


def _holders_by_shuffle(frame, book: Codebook, p: int, strategy: str, key: np.uint64, post_size: np.ndarray,
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Every pseudonym a target: holders counted by joins on point keys (labels sorted, holders)."""
    import dask
    import dask.dataframe as dd

    shared_book, shared_post = dask.delayed(book), dask.delayed(post_size)
    cols = {"pseudonym": pd.Series(dtype=object), "r": pd.Series(dtype=np.int64)}
    cols.update({f"o{j}": pd.Series(dtype=np.int64) for j in range(p - 1)})
    targets = frame.map_partitions(_target_frame, shared_book, p, strategy, key, shared_post,
                                   meta=pd.DataFrame(cols))
    pairs = frame.map_partitions(pairs_frame, shared_book,
                                 meta=pd.DataFrame({"pseudonym": pd.Series(dtype=object),
                                                    "item": pd.Series(dtype=np.int64)}))
    cand = dd.merge(targets, pairs.rename(columns={"pseudonym": "holder", "item": "r"}), on="r", how="inner")
    for j in range(p - 1):
        cand = dd.merge(cand, pairs.rename(columns={"pseudonym": "holder", "item": f"o{j}"}),
                        on=["holder", f"o{j}"], how="inner")
    counts = cand.groupby("pseudonym").size().compute().sort_index()
    return counts.index.to_numpy(dtype=object), counts.to_numpy(dtype=np.int64)


def unicity(
    source, *, p: int = 4, space: Space | str = "exact", hours: float | None = 1.0, strategy: str = "random",
    sample: int | None = None, level: float = 0.95, n_boot: int = 1000, short: str = "skip", rng=None,
    scanned: Scan | None = None,
) -> Unicity:
    """ε_p on a Dask dataframe: :func:`lab.attacks.unicity.unicity`'s answer, computed partition by partition.

    Runs on the current Dask client (see :func:`lab.engines.cluster.dask_client`), or on Dask's
    default scheduler without one.

    Parameters
    ----------
    source : str, path or dask.dataframe.DataFrame
        The release: a Parquet file, a folder of Parquet parts, or a dataframe.
    p, space, hours, strategy, sample, level, n_boot, short, rng
        As in :func:`lab.attacks.unicity.unicity`. Exact coordinates are not supported, and a grid
        needs its origin (see :func:`lab.attacks.on_dask.release.scan`).
    scanned : Scan, optional
        The release's scan at this ``space`` and ``hours``, when already made (several ``p`` in a row).

    Returns
    -------
    Unicity
        Equal to the in-memory engine's for the same release and seed. Without ``sample`` the
        per-pseudonym ``unique`` series has one entry per pseudonym: pass ``sample`` on data too
        large for that.
    """
    import dask

    p, n_boot, sample = check_unicity_options(p=p, n_boot=n_boot, sample=sample, level=level, strategy=strategy,
                                              short=short)
    rng = np.random.default_rng(rng)
    space = Space.parse(space) if isinstance(space, str) else space
    frame = read_release(source, space=space)
    scanned = scanned or scan(frame, space=space, hours=hours)
    if not scanned.whole:
        frame = frame.shuffle("pseudonym")
    book = scanned.codebook
    # Each partition's distinct (pseudonym, point) pairs, numbered once and kept on the workers.
    shared_book = dask.delayed(book)  # one key, so the codebook is sent to each worker once, not with every task
    pairs = dask.persist(*[dask.delayed(part_pairs)(d, shared_book) for d in frame.to_delayed()])
    counts = tree([dask.delayed(_count)(pp, book.n_items, p) for pp in pairs], _add_counts).compute()
    check_lengths(p, too_short=counts.too_short, users=counts.users, shortest=counts.shortest,
                  longest=counts.longest, short=short)
    targets = None
    if sample is not None:
        drawn = draw_key(rng)  # the keys are drawn in the in-memory engine's order: the sample's, then the points'
        pick = [dask.delayed(_candidates)(pp, p, sample, drawn) for pp in pairs]
        targets = tree(pick, functools.partial(merge_smallest, sample)).compute()["label"].to_numpy(dtype=object)
    key = draw_key(rng)
    if sample is None and p > 1:
        del pairs  # the joins read the release again, partition by partition
        labels, holders = _holders_by_shuffle(frame, book, p, strategy, key, counts.post_size)
    else:
        post = dask.delayed(counts.post_size)
        shared_targets = dask.delayed(targets)
        chosen = [dask.delayed(_chosen)(pp, p, strategy, key, post, shared_targets) for pp in pairs]
        labels, pts = tree(chosen, concat_pairs).compute()
        order = np.argsort(labels, kind="stable")
        labels, pts = labels[order], pts[order]
        if p == 1:
            holders = counts.post_size[pts[:, 0]].astype(np.int64)
        else:
            shared_pts = dask.delayed(pts)
            holders = tree([dask.delayed(_holders)(pp, book.n_items, shared_pts) for pp in pairs], add).compute()
    return result(p, labels, holders, skipped=counts.too_short, level=level, n_boot=n_boot, rng=rng)
