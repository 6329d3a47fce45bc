"""Tests for lab.plots.dp_price."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.metrics.utility import count_error
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.domain import grid_domain
from lab.mitigations.dp import dp_counts
from lab.plots.dp_price import AUC_LABEL, EPSILON_LABEL, MAE_LABEL, dp_price_figure


def lines(fig: Figure, panel: int) -> list[tuple[list[float], list[float]]]:
    """Each line's x and y data on one panel (0: risk, 1: price), horizontal reference lines included."""
    return [(np.asarray(ln.get_xdata(), float).tolist(), np.asarray(ln.get_ydata(), float).tolist())
            for ln in fig.axes[panel].lines]


def legend(fig: Figure, panel: int) -> list[str]:
    """The legend's entries of one panel, top to bottom."""
    return [t.get_text() for t in fig.axes[panel].get_legend().get_texts()]


TABLE = pd.DataFrame({"epsilon": [2.0, 0.5, 1.0], "membership_auc": [0.7, 0.52, 0.6], "count_mae": [4.0, 16.0, 8.0]})


def test_both_panels_draw_the_table_in_increasing_epsilon():
    """AUC on the left and error on the right are drawn at their ε, sorted, on log x axes."""
    fig = dp_price_figure(TABLE)
    risk, price = fig.axes
    assert lines(fig, 0)[0] == ([0.5, 1.0, 2.0], [0.52, 0.6, 0.7])
    assert lines(fig, 1) == [([0.5, 1.0, 2.0], [16.0, 8.0, 4.0])]
    assert risk.get_xscale() == "log" and price.get_xscale() == "log" and price.get_yscale() == "log"
    assert risk.get_xlabel() == price.get_xlabel() == EPSILON_LABEL
    assert risk.get_ylabel() == AUC_LABEL and price.get_ylabel() == MAE_LABEL


def test_coin_flip_and_raw_auc_are_reference_lines():
    """The risk panel has the coin flip at 0.5 and, when given, the exact counts' AUC, both in the legend."""
    fig = dp_price_figure(TABLE, raw_auc=0.97)
    ys = [y for _, y in lines(fig, 0)[1:]]
    assert ys == [[0.5, 0.5], [0.97, 0.97]]
    assert legend(fig, 0) == ["DP counts", "coin flip (AUC 0.5)", "exact counts (AUC 0.97)"]
    assert legend(fig, 1) == ["DP counts"]
    assert fig.axes[0].get_ylim()[0] <= 0.45


def test_one_line_per_series_with_the_same_style_in_both_panels():
    """A ``by`` column gives one line per series, in order of appearance, with one colour and marker across panels."""
    table = pd.concat([TABLE.assign(unit="user"), TABLE.assign(unit="event", count_mae=[0.5, 2.0, 1.0],
                                                                membership_auc=[0.95, 0.9, 0.93])])
    fig = dp_price_figure(table, by="unit")
    assert legend(fig, 0)[:2] == ["user", "event"] and legend(fig, 1) == ["user", "event"]
    assert lines(fig, 1)[1] == ([0.5, 1.0, 2.0], [2.0, 1.0, 0.5])
    for panel in (0, 1):
        a, b = fig.axes[panel].lines[:2]
        assert a.get_marker() != b.get_marker() and tuple(a.get_color()) != tuple(b.get_color())
    assert tuple(fig.axes[0].lines[1].get_color()) == tuple(fig.axes[1].lines[1].get_color())


def test_no_noise_and_zero_error_are_named_not_drawn():
    """An infinite ε and an error of 0 have no place on a log axis: they are left out and named in a note."""
    table = pd.DataFrame({"epsilon": [1.0, 10.0, np.inf], "membership_auc": [0.55, 0.8, 0.97],
                          "count_mae": [3.0, 0.0, 0.0]})
    fig = dp_price_figure(table)
    assert lines(fig, 0)[0] == ([1.0, 10.0], [0.55, 0.8])  # the AUC at ε = 10 is still drawn
    assert lines(fig, 1) == [([1.0], [3.0])]
    notes = [t.get_text() for t in fig.texts if t.get_text().startswith("Not plotted")]
    assert notes == ["Not plotted (no place on a log axis): ε = inf, error 0 at ε = 10"]


def test_table_is_checked():
    """A missing column, the ``by`` column included, is refused by name."""
    with pytest.raises(ValueError, match="no column 'count_mae'"):
        dp_price_figure(TABLE.drop(columns="count_mae"))
    with pytest.raises(ValueError, match="no column 'unit'"):
        dp_price_figure(TABLE, by="unit")


def test_error_of_classroom_dp_counts_falls_as_epsilon_grows(classroom):
    """The classroom's DP daily counts: the price panel draws their count_error MAE, falling as ε grows."""
    gps = classroom.releases["gps"]
    origin = classroom.scenario.origin
    start, end = gps["t"].min().normalize(), gps["t"].max().normalize() + pd.Timedelta(days=1)
    domain = grid_domain(bounds=tuple(classroom.districts.total_bounds), start=start, end=end, cell_m=1000.0,
                         slot_s=86_400, origin=origin)
    exact = count_by_cell(gps, cell_m=1000.0, slot_s=86_400, origin=origin, start=start)
    rows = [{"epsilon": eps, "membership_auc": 0.5,
             "count_mae": count_error(exact, dp_counts(gps, cell_m=1000.0, slot_s=86_400, epsilon=eps,
                                                       max_cells_per_user=10, domain=domain, rng=0))["mae"]}
            for eps in (0.5, 1.0, 2.0, 4.0)]
    table = pd.DataFrame(rows)
    ((x, y),) = lines(dp_price_figure(table), 1)
    assert x == [0.5, 1.0, 2.0, 4.0] and y == table["count_mae"].tolist()
    assert y == sorted(y, reverse=True)
