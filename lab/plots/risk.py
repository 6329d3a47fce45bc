"""Figures of re-identification risk: unicity, the coarsening law, anonymity sets, top-N locations.

Each function takes what an attack of :mod:`lab.attacks` returns (a table, a
list of results or the dict of :func:`lab.attacks.report.risk_report`) and
draws exactly those values: nothing is recomputed, so a figure and the table
beside it always agree.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
   Unique in the Crowd: The privacy bounds of human mobility. Scientific Reports 3, 1376.
.. [2] Golle, P., Partridge, K. (2009). On the anonymity of home/work location
   pairs. Pervasive Computing, LNCS 5538, 390–397.
.. [3] Zang, H., Bolot, J. (2011). Anonymization of location data does not work:
   a large-scale measurement study. MobiCom 2011, 145–156.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lab.attacks.unicity import Unicity
from lab.plots.style import add_note, check_columns, colours, markers, new_axes, plain_log_ticks, styled

__all__ = ["unicity_figure", "coarsening_figure", "anonymity_figure", "top_n_figure"]

#: Axis label of a unicity ε_p.
SHARE_UNIQUE = "ε_p, share of pseudonyms singled out (0 to 1)"


def _hours(h: object) -> str:
    """A time bin for a legend: ``1 h``, or ``any time`` when the points carry no time."""
    return "any time" if h is None or (isinstance(h, float) and np.isnan(h)) else f"{float(h):g} h"


def _unicity_table(results: Mapping | pd.DataFrame | Iterable[Unicity]) -> tuple[pd.DataFrame, list[str]]:
    """The measurements as one table (series, p, share, low, high), and the ``p`` that could not be measured."""
    if isinstance(results, Mapping):
        for key in ("unicity", "unicity_ci"):
            if key not in results:
                raise ValueError(f"the risk report has no {key!r}; give the dict of lab.attacks.report.risk_report")
        series = f"{results.get('release', 'release')} ({results.get('space', '?')} × {_hours(results.get('hours'))})"
        rows, skipped = [], []
        for p, share in results["unicity"].items():
            if share is None:
                skipped.append(str(p))
                continue
            low, high = results["unicity_ci"].get(p) or (np.nan, np.nan)
            rows.append({"series": series, "p": int(p), "share": share, "low": low, "high": high})
        return pd.DataFrame(rows, columns=["series", "p", "share", "low", "high"]), skipped
    if isinstance(results, pd.DataFrame):
        check_columns(results, ("p", "share"), what="the unicity table")
        table = results.copy()
        if "space" in table.columns:
            hours = table["hours"] if "hours" in table.columns else pd.Series(1.0, index=table.index)
            table["series"] = [f"{s} × {_hours(h)}" for s, h in zip(table["space"], hours)]
        else:
            table["series"] = "ε_p"
        for col in ("low", "high"):
            if col not in table.columns:
                table[col] = np.nan
        return table[["series", "p", "share", "low", "high"]], []
    rows = [{"series": "ε_p", "p": r.p, "share": r.share, "low": r.low, "high": r.high} for r in results]
    if not rows:
        raise ValueError("no unicity result to draw")
    return pd.DataFrame(rows), []


def _errorbars(ax: Axes, x, share, low, high, *, label: str, colour, marker: str,
               line: str = "-") -> ErrorbarContainer:
    """Points joined by a line, each with its interval when one was measured."""
    share, low, high = (np.asarray(v, float) for v in (share, low, high))
    has_ci = np.isfinite(low) & np.isfinite(high)
    # A point without an interval gets a bar of zero length; the others keep theirs.
    yerr = np.where(has_ci, np.vstack([share - low, high - share]), 0.0) if has_ci.any() else None
    return ax.errorbar(np.asarray(x), share, yerr=yerr, label=label, color=colour, marker=marker, linestyle=line)


@styled
def unicity_figure(results: Mapping | pd.DataFrame | Iterable[Unicity], *,
                   title: str = "Unique in the crowd: how few points single a person out") -> Figure:
    """Unicity ε_p against the number of known points ``p``, with confidence intervals.

    The share of pseudonyms that ``p`` of their spatio-temporal points single
    out, as in figure 2 of de Montjoye et al. (2013); a vertical bar is the
    bootstrap interval of each share. One line per resolution (``space`` ×
    ``hours``) when the table holds several.

    Parameters
    ----------
    results : dict, pandas.DataFrame or iterable of Unicity
        The dict of :func:`lab.attacks.report.risk_report` (its ``unicity`` and
        ``unicity_ci``; a ``p`` not measured is named in a note under the axes),
        a table with p, share and optionally low, high, space, hours (as from
        :func:`lab.attacks.unicity.unicity_sweep`), or
        :class:`~lab.attacks.unicity.Unicity` results.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Attached to no backend and unknown to pyplot.

    References
    ----------
    .. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
       Unique in the Crowd: The privacy bounds of human mobility. Scientific Reports 3, 1376.
    """
    table, skipped = _unicity_table(results)
    fig, ax = new_axes()
    names = list(dict.fromkeys(table["series"]))
    for name, colour, marker in zip(names, colours(len(names)), markers(len(names))):
        g = table[table["series"] == name].sort_values("p")
        _errorbars(ax, g["p"], g["share"], g["low"], g["high"], label=name, colour=colour, marker=marker)
    ax.set_xlabel("p, spatio-temporal points known per pseudonym")
    ax.set_ylabel(SHARE_UNIQUE)
    ax.set_ylim(-0.02, 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if names:
        ax.legend(loc="lower right")
    if skipped:
        add_note(fig, f"Not measured (no trace has that many distinct points): p = {', '.join(skipped)}")
    ax.set_title(title)
    return fig


@styled
def coarsening_figure(sweep: pd.DataFrame, fit: pd.DataFrame, *,
                      title: str = "Coarsening helps little: ε_p = α − (v·h)^β") -> Figure:
    """Unicity against resolution for each ``p``, with the fitted coarsening law drawn through it.

    De Montjoye et al. (2013) found that uniqueness falls only as a small power
    (about 1/10) of the resolution: ε_p = α_p − (v·h)^β_p, ``v·h`` being the
    spatial times the temporal resolution relative to the finest. Points are the
    sweep's measurements (with their intervals), dashed lines the fitted law;
    a ``p`` whose fit did not converge is drawn without a curve and named in a
    note.

    Parameters
    ----------
    sweep : pandas.DataFrame
        p, scale, share and optionally low, high, from
        :func:`lab.attacks.unicity.unicity_sweep`.
    fit : pandas.DataFrame
        p, exponent (β), alpha (α), from :func:`lab.attacks.unicity.fit_coarsening_law`.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        The horizontal axis is ``scale`` over the finest scale of each ``p``
        (as the fit takes it), on a logarithmic scale.

    References
    ----------
    .. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
       Unique in the Crowd: The privacy bounds of human mobility. Scientific Reports 3, 1376.
    """
    check_columns(sweep, ("p", "scale", "share"), what="the unicity sweep")
    check_columns(fit, ("p", "exponent", "alpha"), what="the coarsening fit")
    t = sweep.copy()
    for col in ("low", "high"):
        if col not in t.columns:
            t[col] = np.nan
    laws = fit.set_index("p")
    ps = list(dict.fromkeys(t["p"]))
    fig, ax = new_axes()
    unfitted, handles = [], []
    for p, colour, marker in zip(ps, colours(len(ps)), markers(len(ps))):
        g = t[t["p"] == p]
        x = g["scale"].to_numpy(float) / g["scale"].min()
        order = np.argsort(x, kind="stable")
        g = g.iloc[order]
        handles.append(_errorbars(ax, x[order], g["share"], g["low"], g["high"], label=f"p = {p}", colour=colour,
                                  marker=marker, line="none"))
        alpha = laws["alpha"].get(p, np.nan)
        beta = laws["exponent"].get(p, np.nan)
        if np.isfinite(alpha) and np.isfinite(beta):
            xs = np.geomspace(1.0, x.max(), 60) if x.max() > 1 else np.array([1.0])
            handles += ax.plot(xs, alpha - np.power(xs, beta), color=colour, linestyle="--",
                               label=f"fit, p = {p}: α = {alpha:.2f}, β = {beta:.3f}")
        else:
            unfitted.append(str(p))
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis)
    ax.set_xlabel("v·h, spatial × temporal resolution relative to the finest (log scale)")
    ax.set_ylabel(SHARE_UNIQUE)
    ax.set_ylim(-0.02, 1.02)
    if handles:
        ax.legend(handles=handles, loc="lower left")
    if unfitted:
        add_note(fig, f"No fit (too few resolutions, or no convergence): p = {', '.join(unfitted)}")
    ax.set_title(title)
    return fig


@styled
def anonymity_figure(cdf: pd.DataFrame, *, summary: pd.DataFrame | None = None,
                     title: str = "How many people share your home and work?") -> Figure:
    """Cumulative distribution of (home, work) anonymity-set sizes, one step curve per geography.

    Golle and Partridge (2009) found the pair nearly unique at the scale of a
    census block (median set 1), small at a tract (21) and large only at a
    county (34,980). A point (size, share) reads: ``share`` of the pseudonyms
    have a set of at most ``size`` people; the curve at size 1 is the share
    singled out by their pair alone.

    Parameters
    ----------
    cdf : pandas.DataFrame
        geography, size, share: the third table of
        :func:`lab.attacks.home_work.anonymity_sets`.
    summary : pandas.DataFrame, optional
        Its second table (indexed by geography, with cell_m and median): adds
        the cell size and the median set to each legend entry.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Geographies drawn in the order they first appear (finest first, as
        ``anonymity_sets`` gives them), on a logarithmic size axis.

    References
    ----------
    .. [1] Golle, P., Partridge, K. (2009). On the anonymity of home/work location
       pairs. Pervasive Computing, LNCS 5538, 390–397.
    """
    check_columns(cdf, ("geography", "size", "share"), what="the anonymity-set CDF")
    names = list(dict.fromkeys(cdf["geography"]))
    fig, ax = new_axes()
    for name, colour, marker in zip(names, colours(len(names)), markers(len(names))):
        g = cdf[cdf["geography"] == name].sort_values("size")
        label = str(name)
        if summary is not None and name in summary.index:
            row = summary.loc[name]
            label += f" ({row['cell_m']:,.0f} m cells, median set {row['median']:,.0f})"
        ax.step(g["size"].to_numpy(float), g["share"].to_numpy(float), where="post", label=label, color=colour,
                marker=marker, markersize=4)
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis)
    ax.set_xlabel("anonymity-set size, pseudonyms sharing the (home, work) pair of cells (log scale)")
    ax.set_ylabel("share of pseudonyms with a set at most this size (0 to 1)")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="lower right")
    ax.set_title(title)
    return fig


@styled
def top_n_figure(table: pd.DataFrame | Mapping, *,
                 title: str = "Your top locations give you away") -> Figure:
    """Share of pseudonyms whose top-N locations are unique, against N, one line per granularity.

    Zang and Bolot (2011) found the single most visited place weakly
    identifying, but the top 2 or 3 often unique at the level of cells,
    and still identifying as the granularity coarsens.

    Parameters
    ----------
    table : pandas.DataFrame or dict
        n, space, share_unique, from :func:`lab.attacks.top_locations.top_n_uniqueness`,
        or the dict of :func:`lab.attacks.report.risk_report` (its ``top_n`` rows).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Granularities drawn in the order they first appear.

    References
    ----------
    .. [1] Zang, H., Bolot, J. (2011). Anonymization of location data does not work:
       a large-scale measurement study. MobiCom 2011, 145–156.
    """
    if isinstance(table, Mapping):
        if "top_n" not in table:
            raise ValueError("the risk report has no 'top_n'; give the dict of lab.attacks.report.risk_report")
        table = pd.DataFrame(table["top_n"], columns=["n", "space", "share_unique"])
    check_columns(table, ("n", "space", "share_unique"), what="the top-N table")
    spaces = list(dict.fromkeys(table["space"]))
    fig, ax = new_axes()
    for space, colour, marker in zip(spaces, colours(len(spaces)), markers(len(spaces))):
        g = table[table["space"] == space].sort_values("n")
        ax.plot(g["n"].to_numpy(), g["share_unique"].to_numpy(float), label=str(space), color=colour, marker=marker)
    ax.set_xlabel("N, most visited locations known (top-N set)")
    ax.set_ylabel("share of pseudonyms whose top-N set is unique (0 to 1)")
    ax.set_ylim(-0.02, 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if spaces:
        ax.legend(loc="lower right", title="granularity")
    ax.set_title(title)
    return fig
