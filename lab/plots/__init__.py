"""Figures, drawn with matplotlib's object-oriented API only.

Each figure is a :class:`matplotlib.figure.Figure` built directly, never
through :mod:`matplotlib.pyplot`: importing this package or drawing a figure
neither chooses a backend nor touches pyplot's current figure or matplotlib's
global settings, so a notebook keeps its own (inline) backend and style, shows
a returned figure as it is, and a script without a display can still save one
with :func:`save_figure` (saving picks a renderer from the file's extension).

Modules: :mod:`~lab.plots.style` (the default style, colours, markers, saving),
:mod:`~lab.plots.risk` (unicity, the coarsening law, anonymity sets, top-N
locations), :mod:`~lab.plots.population` (unicity against the size of the crowd),
:mod:`~lab.plots.counts` (DP count error, trajectory recovery) and
:mod:`~lab.plots.tradeoff` (the trade-off frontier).
"""

from lab.plots.counts import count_error_figure, recovery_figure
from lab.plots.population import population_figure
from lab.plots.risk import anonymity_figure, coarsening_figure, top_n_figure, unicity_figure
from lab.plots.style import save_figure
from lab.plots.tradeoff import tradeoff_figure, tradeoff_plot

__all__ = [
    "unicity_figure",
    "population_figure",
    "coarsening_figure",
    "anonymity_figure",
    "top_n_figure",
    "count_error_figure",
    "recovery_figure",
    "tradeoff_figure",
    "tradeoff_plot",
    "save_figure",
]
