"""Tests for lab.plots.risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.report import risk_report
from lab.attacks.top_locations import top_n_uniqueness
from lab.attacks.unicity import Unicity, fit_coarsening_law, unicity_sweep
from lab.plots.risk import anonymity_figure, coarsening_figure, top_n_figure, unicity_figure


def legend(fig: Figure) -> list[str]:
    """The legend's entries, top to bottom."""
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def bars(container) -> list[list[float]]:
    """The (low, high) ends of each vertical error bar of an errorbar container."""
    (segments,) = container.lines[2]
    return [[float(s[0][1]), float(s[1][1])] for s in segments.get_segments()]


def line(container) -> tuple[list[float], list[float]]:
    """The x and y data of an errorbar container's points."""
    data = container.lines[0]
    return np.asarray(data.get_xdata(), float).tolist(), np.asarray(data.get_ydata(), float).tolist()


# ------------------------------------------------------------------ unicity against p

UNICITY = pd.DataFrame({"p": [4, 1, 2], "share": [0.9, 0.2, 0.6], "low": [0.85, 0.1, 0.5], "high": [0.95, 0.3, 0.7]})


def test_unicity_draws_each_share_with_its_interval():
    """Points are at (p, share) in order of p, each bar spanning [low, high]."""
    fig = unicity_figure(UNICITY)
    ax = fig.axes[0]
    (c,) = ax.containers
    assert line(c) == ([1.0, 2.0, 4.0], [0.2, 0.6, 0.9])
    assert bars(c) == [[0.1, 0.3], [0.5, 0.7], [0.85, 0.95]]
    assert legend(fig) == ["ε_p"]
    assert ax.get_xlabel() == "p, spatio-temporal points known per pseudonym"
    assert ax.get_ylabel() == "ε_p, share of pseudonyms singled out (0 to 1)"


def test_unicity_from_a_report_names_what_was_not_measured():
    """A risk report's unmeasured p is left out of the line and named under the axes."""
    report = {"release": "cdr", "space": "tower_id", "hours": 1.0, "unicity": {"1": 0.1, "2": 0.5, "5": None},
              "unicity_ci": {"1": [0.05, 0.15], "2": [0.4, 0.6], "5": None}}
    fig = unicity_figure(report)
    (c,) = fig.axes[0].containers
    assert line(c) == ([1.0, 2.0], [0.1, 0.5]) and bars(c) == [[0.05, 0.15], [0.4, 0.6]]
    assert legend(fig) == ["cdr (tower_id × 1 h)"]
    assert [t.get_text() for t in fig.texts] == ["Not measured (no trace has that many distinct points): p = 5"]


def test_unicity_from_results_and_one_line_per_resolution():
    """Unicity results draw one line; a sweep over two resolutions draws two, named by resolution."""
    results = [Unicity(p=p, share=s, low=s - 0.1, high=s + 0.1, n=10, skipped=0, unique=pd.Series(dtype=bool))
               for p, s in ((1, 0.25), (2, 0.5))]
    (c,) = unicity_figure(results).axes[0].containers
    assert line(c) == ([1.0, 2.0], [0.25, 0.5])
    sweep = pd.DataFrame({"p": [1, 2, 1, 2], "space": ["tower_id"] * 2 + ["grid 1000 m"] * 2, "hours": 1.0,
                          "share": [0.3, 0.6, 0.2, 0.4]})
    fig = unicity_figure(sweep)
    assert legend(fig) == ["tower_id × 1 h", "grid 1000 m × 1 h"]
    assert [line(c)[1] for c in fig.axes[0].containers] == [[0.3, 0.6], [0.2, 0.4]]
    assert len(fig.axes[0].collections) == 0  # no interval given, none drawn


def test_unicity_table_without_share_is_refused():
    """A table lacking share is refused by name."""
    with pytest.raises(ValueError, match="no column 'share'"):
        unicity_figure(pd.DataFrame({"p": [1]}))


