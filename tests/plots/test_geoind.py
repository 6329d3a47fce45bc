"""Tests for lab.plots.geoind."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from lab.plots.geoind import averaging_figure, noise_figure, noise_price_figure

EPS = math.log(4) / 200


def legend(ax) -> list[str]:
    """The legend's entries of one axes, top to bottom."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def xy(line) -> tuple[list[float], list[float]]:
    """The x and y data of a line."""
    return np.asarray(line.get_xdata(), float).tolist(), np.asarray(line.get_ydata(), float).tolist()


def planar_moves(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` planar Laplace moves drawn in polar form (Gamma(2, 1/ε) lengths, uniform directions)."""
    rng = np.random.default_rng(seed)
    r = rng.gamma(2.0, 1.0 / EPS, size=n)
    theta = rng.uniform(0.0, 2.0 * np.pi, size=n)
    return pd.DataFrame({"east_m": r * np.cos(theta), "north_m": r * np.sin(theta)})


# ------------------------------------------------------------------ the noise itself

def test_noise_figure_draws_the_gamma_density_and_the_flat_line():
    """The dashed curve is Gamma(2, 1/ε)'s density; the flat line sits at 1/(2π); the mean is marked at 2/ε."""
    fig = noise_figure(planar_moves(2000), epsilon=EPS)
    assert isinstance(fig, Figure)
    ax_r, ax_a = fig.axes
    (curve,) = [ln for ln in ax_r.get_lines() if ln.get_label() == "Gamma(2, 1/ε) density"]
    x, y = xy(curve)
    assert np.allclose(y, stats.gamma(2, scale=1 / EPS).pdf(x))
    (mean,) = [ln for ln in ax_r.get_lines() if ln.get_label().startswith("mean 2/ε")]
    assert xy(mean)[0] == pytest.approx([2 / EPS, 2 / EPS])
    (flat,) = [ln for ln in ax_a.get_lines() if ln.get_label() == "uniform 1/(2π)"]
    assert xy(flat)[1] == pytest.approx([1 / (2 * np.pi)] * 2)
    assert ax_r.get_xlabel() == "ρ, length of the move (metres)"
    assert ax_a.get_xlabel() == "θ, direction of the move (radians)"


def test_noise_figure_histograms_are_densities_of_the_given_moves():
    """Each step histogram integrates to 1 and its bin heights are the moves' lengths and directions counted."""
    moves = planar_moves(5000, seed=1)
    fig = noise_figure(moves, epsilon=EPS, bins=10)
    ax_r, ax_a = fig.axes
    (hist_r,), (hist_a,) = ax_r.patches, ax_a.patches
    verts = hist_r.get_path().vertices
    edges = np.linspace(0, stats.gamma(2, scale=1 / EPS).ppf(0.999), 11)
    want, _ = np.histogram(np.hypot(moves["east_m"], moves["north_m"]), bins=edges, density=True)
    heights = verts[1:-1:2, 1]  # a step outline visits each bin's height twice
    assert heights == pytest.approx(want)
    a_verts = hist_a.get_path().vertices
    a_heights = a_verts[1:-1:2, 1]
    assert float(np.sum(a_heights * (2 * np.pi / 10))) == pytest.approx(1.0)
    assert legend(ax_r)[0] == "measured"


def test_noise_figure_one_histogram_per_series():
    """A series column gives one step histogram per series on each axes, named in the legends in order."""
    moves = pd.concat([planar_moves(500).assign(series="0°"), planar_moves(500, 2).assign(series="60°")])
    ax_r, ax_a = noise_figure(moves, epsilon=EPS).axes
    assert len(ax_r.patches) == len(ax_a.patches) == 2
    assert legend(ax_r)[:2] == ["0°", "60°"] and legend(ax_a)[:2] == ["0°", "60°"]


def test_noise_figure_refuses_bad_input():
    """A table without north_m, or a non-positive epsilon, is refused by name."""
    with pytest.raises(ValueError, match="north_m"):
        noise_figure(pd.DataFrame({"east_m": [1.0]}), epsilon=EPS)
    with pytest.raises(ValueError, match="epsilon"):
        noise_figure(planar_moves(10), epsilon=0.0)


# ------------------------------------------------------------------ the averaging attack

AVERAGING = pd.DataFrame({"series": ["fresh"] * 3 + ["cached"] * 3, "n": [4, 1, 16, 1, 4, 16],
                          "error_m": [150.0, 300.0, 80.0, 320.0, 310.0, 305.0]})


def test_averaging_figure_draws_each_series_and_the_one_over_root_n_line():
    """Series are drawn sorted by n; the dashed line is the first series' n = 1 error times 1/√n."""
    fig = averaging_figure(AVERAGING)
    ax = fig.axes[0]
    fresh, cached, law = ax.get_lines()
    assert xy(fresh) == ([1.0, 4.0, 16.0], [300.0, 150.0, 80.0])
    assert xy(cached) == ([1.0, 4.0, 16.0], [320.0, 310.0, 305.0])
    x, y = xy(law)
    assert x[0] == 1.0 and x[-1] == 16.0
    assert np.allclose(y, 300.0 / np.sqrt(x))
    assert legend(ax) == ["fresh", "cached", "1/√n from n = 1 of fresh"]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_xlabel() == "n, noisy reports of the same place averaged (log scale)"
    assert ax.get_ylabel() == "error (metres, log scale)"


def test_averaging_figure_without_series_and_bad_tables():
    """Without a series column one line is drawn; n below 1 or a missing error_m is refused."""
    ax = averaging_figure(AVERAGING[AVERAGING["series"] == "fresh"].drop(columns="series")).axes[0]
    assert len(ax.get_lines()) == 2 and legend(ax) == ["error", "1/√n from n = 1"]
    with pytest.raises(ValueError, match="n ≥ 1"):
        averaging_figure(pd.DataFrame({"n": [0, 1], "error_m": [1.0, 1.0]}))
    with pytest.raises(ValueError, match="error_m"):
        averaging_figure(pd.DataFrame({"n": [1]}))


# ------------------------------------------------------------------ the price

def test_noise_price_figure_draws_errors_against_radius_and_the_line_error_equals_r():
    """Each series is drawn at its radii; the dotted line has y = x from the smallest to the largest radius."""
    price = pd.DataFrame({"series": ["published"] * 3 + ["adversary"] * 3, "radius_m": [500, 200, 2000] * 2,
                          "error_m": [720.0, 290.0, 2890.0, 190.0, 77.0, 770.0]})
    ax = noise_price_figure(price).axes[0]
    published, adversary, diagonal = ax.get_lines()
    assert xy(published) == ([200.0, 500.0, 2000.0], [290.0, 720.0, 2890.0])
    assert xy(adversary) == ([200.0, 500.0, 2000.0], [77.0, 190.0, 770.0])
    x, y = xy(diagonal)
    assert x == y and x[0] == 200.0 and x[-1] == pytest.approx(2000.0)
    assert legend(ax) == ["published", "adversary", "error = r"]
    assert ax.get_xlabel() == "r, protection radius (metres, log scale)"


def test_noise_price_figure_refuses_non_positive_values():
    """A zero radius cannot sit on a log axis and is refused."""
    with pytest.raises(ValueError, match="positive radius_m"):
        noise_price_figure(pd.DataFrame({"radius_m": [0, 200], "error_m": [1.0, 2.0]}))
