"""Figures of unicity against the size of the population: does a bigger crowd hide people?

Farzanehfar, Houssiau and de Montjoye (2021) found that unicity falls only slowly, and ever
more slowly, as a dataset grows: 93 % of people are still unique with 4 points among 60
million. :func:`population_figure` draws measured ε_p against N on a log axis (one series per
way of growing the crowd), a fitted decay carried as far as asked
(:class:`lab.attacks.population.PopulationDecay`), sizes worth marking (the 2019 registry) and
published figures as reference points.

References
----------
.. [1] Farzanehfar, A., Houssiau, F., de Montjoye, Y.-A. (2021). The risk of re-identification
   remains high even in country-scale location datasets. Patterns 2(3), 100204.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lab.attacks.population import PopulationDecay
from lab.plots.style import check_columns, colours, markers, new_axes, styled

__all__ = ["people", "population_figure"]


def people(n: float, _pos: int | None = None) -> str:
    """A number of people for an axis or a legend: 500, 10 k, 2.57 M.

    Examples
    --------
    >>> [people(n) for n in (500, 10_000, 2_570_000)]
    ['500', '10 k', '2.57 M']
    """
    if n >= 1e6:
        return f"{n / 1e6:.3g} M"
    return f"{n / 1e3:.3g} k" if n >= 1e4 else f"{n:.0f}"


def _minor(n: float, _pos: int | None = None) -> str:
    """Between powers of ten, only the 2s and 5s get a label (20 k, 50 k)."""
    return people(n) if f"{n:.0e}"[0] in "25" else ""


@styled
def population_figure(
    series: Mapping[str, pd.DataFrame], *, fits: Mapping[str, PopulationDecay] | None = None,
    extend_to: float | None = None, marks: Mapping[str, float] | None = None,
    references: Iterable[tuple[float, float, str]] = (),
    title: str = "Does a larger crowd hide people? ε₄ against its size",
) -> Figure:
    """ε_p against N on a log axis, with intervals, fitted decays and reference points.

    Parameters
    ----------
    series : mapping of str to pandas.DataFrame
        A name per series and its table: population (N), share, and optionally low, high
        (as :func:`lab.attacks.population.unicity_by_population` gives).
    fits : mapping of str to PopulationDecay, optional
        For some series, a fitted decay: drawn dashed from the smallest N to ``extend_to``,
        the series' points then left unjoined.
    extend_to : float, optional
        How far the fits are carried (default: the largest N measured or marked).
    marks : mapping of str to float, optional
        Sizes drawn as dotted vertical lines, named in the legend.
    references : iterable of (N, share, label)
        Published figures, drawn as stars.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fits, marks, references = dict(fits or {}), dict(marks or {}), list(references)
    unknown = set(fits) - set(series)
    if unknown:
        raise ValueError(f"fits name series that are not drawn: {', '.join(sorted(unknown))}")
    for name, table in series.items():
        check_columns(table, ("population", "share"), what=f"the series {name!r}")
    sizes = [float(t["population"].max()) for t in series.values()] + list(marks.values())
    sizes += [n for n, _, _ in references]
    right = max(extend_to or 0.0, *sizes)
    left = min(float(t["population"].min()) for t in series.values())
    fig, ax = new_axes()
    for (name, table), colour, marker in zip(series.items(), colours(len(series)), markers(len(series))):
        t = table.sort_values("population")
        low = t["low"] if "low" in t else t["share"]
        high = t["high"] if "high" in t else t["share"]
        ax.errorbar(t["population"], t["share"], yerr=[t["share"] - low, high - t["share"]], color=colour,
                    marker=marker, linestyle="none" if name in fits else "-", label=name)
        if name in fits:
            grid = np.geomspace(float(t["population"].min()), right, 200)
            ax.plot(grid, fits[name].predict(grid), color=colour, linestyle="--", linewidth=1.2,
                    label=f"{name}: fit, carried to {people(right)}")
    for label, n in marks.items():
        ax.axvline(n, color="grey", linestyle=":", label=label)
    for n, share, label in references:
        ax.plot([n], [share], marker="*", markersize=15, color="black", linestyle="none", label=label)
    ax.set_xscale("log")
    ax.set_xlim(left / 1.5, right * 1.5)
    ax.xaxis.set_major_formatter(FuncFormatter(people))
    ax.xaxis.set_minor_formatter(FuncFormatter(_minor if right / left < 100 else (lambda n, _pos: "")))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("N, pseudonyms in the dataset (log scale)")
    ax.set_ylabel("ε_p, share singled out (0 to 1)")
    ax.legend(loc="lower left")
    ax.set_title(title)
    return fig
