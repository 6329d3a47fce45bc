"""The risk report of one release: unicity, home/work anonymity and top-N uniqueness.

What ``privacy-lab risk`` prints. Everything here is computed from the release
alone, as an adversary or an auditor holding only that table would.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.top_locations import top_n_uniqueness
from lab.attacks.traces import check_release
from lab.attacks.unicity import unicity
from lab.mitigations.coarsen import snap_to_grid

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
                rng=None) -> dict:
    """Unicity for each ``p``, (home, work) anonymity sets and top-N uniqueness of a release.

    Returns
    -------
    dict
        release, space, n_pseudonyms, n_rows, unicity (p -> share unique),
        unicity_ci (p -> [low, high]), unicity_n (p -> pseudonyms evaluated),
        home_work (geography -> median, share_unique), top_n (list of rows).
    """
    check_release(release)
    rng = np.random.default_rng(rng)
    space = native_space(release, name)
    report: dict = {"release": name or "release", "space": space, "hours": hours,
                    "n_pseudonyms": int(release["pseudonym"].nunique()), "n_rows": int(len(release))}
    uni, ci, n = {}, {}, {}
    for p in ps:
        try:
            r = unicity(release, p=p, space=space, hours=hours, rng=rng, n_boot=500)
        except ValueError:
            continue  # every trace is shorter than p
        uni[str(p)], ci[str(p)], n[str(p)] = r.share, [r.low, r.high], r.n
    report.update(unicity=uni, unicity_ci=ci, unicity_n=n)
    located = release
    if space.startswith("grid:"):  # raw fixes never repeat: take modes on the grid's cells
        located = snap_to_grid(release, cell_m=float(space.split(":", 1)[1]))
    hw = infer_home_work(located)
    try:
        _, summary, _ = anonymity_sets(hw)
        report["home_work"] = {g: {"median": row["median"], "share_unique": row["share_unique"], "n": int(row["n"])}
                               for g, row in summary.iterrows()}
    except ValueError:
        report["home_work"] = {}
    top = top_n_uniqueness(release, ns=(1, 2, 3), spaces=(space, "grid:1000", "grid:5000"))
    report["top_n"] = top.to_dict(orient="records")
    return report


def format_risk_report(report: dict) -> str:
    """Plain-text rendering of :func:`risk_report` for the terminal."""
    lines = [f"release {report['release']}: {report['n_pseudonyms']:,} pseudonyms, {report['n_rows']:,} rows; "
             f"points = {report['space']} × {report['hours']:g} h"]
    lines.append("unicity (share of pseudonyms singled out by p random points)")
    for p, share in report["unicity"].items():
        low, high = report["unicity_ci"][p]
        lines.append(f"  p={p}  {share:6.1%}  [{low:.1%}, {high:.1%}]  n={report['unicity_n'][p]:,}")
    if report["home_work"]:
        lines.append("(home, work) anonymity sets")
        for g, row in report["home_work"].items():
            lines.append(f"  {g:<9} median {row['median']:>8,.0f}   unique {row['share_unique']:6.1%}   n={row['n']:,}")
    lines.append("top-N locations: share of pseudonyms whose set is unique")
    for row in report["top_n"]:
        lines.append(f"  top-{row['n']} at {row['space']:<12} {row['share_unique']:6.1%}   median set {row['median_set']:,.0f}")
    return "\n".join(lines)
