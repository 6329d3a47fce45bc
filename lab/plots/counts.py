"""Figures of published counts: the error differential privacy costs, and what an attacker recovers.

Counts per grid cell and time slot look harmless. Two figures show their two
sides: the error of differentially private counts as the privacy loss ε varies
(the price of the protection), and the share of people's trajectories a
recovery attack rebuilds from the counts as the number of people N grows,
with and without a defence (the risk of publishing them bare).

References
----------
.. [1] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential
   Privacy. Foundations and Trends in Theoretical Computer Science 9(3-4).
.. [2] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., Jin, D. (2017). Trajectory
   recovery from ash: User privacy is NOT preserved in aggregated mobility data.
   WWW '17, 1241–1250.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.plots.style import add_note, check_columns, colours, markers, new_axes, plain_log_ticks, styled

__all__ = ["count_error_figure", "recovery_figure"]


@styled
def count_error_figure(table: pd.DataFrame, *, by: str | None = None,
                       error_label: str = "mean absolute error (people per cell and slot)",
                       title: str = "The price of differential privacy: count error against ε") -> Figure:
    """Error of differentially private counts against the privacy loss ε, both on logarithmic axes.

    Laplace noise of scale ``L / ε`` on each count (``L`` the cells one person
    may touch) gives a mean absolute error proportional to ``1 / ε``: a straight
    line of slope −1 on these axes. A setting with an infinite or non-positive
    ε (no noise) cannot sit on a log axis and is named in a note instead.

    Parameters
    ----------
    table : pandas.DataFrame
        epsilon, error: for example ε and the ``mae`` of
        :func:`lab.metrics.utility.count_error` of each
        :func:`lab.mitigations.dp.dp_counts` table.
    by : str, optional
        A column naming series (a mechanism, a contribution bound): one line each.
    error_label : str
        The vertical axis' label, with its unit.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    .. [1] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential
       Privacy. Foundations and Trends in Theoretical Computer Science 9(3-4).
    """
    check_columns(table, ("epsilon", "error", *([by] if by else [])), what="the count-error table")
    eps = pd.to_numeric(table["epsilon"], errors="coerce").to_numpy(float)
    drawable = np.isfinite(eps) & (eps > 0)
    shown = table.loc[drawable]
    groups = list(dict.fromkeys(shown[by])) if by else [None]
    fig, ax = new_axes()
    for name, colour, marker in zip(groups, colours(len(groups)), markers(len(groups))):
        g = (shown if name is None else shown[shown[by] == name]).sort_values("epsilon")
        ax.plot(g["epsilon"].to_numpy(float), g["error"].to_numpy(float), color=colour, marker=marker,
                label="error" if name is None else str(name))
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis)
    if len(shown) and (pd.to_numeric(shown["error"], errors="coerce") > 0).all():
        ax.set_yscale("log")
        plain_log_ticks(ax.yaxis)
    ax.set_xlabel("ε, privacy loss of the whole table (log scale; lower is more private)")
    ax.set_ylabel(error_label)
    if len(shown):
        ax.legend(loc="upper right", title=by)
    if not drawable.all():
        left = ", ".join(f"ε = {e:g}" for e in eps[~drawable])
        add_note(fig, f"Not plotted (no place on a log axis): {left}")
    ax.set_title(title)
    return fig


@styled
def recovery_figure(table: pd.DataFrame, *, chance: bool = True,
                    title: str = "Trajectories recovered from aggregate counts") -> Figure:
    """Accuracy of trajectory recovery from aggregate counts against the number of people N.

    Xu et al. (2017) rebuilt 73–91 % of people's trajectories from counts per
    cell and slot alone; an open re-implementation found 26–41 %. Each line is
    one defence (or none); the dashed line is the accuracy of guessing, 1 / N.

    Parameters
    ----------
    table : pandas.DataFrame
        n (people behind the counts), accuracy (the ``accuracy`` of
        :func:`lab.metrics.recovery_score.score_recovery`) and optionally
        defence (a name per row; rows without the column form one line).
    chance : bool
        Draw the accuracy of guessing, ``1 / N``, at each N of the table.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    .. [1] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., Jin, D. (2017). Trajectory
       recovery from ash: User privacy is NOT preserved in aggregated mobility data.
       WWW '17, 1241–1250.
    """
    check_columns(table, ("n", "accuracy"), what="the recovery table")
    defences = list(dict.fromkeys(table["defence"])) if "defence" in table.columns else [None]
    fig, ax = new_axes()
    for name, colour, marker in zip(defences, colours(len(defences)), markers(len(defences))):
        g = (table if name is None else table[table["defence"] == name]).sort_values("n")
        ax.plot(g["n"].to_numpy(float), g["accuracy"].to_numpy(float), color=colour, marker=marker,
                label="accuracy" if name is None else str(name))
    if chance and len(table):
        n = np.unique(table["n"].to_numpy(float))
        ax.plot(n, 1.0 / n, color="grey", linestyle=":", label="chance, 1 / N")
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis)
    ax.set_xlabel("N, people behind the counts (log scale)")
    ax.set_ylabel("accuracy, share of (person, slot) points right (0 to 1)")
    ax.set_ylim(-0.02, 1.02)
    if len(table):
        ax.legend(loc="upper right", title="defence" if "defence" in table.columns else None)
    ax.set_title(title)
    return fig
