"""Figures of record linkage: how accuracy falls once the two sides stop agreeing.

In theory a few exact points single a person out, so linking an anonymous
release to named auxiliary data should succeed almost always. In practice the
adversary's points disagree with the release in time (a post written an hour
after arrival), in space (a place's pin rather than the phone's fix) and in
number (a handful of posts). Wang et al. measured that gap on 2.16 million
phone users [2]_; :func:`mismatch_figure` draws it: one panel per kind of
mismatch, accuracy against its size, next to the ideal bound of exact points.

References
----------
.. [1] Narayanan, A., Shmatikov, V. (2008). Robust de-anonymization of large
   sparse datasets. IEEE Symposium on Security and Privacy, 111–125.
.. [2] Wang, H., Gao, C., Li, Y., Wang, G., Jin, D., Sun, J. (2018).
   De-anonymization of mobility trajectories: dissecting the gaps between
   theory and practice. NDSS 2018.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.plots.style import check_columns, colours, markers, styled

__all__ = ["mismatch_figure"]

#: Vertical axis label of a linkage accuracy.
ACCURACY = "top-1 accuracy (share of targets, 0 to 1)"


@styled
def mismatch_figure(table: pd.DataFrame, *, ideal: float | None = None, invert: Iterable[str] = (),
                    title: str = "Linkage in practice: accuracy against mismatch and sparsity") -> Figure:
    """Linkage accuracy against the size of each mismatch, one panel per kind, the ideal bound dashed.

    Each panel is one ``factor`` (time mismatch, space mismatch, points known),
    its horizontal axis that factor's ``level`` and its vertical axis the top-1
    accuracy measured there. With a ``series`` column each panel holds one line
    per series (the same colour and marker in every panel); the ideal bound (the
    share of targets whose exact known points no other pseudonym holds) is a
    dashed horizontal line across every panel, as in Wang et al.'s comparison of
    measured accuracy with the theoretical bound. One legend under the panels
    names the series in order of appearance, then the bound.

    Parameters
    ----------
    table : pandas.DataFrame
        factor (the panel's name, used as its horizontal axis label, so give
        the unit: ``"time mismatch (± minutes)"``), level (number) and accuracy
        (0 to 1); optionally series (a name per line).
    ideal : float, optional
        The ideal bound (0 to 1), drawn dashed in every panel; None draws none.
    invert : iterable of str
        Factors whose axis runs from high to low, so that in every panel
        conditions worsen to the right (fewer points known is worse).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        One axes per factor, in the order the factors first appear; attached to
        no backend and unknown to pyplot.

    Raises
    ------
    ValueError
        If the table lacks a column, has no row, or ``invert`` or ``ideal`` is
        not one of the table's factors or a share between 0 and 1.

    References
    ----------
    .. [1] Wang, H., Gao, C., Li, Y., Wang, G., Jin, D., Sun, J. (2018).
       De-anonymization of mobility trajectories: dissecting the gaps between
       theory and practice. NDSS 2018.

    Examples
    --------
    >>> t = pd.DataFrame({"factor": ["time (± min)"] * 2 + ["points known"] * 2,
    ...                   "level": [0, 60, 4, 1], "accuracy": [1.0, 0.6, 1.0, 0.4]})
    >>> fig = mismatch_figure(t, ideal=1.0, invert=["points known"])
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['time (± min)', 'points known']
    """
    check_columns(table, ("factor", "level", "accuracy"), what="the mismatch table")
    if len(table) == 0:
        raise ValueError("the mismatch table has no row to draw")
    factors = list(dict.fromkeys(table["factor"]))
    invert = list(invert)
    unknown = [f for f in invert if f not in factors]
    if unknown:
        raise ValueError(f"invert names factor(s) the table does not hold: {', '.join(map(repr, unknown))}; "
                         f"factors: {', '.join(map(str, factors))}")
    if ideal is not None and not (np.isfinite(ideal) and 0.0 <= ideal <= 1.0):
        raise ValueError(f"ideal must be a share between 0 and 1, got {ideal!r}")
    with_series = "series" in table.columns
    names = list(dict.fromkeys(table["series"])) if with_series else [None]
    style = dict(zip(names, zip(colours(len(names)), markers(len(names)))))
    bound = f"ideal bound: exact points unique ({ideal:.2f})" if ideal is not None else ""

    fig = Figure(figsize=(3.9 * len(factors) + 0.8, 4.8))
    axes = np.atleast_1d(fig.subplots(1, len(factors), sharey=True))
    for ax, factor in zip(axes, factors):
        rows = table[table["factor"] == factor]
        for name in names:
            g = (rows if name is None else rows[rows["series"] == name]).sort_values("level")
            if g.empty:
                continue
            colour, marker = style[name]
            ax.plot(g["level"].to_numpy(float), g["accuracy"].to_numpy(float), color=colour, marker=marker,
                    label="measured linkage" if name is None else str(name))
        if ideal is not None:
            ax.axhline(ideal, color="black", linestyle="--", linewidth=1.2, label=bound)
        if factor in invert:
            ax.invert_xaxis()
        ax.set_xlabel(str(factor))
        ax.set_ylim(-0.02, 1.02)
    axes[0].set_ylabel(ACCURACY)
    # One legend for the figure, under the panels: the series and the bound are the same in every panel.
    entries: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    if ideal is not None:  # the bound after the series
        entries[bound] = entries.pop(bound)
    fig.suptitle(title, fontweight="bold")
    fig.legend(list(entries.values()), list(entries.keys()), loc="lower center", ncol=min(len(entries), 3))
    fig.tight_layout(rect=(0.0, 0.08 * ((len(entries) + 2) // 3), 1.0, 1.0))
    return fig