def test_unicity_on_the_classroom_report(classroom):
    """The classroom CDR report's shares and intervals are what the figure draws."""
    report = risk_report(classroom.releases["cdr"], name="cdr", ps=(1, 2, 3), rng=0)
    (c,) = unicity_figure(report).axes[0].containers
    assert line(c) == ([1.0, 2.0, 3.0], [report["unicity"][p] for p in ("1", "2", "3")])
    assert bars(c) == [report["unicity_ci"][p] for p in ("1", "2", "3")]


# ------------------------------------------------------------------ the coarsening law

SWEEP = pd.DataFrame({"p": [2, 2, 2, 4, 4, 4], "scale": [400.0, 100.0, 1600.0] * 2,
                      "share": [0.8, 0.9, 0.7, 0.95, 0.97, 0.9], "low": np.nan, "high": np.nan})
FIT = pd.DataFrame({"p": [2, 4], "exponent": [0.1, np.nan], "alpha": [1.9, np.nan]})


def test_coarsening_points_are_relative_resolutions():
    """Points sit at scale / finest scale, in increasing order, with their shares."""
    ax = coarsening_figure(SWEEP, FIT).axes[0]
    assert [line(c) for c in ax.containers] == [([1.0, 4.0, 16.0], [0.9, 0.8, 0.7]),
                                                ([1.0, 4.0, 16.0], [0.97, 0.95, 0.9])]
    assert ax.get_xscale() == "log"


def test_coarsening_fit_is_the_law_with_the_fitted_parameters():
    """The dashed curve is α − x^β from x = 1 to the coarsest, only for a p whose fit converged."""
    fig = coarsening_figure(SWEEP, FIT)
    (fit,) = [ln for ln in fig.axes[0].lines if ln.get_label().startswith("fit")]
    x, y = np.asarray(fit.get_xdata()), np.asarray(fit.get_ydata())
    assert x[0] == 1.0 and x[-1] == pytest.approx(16.0)
    np.testing.assert_allclose(y, 1.9 - x ** 0.1)
    assert legend(fig) == ["p = 2", "fit, p = 2: α = 1.90, β = 0.100", "p = 4"]
    assert [t.get_text() for t in fig.texts] == ["No fit (too few resolutions, or no convergence): p = 4"]


def test_coarsening_on_a_classroom_sweep(classroom):
    """A sweep of the classroom's CDR over grids and hours, and its fit, are drawn as computed."""
    sweep = unicity_sweep(classroom.releases["cdr"], ps=(1, 2), spaces=("grid:250", "grid:1000", "grid:4000"),
                          hours=(1.0, 6.0), rng=0)
    fit = fit_coarsening_law(sweep)
    fig = coarsening_figure(sweep, fit)
    for c, (_, g) in zip(fig.axes[0].containers, sweep.groupby("p", sort=False)):
        x = (g["scale"] / g["scale"].min()).to_numpy()
        order = np.argsort(x, kind="stable")
        assert line(c) == (x[order].tolist(), g["share"].to_numpy()[order].tolist())
        assert bars(c) == g[["low", "high"]].to_numpy()[order].tolist()
    curves = [ln for ln in fig.axes[0].lines if ln.get_label().startswith("fit")]
    assert len(curves) == np.isfinite(fit["exponent"]).sum()
    for curve, row in zip(curves, fit[np.isfinite(fit["exponent"])].itertuples()):
        np.testing.assert_allclose(curve.get_ydata(), row.alpha - np.asarray(curve.get_xdata()) ** row.exponent)


# ------------------------------------------------------------------ anonymity sets

CDF = pd.DataFrame({"geography": ["block", "block", "tract", "tract", "district"], "size": [1, 2, 3, 9, 40],
                    "share": [0.75, 1.0, 0.5, 1.0, 1.0]})


def test_anonymity_steps_follow_the_cdf():
    """One step curve per geography, finest first, through its (size, share) points."""
    fig = anonymity_figure(CDF)
    ax = fig.axes[0]
    assert [(ln.get_xdata().tolist(), ln.get_ydata().tolist()) for ln in ax.lines] == [
        ([1.0, 2.0], [0.75, 1.0]), ([3.0, 9.0], [0.5, 1.0]), ([40.0], [1.0])]
    assert all(ln.get_drawstyle() == "steps-post" for ln in ax.lines)
    assert len({ln.get_marker() for ln in ax.lines}) == 3
    assert legend(fig) == ["block", "tract", "district"]
    assert ax.get_xscale() == "log"
    assert ax.get_ylabel() == "share of pseudonyms with a set at most this size (0 to 1)"


