"""Tests for lab.plots.home_work."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.top_locations import top_n_uniqueness
from lab.grid import Space
from lab.metrics.utility import home_detection_error_m
from lab.mitigations.coarsen import snap_to_grid
from lab.plots.home_work import HOME_ERROR, SHARES, coarsening_price_figure

#: Three settings given out of order of their utility loss.
TABLE = pd.DataFrame({
    "setting": ["1000 m", "100 m", "4000 m"],
    "home_error_m": [400.0, 0.0, 1600.0],
    "median_set": [2.0, 1.0, 9.0],
    "pair_unique": [0.6, 0.95, 0.1],
    "top1_unique": [0.03, 0.5, 0.0],
    "top2_unique": [0.4, 0.9, 0.04],
    "top3_unique": [0.7, 0.98, 0.1],
})


def data(line) -> tuple[list[float], list[float]]:
    """The x and y data of a line, as floats."""
    return [float(v) for v in line.get_xdata()], [float(v) for v in line.get_ydata()]


def test_left_panel_draws_the_median_set_in_order_of_utility_loss():
    """The left line passes through (home error, median set) sorted by home error, on a log axis."""
    fig = coarsening_price_figure(TABLE)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left = fig.axes[0]
    (ln,) = left.lines
    assert data(ln) == ([0.0, 400.0, 1600.0], [1.0, 2.0, 9.0])
    assert left.get_yscale() == "log"
    assert left.get_xlabel() == HOME_ERROR
    assert [t.get_text() for t in left.texts] == ["100 m", "1000 m", "4000 m"]


def test_right_panel_draws_one_line_per_share_with_its_label():
    """Each share column is a line through its values in order of home error, named as in SHARES."""
    right = coarsening_price_figure(TABLE).axes[1]
    assert [data(ln)[1] for ln in right.lines] == [[0.95, 0.6, 0.1], [0.5, 0.03, 0.0], [0.9, 0.4, 0.04],
                                                    [0.98, 0.7, 0.1]]
    assert all(data(ln)[0] == [0.0, 400.0, 1600.0] for ln in right.lines)
    assert [t.get_text() for t in right.get_legend().get_texts()] == list(SHARES.values())
    assert len({ln.get_marker() for ln in right.lines}) == 4
    assert right.get_ylim() == (-0.02, 1.02)
    assert [t.get_text() for t in right.texts] == ["100 m", "1000 m", "4000 m"]


def test_chosen_shares_and_utility_column():
    """Only the shares asked for are drawn, and another utility column labels the axis with its unit."""
    table = TABLE.rename(columns={"home_error_m": "displacement_m"})
    fig = coarsening_price_figure(table, utility="displacement_m", shares={"top2_unique": "top 2"})
    right = fig.axes[1]
    assert [data(ln)[1] for ln in right.lines] == [[0.9, 0.4, 0.04]]
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["top 2"]
    assert right.get_xlabel() == "displacement_m (metres)"


def test_missing_column_and_empty_input_are_refused():
    """A table without a needed column, an empty table and an empty share mapping are refused in words."""
    with pytest.raises(ValueError, match="no column 'top3_unique'"):
        coarsening_price_figure(TABLE.drop(columns="top3_unique"))
    with pytest.raises(ValueError, match="no row"):
        coarsening_price_figure(TABLE.iloc[:0])
    with pytest.raises(ValueError, match="at least one share"):
        coarsening_price_figure(TABLE, shares={})


def test_classroom_coarsening_is_drawn_as_measured(classroom):
    """Snapping the classroom GPS to 250 m and 1 km: the figure draws the measured sets, shares and errors."""
    gps = classroom.releases["gps"]
    origin = classroom.scenario.origin
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the town's public origin is given: no LeakWarning may fire
        for cell in (250.0, 1000.0):
            released = snap_to_grid(gps, cell_m=cell, origin=origin)
            _, summary, _ = anonymity_sets(infer_home_work(released), geographies={"cells": cell}, origin=origin)
            top = top_n_uniqueness(released, spaces=[Space("grid", cell_m=cell, origin=origin)]).set_index("n")
            rows.append({"setting": f"{cell:g} m", "home_error_m": home_detection_error_m(gps, released, origin=origin),
                         "median_set": summary["median"].iloc[0], "pair_unique": summary["share_unique"].iloc[0],
                         **{f"top{n}_unique": top.loc[n, "share_unique"] for n in (1, 2, 3)}})
    table = pd.DataFrame(rows)
    assert table["home_error_m"].iloc[0] < table["home_error_m"].iloc[1]
    fig = coarsening_price_figure(table)
    assert data(fig.axes[0].lines[0]) == (table["home_error_m"].tolist(), table["median_set"].tolist())
    for ln, column in zip(fig.axes[1].lines, SHARES):
        assert data(ln)[1] == table[column].tolist()
