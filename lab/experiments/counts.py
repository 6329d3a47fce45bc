"""The price of publishing counts: membership risk and count error of each aggregate, side by side.

Instead of traces, a data holder can publish the number of distinct people per
grid cell and time slot. :func:`counts_tradeoff` publishes one release that way
at several strengths (exact counts; small counts suppressed; differentially
private counts) and measures, for each setting, two things about the very
table that setting publishes:

- risk: the AUC of membership inference (the correlation test of
  :mod:`lab.attacks.membership`), each aggregate the adversary sees being the
  output of the setting's own mechanism run on a group's traces;
- utility: the error of the published table against the exact counts, over
  every key either holds (:func:`lab.metrics.utility.count_error`), including
  the truly empty cells a differentially private table must publish too.

References
----------
.. [1] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
   Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
.. [2] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential
   Privacy. Foundations and Trends in Theoretical Computer Science 9(3-4).
"""

from __future__ import annotations

import dataclasses
import hashlib
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from lab.attacks.membership import membership_auc
from lab.attacks.traces import check_release
from lab.errors import ReleaseError
from lab.grid import resolve_origin
from lab.metrics.utility import count_error
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.dp import dp_counts, grid_domain
from lab.mitigations.suppress import suppress_small_counts
from lab.params import LeakWarning, warn_leak
from lab.progress import Progress

__all__ = ["MIN_PSEUDONYMS", "CountSetting", "check_counts_release", "count_settings", "counts_tradeoff"]

#: The membership game needs a target and groups of at least two others.
MIN_PSEUDONYMS = 3

Counts = Callable[[pd.DataFrame], pd.DataFrame]
#: True count from which the relative error is taken.
LARGE = 20


@dataclasses.dataclass(frozen=True)
class CountSetting:
    """One way of publishing counts: ``publish`` turns traces into a table of cell, slot, count.

    ``noise_scale`` is the Laplace scale the mechanism announces (public), which
    the membership adversary uses to weight its test.
    """

    mitigation: str
    setting: str
    publish: Counts
    noise_scale: float = 0.0


def check_counts_release(release: pd.DataFrame) -> None:
    """Refuse, before any work, a release the counts trade-off cannot measure."""
    check_release(release)
    n = int(release["pseudonym"].nunique())
    if n < MIN_PSEUDONYMS:
        raise ReleaseError(f"the membership game needs at least {MIN_PSEUDONYMS} pseudonyms, the release has {n}")


def _group_seed(traces: pd.DataFrame) -> int:
    """A number naming the set of people in ``traces``, whatever the order of its rows."""
    names = np.sort(traces["pseudonym"].unique().astype(str))
    return int.from_bytes(hashlib.blake2b("\n".join(names).encode(), digest_size=8).digest(), "little")


def count_settings(
    *, cell_m: float, slot_s: int, origin: tuple[float, float], start: pd.Timestamp, end: pd.Timestamp,
    bounds: tuple[float, float, float, float], max_cells_per_user: int = 30, rng=None,
) -> list[CountSetting]:
    """Exact counts; suppression below k = 5, 10, 20; DP Laplace counts at ε = 10, 1, 0.1.

    Every setting publishes on the same grid (``cell_m``, ``origin``) and slots
    (``slot_s`` from ``start``); the DP settings publish every key of the public
    domain given by ``bounds`` (west, south, east, north) and [``start``, ``end``),
    each person bounded to ``max_cells_per_user`` (cell, slot) pairs.
    """
    grid = {"cell_m": cell_m, "slot_s": slot_s, "origin": origin, "start": start}
    domain = grid_domain(bounds=bounds, start=start, end=end, cell_m=cell_m, slot_s=slot_s, origin=origin)
    base = int(np.random.default_rng(rng).integers(2**63))

    def noise(traces: pd.DataFrame) -> np.random.Generator:
        # The noise of one publication depends on the seed and on who is in it, nothing else: a
        # group's table is the same whichever target's game draws it, and in whatever order.
        return np.random.default_rng([base, _group_seed(traces)])

    def exact(traces: pd.DataFrame) -> pd.DataFrame:
        return count_by_cell(traces, **grid)

    out = [CountSetting("aggregate", "exact counts", exact)]
    for k in (5, 10, 20):
        out.append(CountSetting("suppress_small_counts", f"k = {k}",
                                lambda traces, k=k: suppress_small_counts(exact(traces), k=k)))
    for eps in (10.0, 1.0, 0.1):
        out.append(CountSetting(
            "dp_counts", f"Laplace, ε = {eps:g}, L = {max_cells_per_user}",
            lambda traces, e=eps: dp_counts(traces, cell_m=cell_m, slot_s=slot_s, epsilon=e,
                                            max_cells_per_user=max_cells_per_user, domain=domain,
                                            rng=noise(traces)),
            noise_scale=max_cells_per_user / eps))
    return out


