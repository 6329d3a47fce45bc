"""The price of protection: risk and utility of each mitigation, side by side.

:func:`tradeoff` applies each mitigation at several strengths to one release,
measures what is left to an adversary (unicity at p = 2 and 4, and how often
four known points re-identify a target by linkage) and what is left to an
analyst (:mod:`lab.metrics.utility`), and marks the settings on the frontier:
those no other setting beats on both risk and utility.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
   Unique in the Crowd. Scientific Reports 3, 1376.
.. [2] Shokri, R., Theodorakopoulos, G., Le Boudec, J.-Y., Hubaux, J.-P. (2011).
   Quantifying location privacy. IEEE S&P 2011.
"""

from __future__ import annotations

import dataclasses
import math
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from lab.attacks.linkage import link_to_auxiliary, sample_known_points
from lab.attacks.report import native_space
from lab.attacks.unicity import unicity
from lab.metrics.linkage_score import reidentification_rate
from lab.metrics.utility import utility_summary
from lab.mitigations import coarsen, minimise
from lab.mitigations.params import LeakWarning

__all__ = ["Setting", "default_settings", "tradeoff", "pareto_frontier", "UTILITY_COLUMNS"]

#: Utility columns of the trade-off table (higher is better for similarities and
#: kept shares, lower for distances and errors).
UTILITY_COLUMNS = ("rows_kept", "pseudonyms_kept", "displacement_m", "heatmap_similarity", "od_similarity",
                   "gyration_ks", "trip_length_ks", "home_error_m")


