"""Tests for lab.plots.suppression."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.attacks.recovery import count_locations, one_location_per_slot, recover_trajectories
from lab.metrics.recovery_score import score_recovery
from lab.metrics.utility import count_error
from lab.mitigations.suppress import suppress_small_counts
from lab.plots.suppression import CELLS_KEPT, suppression_figure, threshold_label

TABLE = pd.DataFrame({
    "attack": ["recovery", "recovery", "recovery", "membership", "membership"],
    "k": [10, 0, 5, 0, 5],
    "risk": [0.3, 0.8, 0.6, 0.99, 0.5],
    "chance": [0.01, 0.01, 0.01, 0.5, 0.5],
    "cells_kept": [0.2, 1.0, 0.5, 1.0, 0.1],
    "mae": [2.0, 0.0, 1.0, 0.0, 3.0],
})


def lines(fig: Figure) -> list[tuple[list[float], list[float]]]:
    """Each line's x and y data, in drawing order."""
    return [(np.asarray(ln.get_xdata(), float).tolist(), np.asarray(ln.get_ydata(), float).tolist())
            for ln in fig.axes[0].lines]


def legend(fig: Figure) -> list[str]:
    """The legend's entries, top to bottom."""
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_each_attack_is_a_line_in_increasing_k():
    """Each attack's points are drawn at (utility, risk) in increasing k, its chance line after it."""
    fig = suppression_figure(TABLE)
    drawn = lines(fig)
    assert drawn[0] == ([1.0, 0.5, 0.2], [0.8, 0.6, 0.3])
    assert drawn[2] == ([1.0, 0.1], [0.99, 0.5])
    assert legend(fig) == ["recovery", "recovery: chance", "membership", "membership: chance"]


def test_chance_lines_sit_at_chance_in_the_attacks_colour():
    """The dotted line of each attack is horizontal at its chance level and shares the attack's colour."""
    ax = suppression_figure(TABLE).axes[0]
    for attack_line, chance_line, level in ((ax.lines[0], ax.lines[1], 0.01), (ax.lines[2], ax.lines[3], 0.5)):
        assert np.asarray(chance_line.get_ydata(), float).tolist() == [level, level]
        assert chance_line.get_linestyle() == ":"
        assert mcolors.same_color(chance_line.get_color(), attack_line.get_color())
    assert ax.lines[0].get_marker() != ax.lines[2].get_marker()


def test_points_are_labelled_with_their_threshold():
    """Every point carries its threshold, and k = 0 reads as no suppression."""
    ax = suppression_figure(TABLE).axes[0]
    labels = [(t.get_text(), tuple(t.xy)) for t in ax.texts]
    assert labels == [("no suppression", (1.0, 0.8)), ("k = 5", (0.5, 0.6)), ("k = 10", (0.2, 0.3)),
                      ("no suppression", (1.0, 0.99)), ("k = 5", (0.1, 0.5))]
    assert threshold_label(1) == "no suppression" and threshold_label(20) == "k = 20"


def test_points_at_one_spot_share_a_label():
    """Thresholds that leave the same utility and risk (everything withheld) get one label, not a pile."""
    table = pd.DataFrame({"attack": "membership", "k": [0, 5, 10, 20], "risk": [0.95, 0.52, 0.503, 0.5],
                          "chance": 0.5, "cells_kept": [1.0, 0.005, 0.0, 0.0]})
    ax = suppression_figure(table).axes[0]
    assert [(t.get_text(), tuple(t.xy)) for t in ax.texts] == [("no suppression", (1.0, 0.95)),
                                                               ("k = 5", (0.005, 0.52)),
                                                               ("k = 10, 20", (0.0, 0.503))]
    assert np.asarray(ax.lines[0].get_xdata(), float).tolist() == [1.0, 0.005, 0.0, 0.0]


def test_labels_of_nearby_points_do_not_stack():
    """A label whose point is close to the previous label's point is drawn below it, the other above."""
    table = pd.DataFrame({"attack": "membership", "k": [0, 5, 10], "risk": [0.95, 0.535, 0.5],
                          "chance": 0.5, "cells_kept": [1.0, 0.006, 0.0]})
    ax = suppression_figure(table).axes[0]
    k5, k10 = ax.texts[1], ax.texts[2]
    assert (k5.get_text(), k10.get_text()) == ("k = 5", "k = 10")
    assert k5.xyann[1] > 0 > k10.xyann[1]
    assert ax.texts[0].xyann[1] > 0


def test_axes_say_what_they_measure():
    """The axes carry units and which way is better; shares get the 0-to-1 range, other utilities do not."""
    fig = suppression_figure(TABLE)
    ax = fig.axes[0]
    assert ax.get_xlabel() == CELLS_KEPT
    assert ax.get_ylabel() == "attack success (0 to 1; lower is safer)"
    assert ax.get_ylim() == (-0.02, 1.05) and ax.get_xlim() == (-0.02, 1.1)
    assert ax.get_title() == "Small-count suppression: what each threshold stops, and what it costs"
    other = suppression_figure(TABLE, utility="mae", utility_label="mean absolute error (people per cell and slot)")
    assert lines(other)[0][0] == [0.0, 1.0, 2.0]
    assert other.axes[0].get_xlabel() == "mean absolute error (people per cell and slot)"
    assert other.axes[0].get_xlim() != (-0.02, 1.1)


def test_table_is_checked():
    """A missing column is refused by name, and so is an attack with two chance levels."""
    with pytest.raises(ValueError, match="no column 'chance'"):
        suppression_figure(TABLE.drop(columns="chance"))
    with pytest.raises(ValueError, match="no column 'mae_large'"):
        suppression_figure(TABLE, utility="mae_large")
    bad = TABLE.assign(chance=[0.01, 0.02, 0.01, 0.5, 0.5])
    with pytest.raises(ValueError, match="'recovery' has 2 chance levels"):
        suppression_figure(bad)


def test_classroom_recovery_under_suppression(classroom):
    """Recovery from the classroom's hourly GPS counts at k = 0, 2, 4 is drawn at count_error's share kept."""
    gps = classroom.releases["gps"]
    gps = gps[gps["t"] < gps["t"].min().normalize() + pd.Timedelta(days=2)]
    truth = one_location_per_slot(gps, cell_m=1000, slot_s=3600)
    counts = count_locations(truth)
    rows = []
    for k in (0, 2, 4):
        published = counts if k == 0 else suppress_small_counts(counts, k=k)
        score = score_recovery(recover_trajectories(published, cell_m=1000, slot_s=3600), truth)
        rows.append({"attack": "recovery", "k": k, "risk": score["accuracy"], "chance": score["chance"],
                     "cells_kept": count_error(counts, published)["true_cells_published"]})
    table = pd.DataFrame(rows)
    (x, y), (_, level) = lines(suppression_figure(table))
    assert x == table["cells_kept"].tolist() and y == table["risk"].tolist()
    assert x[0] == 1.0 and x == sorted(x, reverse=True)  # a higher threshold withholds more
    assert level == [1 / truth["pseudonym"].nunique()] * 2