def counts_tradeoff(
    release: pd.DataFrame, *, cell_m: float = 1000.0, slot_s: int = 86_400, max_cells_per_user: int = 30,
    targets: int = 10, group_size: int = 100, n_test: int = 100, origin: tuple[float, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None, settings: list[CountSetting] | None = None,
    rng=None, progress: Progress | None = None,
) -> pd.DataFrame:
    """Membership risk and count error of each way of publishing counts of one release.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon: the traces behind the counts, also the
        adversary's prior knowledge (the strongest adversary: it knows every trace).
    cell_m, slot_s : float, int
        The published grid and slots.
    max_cells_per_user : int
        Contribution bound of the DP settings.
    targets, group_size, n_test : int
        The membership game: ``targets`` pseudonyms attacked in ``n_test`` groups of
        ``group_size`` each (half with the target).
    origin : (float, float), optional
        Public grid anchor (the town's); default read off the release, with a
        :class:`~lab.params.LeakWarning`.
    bounds : (west, south, east, north), optional
        Public extent of the DP domain (the town's map); default read off the
        release, with a LeakWarning.
    settings : list of CountSetting, optional
        Default: :func:`count_settings`.
    rng : numpy.random.Generator, int or None
    progress : lab.progress.Progress, optional

    Returns
    -------
    pandas.DataFrame
        mitigation, setting, membership_auc, count_mae, count_relative_large (NaN
        when no true count reaches 20), large_cells (how many true counts do),
        cells_published, true_cells_published, mass_on_empty, error (empty: every
        measure was taken); one row per setting.
    """
    check_counts_release(release)
    rng = np.random.default_rng(rng)
    lat, lon = release["lat"].to_numpy(float), release["lon"].to_numpy(float)
    origin = resolve_origin(origin, lat, lon, protection="the counts trade-off's grid")
    start = release["t"].min().normalize()
    end = release["t"].max().normalize() + pd.Timedelta(days=1)
    if bounds is None:
        warn_leak("the counts trade-off read its DP domain off the release: its extent reveals the most outlying "
                  "records; pass bounds= from the town's map")
        bounds = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    if settings is None:
        settings = count_settings(cell_m=cell_m, slot_s=slot_s, origin=origin, start=start, end=end, bounds=bounds,
                                  max_cells_per_user=max_cells_per_user, rng=rng)
    names = np.sort(release["pseudonym"].unique())
    chosen = list(rng.choice(names, size=min(targets, len(names)), replace=False))
    size = min(group_size, len(names) - 1)
    exact = count_by_cell(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    todo = settings if progress is None else progress(
        settings, total=len(settings), desc="counts trade-off", unit="setting",
        label=lambda s: f"{s.mitigation} {s.setting}")
    rows = []
    for s in todo:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LeakWarning)  # each setting is a deliberate choice, weak ones included
            published = s.publish(release)
            attack = membership_auc(release, targets=chosen, group_size=size, cell_m=cell_m, slot_s=slot_s,
                                    method="correlation", mechanism=s.publish, noise_scale=s.noise_scale,
                                    origin=origin, start=start, n_train=2, n_test=n_test, rng=rng)
        err = count_error(exact, published, large=LARGE)
        rows.append({"mitigation": s.mitigation, "setting": s.setting, "membership_auc": float(attack["auc"].mean()),
                     "count_mae": err["mae"], "count_relative_large": err["relative_large"],
                     "large_cells": err["large_cells"],
                     "cells_published": err["cells_published"], "true_cells_published": err["true_cells_published"],
                     "mass_on_empty": err["mass_on_empty"], "error": ""})
    return pd.DataFrame(rows)
