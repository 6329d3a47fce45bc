"""Figures of attribute inference from sensitive places: accuracy against the base rate, and its price.

An inference such as :func:`lab.attacks.sensitive.infer_attribute` is only
worth what it adds to guessing: when one community holds 30 % of the people,
guessing it for everyone is right 30 % of the time. Both figures therefore draw
the accuracy beside that base rate (from
:func:`lab.metrics.inference_score.attribute_accuracy`), as given: nothing is
recomputed, so a figure and the table beside it always agree.

References
----------
.. [1] Krumm, J. (2007). Inference attacks on location tracks. *Pervasive
   Computing*, LNCS 4480, 127–143.
.. [2] Gambs, S., Killijian, M.-O., & del Prado Cortez, M. N. (2010). Show me
   how you move and I will tell you who you are. *ACM SIGSPATIAL SPRINGL*, 34–41.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lab.plots.style import add_note, check_columns, colours, markers, new_axes, styled

__all__ = ["inference_figure", "inference_tradeoff_figure"]

#: Axis label of an inference accuracy.
ACCURACY = "accuracy on the pseudonyms given a prediction (0 to 1)"

#: Colour of the base rate, drawn behind everything else.
BASE_COLOUR = "#7f7f7f"

#: Legend entry of the base rate.
BASE_LABEL = "base rate: always guess the most common value"


@styled
def inference_figure(scores: pd.DataFrame, *,
                     title: str = "What the places a person visits reveal about them") -> Figure:
    """Accuracy of an attribute inference beside its base rate, one pair of bars per release.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per release: ``release``, ``accuracy``, ``base_rate`` and
        optionally ``covered`` and ``n`` (pseudonyms given a prediction, and
        pseudonyms in all), as :func:`lab.metrics.inference_score.attribute_accuracy`
        returns them. When both are present each pair of bars is labelled
        "covered of n". A release whose accuracy is NaN (nothing covered) is
        drawn without bars and named in a note under the axes.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Bars in the order of the table: the accuracy (coloured) and the base
        rate (grey, hatched), on a vertical axis from 0 to 1.

    Raises
    ------
    ValueError
        If ``scores`` lacks ``release``, ``accuracy`` or ``base_rate``.

    Examples
    --------
    >>> scores = pd.DataFrame({"release": ["gps", "cdr"], "accuracy": [0.9, 0.2], "base_rate": [0.3, 0.25]})
    >>> [round(float(b.get_height()), 2) for b in inference_figure(scores).axes[0].containers[0]]
    [0.9, 0.2]
    """
    check_columns(scores, ("release", "accuracy", "base_rate"), what="the inference scores")
    accuracy = pd.to_numeric(scores["accuracy"], errors="coerce").to_numpy(float)
    base = pd.to_numeric(scores["base_rate"], errors="coerce").to_numpy(float)
    measured = np.isfinite(accuracy)
    shown = scores.loc[measured]
    x = np.arange(len(shown), dtype=float)
    width = 0.38
    fig, ax = new_axes()
    ax.bar(x - width / 2, accuracy[measured], width, color=colours(1)[0], label="inference accuracy")
    ax.bar(x + width / 2, base[measured], width, color="#d9d9d9", edgecolor=BASE_COLOUR, hatch="//",
           label=BASE_LABEL)
    if {"covered", "n"} <= set(scores.columns):
        # Centred over the pair of bars, above the taller of the two.
        tops = np.fmax(accuracy[measured], base[measured])
        for xi, top, (_, row) in zip(x, tops, shown.iterrows()):
            ax.annotate(f"{int(row['covered']):,} of {int(row['n']):,}\npredicted", (xi, top),
                        xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, [str(r) for r in shown["release"]])
    ax.set_xlabel("release the adversary reads")
    ax.set_ylabel(ACCURACY)
    # Head room above the bars for their labels, and one row of legend above that.
    ax.set_ylim(0, 1.3)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.legend(loc="upper left", ncol=2)
    ax.set_title(title)
    missing = [str(r) for r in scores.loc[~measured, "release"]]
    if missing:
        add_note(fig, f"No prediction made (nothing covered): {', '.join(missing)}")
    return fig


@styled
def inference_tradeoff_figure(table: pd.DataFrame, *, utility: str = "heatmap_similarity",
                              utility_label: str | None = None,
                              title: str = "Hiding sensitive places: what it buys and what it costs") -> Figure:
    """Inference accuracy against the utility a mitigation leaves, one line per mitigation, with the base rate.

    Each mitigation (a family of settings) is a line through its settings in
    order of utility, with its own colour and marker, each point labelled with
    its setting. The base rate is a grey band from the lowest to the highest
    base rate of the panel's settings (each is measured on the pseudonyms that
    setting covered) with a dashed line at their mean: a point on or under it
    means the inference no longer beats guessing. With a ``release`` column,
    one panel per release, side by side and sharing the vertical axis.

    Parameters
    ----------
    table : pandas.DataFrame
        ``mitigation``, ``setting``, ``accuracy``, ``base_rate``, the ``utility``
        column and optionally ``release``. Rows with a NaN accuracy or utility
        are not drawn and are named in a note under the axes.
    utility : str, default "heatmap_similarity"
        Column for the horizontal axis (higher keeps more for the analyst).
    utility_label : str, optional
        Label of the horizontal axis (default: the column name).
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the table lacks one of the columns.

    Examples
    --------
    >>> table = pd.DataFrame({"mitigation": ["none", "drop"], "setting": ["original", "100 m"],
    ...                       "accuracy": [0.9, 0.3], "base_rate": [0.3, 0.3], "heatmap_similarity": [1.0, 0.95]})
    >>> len(inference_tradeoff_figure(table).axes)
    1
    """
    check_columns(table, ("mitigation", "setting", "accuracy", "base_rate", utility), what="the trade-off table")
    t = table.copy()
    t["_acc"] = pd.to_numeric(t["accuracy"], errors="coerce")
    t["_u"] = pd.to_numeric(t[utility], errors="coerce")
    t["_base"] = pd.to_numeric(t["base_rate"], errors="coerce")
    if "release" not in t.columns:
        t["release"] = None
    panels = list(dict.fromkeys(t["release"]))
    families = list(dict.fromkeys(t["mitigation"]))
    style = dict(zip(families, zip(colours(len(families)), markers(len(families)))))
    fig = Figure(figsize=(6.0 * len(panels) + 1.5, 5.2))
    axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True, squeeze=False)[0])
    left_out: list[str] = []
    for ax, panel in zip(axes, panels):
        p = t[t["release"].isna()] if panel is None else t[t["release"] == panel]
        ok = np.isfinite(p["_acc"]) & np.isfinite(p["_u"])
        left_out += [f"{r['mitigation']} {r['setting']}" + ("" if panel is None else f" ({panel})")
                     for _, r in p.loc[~ok].iterrows()]
        base = p["_base"][np.isfinite(p["_base"])]
        if len(base):
            ax.axhspan(base.min(), base.max(), color=BASE_COLOUR, alpha=0.15, lw=0)
            ax.axhline(base.mean(), color=BASE_COLOUR, linestyle="--", lw=1.2, label=BASE_LABEL)
        drawn = p.loc[ok]
        for name in families:
            g = drawn[drawn["mitigation"] == name].sort_values("_u", kind="stable")
            if g.empty:
                continue
            colour, marker = style[name]
            ax.plot(g["_u"], g["_acc"], color=colour, marker=marker, label=name)
            # Labels alternate above and below the line, so neighbouring settings stay readable.
            for i, (_, row) in enumerate(g.iterrows()):
                ax.annotate(str(row["setting"]), (row["_u"], row["_acc"]), xytext=(4, 4 if i % 2 == 0 else -10),
                            textcoords="offset points", fontsize=7, color=colour)
        ax.set_xlabel(utility_label or utility)
        ax.set_ylim(0, 1.05)
        if panel is not None:
            ax.set_title(str(panel), fontsize=10)
        ax.legend(loc="upper left", fontsize=7)
    axes[0].set_ylabel(ACCURACY)
    fig.suptitle(title, fontweight="bold")
    if left_out:
        add_note(fig, f"Not drawn (no accuracy or utility measured): {', '.join(left_out)}")
    return fig
