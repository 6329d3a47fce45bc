"""Tests for lab.plots.style."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lab.plots.style import MARKERS, STYLE, add_note, check_columns, colours, markers, new_axes, save_figure, styled


@pytest.mark.parametrize("n", [1, 10, 12, 20, 25])
def test_colours_are_distinct(n):
    """Any number of families gets that many different colours."""
    assert len({to_hex(c) for c in colours(n)}) == n


def test_markers_differ_within_the_list_and_cycle_after_it():
    """The first twelve families get twelve different markers; the thirteenth starts again."""
    assert markers(len(MARKERS)) == list(MARKERS) and len(set(MARKERS)) == len(MARKERS)
    assert markers(len(MARKERS) + 1)[-1] == MARKERS[0]


def test_style_applies_inside_the_figure_only():
    """A styled figure carries the style, and matplotlib's global settings are the same after drawing."""
    before = dict(matplotlib.rcParams)

    @styled
    def draw() -> Figure:
        fig, ax = new_axes()
        ax.plot([0, 1], [0, 1])
        return fig

    fig = draw()
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert ax.lines[0].get_linewidth() == STYLE["lines.linewidth"]
    assert tuple(fig.get_size_inches()) == STYLE["figure.figsize"]
    assert dict(matplotlib.rcParams) == before


def test_note_is_written_under_the_axes():
    """A note is one small text of the figure, below the axes."""
    fig, ax = new_axes()
    add_note(fig, "Not plotted: x")
    (text,) = fig.texts
    assert text.get_text() == "Not plotted: x"
    assert text.get_position()[1] < ax.get_position().y0


def test_missing_columns_are_named():
    """A table lacking columns is refused with their names and the columns it has."""
    with pytest.raises(ValueError, match=r"the table has no column 'b', 'c'; columns: a"):
        check_columns(pd.DataFrame({"a": [1]}), ["a", "b", "c"], what="the table")
    with pytest.raises(TypeError, match="must be a pandas DataFrame, got list"):
        check_columns([1, 2], ["a"], what="the table")


def test_save_figure_writes_atomically(tmp_path):
    """save_figure returns the path it wrote, leaves no temporary file and writes the same bytes twice."""
    fig, ax = new_axes()
    ax.plot([0, 1], [1, 0])
    a = save_figure(fig, tmp_path / "a.svg")
    b = save_figure(fig, tmp_path / "b.svg")
    assert a == tmp_path / "a.svg"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.svg", "b.svg"]
    assert a.read_bytes() == b.read_bytes() and b"<svg" in a.read_bytes()
    assert b"Date" not in a.read_bytes()
