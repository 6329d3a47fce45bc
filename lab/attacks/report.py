"""The risk report of one release: unicity, home/work anonymity and top-N uniqueness.

What ``privacy-lab risk`` prints. Everything here is computed from the release
alone, as an adversary or an auditor holding only that table would.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd

from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.top_locations import top_n_uniqueness
from lab.attacks.traces import check_release
from lab.attacks.unicity import longest_trace, unicity
from lab.grid import cell_centres, grid_origin
from lab.params import check_positive
from lab.progress import Progress

__all__ = ["NATIVE_SPACE", "native_space", "risk_report", "format_risk_report"]

#: The resolution each release is published at: towers for CDR, cameras for
#: sightings, named places for check-ins; GPS fixes are compared on a 100 m grid
#: (raw coordinates never repeat, which would make every point trivially unique).
NATIVE_SPACE = {"cdr": "tower_id", "sightings": "camera_id", "checkins": "place_id", "gps": "grid:100"}


def native_space(release: pd.DataFrame, name: str | None = None) -> str:
    """The native spatial resolution of a release, by name or from its columns."""
    if name in NATIVE_SPACE:
        return NATIVE_SPACE[name]
    for col in ("tower_id", "camera_id", "place_id"):
        if col in release.columns:
            return col
    return "grid:100"


def risk_report(release: pd.DataFrame, *, name: str | None = None, ps=(1, 2, 3, 4, 5), hours: float = 1.0,
                rng=None, progress: Progress | None = None) -> dict:
    """Unicity for each ``p``, (home, work) anonymity sets and top-N uniqueness of a release.

    A measurement that cannot be made is reported, never left out: a ``p`` no
    pseudonym reaches gets share ``None``, ``n = 0`` and its reason under
    ``errors``, and so does a release in which no pseudonym has both a home and
    a work location. Any other failure raises.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon and the release's own columns.
    name : str, optional
        gps, cdr, sightings or checkins: chooses the native resolution (see :func:`native_space`).
    ps : iterable of int
        Numbers of known points for unicity.
    hours : float
        Width of the time bins.
    rng : numpy.random.Generator, int or None
    progress : lab.progress.Progress, optional
        Wraps the report's steps (one per ``p``, home/work, one per top-N resolution).

    Returns
    -------
    dict
        release, space, hours, n_pseudonyms, n_rows, unicity (p -> share unique
        or None), unicity_ci (p -> [low, high] or None), unicity_n (p -> pseudonyms
        evaluated), home_work (geography -> median, share_unique, n),
        home_work_cdf (rows of geography, size, share: the anonymity sets' CDF), top_n
        (list of rows) and errors (section -> why it could not be measured;
        empty when every number is there).
    """
    check_release(release)
    hours = check_positive(hours, name="hours", unit="hours")
    rng = np.random.default_rng(rng)
    space = native_space(release, name)
    report: dict = {"release": name or "release", "space": space, "hours": hours,
                    "n_pseudonyms": int(release["pseudonym"].nunique()), "n_rows": len(release),
                    "unicity": {}, "unicity_ci": {}, "unicity_n": {}, "home_work": {}, "home_work_cdf": [], "top_n": [],
                    "errors": {}}

    def measure_unicity(p: int) -> None:
        try:
            r = unicity(release, p=p, space=space, hours=hours, rng=rng, n_boot=500)
        except ValueError:
            longest = longest_trace(release, space=space, hours=hours)
            if longest >= p:
                raise  # not the documented "every trace is shorter than p": a genuine failure
            report["unicity"][str(p)], report["unicity_ci"][str(p)], report["unicity_n"][str(p)] = None, None, 0
            report["errors"][f"unicity p={p}"] = (f"no pseudonym has {p} distinct points at {space} × {hours:g} h "
                                                  f"(the longest trace has {longest})")
            return
        report["unicity"][str(p)], report["unicity_ci"][str(p)], report["unicity_n"][str(p)] = (
            r.share, [r.low, r.high], r.n)

    def measure_home_work() -> None:
        located = release
        if space.startswith("grid:"):  # raw fixes never repeat: take modes on the centres of the grid's cells
            lat, lon = release["lat"].to_numpy(float), release["lon"].to_numpy(float)
            # The auditor's own grid, anchored as unicity's (grid_origin of the release): no protection, no leak.
            _, clat, clon = cell_centres(lat, lon, cell_m=float(space.split(":", 1)[1]), origin=grid_origin(lat, lon))
            located = release.assign(lat=clat, lon=clon)
        hw = infer_home_work(located)
        if hw.dropna(subset=["home_lat", "home_lon", "work_lat", "work_lon"]).empty:
            report["errors"]["home_work"] = ("no pseudonym has both a home (night) and a work "
                                             "(weekday working hours, away from home) location")
            return
        _, summary, cdf = anonymity_sets(hw)
        report["home_work"] = {g: {"median": row["median"], "share_unique": row["share_unique"], "n": int(row["n"])}
                               for g, row in summary.iterrows()}
        report["home_work_cdf"] = json.loads(cdf.to_json(orient="records"))

    def measure_top_n(sp: str) -> None:
        top = top_n_uniqueness(release, ns=(1, 2, 3), spaces=(sp,))
        report["top_n"].extend(top.to_dict(orient="records"))

    todo = [(f"unicity p={p}", functools.partial(measure_unicity, p)) for p in ps]
    todo.append(("home/work", measure_home_work))
    todo += [(f"top-N at {sp}", functools.partial(measure_top_n, sp)) for sp in (space, "grid:1000", "grid:5000")]
    if progress is not None:
        todo = progress(todo, total=len(todo), desc=f"risk {report['release']}", label=lambda step: step[0])
    for _, measure in todo:
        measure()
    return report


def format_risk_report(report: dict) -> str:
    """Plain-text rendering of :func:`risk_report` for the terminal; a measurement not made says why."""
    errors = report.get("errors", {})
    lines = [f"release {report['release']}: {report['n_pseudonyms']:,} pseudonyms, {report['n_rows']:,} rows; "
             f"points = {report['space']} × {report['hours']:g} h"]
    lines.append("unicity (share of pseudonyms singled out by p random points)")
    for p, share in report["unicity"].items():
        if share is None:
            lines.append(f"  p={p}  not measured: {errors.get(f'unicity p={p}', 'no value')}   n=0")
            continue
        low, high = report["unicity_ci"][p]
        lines.append(f"  p={p}  {share:6.1%}  [{low:.1%}, {high:.1%}]  n={report['unicity_n'][p]:,}")
    lines.append("(home, work) anonymity sets")
    if "home_work" in errors:
        lines.append(f"  not measured: {errors['home_work']}")
    for g, row in report["home_work"].items():
        lines.append(f"  {g:<9} median {row['median']:>8,.0f}   unique {row['share_unique']:6.1%}   n={row['n']:,}")
    lines.append("top-N locations: share of pseudonyms whose set is unique")
    lines.extend(f"  top-{row['n']} at {row['space']:<12} {row['share_unique']:6.1%}   "
                 f"median set {row['median_set']:,.0f}" for row in report["top_n"])
    if errors:
        lines.append(f"{len(errors)} measurement(s) could not be made: {', '.join(errors)}")
    return "\n".join(lines)
