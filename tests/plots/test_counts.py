"""Tests for lab.plots.counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.attacks.recovery import count_locations, one_location_per_slot, recover_trajectories
from lab.metrics.recovery_score import score_recovery
from lab.metrics.utility import count_error
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.domain import grid_domain
from lab.mitigations.dp import dp_counts
from lab.mitigations.suppress import suppress_small_counts
from lab.plots.counts import count_error_figure, recovery_figure


def legend(fig: Figure) -> list[str]:
    """The legend's entries, top to bottom."""
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def data(fig: Figure) -> list[tuple[list[float], list[float]]]:
    """Each line's x and y data."""
    return [(np.asarray(ln.get_xdata(), float).tolist(), np.asarray(ln.get_ydata(), float).tolist())
            for ln in fig.axes[0].lines]


# ------------------------------------------------------------------ DP count error


def test_count_error_against_epsilon():
    """The errors are drawn at their ε, in increasing order, on log-log axes with units."""
    fig = count_error_figure(pd.DataFrame({"epsilon": [2.0, 0.5, 1.0], "error": [1.0, 4.0, 2.0]}))
    ax = fig.axes[0]
    assert data(fig) == [([0.5, 1.0, 2.0], [4.0, 2.0, 1.0])]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "ε, privacy loss of the whole table (log scale; lower is more private)"
    assert ax.get_ylabel() == "mean absolute error (people per cell and slot)"
    assert legend(fig) == ["error"]


def test_count_error_one_line_per_series_and_no_noise_named():
    """A ``by`` column splits the lines; an infinite ε cannot be drawn on a log axis and is named instead."""
    table = pd.DataFrame({"epsilon": [1.0, 2.0, 1.0, 2.0, np.inf], "error": [2.0, 1.0, 3.0, 1.5, 0.0],
                          "mechanism": ["laplace", "laplace", "gaussian", "gaussian", "laplace"]})
    fig = count_error_figure(table, by="mechanism")
    assert data(fig) == [([1.0, 2.0], [2.0, 1.0]), ([1.0, 2.0], [3.0, 1.5])]
    assert legend(fig) == ["laplace", "gaussian"]
    assert fig.axes[0].lines[0].get_marker() != fig.axes[0].lines[1].get_marker()
    assert [t.get_text() for t in fig.texts] == ["Not plotted (no place on a log axis): ε = inf"]


def test_count_error_table_is_checked():
    """A missing column, the ``by`` column included, is refused by name."""
    with pytest.raises(ValueError, match="no column 'error'"):
        count_error_figure(pd.DataFrame({"epsilon": [1.0]}))
    with pytest.raises(ValueError, match="no column 'mechanism'"):
        count_error_figure(pd.DataFrame({"epsilon": [1.0], "error": [1.0]}), by="mechanism")


def test_count_error_of_classroom_dp_counts(classroom):
    """The mean absolute error of the classroom's DP daily counts at each ε is what the figure draws."""
    gps = classroom.releases["gps"]
    origin = classroom.scenario.origin
    start, end = gps["t"].min().normalize(), gps["t"].max().normalize() + pd.Timedelta(days=1)
    domain = grid_domain(bounds=tuple(classroom.districts.total_bounds), start=start, end=end, cell_m=1000.0,
                         slot_s=86_400, origin=origin)
    exact = count_by_cell(gps, cell_m=1000.0, slot_s=86_400, origin=origin, start=start)
    rows = [{"epsilon": eps, "error": count_error(exact, dp_counts(gps, cell_m=1000.0, slot_s=86_400, epsilon=eps,
                                                                    max_cells_per_user=10, domain=domain,
                                                                    rng=0))["mae"]}
            for eps in (0.5, 1.0, 2.0, 4.0)]
    table = pd.DataFrame(rows)
    ((x, y),) = data(count_error_figure(table))
    assert x == [0.5, 1.0, 2.0, 4.0] and y == table["error"].tolist()
    assert y == sorted(y, reverse=True)  # more privacy, more error


# ------------------------------------------------------------------ trajectory recovery


def test_recovery_against_n_with_chance():
    """Each defence is a line over N; the dashed chance line is 1 / N at the table's N."""
    table = pd.DataFrame({"n": [100, 10, 10, 100], "accuracy": [0.6, 0.9, 0.2, 0.1],
                          "defence": ["none", "none", "suppress < 2", "suppress < 2"]})
    fig = recovery_figure(table)
    assert data(fig) == [([10.0, 100.0], [0.9, 0.6]), ([10.0, 100.0], [0.2, 0.1]), ([10.0, 100.0], [0.1, 0.01])]
    assert legend(fig) == ["none", "suppress < 2", "chance, 1 / N"]
    ax = fig.axes[0]
    assert ax.get_xlabel() == "N, people behind the counts (log scale)"
    assert ax.get_ylabel() == "accuracy, share of (person, slot) points right (0 to 1)"


def test_recovery_without_defences_or_chance():
    """Without a defence column the rows form one line; chance=False draws no chance line."""
    fig = recovery_figure(pd.DataFrame({"n": [5, 50], "accuracy": [0.8, 0.4]}), chance=False)
    assert data(fig) == [([5.0, 50.0], [0.8, 0.4])]
    assert legend(fig) == ["accuracy"]


def test_recovery_on_the_classroom(classroom):
    """Recovery from two days of the classroom's hourly GPS counts, bare and suppressed, is drawn as scored."""
    gps = classroom.releases["gps"]
    gps = gps[gps["t"] < gps["t"].min().normalize() + pd.Timedelta(days=2)]
    names = np.sort(gps["pseudonym"].unique())
    rows = []
    for n in (20, 60, len(names)):
        truth = one_location_per_slot(gps[gps["pseudonym"].isin(names[:n])], cell_m=1000, slot_s=3600)
        counts = count_locations(truth)
        for defence, published in (("none", counts), ("suppress < 2", suppress_small_counts(counts, k=2))):
            recovered = recover_trajectories(published, cell_m=1000, slot_s=3600)
            rows.append({"n": n, "defence": defence, "accuracy": score_recovery(recovered, truth)["accuracy"]})
    table = pd.DataFrame(rows)
    fig = recovery_figure(table)
    lines = data(fig)
    for (x, y), defence in zip(lines, ("none", "suppress < 2")):
        g = table[table["defence"] == defence]
        assert x == g["n"].astype(float).tolist() and y == g["accuracy"].tolist()
    assert lines[2][1] == [1 / 20, 1 / 60, 1 / len(names)]
