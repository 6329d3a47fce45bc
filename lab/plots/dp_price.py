"""The price of differentially private counts: what each ε buys against an attacker, and what it costs.

Publishing counts per grid cell and time slot with Laplace noise of scale
``L / ε`` (``L`` the cells one person may touch) trades two things against
each other as the privacy loss ε varies: the success of a membership
inference attack on the published table (Pyrgelis et al. 2018), which should
fall to a coin flip as ε falls, and the error of the counts, which grows as
``1 / ε``. :func:`dp_price_figure` draws both against ε side by side, so the
reader sees at which ε the attack stops and what the table has lost by then.

References
----------
.. [1] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential
   Privacy. Foundations and Trends in Theoretical Computer Science 9(3-4).
.. [2] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
   Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.plots.style import add_note, check_columns, colours, markers, plain_log_ticks, styled

__all__ = ["dp_price_figure", "EPSILON_LABEL", "AUC_LABEL", "MAE_LABEL"]

#: Horizontal axis of both panels.
EPSILON_LABEL = "ε, privacy loss of the whole table (log scale; lower is more private)"
#: Vertical axis of the risk panel.
AUC_LABEL = "membership AUC (0.5 = coin flip; lower is safer)"
#: Vertical axis of the price panel.
MAE_LABEL = "mean absolute error (people per cell and slot)"


@styled
def dp_price_figure(table: pd.DataFrame, *, by: str | None = None, raw_auc: float | None = None,
                    title: str = "The price of differential privacy: membership risk and count error against ε"
                    ) -> Figure:
    """Membership AUC (left) and count error (right) of differentially private counts against ε.

    Each series (one per value of ``by``, or a single one) is a line through
    its ε values in increasing order, with the same colour and marker in both
    panels. The left panel also draws the AUC of a coin flip (0.5, dotted) and,
    when given, the AUC the same attack reaches on the exact counts (dashed):
    how far the noise brought the attacker down. The right panel is on
    logarithmic axes, where Laplace noise of scale ``L / ε`` gives a line of
    slope about −1. A row whose ε is infinite or not positive (no noise), and
    an error of 0 (noise too small to move any count), have no place on a log
    axis: the row is named in a note under the axes instead (an error of 0
    keeps its AUC on the left).

    Parameters
    ----------
    table : pandas.DataFrame
        epsilon, membership_auc (the mean AUC of
        :func:`lab.attacks.membership.membership_auc` or of
        :func:`lab.attacks.membership.membership_game` on the published counts)
        and count_mae (the ``mae`` of :func:`lab.metrics.utility.count_error`
        of the published table), plus the ``by`` column when given.
    by : str, optional
        A column naming series (a contribution bound, event- against
        user-level noise): one line each, in order of first appearance.
    raw_auc : float, optional
        The attack's AUC on the exact counts, drawn as a dashed line.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Two axes (risk, then price), attached to no backend and unknown to pyplot.

    Raises
    ------
    ValueError
        If a column is missing (named in the message).

    References
    ----------
    .. [1] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of
       Differential Privacy. Foundations and Trends in Theoretical Computer
       Science 9(3-4).
    .. [2] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
       Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
    """
    check_columns(table, ("epsilon", "membership_auc", "count_mae", *([by] if by else [])),
                  what="the DP price table")
    eps = pd.to_numeric(table["epsilon"], errors="coerce").to_numpy(float)
    drawable = np.isfinite(eps) & (eps > 0)
    shown = table.loc[drawable]
    groups = list(dict.fromkeys(shown[by])) if by else [None]
    notes = [f"ε = {e:g}" for e in eps[~drawable]]

    fig = Figure(figsize=(12, 4.8))
    risk, price = fig.subplots(1, 2)
    for name, colour, marker in zip(groups, colours(len(groups)), markers(len(groups))):
        g = (shown if name is None else shown[shown[by] == name]).sort_values("epsilon")
        label = "DP counts" if name is None else str(name)
        x = g["epsilon"].to_numpy(float)
        mae = g["count_mae"].to_numpy(float)
        risk.plot(x, g["membership_auc"].to_numpy(float), color=colour, marker=marker, label=label)
        price.plot(x[mae > 0], mae[mae > 0], color=colour, marker=marker, label=label)
        notes += [f"error 0 at ε = {e:g}" + ("" if name is None else f" ({name})") for e in x[~(mae > 0)]]
    risk.axhline(0.5, color="grey", linestyle=":", linewidth=1.2, label="coin flip (AUC 0.5)")
    if raw_auc is not None:
        risk.axhline(float(raw_auc), color="black", linestyle="--", linewidth=1.2,
                     label=f"exact counts (AUC {float(raw_auc):.2f})")
    aucs = pd.to_numeric(shown["membership_auc"], errors="coerce").to_numpy(float)
    low = np.nanmin(aucs) if np.isfinite(aucs).any() else 0.5
    risk.set_ylim(min(0.4, low - 0.05), 1.02)
    risk.set_ylabel(AUC_LABEL)
    risk.set_title("Risk: membership inference on the table")
    if (pd.to_numeric(shown["count_mae"], errors="coerce") > 0).any():
        price.set_yscale("log")
        plain_log_ticks(price.yaxis)
    price.set_ylabel(MAE_LABEL)
    price.set_title("Price: error of the published counts")
    for ax in (risk, price):
        ax.set_xscale("log")
        plain_log_ticks(ax.xaxis)
        ax.set_xlabel(EPSILON_LABEL)
        ax.legend(loc="best", title=by)
    fig.suptitle(title, fontweight="bold")
    fig.subplots_adjust(top=0.86, wspace=0.28)
    if notes:
        add_note(fig, f"Not plotted (no place on a log axis): {', '.join(notes)}")
    return fig
