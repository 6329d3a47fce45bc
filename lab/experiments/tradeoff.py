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
import functools
import math
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from lab.attacks.linkage import link_to_auxiliary, sample_known_points
from lab.attacks.report import native_space
from lab.attacks.traces import check_release
from lab.attacks.unicity import longest_trace, unicity
from lab.errors import InputError
from lab.grid import Space, resolve_origin
from lab.metrics.linkage_score import reidentification_rate
from lab.metrics.utility import utility_summary
from lab.mitigations import coarsen, geoind, minimise
from lab.params import LeakWarning
from lab.progress import Progress

__all__ = ["Setting", "default_settings", "tradeoff", "pareto_frontier", "UTILITY_COLUMNS"]

#: Utility columns of the trade-off table (higher is better for similarities and
#: kept shares, lower for distances and errors).
UTILITY_COLUMNS = ("rows_kept", "pseudonyms_kept", "displacement_m", "heatmap_similarity", "od_similarity",
                   "gyration_ks", "trip_length_ks", "home_error_m")


#: Why a utility measure can be missing from a row.
UNMEASURED = {
    "displacement_m": "the mitigation publishes new points and did not record how far they moved",
    "rows_kept": "the mitigation publishes new points and did not record how many it kept",
    "heatmap_similarity": "one of the two heat maps is empty",
    "od_similarity": "no trip between cells is left on one side",
    "gyration_ks": "no radius of gyration can be computed on one side",
    "trip_length_ks": "no trip is left on one side",
    "home_error_m": "no home could be inferred for any pseudonym of the protected release",
}


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
        snap = functools.partial(coarsen.snap_to_grid, cell_m=cell, origin=origin)
        out.append(Setting("snap_to_grid", f"{cell} m", snap, adversary=snap))
    for minutes, label in ((60, "1 h"), (240, "4 h"), (1440, "1 day")):
        binned = functools.partial(coarsen.bin_time, minutes=minutes)
        out.append(Setting("bin_time", label, binned, adversary=binned))
    # Mean displacement 2/ε; noise cached per 50 m cell (exact GPS fixes never repeat,
    # so caching on exact coordinates would not stop averaging).
    for mean_m in (50, 200, 1000):
        eps = 2.0 / mean_m
        out.append(Setting("planar_laplace", f"ε = 2/{mean_m} m, cached per 50 m cell",
                           lambda r, e=eps: geoind.planar_laplace(r, epsilon=e, snap_m=50, cache=True,
                                                                  origin=origin, rng=seeds[2])))
    if trajectories:
        from lab.mitigations.kanon_traj import anonymise_trajectories

        def kanon(r: pd.DataFrame, k: int) -> pd.DataFrame:
            res = anonymise_trajectories(r, k=k, delta_m=500, max_radius_m=3000, origin=origin)
            out = res.release
            out.attrs.update(rows_kept=1.0 - res.share_points_suppressed, displacement_m=res.mean_displacement_m)
            return out

        for k in (2, 5, 10):
            out.append(Setting("kanon_trajectories", f"k = {k}, tube 500 m", lambda r, k=k: kanon(r, k),
                               aligned=False))
    return out


def _unit_missing(protected: pd.DataFrame, space: Space) -> str | None:
    """Why risk cannot be measured at ``space`` on the protected release, or None."""
    column = space.column
    if column is not None and column not in protected.columns:
        return (f"the protected release no longer has {column!r} to measure at; "
                "run the trade-off on a grid (space='grid:500')")
    return None


def _measure_unicity(protected: pd.DataFrame, space: Space, rng) -> tuple[dict[str, float], list[str]]:
    """Unicity at p = 2 and 4, or the reason it cannot be measured on this release."""
    if protected.empty:
        return {"unicity_p2": math.nan, "unicity_p4": math.nan}, ["unicity: the protected release is empty"]
    missing = _unit_missing(protected, space)
    if missing:
        return {"unicity_p2": math.nan, "unicity_p4": math.nan}, [f"unicity: {missing}"]
    longest = longest_trace(protected, space=space, hours=1.0)
    out, errors = {}, []
    for p in (2, 4):
        if longest < p:
            out[f"unicity_p{p}"] = math.nan
            errors.append(f"unicity_p{p}: no pseudonym keeps {p} distinct points (longest: {longest})")
        else:
            out[f"unicity_p{p}"] = unicity(protected, p=p, space=space, hours=1.0, rng=rng, n_boot=50).share
    return out, errors


def _linkage(original: pd.DataFrame, protected: pd.DataFrame, known: pd.DataFrame, *, space: Space,
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
    space: str | None = None, origin: tuple[float, float] | None = None, targets: int = 300, known_points: int = 4,
    max_trajectories: int = 3000, rng=None, progress: Progress | None = None,
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
    origin : (float, float), optional
        Public anchor of every grid (the town's); default read off the release,
        with a :class:`~lab.params.LeakWarning`.
    targets, known_points : int
        The linkage adversary knows ``known_points`` true points of ``targets`` pseudonyms.
    max_trajectories : int
        Include trajectory k-anonymity in the default settings up to this many pseudonyms.
    rng : numpy.random.Generator, int or None
    progress : lab.progress.Progress, optional
        Shows the settings as they are worked on (:func:`lab.progress.steps`).

    Returns
    -------
    pandas.DataFrame
        mitigation, setting, unicity_p2, unicity_p4, linkage_top1, one column per
        utility measure (:data:`UTILITY_COLUMNS`), error (why a measure of the row
        could not be taken; empty when all were) and on_frontier (judged on
        unicity_p4 against heatmap_similarity). Nothing in it depends on the
        clock: the same release and seed give the same table.
    """
    check_release(release)
    rng = np.random.default_rng(rng)
    origin = resolve_origin(origin, release["lat"].to_numpy(float), release["lon"].to_numpy(float),
                            protection="the trade-off's grids")
    # Risk is measured on the same grid the mitigations snap to: one origin for the whole table.
    space = Space.parse(space or native_space(release), origin=origin)
    n_traces = int(release["pseudonym"].nunique())
    settings = settings if settings is not None else default_settings(
        places=places, origin=origin, trajectories=n_traces <= max_trajectories, rng=rng)
    # Targets: pseudonyms with at least ``known_points`` records for the adversary to know.
    n_targets = min(targets, int((release["pseudonym"].value_counts() >= known_points).sum()))
    known = sample_known_points(release, k=known_points, n_targets=n_targets, rng=rng) if n_targets else None
    rows = []
    todo = settings if progress is None else progress(
        settings, total=len(settings), desc="trade-off", unit="setting", label=lambda s: f"{s.mitigation} {s.setting}")
    for s in todo:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", LeakWarning)  # each setting is a deliberate choice, weak ones too
                protected = s.apply(release)
        except InputError as exc:  # the mitigation refuses this setting on this release, and says why
            rows.append({"mitigation": s.mitigation, "setting": s.setting, "error": f"not applied: {exc}"})
            continue
        risk, errors = _measure_unicity(protected, space, rng)
        row = {"mitigation": s.mitigation, "setting": s.setting, **risk}
        if known is None:
            row["linkage_top1"] = math.nan
            errors.append(f"linkage_top1: no pseudonym holds the {known_points} records the adversary should know")
        elif not protected.empty and _unit_missing(protected, space):
            row["linkage_top1"] = math.nan
            errors.append(f"linkage_top1: {_unit_missing(protected, space)}")
        else:
            row["linkage_top1"] = _linkage(release, protected, s.adversary(known), space=space, aligned=s.aligned)
        if len(protected):
            utility = utility_summary(release, protected, aligned=s.aligned, origin=origin)
            row.update(utility)
            errors += [f"{name}: {UNMEASURED.get(name, 'not measurable on the protected release')}"
                       for name, value in utility.items() if math.isnan(value)]
        else:
            row.update(dict.fromkeys(UTILITY_COLUMNS, math.nan))
            errors.append("utility: the protected release is empty")
        row["error"] = "; ".join(errors)
        rows.append(row)
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
