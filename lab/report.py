"""The risk report a privacy engineer hands to a data owner: one self-contained HTML page.

:func:`report_html` turns the numbers of :func:`lab.attacks.report.risk_report`
(and, if given, a trade-off table from :mod:`lab.experiments`) into a page that
opens offline in any browser and reads without Python: what was measured and
on how many pseudonyms, unicity with its intervals, (home, work) anonymity
sets, top-N uniqueness, the mitigations worth considering, what could not be
measured and why, and the caveats. Figures are inline SVG and the map, if any,
is embedded whole, so the file needs nothing beside it.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
   Unique in the Crowd. Scientific Reports 3, 1376.
.. [2] Golle, P., Partridge, K. (2009). On the anonymity of home/work location
   pairs. Pervasive Computing, LNCS 5538.
.. [3] Zang, H., Bolot, J. (2011). Anonymization of location data does not work:
   a large-scale measurement study. MobiCom 2011.
"""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

import lab
from lab.output import atomic_write
from lab.plots import anonymity_figure, top_n_figure, tradeoff_figure, unicity_figure

__all__ = ["report_html", "write_report"]

CAVEATS = (
    "Unicity counts the pseudonyms that p of their own points, chosen at random, single out. An adversary "
    "who picks the rarest points, or who knows more than p, does better: these shares are a floor on the "
    "risk, not a ceiling.",
    "Every number is measured at the release's own resolution (the spatial unit and the time bins named "
    "above). Publishing at a coarser resolution lowers them only slowly.",
    "Intervals are 95 % bootstrap intervals over the pseudonyms measured; they describe sampling error, "
    "not the adversary's uncertainty.",
    "Removing names does not anonymise a location trace: the points themselves identify. Aggregates leak "
    "too (membership inference, trajectory recovery); see the counts trade-off.",
)

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.headline { display: flex; gap: 1rem; flex-wrap: wrap; }
.headline div { border: 1px solid #ccc; border-radius: 6px; padding: 0.6rem 1rem; }
.headline strong { display: block; font-size: 1.5rem; }
.missing { color: #a33; } .figure svg { max-width: 100%; height: auto; }
iframe { width: 100%; height: 32rem; border: 1px solid #ccc; }
"""


def _svg(fig: Figure) -> str:
    """The figure as inline SVG, with no date and stable ids (the same figure gives the same text)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "privacy-lab", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return f'<div class="figure">{text[text.index("<svg"):]}</div>'


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _pct(x: float | None) -> str:
    return "not measured" if x is None else f"{x:.1%}"


def _unicity_section(report: dict) -> str:
    rows = []
    for p, share in report["unicity"].items():
        ci = report["unicity_ci"][p]
        rows.append({"p (points known)": p, "share unique": _pct(share),
                     "95 % interval": "–" if ci is None else f"{ci[0]:.1%} – {ci[1]:.1%}",
                     "pseudonyms measured": f"{report['unicity_n'][p]:,}"})
    return ("<h2>Unique in the crowd</h2><p>The share of pseudonyms that <em>p</em> of their own points, "
            f"at {html.escape(report['space'])} × {report['hours']:g} h, single out among all "
            f"{report['n_pseudonyms']:,}.</p>" + _table(pd.DataFrame(rows)) + _svg(unicity_figure(report)))


def _location_section(report: dict) -> str:
    loc = report.get("location")
    if not loc:
        return ""
    return (f"<h2>Knowing {loc['k']} places</h2><p>An adversary who knows {loc['k']} places a person visited "
            "(the same place twice counts twice) looks for the pseudonyms that visited them too. Over the "
            f"{loc['n']:,} pseudonyms, the chance of naming the right one is <strong>{_pct(loc['mean'])}</strong> "
            f"on average, and <strong>{_pct(loc['share_unique'])}</strong> are singled out by some {loc['k']} of "
            "their own places, time left aside.</p>")


def _home_work_section(report: dict) -> str:
    if not report["home_work"]:
        return ""
    rows = [{"geography": g, "median set": f"{v['median']:,.0f}", "share unique": _pct(v["share_unique"]),
             "pseudonyms": f"{v['n']:,}"} for g, v in report["home_work"].items()]
    cdf = pd.DataFrame(report.get("home_work_cdf", []), columns=["geography", "size", "share"])
    figure = _svg(anonymity_figure(cdf)) if len(cdf) else ""
    return ("<h2>Home and work</h2><p>Homes (night) and workplaces (weekday hours) inferred from the release "
            "alone; a pair's anonymity set is the number of pseudonyms with the same pair of cells.</p>"
            + _table(pd.DataFrame(rows)) + figure)


def _top_n_section(report: dict) -> str:
    if not report["top_n"]:
        return ""
    top = pd.DataFrame(report["top_n"])
    rows = top.assign(share_unique=top["share_unique"].map(_pct),
                      median_set=top["median_set"].map(lambda v: f"{v:,.0f}"))[["n", "space", "share_unique",
                                                                                  "median_set"]]
    rows.columns = ["top N", "granularity", "share unique", "median set"]
    return ("<h2>Top locations</h2><p>The share of pseudonyms whose N most visited places, as a set, "
            "belong to no one else.</p>" + _table(rows) + _svg(top_n_figure(report)))


def _mitigation_section(tradeoff: pd.DataFrame | None) -> str:
    if tradeoff is None or tradeoff.empty:
        return ""
    traces = tradeoff[tradeoff["kind"] == "traces"] if "kind" in tradeoff else tradeoff
    best = traces[traces["on_frontier"].astype(bool)] if "on_frontier" in traces else traces.iloc[:0]
    columns = [c for c in ("mitigation", "setting", "unicity_p4", "linkage_top1", "heatmap_similarity",
                           "displacement_m") if c in traces.columns]
    shown = best[columns].round(3) if len(best) else traces[columns].round(3)
    return ("<h2>What protection would cost</h2><p>Each mitigation at three strengths, measured on the very "
            "release it publishes; the settings no other setting beats on both risk and utility:</p>"
            + _table(shown) + _svg(tradeoff_figure(traces)))


def report_html(report: dict, *, tradeoff: pd.DataFrame | None = None, map_html: str | None = None,
                title: str | None = None) -> str:
    """The risk report as one self-contained HTML page.

    Parameters
    ----------
    report : dict
        From :func:`lab.attacks.report.risk_report`.
    tradeoff : pandas.DataFrame, optional
        A trade-off table (``privacy-lab tradeoff``'s CSV): adds the mitigations on the frontier.
    map_html : str, optional
        A whole map page (from :mod:`lab.maps`), embedded as it is.
    title : str, optional

    Returns
    -------
    str
        The page. It loads nothing from anywhere: styles, figures (inline SVG)
        and the map are all inside it.
    """
    name = report["release"]
    title = title or f"Re-identification risk of the {name} release"
    uni = report["unicity"]
    cards = [("pseudonyms", f"{report['n_pseudonyms']:,}"), ("records", f"{report['n_rows']:,}")]
    cards += [(f"unique with {p} points", _pct(uni[p])) for p in ("2", "4") if p in uni]
    if "block" in report["home_work"]:
        cards.append(("unique by (home, work) block", _pct(report["home_work"]["block"]["share_unique"])))
    headline = "".join(f"<div><strong>{html.escape(v)}</strong>{html.escape(k)}</div>" for k, v in cards)
    missing = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in report["errors"].items())
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
        f"<p>Measured by Location Privacy Lab {html.escape(lab.__version__)} on the release alone, as an "
        f"adversary holding only that table would: {report['n_pseudonyms']:,} pseudonyms, "
        f"{report['n_rows']:,} records, points at {html.escape(report['space'])} × {report['hours']:g} h.</p>",
        f"<div class='headline'>{headline}</div>",
        _unicity_section(report), _location_section(report), _home_work_section(report), _top_n_section(report),
        _mitigation_section(tradeoff),
    ]
    if missing:
        parts.append(f"<h2>Not measured</h2><ul class='missing'>{missing}</ul>")
    if map_html:
        parts.append("<h2>Map</h2><iframe title='map' sandbox='allow-scripts' srcdoc=\""
                     + html.escape(map_html, quote=True) + "\"></iframe>")
    parts.append("<h2>Caveats</h2><ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in CAVEATS) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(page: str, path: str | os.PathLike, *, option: str | None = None) -> Path:
    """Write a page from :func:`report_html` atomically, with ordinary permissions."""
    target = Path(path)
    with atomic_write(target, option=option) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target