def _same(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


@dataclasses.dataclass(frozen=True)
class Setting:
    """One mitigation at one strength.

    ``apply`` protects a release. ``adversary`` is what an adversary does to their
    own knowledge before linking: a public, deterministic generalisation (a grid,
    a time bin) can be applied to known points too; noise and sampling cannot.
    """

    mitigation: str
    setting: str
    apply: Callable[[pd.DataFrame], pd.DataFrame]
    adversary: Callable[[pd.DataFrame], pd.DataFrame] = _same
    aligned: bool = True  #: False when the output is new points, not kept rows


def default_settings(*, places: pd.DataFrame | None = None, origin: tuple[float, float] | None = None,
                     trajectories: bool = False, rng=None) -> list[Setting]:
    """Every trace mitigation at three strengths (weak, medium, strong).

    ``places`` (the public map) enables dropping sensitive places; ``origin``
    anchors the snapping grid (give the release's, so knowledge snaps alike);
    ``trajectories`` adds trajectory k-anonymity (a dense traces × traces step:
    a few thousand traces at most).
    """
    seeds = np.random.default_rng(rng).integers(0, 2**32, 8)
    out = [Setting("none", "original", lambda r: r)]
    for hours, label in ((168, "weekly"), (24, "daily"), (6, "every 6 h")):
        out.append(Setting("rotate_pseudonyms", label,
                           lambda r, h=hours: minimise.rotate_pseudonyms(r, period_hours=h, rng=seeds[0])))
    for frac in (0.5, 0.2, 0.05):
        out.append(Setting("subsample", f"{frac:.0%} of rows",
                           lambda r, f=frac: minimise.subsample(r, fraction=f, rng=seeds[1])))
    for days in (14, 7, 2):
        out.append(Setting("truncate", f"first {days} days", lambda r, d=days: minimise.truncate(r, max_days=d)))
    if places is not None:
        for radius in (50, 150, 400):
            out.append(Setting("drop_sensitive", f"{radius} m around worship and clinics",
                               lambda r, m=radius: minimise.drop_sensitive(r, places, radius_m=m)))
    for cell in (250, 1000, 4000):
        snap = (lambda r, c=cell: coarsen.snap_to_grid(r, cell_m=c, origin=origin))
        out.append(Setting("snap_to_grid", f"{cell} m", snap, adversary=snap))
    for minutes, label in ((60, "1 h"), (240, "4 h"), (1440, "1 day")):
        binned = (lambda r, m=minutes: coarsen.bin_time(r, minutes=m))
        out.append(Setting("bin_time", label, binned, adversary=binned))
    try:
        from lab.mitigations.geoind import planar_laplace
    except ImportError:  # pragma: no cover - the module ships with the package
        planar_laplace = None
    if planar_laplace is not None:
        # Mean displacement 2/ε; noise cached per 50 m cell (exact GPS fixes never repeat,
        # so caching on exact coordinates would not stop averaging).
        for mean_m in (50, 200, 1000):
            eps = 2.0 / mean_m
            out.append(Setting("planar_laplace", f"ε = 2/{mean_m} m, cached per 50 m cell",
                               lambda r, e=eps: planar_laplace(r, epsilon=e, snap_m=50, cache=True,
                                                               origin=origin, rng=seeds[2])))
    if trajectories:
        from lab.mitigations.kanon_traj import anonymise_trajectories

        def kanon(r: pd.DataFrame, k: int) -> pd.DataFrame:
            res = anonymise_trajectories(r, k=k, delta_m=500, max_radius_m=3000, origin=origin)
            out = res.release
            out.attrs.update(rows_kept=1.0 - res.share_points_suppressed, displacement_m=res.mean_displacement_m)
            return out

        for k in (2, 5, 10):
            out.append(Setting("kanon_trajectories", f"k = {k}, tube 500 m", lambda r, k=k: kanon(r, k), aligned=False))
    return out


def _unicity(release: pd.DataFrame, p: int, space: str, rng) -> float:
    try:
        return unicity(release, p=p, space=space, hours=1.0, rng=rng, n_boot=50).share
    except ValueError:
        return float("nan")


def _linkage(original: pd.DataFrame, protected: pd.DataFrame, known: pd.DataFrame, *, space: str,
             aligned: bool = True) -> float:
    """Top-1 re-identification: four true points per target, linked to the protected release."""
    if protected.empty:
        return 0.0
    matches = link_to_auxiliary(protected, known, space=space, hours=1.0, top=1)
    # A target's true candidates: every protected pseudonym carrying one of its rows
    # (or, for new points published under the original pseudonyms, the same name).
    owner = (original.loc[protected.index, "pseudonym"] if aligned else protected["pseudonym"]).to_numpy()
    truth = pd.DataFrame({"identity": owner, "pseudonym": protected["pseudonym"].to_numpy()}).drop_duplicates()
    truth = truth[truth["identity"].isin(known["identity"].unique())]
    if truth.empty:
        return 0.0
    return reidentification_rate(matches, truth)


def tradeoff(
    release: pd.DataFrame, *, settings: list[Setting] | None = None, places: pd.DataFrame | None = None,
    space: str | None = None, targets: int = 300, known_points: int = 4, max_trajectories: int = 3000,
    rng=None, progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Risk and utility of a release under each mitigation setting.

    Parameters
    ----------
    release : pandas.DataFrame
        The original release (pseudonym, t, lat, lon, ...).
    settings : list of Setting, optional
        Default: :func:`default_settings`.
    places : pandas.DataFrame, optional
        The public map, for the sensitive-place setting.
    space : str, optional
        Resolution at which risk is measured (default: the release's native one).
    targets, known_points : int
        The linkage adversary knows ``known_points`` true points of ``targets`` pseudonyms.
    max_trajectories : int
        Include trajectory k-anonymity in the default settings up to this many pseudonyms.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    pandas.DataFrame
        mitigation, setting, unicity_p2, unicity_p4, linkage_top1, one column per
        utility measure (:data:`UTILITY_COLUMNS`), seconds and on_frontier (judged
        on unicity_p4 against heatmap_similarity).
    """
    rng = np.random.default_rng(rng)
    space = space or native_space(release)
    origin = (round(float(release["lat"].median()), 2), round(float(release["lon"].median()), 2))
    n_traces = int(release["pseudonym"].nunique())
    settings = settings if settings is not None else default_settings(
        places=places, origin=origin, trajectories=n_traces <= max_trajectories, rng=rng)
    n_targets = min(targets, n_traces)
    known = sample_known_points(release, k=known_points, n_targets=n_targets, rng=rng)
    rows = []
    for s in settings:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LeakWarning)
            protected = s.apply(release)
        row = {"mitigation": s.mitigation, "setting": s.setting,
               "unicity_p2": _unicity(protected, 2, space, rng), "unicity_p4": _unicity(protected, 4, space, rng),
               "linkage_top1": _linkage(release, protected, s.adversary(known), space=space, aligned=s.aligned)}
        row.update(utility_summary(release, protected, aligned=s.aligned) if len(protected)
                   else dict.fromkeys(UTILITY_COLUMNS, math.nan))
        row["seconds"] = round(time.perf_counter() - t0, 2)
        rows.append(row)
        if progress:
            progress(f"{s.mitigation} {s.setting}: unicity p=4 {row['unicity_p4']:.3f}")
    table = pd.DataFrame(rows)
    table["on_frontier"] = pareto_frontier(table, risk="unicity_p4", utility="heatmap_similarity")
    return table


def pareto_frontier(table: pd.DataFrame, *, risk: str, utility: str) -> np.ndarray:
    """True for rows no other row beats: lower-or-equal risk and higher-or-equal utility, one strictly."""
    r = table[risk].to_numpy(float)
    u = table[utility].to_numpy(float)
    ok = ~(np.isnan(r) | np.isnan(u))
    better_or_equal = (r[None, :] <= r[:, None]) & (u[None, :] >= u[:, None])
    strictly = (r[None, :] < r[:, None]) | (u[None, :] > u[:, None])
    dominated = (better_or_equal & strictly & ok[None, :]).any(axis=1)
    return ok & ~dominated


def aggregate_tradeoff(
    release: pd.DataFrame, *, cell_m: float = 1000.0, slot_s: int = 86_400, max_cells_per_user: int = 30,
    targets: int = 10, group_size: int = 100, bounds: tuple[float, float, float, float] | None = None,
    rng=None,
) -> pd.DataFrame:
    """Risk and utility of publishing counts instead of traces, at three strengths each.

    Settings: exact counts; small counts suppressed below k = 5, 10, 20; differentially
    private counts (Laplace, ε = 10, 1, 0.1, each person bounded to
    ``max_cells_per_user`` cells). Risk is the AUC of membership inference (the
    correlation test of :mod:`lab.attacks.membership`, the adversary knowing every
    trace, ``targets`` of them attacked in groups of ``group_size``); utility is the
    count error against the exact counts.

    ``bounds`` (west, south, east, north) should come from public facts such as
    the town's map; by default it is read off the release, with a LeakWarning.

    Returns
    -------
    pandas.DataFrame
        mitigation, setting, membership_auc, count_mae, count_relative_large, cells_released.
    """
    from lab.attacks.membership import membership_auc
    from lab.metrics.utility import count_error
    from lab.mitigations.aggregate import count_by_cell
    from lab.mitigations.dp import dp_counts, grid_domain
    from lab.mitigations.suppress import suppress_small_counts

    rng = np.random.default_rng(rng)
    origin = (round(float(release["lat"].median()), 2), round(float(release["lon"].median()), 2))
    start = release["t"].min().normalize()
    end = release["t"].max().normalize() + pd.Timedelta(days=1)
    if bounds is None:
        from lab.mitigations.params import warn_leak

        warn_leak("bounds read off the release: its extent reveals the most outlying records; pass the town's map")
        bounds = (float(release["lon"].min()), float(release["lat"].min()),
                  float(release["lon"].max()), float(release["lat"].max()))
    domain = grid_domain(bounds=bounds, start=start, end=end, cell_m=cell_m, slot_s=slot_s, origin=origin)
    exact = count_by_cell(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    names = np.sort(release["pseudonym"].unique())
    chosen = rng.choice(names, size=min(targets, len(names)), replace=False)
    size = min(group_size, len(names) - 1)

    def auc(noise: float = 0.0, suppress: int = 0) -> float:
        out = membership_auc(release, targets=chosen, group_size=size, cell_m=cell_m, slot_s=slot_s,
                             method="correlation", noise_scale=noise, suppress_below=suppress, origin=origin,
                             start=start, n_train=2, n_test=100, rng=rng)
        return float(out["auc"].mean())

    rows = []
    err = count_error(exact, exact)
    rows.append({"mitigation": "aggregate", "setting": "exact counts", "membership_auc": auc(), **_errors(err)})
    for k in (5, 10, 20):
        published = suppress_small_counts(exact, k=k)
        rows.append({"mitigation": "suppress_small_counts", "setting": f"k = {k}",
                     "membership_auc": auc(suppress=k), **_errors(count_error(exact, published))})
    for eps in (10.0, 1.0, 0.1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LeakWarning)
            noisy = dp_counts(release, cell_m=cell_m, slot_s=slot_s, epsilon=eps, max_cells_per_user=max_cells_per_user,
                              domain=domain, rng=rng)
        rows.append({"mitigation": "dp_counts", "setting": f"Laplace, ε = {eps:g}, L = {max_cells_per_user}",
                     "membership_auc": auc(noise=max_cells_per_user / eps),
                     **_errors(count_error(exact, noisy[noisy["count"] > 0]))})
    return pd.DataFrame(rows)


def _errors(err: dict[str, float]) -> dict[str, float]:
    return {"count_mae": err["mae"], "count_relative_large": err["relative_large"], "cells_released": err["released"]}
