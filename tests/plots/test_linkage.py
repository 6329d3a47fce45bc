"""Tests for lab.plots.linkage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.plots.linkage import mismatch_figure

TIME = "time mismatch (± minutes)"
POINTS = "points known per target"

#: Two panels; the points panel holds two series, listed out of order to check the sorting.
TABLE = pd.DataFrame({
    "factor": [TIME, TIME, TIME, POINTS, POINTS, POINTS, POINTS],
    "series": ["one at a time"] * 5 + ["with mismatch"] * 2,
    "level": [60, 0, 240, 4, 1, 4, 1],
    "accuracy": [0.8, 1.0, 0.4, 0.95, 0.7, 0.6, 0.2],
})


def lines(ax) -> list[tuple[str, list[float], list[float]]]:
    """Each solid line of an axes: its label, x data and y data."""
    return [(ln.get_label(), np.asarray(ln.get_xdata(), float).tolist(), np.asarray(ln.get_ydata(), float).tolist())
            for ln in ax.get_lines() if ln.get_linestyle() == "-"]


def test_one_panel_per_factor_in_order_of_appearance():
    """A Figure with one axes per factor, each labelled with the factor, the accuracy on a shared 0–1 axis."""
    fig = mismatch_figure(TABLE)
    assert isinstance(fig, Figure)
    assert [ax.get_xlabel() for ax in fig.axes] == [TIME, POINTS]
    assert fig.axes[0].get_ylabel() == "top-1 accuracy (share of targets, 0 to 1)"
    assert fig.axes[0].get_ylim() == pytest.approx((-0.02, 1.02))
    assert fig.get_suptitle() == "Linkage in practice: accuracy against mismatch and sparsity"


def test_lines_draw_the_measured_values_sorted_by_level():
    """Each series is a line through its (level, accuracy) points in order of level."""
    fig = mismatch_figure(TABLE)
    assert lines(fig.axes[0]) == [("one at a time", [0.0, 60.0, 240.0], [1.0, 0.8, 0.4])]
    assert lines(fig.axes[1]) == [("one at a time", [1.0, 4.0], [0.7, 0.95]),
                                  ("with mismatch", [1.0, 4.0], [0.2, 0.6])]


def test_a_series_keeps_its_colour_across_panels():
    """The series drawn in two panels has the same colour in both, another series another colour."""
    fig = mismatch_figure(TABLE)
    first = {ln.get_label(): ln.get_color() for ln in fig.axes[0].get_lines()}
    second = {ln.get_label(): ln.get_color() for ln in fig.axes[1].get_lines()}
    assert np.allclose(first["one at a time"], second["one at a time"])
    assert not np.allclose(first["one at a time"], second["with mismatch"])


def test_ideal_bound_is_dashed_at_its_value_in_every_panel():
    """The ideal bound is a dashed horizontal line at its value in each panel, named once in the legend."""
    fig = mismatch_figure(TABLE, ideal=0.97)
    for ax in fig.axes:
        (dashed,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert np.asarray(dashed.get_ydata(), float).tolist() == [0.97, 0.97]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "one at a time", "with mismatch", "ideal bound: exact points unique (0.97)"]


def test_without_series_the_line_is_the_measured_linkage():
    """A table without a series column draws one line per panel, called the measured linkage."""
    fig = mismatch_figure(TABLE.drop(columns="series").iloc[:3])
    assert lines(fig.axes[0]) == [("measured linkage", [0.0, 60.0, 240.0], [1.0, 0.8, 0.4])]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["measured linkage"]


def test_invert_runs_the_named_axis_from_high_to_low():
    """A factor named in invert has its horizontal axis decreasing; the others increase."""
    fig = mismatch_figure(TABLE, invert=[POINTS])
    assert not fig.axes[0].xaxis_inverted() and fig.axes[1].xaxis_inverted()


@pytest.mark.parametrize(("table", "kwargs", "message"), [
    (TABLE.drop(columns="accuracy"), {}, "no column 'accuracy'"),
    (TABLE.iloc[:0], {}, "no row"),
    (TABLE, {"invert": ["space"]}, "'space'"),
    (TABLE, {"ideal": 1.5}, "between 0 and 1"),
    (TABLE, {"ideal": float("nan")}, "between 0 and 1"),
])
def test_bad_input_is_refused_by_name(table, kwargs, message):
    """A missing column, an empty table, an unknown factor to invert or an ideal outside [0, 1] is refused."""
    with pytest.raises(ValueError, match=message):
        mismatch_figure(table, **kwargs)
