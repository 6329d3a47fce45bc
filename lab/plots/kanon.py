"""The price of k-anonymity: what is left to an adversary, and what is lost, as k grows.

k-anonymity has one dial, ``k``. Turning it up hides each record among more
others, and costs detail: records suppressed, quasi-identifiers coarsened,
points moved. This module draws both sides against ``k``, side by side: the risk
still measured (a share singled out), the shares lost and the distances moved,
each panel in its own unit, with the value before any protection drawn as a
dashed line of the same colour.

References
----------
.. [1] Sweeney, L. (2002). k-anonymity: a model for protecting privacy.
   International Journal of Uncertainty, Fuzziness and Knowledge-Based Systems
   10(5), 557–570.
.. [2] Abul, O., Bonchi, F., Nanni, M. (2008). Never walk alone: uncertainty for
   anonymity in moving objects databases. ICDE 2008, 376–385.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

from lab.plots.style import check_columns, colours, markers, styled

__all__ = ["kanon_price_figure"]

#: Each panel: its title and the label of its vertical axis.
_PANELS = {
    "risk": ("What the adversary still singles out", "share singled out (0 to 1; lower is safer)"),
    "shares": ("What is lost", "share lost (0 to 1; lower keeps more)"),
    "metres": ("How far points move", "metres (lower keeps more)"),
}


@styled
def kanon_price_figure(
    table: pd.DataFrame,
    *,
    risk: Sequence[str] = (),
    shares: Sequence[str] = (),
    metres: Sequence[str] = (),
    before: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    k: str = "k",
    title: str = "The price of k-anonymity",
) -> Figure:
    """Risk and cost of k-anonymity against ``k``: one panel per kind of value.

    Up to three panels, left to right, each drawn only when given columns:
    ``risk`` (shares of records or traces singled out, 0 to 1), ``shares``
    (shares of records suppressed or of information lost, 0 to 1) and
    ``metres`` (distances points were moved). Every column is one line of its
    own colour and marker through the values of the table at each ``k``; a
    value of ``before`` is drawn as a dashed horizontal line of the column's
    colour, labelled "before". The ``k`` axis is logarithmic, ticked at the
    table's own values of ``k``.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per setting: the column ``k`` and every column named below. A
        missing value (a setting where that measure was not taken) leaves a gap.
    risk, shares, metres : sequence of str
        Columns of each panel.
    before : mapping of str to float, optional
        Value of a column before any protection (for example unicity of the
        original release).
    labels : mapping of str to str, optional
        Legend text of a column (default: the column's name).
    k : str
        Column holding k.
    title : str
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        Attached to no backend and unknown to pyplot: a notebook shows it as the
        value of a cell; :func:`~lab.plots.style.save_figure` writes it.

    Raises
    ------
    ValueError
        If no column is given, if the table lacks a column (named in the
        message), if a column appears in two panels, if ``before`` names a
        column that is not drawn, or if a value of ``k`` is not a positive number.

    References
    ----------
    .. [1] Sweeney, L. (2002). k-anonymity: a model for protecting privacy.
       IJUFKS 10(5), 557–570.
    .. [2] Abul, O., Bonchi, F., Nanni, M. (2008). Never walk alone: uncertainty
       for anonymity in moving objects databases. ICDE 2008, 376–385.

    Examples
    --------
    >>> t = pd.DataFrame({"k": [2, 5], "unicity_p4": [0.99, 0.97], "displacement_m": [250.0, 480.0]})
    >>> fig = kanon_price_figure(t, risk=["unicity_p4"], metres=["displacement_m"])
    >>> [ax.get_title() for ax in fig.axes]
    ['What the adversary still singles out', 'How far points move']
    """
    panels = {name: list(cols) for name, cols in (("risk", risk), ("shares", shares), ("metres", metres)) if cols}
    if not panels:
        raise ValueError("name at least one column to draw (risk, shares or metres)")
    drawn = [c for cols in panels.values() for c in cols]
    twice = sorted({c for c in drawn if drawn.count(c) > 1})
    if twice:
        raise ValueError(f"each column belongs to one panel; drawn twice: {', '.join(twice)}")
    check_columns(table, (k, *drawn), what="the k-anonymity table")
    before = dict(before or {})
    stray = [c for c in before if c not in drawn]
    if stray:
        raise ValueError(f"before names column(s) not drawn: {', '.join(stray)}")
    labels = dict(labels or {})
    t = table.sort_values(k)
    ks = pd.to_numeric(t[k], errors="coerce").to_numpy(float)
    if not (np.isfinite(ks).all() and (ks > 0).all()):
        raise ValueError(f"every value of {k!r} must be a positive number, got {t[k].tolist()!r}")

    fig = Figure(figsize=(4.2 * len(panels) + 0.6, 4.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    palette = dict(zip(drawn, colours(len(drawn))))
    shapes = dict(zip(drawn, markers(len(drawn))))
    ticks = np.unique(ks)
    for ax, (name, cols) in zip(axes, panels.items()):
        for col in cols:
            y = pd.to_numeric(t[col], errors="coerce").to_numpy(float)
            ax.plot(ks, y, color=palette[col], marker=shapes[col], label=labels.get(col, col))
            if col in before:
                ax.axhline(before[col], color=palette[col], linestyle="--", linewidth=1,
                           label=f"{labels.get(col, col)}, before")
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:g}")
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("k, smallest group allowed (log scale)")
        panel_title, ylabel = _PANELS[name]
        ax.set_ylabel(ylabel)
        ax.set_title(panel_title)
        if name in ("risk", "shares"):
            ax.set_ylim(-0.02, 1.02)
        else:
            ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    fig.suptitle(title, fontweight="bold")
    return fig
