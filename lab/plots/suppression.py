"""Figures of small-count suppression: what each threshold leaves an attacker, and what it costs.

A data holder who publishes counts per grid cell and time slot often withholds
every count below a threshold ``k``, hoping that no small group (and so no
individual) shows. :func:`suppression_figure` puts each attack's success
against the utility the table keeps, one point per threshold, beside the
success of guessing: a point far above its chance line is an attack the
threshold did not stop, a point far to the left a table that lost most of its
use.

References
----------
.. [1] Denning, D. E., Schlörer, J. (1983). Inference controls for statistical
   databases. IEEE Computer 16(7), 69-82.
.. [2] Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., Jin, D. (2017). Trajectory
   recovery from ash: User privacy is NOT preserved in aggregated mobility data.
   WWW '17, 1241–1250.
.. [3] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
   Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.plots.style import check_columns, colours, markers, new_axes, styled

__all__ = ["suppression_figure", "threshold_label"]

#: Points of one line closer than this share of both axes' lengths are one spot, with one label.
MERGE = 0.01
#: Labels of one line whose points are closer than this share of both axes' lengths: the later goes below.
NEAR = 0.06

#: Default label of the horizontal axis: the share of a table's non-empty counts that survive.
CELLS_KEPT = "share of non-empty (cell, slot) counts still published (0 to 1; higher keeps more utility)"


def threshold_label(k: float) -> str:
    """How a point is labelled: ``k = 5``, or ``no suppression`` when ``k`` is 0 or 1 (nothing withheld).

    Examples
    --------
    >>> threshold_label(5), threshold_label(0)
    ('k = 5', 'no suppression')
    """
    return "no suppression" if float(k) <= 1 else f"k = {float(k):g}"


def _span(values: pd.Series) -> float:
    """The length of the axis a column is drawn on: 1 for shares (the axis is 0 to 1), else its range."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(float)
    v = v[np.isfinite(v)]
    if not len(v) or ((v >= 0) & (v <= 1)).all() or v.max() == v.min():
        return 1.0
    return float(v.max() - v.min())


def _merge_close(x: np.ndarray, y: np.ndarray, ks: list, *, tol: tuple[float, float]) -> list:
    """Consecutive points closer than ``tol`` in both coordinates, as one labelled position.

    Returns a list of ``((x, y), [k, ...])``: the first point of each run and every threshold in it, so
    thresholds that withhold the whole table (all drawn at one spot) share one label instead of overprinting.
    """
    runs: list = []
    for xi, yi, k in zip(x, y, ks):
        if runs and abs(xi - runs[-1][0][0]) <= tol[0] and abs(yi - runs[-1][0][1]) <= tol[1]:
            runs[-1][1].append(k)
        else:
            runs.append(((float(xi), float(yi)), [k]))
    return runs


@styled
def suppression_figure(table: pd.DataFrame, *, utility: str = "cells_kept", utility_label: str = CELLS_KEPT,
                       title: str = "Small-count suppression: what each threshold stops, and what it costs") -> Figure:
    """Each attack's success against the utility a suppressed table keeps, one point per threshold ``k``.

    Each attack is one line through its thresholds (in increasing ``k``), each
    point labelled with its threshold (consecutive thresholds drawn within
    1 % of the axes' lengths of each other share one label; a label whose
    point is within 6 % of the previous label's goes below its point instead of
    above, so labels do not stack), and a dotted line in the same colour at
    the success of guessing. Success is any share from 0 to 1 where higher
    means the attack did better: the accuracy of a trajectory recovery (chance
    ``1 / N``), the AUC of a membership test (chance 0.5).

    Parameters
    ----------
    table : pandas.DataFrame
        attack (a name per line), k (the threshold: counts below it withheld;
        0 or 1 withholds nothing), risk (the attack's success, 0 to 1), chance
        (the success of guessing, one value per attack) and the ``utility``
        column: for example the ``true_cells_published`` or the ``mae`` of
        :func:`lab.metrics.utility.count_error` of each published table.
    utility : str
        The column for the horizontal axis.
    utility_label : str
        The horizontal axis' label, with its unit and which way is better.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        A figure attached to no backend and unknown to pyplot.

    Raises
    ------
    ValueError
        If a column is missing, or one attack has more than one chance level.

    References
    ----------
    .. [1] Denning, D. E., Schlörer, J. (1983). Inference controls for
       statistical databases. IEEE Computer 16(7), 69-82.
    """
    check_columns(table, ("attack", "k", "risk", "chance", utility), what="the suppression table")
    attacks = list(dict.fromkeys(table["attack"]))
    for name in attacks:
        levels = pd.unique(table.loc[table["attack"] == name, "chance"])
        if len(levels) > 1:
            raise ValueError(f"attack {name!r} has {len(levels)} chance levels ({', '.join(map(str, levels))}); "
                             "give one per attack (split it into one attack per population)")
    fig, ax = new_axes((8, 5.2))
    x_span, y_span = (_span(table[c]) for c in (utility, "risk"))
    for name, colour, marker in zip(attacks, colours(len(attacks)), markers(len(attacks))):
        g = table[table["attack"] == name].sort_values("k")
        x, y = g[utility].to_numpy(float), g["risk"].to_numpy(float)
        ax.plot(x, y, color=colour, marker=marker, label=str(name))
        placed: list[tuple[float, float]] = []
        for (xi, yi), ks in _merge_close(x, y, g["k"].tolist(), tol=(MERGE * x_span, MERGE * y_span)):
            label = threshold_label(ks[0]) if len(ks) == 1 else "k = " + ", ".join(f"{float(k):g}" for k in ks)
            # A label near the previous one of this line goes below its point, so the two never stack.
            crowded = any(abs(xi - px) <= NEAR * x_span and abs(yi - py) <= NEAR * y_span for px, py in placed)
            ax.annotate(label, (xi, yi), xytext=(5, -5 if crowded else 4), textcoords="offset points",
                        va="top" if crowded else "baseline", fontsize=7, color=colour)
            placed.append((xi, yi))
        ax.axhline(float(g["chance"].iloc[0]), color=colour, linestyle=":", linewidth=1.2,
                   label=f"{name}: chance")
    ax.set_xlabel(utility_label)
    ax.set_ylabel("attack success (0 to 1; lower is safer)")
    risk = pd.to_numeric(table["risk"], errors="coerce")
    if len(table) and risk.between(0, 1).all():
        ax.set_ylim(-0.02, 1.05)
    used = pd.to_numeric(table[utility], errors="coerce").to_numpy(float)
    if len(table) and np.isfinite(used).all() and ((used >= 0) & (used <= 1)).all():
        ax.set_xlim(-0.02, 1.1)
    if attacks:
        ax.legend(loc="best")
    ax.set_title(title)
    return fig
