"""Tests for lab.plots.kanon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lab.plots.kanon import kanon_price_figure

#: Four settings, given out of order of k, one value not measured.
TABLE = pd.DataFrame({
    "k": [10, 2, 20, 5],
    "unicity_p4": [0.95, 0.99, 0.88, 0.97],
    "registry_unique": [0.0, 0.0, 0.0, 0.0],
    "suppressed": [0.08, 0.04, 0.10, np.nan],
    "displacement_m": [630.0, 245.0, 1020.0, 480.0],
})


def lines(ax) -> dict[str, tuple[list[float], list[float]]]:
    """Every line of an axes by its label: (x, y)."""
    return {ln.get_label(): (np.asarray(ln.get_xdata(), float).tolist(), np.asarray(ln.get_ydata(), float).tolist())
            for ln in ax.get_lines()}


def test_each_panel_draws_its_columns_in_order_of_k():
    """Values are drawn at (k, value), sorted by k, one panel per kind, titled and labelled with units."""
    fig = kanon_price_figure(TABLE, risk=["unicity_p4", "registry_unique"], shares=["suppressed"],
                             metres=["displacement_m"])
    assert isinstance(fig, Figure)
    risk, shares, metres = fig.axes
    assert lines(risk)["unicity_p4"] == ([2.0, 5.0, 10.0, 20.0], [0.99, 0.97, 0.95, 0.88])
    assert lines(risk)["registry_unique"] == ([2.0, 5.0, 10.0, 20.0], [0.0] * 4)
    assert lines(metres)["displacement_m"] == ([2.0, 5.0, 10.0, 20.0], [245.0, 480.0, 630.0, 1020.0])
    x, y = lines(shares)["suppressed"]
    assert x == [2.0, 5.0, 10.0, 20.0] and y[0] == 0.04 and np.isnan(y[1]) and y[2:] == [0.08, 0.10]
    assert [ax.get_title() for ax in fig.axes] == ["What the adversary still singles out", "What is lost",
                                                   "How far points move"]
    assert metres.get_ylabel() == "metres (lower keeps more)"
    assert risk.get_xlabel() == "k, smallest group allowed (log scale)"
    assert risk.get_xscale() == "log"
    assert [t.get_text() for t in risk.get_xticklabels()] == ["2", "5", "10", "20"]
    assert risk.get_ylim() == (-0.02, 1.02)
    assert fig.get_suptitle() == "The price of k-anonymity"


def test_before_is_a_dashed_line_of_the_same_colour():
    """A value before protection is a dashed horizontal line in the column's colour, labelled as such."""
    fig = kanon_price_figure(TABLE, risk=["unicity_p4"], before={"unicity_p4": 1.0},
                             labels={"unicity_p4": "traces, p = 4"})
    (ax,) = fig.axes
    by_label = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(by_label) == {"traces, p = 4", "traces, p = 4, before"}
    ref = by_label["traces, p = 4, before"]
    assert np.asarray(ref.get_ydata(), float).tolist() == [1.0, 1.0]
    assert ref.get_linestyle() == "--"
    assert to_hex(ref.get_color()) == to_hex(by_label["traces, p = 4"].get_color())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["traces, p = 4", "traces, p = 4, before"]


def test_panels_without_columns_are_left_out():
    """Only the kinds given columns get a panel."""
    fig = kanon_price_figure(TABLE, metres=["displacement_m"])
    assert [ax.get_title() for ax in fig.axes] == ["How far points move"]
    assert fig.axes[0].get_ylim()[0] == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "at least one column"),
    ({"risk": ["unicity_p9"]}, "no column 'unicity_p9'"),
    ({"risk": ["unicity_p4"], "shares": ["unicity_p4"]}, "drawn twice: unicity_p4"),
    ({"risk": ["unicity_p4"], "before": {"displacement_m": 0.0}}, "not drawn: displacement_m"),
])
def test_bad_requests_are_refused(kwargs, message):
    """No column, an unknown column, a column in two panels, or a stray 'before' is refused by name."""
    with pytest.raises(ValueError, match=message):
        kanon_price_figure(TABLE, **kwargs)


def test_k_must_be_positive():
    """A k of zero cannot sit on the logarithmic axis and is refused."""
    with pytest.raises(ValueError, match="positive number"):
        kanon_price_figure(TABLE.assign(k=[0, 2, 5, 10]), risk=["unicity_p4"])
