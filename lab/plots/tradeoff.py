"""The trade-off frontier: what each protection buys in risk and costs in utility.

Each mitigation setting of :func:`lab.experiments.tradeoff.tradeoff` (or of
:func:`lab.experiments.counts.counts_tradeoff`) is one point, risk against
utility; the settings no other beats on both axes form the frontier, the only
ones worth choosing between.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
   Unique in the Crowd: The privacy bounds of human mobility. Scientific Reports 3, 1376.
.. [2] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
   Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.experiments.tradeoff import pareto_frontier
from lab.plots.style import check_columns, colours, markers, save_figure, styled

__all__ = ["tradeoff_figure", "tradeoff_plot"]

#: Unit of each trade-off column a figure may put on an axis.
_UNITS = {
    "unicity_p2": "share of pseudonyms, 0 to 1",
    "unicity_p4": "share of pseudonyms, 0 to 1",
    "linkage_top1": "share of targets, 0 to 1",
    "membership_auc": "AUC, 0.5 is chance",
    "rows_kept": "share of rows, 0 to 1",
    "pseudonyms_kept": "share of pseudonyms, 0 to 1",
    "displacement_m": "metres",
    "home_error_m": "metres",
    "heatmap_similarity": "cosine similarity, 0 to 1",
    "od_similarity": "cosine similarity, 0 to 1",
    "gyration_ks": "KS distance, 0 to 1",
    "trip_length_ks": "KS distance, 0 to 1",
    "count_mae": "people per cell and slot",
}

#: Utility columns where less is better: distances and errors.
_LOWER_IS_BETTER = ("_m", "_ks", "_mae")


def _axis_label(column: str, *, risk: bool) -> str:
    """The column's name, its unit and which way is better."""
    unit = _UNITS.get(column, "metres" if column.endswith("_m") else "")
    if risk:
        better = "lower is safer"
    elif column.endswith(_LOWER_IS_BETTER):
        better = "lower keeps more utility"
    else:
        better = "higher keeps more utility"
    return f"{column} ({unit}; {better})" if unit else f"{column} ({better})"


@styled
def tradeoff_figure(table: pd.DataFrame, *, risk: str = "unicity_p4", utility: str = "heatmap_similarity") -> Figure:
    """Scatter of risk against utility per mitigation setting, the frontier drawn as a line.

    Each mitigation (a family of settings) has its own colour, marker and legend entry;
    a family with no setting where both ``risk`` and ``utility`` were measured
    (the count releases of :func:`~lab.experiments.counts.counts_tradeoff`
    have no unicity) is left out of the legend and named in a note under the
    axes. The frontier is judged on the two plotted columns
    (:func:`~lab.experiments.tradeoff.pareto_frontier`; for a distance or an
    error, less utility loss is better) and its settings are labelled.

    Parameters
    ----------
    table : pandas.DataFrame
        A trade-off table: mitigation, setting and the two columns.
    risk, utility : str
        Columns for the vertical and horizontal axes.

    Returns
    -------
    matplotlib.figure.Figure
        A figure attached to no backend and unknown to pyplot: a notebook shows
        it as the value of a cell; :func:`~lab.plots.style.save_figure` writes it.

    Raises
    ------
    ValueError
        If the table lacks one of the columns, named in the message.

    References
    ----------
    .. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
       Unique in the Crowd: The privacy bounds of human mobility. Scientific Reports 3, 1376.
    """
    check_columns(table, ("mitigation", "setting", risk, utility), what="the trade-off table")
    r = pd.to_numeric(table[risk], errors="coerce").to_numpy(float)
    u = pd.to_numeric(table[utility], errors="coerce").to_numpy(float)
    plotted = table.loc[np.isfinite(r) & np.isfinite(u)]
    families = list(dict.fromkeys(plotted["mitigation"]))
    left_out = [m for m in dict.fromkeys(table["mitigation"]) if m not in families]

    fig = Figure(figsize=(8, 5.5))
    ax = fig.subplots()
    for name, colour, marker in zip(families, colours(len(families)), markers(len(families))):
        g = plotted[plotted["mitigation"] == name]
        ax.scatter(g[utility], g[risk], label=name, s=40, alpha=0.8, color=colour, marker=marker)
    lower = utility.endswith(_LOWER_IS_BETTER)
    judged = pd.DataFrame({"risk": plotted[risk], "utility": -plotted[utility] if lower else plotted[utility]})
    front = plotted[pareto_frontier(judged, risk="risk", utility="utility")].sort_values(utility)
    if len(front):
        ax.plot(front[utility], front[risk], "k--", lw=1, label="frontier")
        # Only the frontier is labelled: the settings worth choosing between. Labels of points close
        # together are stacked downwards, and those near the right edge end at their point.
        x, y = front[utility].to_numpy(float), front[risk].to_numpy(float)
        span_x = max(np.ptp(plotted[utility].to_numpy(float)), 1e-9)
        span_y = max(np.ptp(plotted[risk].to_numpy(float)), 1e-9)
        placed: list[tuple[float, float]] = []
        for (_, row), px, py in zip(front.iterrows(), x, y):
            crowd = sum(abs(px - qx) < 0.4 * span_x and abs(py - qy) < 0.08 * span_y for qx, qy in placed)
            placed.append((px, py))
            right = px > np.min(x) + 0.75 * span_x if len(x) > 1 else False
            ax.annotate(f"{row['mitigation']}: {row['setting']}", (px, py), fontsize=7,
                        xytext=(-4 if right else 4, -10 - 11 * crowd), textcoords="offset points",
                        ha="right" if right else "left")
    ax.set_xlabel(_axis_label(utility, risk=False))
    ax.set_ylabel(_axis_label(risk, risk=True))
    if len(plotted) and plotted[risk].between(0, 1).all():
        ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    if families:
        ax.legend(fontsize=7, loc="best", frameon=True)
    if left_out:
        fig.text(0.01, 0.005, f"Not plotted (no {risk} or {utility} measured): {', '.join(left_out)}",
                 fontsize=7, va="bottom")
    ax.set_title("What each protection buys and costs")
    return fig


def tradeoff_plot(table: pd.DataFrame, path: str | os.PathLike, *, risk: str = "unicity_p4",
                  utility: str = "heatmap_similarity") -> Path:
    """:func:`tradeoff_figure`, written atomically to ``path`` (PNG, SVG or PDF by extension).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    return save_figure(tradeoff_figure(table, risk=risk, utility=utility), path)
