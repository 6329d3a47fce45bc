"""Figures of geo-indistinguishability: the planar Laplace noise, the averaging attack, the price of noise.

Three figures, each drawing exactly the values it is given. :func:`noise_figure`
checks the noise itself: the lengths of the moves against the Gamma(2, 1/ε)
density the mechanism promises, and their directions against the flat density
of an isotropic mechanism. :func:`averaging_figure` shows an adversary who
averages ``n`` noisy reports of one place, on logarithmic axes with the
``1/√n`` line for comparison. :func:`noise_price_figure` puts the error of the
published points and the adversary's error side by side as the protection
radius grows.

References
----------
.. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
   Geo-indistinguishability: differential privacy for location-based systems. CCS '13, 901–914.
.. [2] Chatzikokolakis, K., Palamidessi, C., Stronati, M. (2014). A predictive
   differentially-private mechanism for mobility traces. PETS 2014.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats

from lab.plots.style import check_columns, colours, markers, new_axes, plain_log_ticks, styled

__all__ = ["noise_figure", "averaging_figure", "noise_price_figure"]

#: Axis label of an error in metres on a logarithmic axis.
ERROR_M = "error (metres, log scale)"


def _series(table: pd.DataFrame, column: str) -> list[str]:
    """The series of a table in order of first appearance (one unnamed series when it has no ``column``)."""
    return list(dict.fromkeys(table[column].astype(str))) if column in table.columns else [""]


def _rows(table: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    return table if column not in table.columns else table[table[column].astype(str) == name]


def _lines(ax: Axes, table: pd.DataFrame, x: str, *, by: str) -> list[str]:
    """One line with markers per series of ``table`` (``x`` against ``error_m``, sorted by ``x``); the series drawn."""
    names = _series(table, by)
    for name, colour, marker in zip(names, colours(len(names)), markers(len(names))):
        g = _rows(table, by, name).sort_values(x)
        ax.plot(g[x].to_numpy(float), g["error_m"].to_numpy(float), color=colour, marker=marker,
                label=name or "error")
    return names


def _log_axes(ax: Axes) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain_log_ticks(ax.xaxis)
    plain_log_ticks(ax.yaxis)


@styled
def noise_figure(moves: pd.DataFrame, *, epsilon: float, by: str = "series", bins: int = 60,
                 title: str = "Planar Laplace noise: Gamma(2, 1/ε) lengths, uniform directions") -> Figure:
    """Histograms of the noise's lengths and directions beside the densities the mechanism promises.

    Left: the density of the length ``ρ = hypot(east, north)`` of each move,
    with the Gamma(shape 2, scale 1/ε) density ``ε² ρ exp(−ε ρ)`` drawn over it.
    Right: the density of the direction ``atan2(north, east)`` in [0, 2π), with
    the flat density ``1/(2π)`` of an isotropic mechanism. One step histogram
    per series (a latitude, a mechanism), on the same bins.

    Parameters
    ----------
    moves : pandas.DataFrame
        east_m, north_m: each published point's move in metres in the local
        east/north frame at its true position; optionally a ``by`` column.
    epsilon : float
        The mechanism's privacy loss per metre, for the Gamma density.
    by : str, default "series"
        Column naming the series; without it, one series.
    bins : int, default 60
        Bins of each histogram (lengths from 0 to the 99.9 % point of the Gamma).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: lengths (metres) and directions (radians).

    Raises
    ------
    ValueError
        If ``moves`` lacks east_m or north_m, or ``epsilon`` is not a positive number.

    References
    ----------
    .. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
       Geo-indistinguishability: differential privacy for location-based systems. CCS '13
       (the polar form of the planar Laplacian).
    """
    check_columns(moves, ("east_m", "north_m"), what="the table of moves")
    if not (isinstance(epsilon, int | float | np.floating) and np.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"epsilon must be a positive number of 1/metres, got {epsilon!r}")
    gamma = stats.gamma(2, scale=1.0 / epsilon)
    r_edges = np.linspace(0.0, float(gamma.ppf(0.999)), bins + 1)
    a_edges = np.linspace(0.0, 2.0 * np.pi, bins + 1)
    fig = Figure(figsize=(11, 4.4))
    ax_r, ax_a = fig.subplots(1, 2)
    names = _series(moves, by)
    for name, colour in zip(names, colours(len(names))):
        g = _rows(moves, by, name)
        east, north = g["east_m"].to_numpy(float), g["north_m"].to_numpy(float)
        label = name or "measured"
        ax_r.hist(np.hypot(east, north), bins=r_edges, density=True, histtype="step", color=colour, label=label)
        ax_a.hist(np.arctan2(north, east) % (2.0 * np.pi), bins=a_edges, density=True, histtype="step",
                  color=colour, label=label)
    r = np.linspace(0.0, r_edges[-1], 400)
    ax_r.plot(r, gamma.pdf(r), "k--", label="Gamma(2, 1/ε) density")
    ax_r.axvline(2.0 / epsilon, color="grey", linestyle=":", label=f"mean 2/ε = {2.0 / epsilon:,.0f} m")
    ax_r.set_xlabel("ρ, length of the move (metres)")
    ax_r.set_ylabel("density (1/metre)")
    ax_r.set_title("Lengths")
    ax_a.axhline(1.0 / (2.0 * np.pi), color="k", linestyle="--", label="uniform 1/(2π)")
    ax_a.set_xlim(0.0, 2.0 * np.pi)
    ax_a.set_ylim(0.0, None)
    ax_a.set_xticks(np.arange(5) * np.pi / 2, ["0 (east)", "π/2 (north)", "π (west)", "3π/2 (south)", "2π"])
    ax_a.set_xlabel("θ, direction of the move (radians)")
    ax_a.set_ylabel("density (1/radian)")
    ax_a.set_title("Directions")
    ax_r.legend(loc="upper right")
    ax_a.legend(loc="lower right")
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig


@styled
def averaging_figure(table: pd.DataFrame, *, by: str = "series",
                     title: str = "Averaging repeated reports: the error shrinks like 1/√n") -> Figure:
    """An adversary's error after averaging ``n`` noisy reports of one place, on logarithmic axes.

    Fresh noise on every report has mean zero, so the average of ``n`` reports
    lands about ``1/√n`` as far from the truth as one report: a straight line
    of slope −1/2 here. The dashed line is that law, anchored on the first
    series' error at its smallest ``n``. Reports that repeat one noisy point
    (a cache) keep a flat line.

    Parameters
    ----------
    table : pandas.DataFrame
        n (reports averaged, at least 1), error_m (the error in metres, e.g. the
        mean distance of :func:`lab.mitigations.geoind.averaging_attack`'s
        estimates from the truth) and optionally a ``by`` column.
    by : str, default "series"
        Column naming the series (fresh noise, cached noise, no noise).
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the table lacks n or error_m, or holds an ``n`` below 1 or an error that is not positive.

    References
    ----------
    .. [1] Chatzikokolakis, K., Palamidessi, C., Stronati, M. (2014). A predictive
       differentially-private mechanism for mobility traces. PETS 2014.
    """
    check_columns(table, ("n", "error_m"), what="the averaging table")
    n = table["n"].to_numpy(float)
    if len(table) == 0 or (n < 1).any() or (table["error_m"].to_numpy(float) <= 0).any():
        raise ValueError("the averaging table needs rows with n ≥ 1 and a positive error_m (log axes)")
    fig, ax = new_axes()
    names = _lines(ax, table, "n", by=by)
    first = _rows(table, by, names[0]).sort_values("n").iloc[0]
    n0, e0 = float(first["n"]), float(first["error_m"])
    grid = np.geomspace(n0, n.max(), 50)
    ax.plot(grid, e0 * np.sqrt(n0 / grid), "k--", lw=1, label=f"1/√n from n = {n0:g}" + (
        f" of {names[0]}" if names[0] else ""))
    _log_axes(ax)
    ax.set_xlabel("n, noisy reports of the same place averaged (log scale)")
    ax.set_ylabel(ERROR_M)
    ax.legend(loc="lower left")
    ax.set_title(title)
    return fig


@styled
def noise_price_figure(table: pd.DataFrame, *, by: str = "series",
                       title: str = "The price of the noise, and what it buys") -> Figure:
    """Errors against the protection radius ``r``, on logarithmic axes, with the line ``error = r``.

    Each series is one error measured at several radii: the mean error of the
    published points (what an honest service suffers: utility lost) or the
    adversary's error after averaging reports (what the noise still hides:
    privacy kept). The dotted line ``error = r`` is where Location Guard puts
    its mean error (ε = 2/r).

    Parameters
    ----------
    table : pandas.DataFrame
        radius_m (the radius ``r`` of the protection, ε = level / r), error_m
        (metres) and optionally a ``by`` column.
    by : str, default "series"
        Column naming the series.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the table lacks radius_m or error_m, or a value is not positive (log axes).

    References
    ----------
    .. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
       Geo-indistinguishability: differential privacy for location-based systems. CCS '13.
    """
    check_columns(table, ("radius_m", "error_m"), what="the price table")
    values = table[["radius_m", "error_m"]].to_numpy(float)
    if len(table) == 0 or not (values > 0).all():
        raise ValueError("the price table needs rows with a positive radius_m and error_m (log axes)")
    fig, ax = new_axes()
    _lines(ax, table, "radius_m", by=by)
    r = np.geomspace(values[:, 0].min(), values[:, 0].max(), 50)
    ax.plot(r, r, "k:", lw=1, label="error = r")
    _log_axes(ax)
    ax.set_xlabel("r, protection radius (metres, log scale)")
    ax.set_ylabel(ERROR_M)
    ax.legend(loc="upper left")
    ax.set_title(title)
    return fig
