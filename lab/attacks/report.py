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
from lab.attacks.prudence import location_attack
from lab.attacks.top_locations import top_n_uniqueness
from lab.attacks.traces import check_release, draw_pseudonyms
from lab.attacks.unicity import TracesTooShort, unicity
from lab.grid import cell_centres, grid_origin
from lab.params import check_positive, check_whole
from lab.progress import Progress

__all__ = ["NATIVE_SPACE", "native_space", "risk_report", "format_risk_report"]

#: The resolution each release is published at: towers for CDR, cameras for
#: sightings, named places for check-ins; GPS fixes are compared on a 100 m grid
#: (raw coordinates never repeat, which would make every point trivially unique).
NATIVE_SPACE = {"cdr": "tower_id", "sightings": "camera_id", "checkins": "place_id", "gps": "grid:100"}

#: Places the adversary of the report's location attack knows.
LOCATION_K = 2


def native_space(release: pd.DataFrame, name: str | None = None) -> str:
    """The native spatial resolution of a release, by name or from its columns."""
    if name in NATIVE_SPACE:
        return NATIVE_SPACE[name]
    for col in ("tower_id", "camera_id", "place_id"):
        if col in release.columns:
            return col
    return "grid:100"


def risk_report(release, *, name: str | None = None, ps=(1, 2, 3, 4, 5), hours: float = 1.0, rng=None,
                sample: int | None = None, progress: Progress | None = None, engine: str = "local") -> dict:
    """Unicity for each ``p``, the location attack, (home, work) anonymity sets and top-N uniqueness of a release.

    A measurement that cannot be made is reported, never left out: a ``p`` no
    pseudonym reaches gets share ``None``, ``n = 0`` and its reason under
    ``errors``, and so does a release in which no pseudonym has both a home and
    a work location. Any other failure raises.

    Parameters
    ----------
    release : pandas.DataFrame, or for the Dask engine a Parquet path or dask.dataframe.DataFrame
        pseudonym, t, lat, lon and the release's own columns.
    name : str, optional
        gps, cdr, sightings or checkins: chooses the native resolution (see :func:`native_space`).
    ps : iterable of int
        Numbers of known points for unicity.
    hours : float
        Width of the time bins.
    rng : numpy.random.Generator, int or None
    sample : int, optional
        Evaluate unicity and the location attack on this many targets drawn at random, as the paper
        did, instead of every pseudonym (each target is still compared with the whole release).
    progress : lab.progress.Progress, optional
        Wraps the report's steps (one per ``p``, the location attack, home/work, one per top-N resolution).
    engine : {"local", "dask"}
        ``"dask"`` measures unicity and the location attack on the current Dask client
        (:mod:`lab.attacks.on_dask`), with the same answers; (home, work) and top-N need the release
        in memory and are listed under ``not_measured``.

    Returns
    -------
    dict
        release, engine, space, hours, sample, n_pseudonyms, n_rows, unicity (p -> share unique
        or None), unicity_ci (p -> [low, high] or None), unicity_n (p -> pseudonyms
        evaluated), location (the location attack with k = 2 known places: n, mean risk,
        share_unique), home_work (geography -> median, share_unique, n),
        home_work_cdf (rows of geography, size, share: the anonymity sets' CDF), top_n
        (list of rows), errors (section -> why it could not be measured;
        empty when every number is there) and not_measured (section -> why this engine skips it).
    """
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', got {engine!r}")
    hours = check_positive(hours, name="hours", unit="hours")
    if sample is not None:
        sample = check_whole(sample, name="sample", meaning="the number of targets to evaluate")
    rng = np.random.default_rng(rng)
    if engine == "dask":
        from lab.attacks.on_dask import location as dask_location
        from lab.attacks.on_dask import release as dask_release
        from lab.attacks.on_dask import unicity as dask_unicity

        frame = dask_release.open_release(release)
        space = native_space(frame, name)
        frame = dask_release.read_release(frame, space=space)
        scanned = dask_release.scan(frame, space=space, hours=hours)
        rows, pseudonyms = scanned.rows, scanned.pseudonyms
        measure = functools.partial(dask_unicity.unicity, frame, scanned=scanned, sample=sample)

        def attack(**kw):
            targets = None if sample is None else dask_release.draw_pseudonyms(frame, sample, rng=rng)
            return dask_location.location_attack(frame, targets=targets, **kw)
    else:
        check_release(release)
        space = native_space(release, name)
        rows, pseudonyms = len(release), int(release["pseudonym"].nunique())
        measure = functools.partial(unicity, release, sample=sample)

        def attack(**kw):
            risk = location_attack(release, **kw)
            return risk if sample is None else risk.loc[draw_pseudonyms(release, sample, rng=rng)]
    report: dict = {"release": name or "release", "engine": engine, "space": space, "hours": hours, "sample": sample,
                    "n_pseudonyms": pseudonyms, "n_rows": rows, "unicity": {}, "unicity_ci": {}, "unicity_n": {},
                    "location": {}, "home_work": {}, "home_work_cdf": [], "top_n": [], "errors": {},
                    "not_measured": {}}

    def measure_unicity(p: int) -> None:
        try:
            r = measure(p=p, space=space, hours=hours, rng=rng, n_boot=500)
        except TracesTooShort as exc:
            report["unicity"][str(p)], report["unicity_ci"][str(p)], report["unicity_n"][str(p)] = None, None, 0
            report["errors"][f"unicity p={p}"] = (f"no pseudonym has {p} distinct points at {space} × {hours:g} h "
                                                  f"(the longest trace has {exc.longest})")
            return
        report["unicity"][str(p)], report["unicity_ci"][str(p)], report["unicity_n"][str(p)] = (
            r.share, [r.low, r.high], r.n)

    def measure_location() -> None:
        risk = attack(k=LOCATION_K, space=space)
        report["location"] = {"k": LOCATION_K, "n": len(risk), "mean": float(risk.mean()),
                              "share_unique": float((risk >= 1.0).mean())}

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
    todo.append((f"location attack k={LOCATION_K}", measure_location))
    if engine == "local":
        todo.append(("home/work", measure_home_work))
        todo += [(f"top-N at {sp}", functools.partial(measure_top_n, sp)) for sp in (space, "grid:1000", "grid:5000")]
    else:
        why = "needs the release in one process: run the local engine on a sample of it"
        report["not_measured"] = {"home_work": why, "top_n": why}
    if progress is not None:
        todo = progress(todo, total=len(todo), desc=f"risk {report['release']}", label=lambda step: step[0])
    for _, measure_step in todo:
        measure_step()
    return report


