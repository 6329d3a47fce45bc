"""How much of the truth a trajectory-recovery attack got back.

The attack (:mod:`lab.attacks.recovery`) returns anonymous trajectories; only here
are they set against what the people really did. Following Xu et al. (2017), each
recovered trajectory is paired with one true person by a maximum-overlap
bipartite matching (the Hungarian method on the trajectory × person overlap
matrix, the overlap being the number of slots in which both are in the same
cell), and accuracy is the share of the true (person, slot) points that their
paired trajectory has right. The same matching restricted to each day scores
the within-day tracking; the cross-day linking is scored by whether a recovered
trajectory's consecutive days are paired with the same person. Where several
people did the same thing on a day (stayed in one cell, say), their day's
pairings tie; the tie is broken in favour of the whole-trajectory pairing, so a
link between indistinguishable days is not counted wrong by chance.

References
----------
.. [1] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., & Jin, D. (2017). Trajectory
   recovery from ash: User privacy is NOT preserved in aggregated mobility data.
   In *Proceedings of the 26th International Conference on World Wide Web*
   (WWW '17), 1241–1250. https://doi.org/10.1145/3038912.3052620
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

__all__ = ["overlap_matching", "score_recovery"]


def overlap_matching(
    recovered: pd.DataFrame, truth: pd.DataFrame, *, prefer: pd.Series | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pair recovered trajectories with true people so that the total overlap is largest.

    Parameters
    ----------
    recovered : pandas.DataFrame
        trajectory, slot, cell.
    truth : pandas.DataFrame
        pseudonym, slot, cell.
    prefer : pandas.Series, optional
        Pseudonym indexed by trajectory: among pairings of equal total overlap, the
        one agreeing most with it is chosen (it never lowers the total overlap).

    Returns
    -------
    trajectories : numpy.ndarray
        The matched trajectories' labels.
    people : numpy.ndarray
        The pseudonym each is paired with.
    overlap : numpy.ndarray of int
        Points the pair shares (same cell, same slot).
    people_labels : numpy.ndarray
        Every pseudonym in ``truth``, in code order.
    people_points : numpy.ndarray of int
        Number of points of each of them.
    """
    key = pd.MultiIndex.from_arrays([
        np.r_[recovered["slot"].to_numpy(np.int64), truth["slot"].to_numpy(np.int64)],
        np.r_[recovered["cell"].to_numpy(np.int64), truth["cell"].to_numpy(np.int64)],
    ])
    code, _ = pd.factorize(key)
    n_keys = int(code.max()) + 1 if len(code) else 0
    r, r_labels = pd.factorize(recovered["trajectory"], sort=True)
    u, u_labels = pd.factorize(truth["pseudonym"], sort=True)
    rm = sp.csr_matrix((np.ones(len(r)), (r, code[: len(r)])), shape=(len(r_labels), n_keys))
    um = sp.csr_matrix((np.ones(len(u)), (u, code[len(r):])), shape=(len(u_labels), n_keys))
    overlap = (rm @ um.T).toarray()
    score = overlap
    if prefer is not None:
        # A bonus below 1 in total: it only breaks ties between integer overlaps.
        wanted = pd.Index(u_labels).get_indexer(prefer.reindex(r_labels).to_numpy())
        has = wanted >= 0
        score = overlap.copy()
        score[np.flatnonzero(has), wanted[has]] += 1.0 / (len(r_labels) + 1)
    rows, cols = linear_sum_assignment(score, maximize=True)
    points = np.bincount(u, minlength=len(u_labels))
    return (np.asarray(r_labels)[rows], np.asarray(u_labels)[cols], overlap[rows, cols].astype(np.int64),
            np.asarray(u_labels), points)


def _check(table: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {', '.join(missing)}")
    if len(table) == 0:
        raise ValueError(f"{name} is empty")
    if table.duplicated(list(columns[:2])).any():
        raise ValueError(f"{name} has more than one cell for some {columns[0]} in one slot")


def score_recovery(
    recovered: pd.DataFrame, truth: pd.DataFrame, *, slots_per_day: int | None = None,
    threshold: float = 0.8,
) -> dict[str, float]:
    """Accuracy of recovered trajectories against what the people really did.

    Parameters
    ----------
    recovered : pandas.DataFrame
        trajectory, slot, cell, from :func:`lab.attacks.recovery.recover_trajectories`.
    truth : pandas.DataFrame
        pseudonym, slot, cell: each person's cell in each slot (for example from
        :func:`lab.attacks.recovery.one_location_per_slot` before aggregation).
    slots_per_day : int, optional
        Slots in a day; default ``recovered.attrs["slots_per_day"]``, which
        ``recover_trajectories`` sets.
    threshold : float
        Share of a person's points that must be right for the person to count as
        recovered (0.8 in Xu et al. 2017).

    Returns
    -------
    dict
        ``accuracy``: share of true points the matched trajectories get right;
        ``recovered_share``: share of people with at least ``threshold`` of their
        points right; ``within_day``: the same as ``accuracy`` with the matching
        redone for each day separately (within-day tracking alone);
        ``cross_day``: share of the day-to-day links of the recovered trajectories
        that join two days paired with the same person; ``chance``: ``1 / n_people``,
        the accuracy of guessing; ``n_people``, ``n_trajectories``, ``n_points``.

    References
    ----------
    .. [1] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., & Jin, D. (2017). Trajectory
       recovery from ash: User privacy is NOT preserved in aggregated mobility data.
       WWW '17, 1241–1250.
    """
    _check(recovered, "recovered", ("trajectory", "slot", "cell"))
    _check(truth, "truth", ("pseudonym", "slot", "cell"))
    if slots_per_day is None:
        slots_per_day = recovered.attrs.get("slots_per_day")
        if slots_per_day is None:
            raise ValueError("give slots_per_day: recovered does not record its day length")
    if not (isinstance(slots_per_day, (int, np.integer)) and slots_per_day > 0):
        raise ValueError(f"slots_per_day must be a positive whole number, got {slots_per_day!r}")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a share in (0, 1], got {threshold!r}")

    trajectories, people, overlap, labels, points = overlap_matching(recovered, truth)
    paired = pd.Series(people, index=trajectories)
    right = pd.Series(overlap, index=people).reindex(labels, fill_value=0).to_numpy()
    n_points = int(points.sum())

    rec_day = recovered["slot"].to_numpy(np.int64) // slots_per_day
    true_day = truth["slot"].to_numpy(np.int64) // slots_per_day
    within = 0
    pairs = []
    for day in np.union1d(rec_day, true_day):
        r, t = recovered.loc[rec_day == day], truth.loc[true_day == day]
        if len(r) == 0 or len(t) == 0:
            continue
        traj, person, ov, _, _ = overlap_matching(r, t, prefer=paired)
        within += int(ov.sum())
        pairs.append(pd.DataFrame({"trajectory": traj, "day": day, "person": person}))
    # Links: a trajectory present on two consecutive days of the recovered data.
    seg = pd.DataFrame({"trajectory": recovered["trajectory"].to_numpy(), "day": rec_day}).drop_duplicates()
    seg = seg.merge(pd.concat(pairs, ignore_index=True) if pairs else
                    pd.DataFrame(columns=["trajectory", "day", "person"]), how="left", on=["trajectory", "day"])
    days = np.unique(rec_day)
    next_day = pd.Series(days[1:], index=days[:-1])
    seg["next"] = seg["day"].map(next_day)
    links = seg.merge(seg[["trajectory", "day", "person"]], left_on=["trajectory", "next"],
                      right_on=["trajectory", "day"], suffixes=("", "_next"))
    good = links["person"].notna() & (links["person"] == links["person_next"])
    return {
        "accuracy": float(right.sum() / n_points),
        "recovered_share": float(np.mean(right >= threshold * points)),
        "within_day": float(within / n_points),
        "cross_day": float(good.mean()) if len(links) else float("nan"),
        "chance": 1.0 / len(labels),
        "n_people": len(labels),
        "n_trajectories": int(recovered["trajectory"].nunique()),
        "n_points": n_points,
    }