def test_anonymity_legend_with_the_summary():
    """With the summary, each geography's entry gives its cell size and median set."""
    summary = pd.DataFrame({"cell_m": [200.0, 1000.0, 5000.0], "median": [1.0, 3.0, 40.0]},
                           index=pd.Index(["block", "tract", "district"], name="geography"))
    assert legend(anonymity_figure(CDF, summary=summary)) == [
        "block (200 m cells, median set 1)", "tract (1,000 m cells, median set 3)",
        "district (5,000 m cells, median set 40)"]


def test_anonymity_on_the_classroom(classroom):
    """The classroom CDR's anonymity-set CDF at the three geographies is drawn as computed."""
    _, summary, cdf = anonymity_sets(infer_home_work(classroom.releases["cdr"]))
    fig = anonymity_figure(cdf, summary=summary)
    ax = fig.axes[0]
    assert len(ax.lines) == 3 == cdf["geography"].nunique()
    for ln, (_, g) in zip(ax.lines, cdf.groupby("geography", sort=False)):
        assert ln.get_xdata().tolist() == g["size"].astype(float).tolist()
        assert ln.get_ydata().tolist() == g["share"].tolist()
    assert [t.split(" ")[0] for t in legend(fig)] == ["block", "tract", "district"]


# ------------------------------------------------------------------ top-N locations

TOP = pd.DataFrame({"n": [2, 1, 3, 1, 2, 3], "space": ["tower_id"] * 3 + ["grid 5000 m"] * 3,
                    "share_unique": [0.6, 0.1, 0.8, 0.0, 0.05, 0.2]})


def test_top_n_one_line_per_granularity():
    """Each granularity is a line of share unique against N, in order of N."""
    fig = top_n_figure(TOP)
    ax = fig.axes[0]
    assert [(ln.get_xdata().tolist(), ln.get_ydata().tolist()) for ln in ax.lines] == [
        ([1, 2, 3], [0.1, 0.6, 0.8]), ([1, 2, 3], [0.0, 0.05, 0.2])]
    assert legend(fig) == ["tower_id", "grid 5000 m"]
    assert ax.lines[0].get_marker() != ax.lines[1].get_marker()
    assert ax.get_xlabel() == "N, most visited locations known (top-N set)"


def test_top_n_from_the_classroom_and_its_report(classroom):
    """top_n_uniqueness's table and the risk report's top_n rows give the same lines."""
    cdr = classroom.releases["cdr"]
    top = top_n_uniqueness(cdr, ns=(1, 2, 3), spaces=("tower_id", "grid:1000", "grid:5000"))
    ax = top_n_figure(top).axes[0]
    for ln, (_, g) in zip(ax.lines, top.groupby("space", sort=False)):
        assert ln.get_ydata().tolist() == g["share_unique"].tolist()
    assert len(ax.lines) == 3
    report = risk_report(cdr, name="cdr", ps=(1,), rng=0)
    from_report = top_n_figure(report).axes[0]
    assert [ln.get_ydata().tolist() for ln in from_report.lines] == [ln.get_ydata().tolist() for ln in ax.lines]


def test_a_point_without_interval_leaves_the_others_their_bars():
    """One p with no interval draws a zero-length bar; the measured intervals are still drawn as computed."""
    table = pd.DataFrame({"p": [1, 2], "share": [0.1, 0.5], "low": [0.05, np.nan], "high": [0.15, np.nan]})
    ax = unicity_figure(table).axes[0]
    segments = [s for c in ax.collections for s in c.get_segments()]
    spans = sorted((float(s[:, 1].min()), float(s[:, 1].max())) for s in segments)
    assert spans == [pytest.approx((0.05, 0.15)), pytest.approx((0.5, 0.5))]
