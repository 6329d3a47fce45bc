"""What coarsening a release buys against (home, work) and top-N re-identification, and what it costs.

Snapping a release to coarser cells (:func:`lab.mitigations.coarsen.snap_to_grid`)
makes more people share the same (home, work) pair of cells and the same top
locations, but it also moves the homes a legitimate analyst finds. One figure
shows both sides of that bargain against the same horizontal axis, the
analyst's home-detection error (:func:`lab.metrics.utility.home_detection_error_m`):
on the left the median anonymity set, on the right the shares of pseudonyms
still singled out.

References
----------
.. [1] Golle, P., Partridge, K. (2009). On the anonymity of home/work location
   pairs. Pervasive Computing, LNCS 5538, 390–397.
.. [2] Zang, H., Bolot, J. (2011). Anonymization of location data does not work:
   a large-scale measurement study. MobiCom 2011, 145–156.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.plots.style import check_columns, colours, markers, plain_log_ticks, styled

__all__ = ["SHARES", "coarsening_price_figure"]

#: Share columns drawn on the right-hand panel by default, with their legend entries.
SHARES = {
    "pair_unique": "(home, work) pair",
    "top1_unique": "top-1 location",
    "top2_unique": "top-2 locations",
    "top3_unique": "top-3 locations",
}

#: Horizontal axis label when the utility column is the analyst's home-detection error.
HOME_ERROR = "analyst's home-detection error, median metres (lower keeps more utility)"


@styled
def coarsening_price_figure(table: pd.DataFrame, *, utility: str = "home_error_m", sets: str = "median_set",
                            shares: Mapping[str, str] | None = None, setting: str = "setting",
                            title: str = "Coarsening a release: what it buys and what it costs") -> Figure:
    """Median anonymity set and shares singled out against the analyst's utility loss, one point per setting.

    Left panel: the median (home, work) anonymity set (log scale) of each
    setting. Right panel: one line per share column (by default the share of
    pseudonyms singled out by their (home, work) pair and by their top-1, 2
    and 3 locations). Both panels share the horizontal axis, the utility loss
    (by default the analyst's median home-detection error in metres); points
    are drawn in order of it and the left panel's points, and the right
    panel's first line, are labelled with their setting (``"500 m"``).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per setting: ``setting`` (a label), ``utility``, ``sets`` and the
        columns of ``shares``, as a notebook builds it from
        :func:`lab.attacks.home_work.anonymity_sets`,
        :func:`lab.attacks.top_locations.top_n_uniqueness` and
        :func:`lab.metrics.utility.home_detection_error_m`.
    utility : str
        Column of the horizontal axis; in metres when it ends in ``_m``.
    sets : str
        Column of median anonymity-set sizes (pseudonyms, at least 1).
    shares : mapping of str to str, optional
        Share columns (0 to 1) to draw on the right, each with its legend
        entry, in drawing order (default :data:`SHARES`).
    setting : str
        Column labelling each point.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Two axes side by side, attached to no backend and unknown to pyplot.

    Raises
    ------
    ValueError
        If the table lacks a column (named in the message), has no row, or
        ``shares`` is empty.

    References
    ----------
    .. [1] Golle, P., Partridge, K. (2009). On the anonymity of home/work location
       pairs. Pervasive Computing, LNCS 5538, 390–397.
    .. [2] Zang, H., Bolot, J. (2011). Anonymization of location data does not work:
       a large-scale measurement study. MobiCom 2011, 145–156.
    """
    shares = dict(SHARES if shares is None else shares)
    if not shares:
        raise ValueError("give at least one share column to draw on the right-hand panel")
    check_columns(table, (setting, utility, sets, *shares), what="the coarsening table")
    if table.empty:
        raise ValueError("the coarsening table has no row to draw")
    t = table.sort_values(utility, kind="stable")
    x = t[utility].to_numpy(float)
    labels = t[setting].astype(str).tolist()
    xlabel = HOME_ERROR if utility == "home_error_m" else (f"{utility} (metres)" if utility.endswith("_m")
                                                           else utility)

    fig = Figure(figsize=(11.5, 4.8))
    left, right = fig.subplots(1, 2)
    (colour,) = colours(1)
    left.plot(x, t[sets].to_numpy(float), color=colour, marker="o", label="median anonymity set")
    for xi, yi, text in zip(x, t[sets].to_numpy(float), labels):
        left.annotate(text, (xi, yi), xytext=(4, 5), textcoords="offset points", fontsize=7)
    left.set_yscale("log")
    plain_log_ticks(left.yaxis)
    left.set_xlabel(xlabel)
    left.set_ylabel("median anonymity set, pseudonyms sharing\na (home, work) pair of cells (log; higher is safer)")
    left.set_title("How many share your (home, work) pair")
    left.legend(loc="upper left")

    for i, (column, name, c, m) in enumerate(zip(shares, shares.values(), colours(len(shares)),
                                                 markers(len(shares)))):
        y = t[column].to_numpy(float)
        right.plot(x, y, color=c, marker=m, label=name)
        if i == 0:
            for xi, yi, text in zip(x, y, labels):
                right.annotate(text, (xi, yi), xytext=(4, 5), textcoords="offset points", fontsize=7)
    right.set_xlabel(xlabel)
    right.set_ylabel("share of pseudonyms singled out (0 to 1; lower is safer)")
    right.set_ylim(-0.02, 1.02)
    right.set_title("Who is still singled out")
    right.legend(loc="upper right", title="known about a pseudonym")
    if np.isfinite(x).any():
        span = float(np.nanmax(x) - np.nanmin(x)) or 1.0
        for ax in (left, right):
            ax.set_xlim(float(np.nanmin(x)) - 0.04 * span, float(np.nanmax(x)) + 0.12 * span)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig
