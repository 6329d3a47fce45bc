"""Tests for lab.plots.population."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.attacks.population import PopulationDecay
from lab.plots.population import people, population_figure

CITY = pd.DataFrame({"population": [20_000, 10_000, 40_000], "share": [0.92, 0.97, 0.9],
                     "low": [0.9, 0.95, 0.88], "high": [0.94, 0.99, 0.92]})
SPREAD = pd.DataFrame({"population": [7_000, 55_000], "share": [0.95, 0.96]})


def legend(fig):
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_each_series_is_drawn_in_order_of_size_with_its_intervals():
    """Points sorted by N on a log axis; a bar is each interval; a series without one gets none."""
    ax = population_figure({"one city": CITY, "spread": SPREAD}).axes[0]
    city, spread = ax.containers
    assert city.lines[0].get_xdata().tolist() == [10_000, 20_000, 40_000]
    assert city.lines[0].get_ydata().tolist() == [0.97, 0.92, 0.9]
    (bars,) = city.lines[2]
    ends = [end for s in bars.get_segments() for end in (s[0][1], s[1][1])]
    assert ends == pytest.approx([0.95, 0.99, 0.9, 0.94, 0.88, 0.92])
    assert spread.lines[0].get_xdata().tolist() == [7_000, 55_000] and ax.get_xscale() == "log"


def test_a_fit_is_carried_to_the_furthest_mark_with_the_marks_and_references():
    """The decay is drawn to 60 M; the registry is a dotted line and the paper a star, all in the legend."""
    decay = PopulationDecay(9.0, -0.6, 3)
    fig = population_figure({"one city": CITY}, fits={"one city": decay}, marks={"the registry": 2.57e6},
                            references=[(6e7, 0.93, "the paper")])
    ax = fig.axes[0]
    (curve,) = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert curve.get_xdata()[0] == 10_000 and curve.get_xdata()[-1] == pytest.approx(6e7)
    assert curve.get_ydata()[-1] == pytest.approx(decay.predict(6e7))
    assert legend(fig) == ["one city: fit, carried to 60 M", "the registry", "the paper", "one city"]
    assert ax.get_xlim()[1] > 6e7 and ax.containers[0].lines[0].get_linestyle() == "None"


def test_a_fit_for_a_series_not_drawn_and_a_table_without_shares_are_refused():
    """Naming the problem: the unknown series, the missing column."""
    with pytest.raises(ValueError, match="not drawn: other"):
        population_figure({"one city": CITY}, fits={"other": PopulationDecay(1, -1, 2)})
    with pytest.raises(ValueError, match="share"):
        population_figure({"one city": CITY.drop(columns="share")})


def test_people_are_written_as_a_reader_would():
    """Plain below ten thousand, then thousands and millions with three significant digits."""
    assert [people(n) for n in (400, 10_000, 150_000, 2_570_000, 6e7)] == ["400", "10 k", "150 k", "2.57 M", "60 M"]
