"""The figures' one default style, their colours and markers, and how a figure is written.

Every figure of :mod:`lab.plots` is drawn inside :func:`styled`, a
:func:`matplotlib.rc_context` holding :data:`STYLE`: the style applies to that
figure only and never to matplotlib's global settings, so a notebook's own
plots are left as they were. Each family drawn on one axes (a mitigation, a
geography, a value of ``p``) gets its own colour *and* its own marker, so the
figure still reads in grey or for a reader who does not tell colours apart.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ParamSpec, TypeVar

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter

from lab.output import atomic_write

__all__ = ["STYLE", "MARKERS", "colours", "markers", "styled", "new_axes", "add_note", "plain_log_ticks",
           "check_columns", "save_figure"]

#: The default style: large enough to read on a projector, light grid, no box around the legend.
STYLE = {
    "figure.figsize": (7.5, 4.8),
    "figure.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "lines.markersize": 6,
    "errorbar.capsize": 3,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
}

#: Markers given to families in turn, each unlike the others in shape.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p")

P = ParamSpec("P")
R = TypeVar("R")


def colours(n: int) -> np.ndarray:
    """``n`` distinct colours: the qualitative tab10 or tab20, else evenly spaced along a rainbow.

    Examples
    --------
    >>> colours(3).shape
    (3, 4)
    """
    if n <= 10:
        return matplotlib.colormaps["tab10"](np.arange(n))
    if n <= 20:
        return matplotlib.colormaps["tab20"](np.arange(n))
    return matplotlib.colormaps["turbo"](np.linspace(0.0, 1.0, n))


def markers(n: int) -> list[str]:
    """``n`` markers from :data:`MARKERS`, starting again after the twelfth (the colours still differ).

    Examples
    --------
    >>> markers(4)
    ['o', 's', '^', 'D']
    """
    return [MARKERS[i % len(MARKERS)] for i in range(n)]


def styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Decorate a figure function so that it draws inside :data:`STYLE`, leaving global settings alone."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


def new_axes(figsize: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    """A figure with one axes, attached to no backend and unknown to pyplot."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def add_note(fig: Figure, note: str) -> None:
    """Write ``note`` in small print under the axes (what was left out, and why), making room for it."""
    fig.subplots_adjust(bottom=0.2)
    fig.text(0.01, 0.01, note, fontsize=7, va="bottom", wrap=True)


class _PlainLog(LogFormatter):
    """A log axis' labels as plain numbers (0.5, 2, 300), on the ticks matplotlib would label."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:g}" if super().__call__(x, pos) else ""


def plain_log_ticks(axis: Axis) -> None:
    """Label a logarithmic axis with plain numbers (0.5, 2, 300) rather than powers of ten."""
    axis.set_major_formatter(_PlainLog(labelOnlyBase=False))
    axis.set_minor_formatter(_PlainLog(labelOnlyBase=False, minor_thresholds=(1, 0.4)))


def check_columns(table: pd.DataFrame, columns: Iterable[str], *, what: str) -> None:
    """Refuse a table lacking any of ``columns``, naming them and the columns it has.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"p": [1]}), ["p", "share"], what="the unicity table")
    Traceback (most recent call last):
    ...
    ValueError: the unicity table has no column 'share'; columns: p
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} has no column {', '.join(map(repr, missing))}; "
                         f"columns: {', '.join(map(str, table.columns))}")


#: Metadata keys that would stamp the date or the library version into a file, per format.
_UNSTAMPED = {".png": {"Software": None}, ".svg": {"Date": None, "Creator": None},
              ".pdf": {"CreationDate": None, "Creator": None, "Producer": None}}


def save_figure(fig: Figure, path: str | os.PathLike) -> Path:
    """Write ``fig`` atomically to ``path`` (PNG, SVG or PDF by extension), the same bytes for the same figure.

    No date, no random SVG ids, no library version: a figure redrawn from the
    same table gives an identical file. The file appears whole or not at all
    (:func:`lab.output.atomic_write`).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    with matplotlib.rc_context({"svg.hashsalt": "privacy-lab"}), atomic_write(target) as tmp:
        fig.savefig(tmp, dpi=130, bbox_inches="tight", metadata=_UNSTAMPED.get(suffix))
    return target