def format_risk_report(report: dict) -> str:
    """Plain-text rendering of :func:`risk_report` for the terminal; a measurement not made says why."""
    errors = report.get("errors", {})
    lines = [f"release {report['release']}: {report['n_pseudonyms']:,} pseudonyms, {report['n_rows']:,} rows; "
             f"points = {report['space']} × {report['hours']:g} h"]
    drawn = f"; {report['sample']:,} targets drawn at random" if report.get("sample") else ""
    lines.append(f"unicity (share of pseudonyms singled out by p random points{drawn})")
    for p, share in report["unicity"].items():
        if share is None:
            lines.append(f"  p={p}  not measured: {errors.get(f'unicity p={p}', 'no value')}   n=0")
            continue
        low, high = report["unicity_ci"][p]
        lines.append(f"  p={p}  {share:6.1%}  [{low:.1%}, {high:.1%}]  n={report['unicity_n'][p]:,}")
    if report.get("location"):
        loc = report["location"]
        lines.append(f"location attack: an adversary knowing {loc['k']} places a pseudonym visited")
        lines.append(f"  mean risk {loc['mean']:6.1%}   singled out {loc['share_unique']:6.1%}   n={loc['n']:,}")
    skipped = report.get("not_measured", {})
    lines.append("(home, work) anonymity sets")
    if "home_work" in errors:
        lines.append(f"  not measured: {errors['home_work']}")
    if "home_work" in skipped:
        lines.append(f"  not measured on the {report['engine']} engine: {skipped['home_work']}")
    for g, row in report["home_work"].items():
        lines.append(f"  {g:<9} median {row['median']:>8,.0f}   unique {row['share_unique']:6.1%}   n={row['n']:,}")
    lines.append("top-N locations: share of pseudonyms whose set is unique")
    if "top_n" in skipped:
        lines.append(f"  not measured on the {report['engine']} engine: {skipped['top_n']}")
    lines.extend(f"  top-{row['n']} at {row['space']:<12} {row['share_unique']:6.1%}   "
                 f"median set {row['median_set']:,.0f}" for row in report["top_n"])
    if errors:
        lines.append(f"{len(errors)} measurement(s) could not be made: {', '.join(errors)}")
    return "\n".join(lines)
