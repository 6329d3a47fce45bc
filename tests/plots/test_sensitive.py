"""Tests for lab.plots.sensitive."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lab.plots.sensitive import BASE_LABEL, inference_figure, inference_tradeoff_figure

SCORES = pd.DataFrame({"release": ["gps", "sightings", "cdr"], "accuracy": [0.9, 0.98, 0.2],
                       "base_rate": [0.3, 0.28, 0.25], "covered": [600, 3000, 1200], "n": [1500, 5000, 3900]})

TABLE = pd.DataFrame({
    "release": ["gps"] * 4 + ["sightings"] * 3,
    "mitigation": ["none", "drop", "drop", "snap", "none", "drop", "snap"],
    "setting": ["original", "100 m", "50 m", "800 m", "original", "100 m", "800 m"],
    "accuracy": [0.9, 0.25, 0.4, 0.3, 0.98, np.nan, 0.4],
    "base_rate": [0.30, 0.32, 0.28, 0.29, 0.28, np.nan, 0.27],
    "heatmap_similarity": [1.0, 0.95, 0.99, 0.5, 1.0, 0.96, 0.5],
})


def _legend(ax) -> list[str]:
    """The legend's entries of one axes, top to bottom."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_inference_figure_draws_accuracy_and_base_rate_bars():
    """Two bar containers, accuracy then base rate, with the table's heights in its order."""
    fig = inference_figure(SCORES)
    assert isinstance(fig, Figure)
    acc, base = fig.axes[0].containers
    assert [round(b.get_height(), 6) for b in acc] == [0.9, 0.98, 0.2]
    assert [round(b.get_height(), 6) for b in base] == [0.3, 0.28, 0.25]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["gps", "sightings", "cdr"]
    assert _legend(fig.axes[0]) == ["inference accuracy", BASE_LABEL]


def test_inference_figure_labels_coverage():
    """Each accuracy bar carries 'covered of n predicted', with thousands separators."""
    texts = [t.get_text() for t in inference_figure(SCORES).axes[0].texts]
    assert texts == ["600 of 1,500\npredicted", "3,000 of 5,000\npredicted", "1,200 of 3,900\npredicted"]


def test_inference_figure_puts_coverage_over_the_taller_bar():
    """The coverage label sits centred over each pair, at the taller of accuracy and base rate."""
    texts = inference_figure(SCORES).axes[0].texts
    assert [tuple(round(float(v), 6) for v in t.xy) for t in texts] == [(0.0, 0.9), (1.0, 0.98), (2.0, 0.25)]


def test_inference_figure_names_a_release_without_prediction():
    """A release with NaN accuracy gets no bars and is named in a note."""
    scores = SCORES.assign(accuracy=[0.9, np.nan, 0.2])
    fig = inference_figure(scores)
    acc, _ = fig.axes[0].containers
    assert [round(b.get_height(), 6) for b in acc] == [0.9, 0.2]
    assert [t.get_text() for t in fig.texts] == ["No prediction made (nothing covered): sightings"]


def test_inference_figure_refuses_missing_columns():
    """A table without base_rate is refused, naming the column."""
    with pytest.raises(ValueError, match="base_rate"):
        inference_figure(SCORES.drop(columns="base_rate"))


def test_tradeoff_has_one_panel_per_release():
    """One axes per release, titled with it, sharing the accuracy axis."""
    fig = inference_tradeoff_figure(TABLE)
    assert [ax.get_title() for ax in fig.axes] == ["gps", "sightings"]
    assert fig.axes[0].get_ylabel() == "accuracy on the pseudonyms given a prediction (0 to 1)"
    assert fig.axes[0].get_xlabel() == "heatmap_similarity"


def test_tradeoff_lines_follow_utility_order():
    """Each mitigation's line passes through its points sorted by utility."""
    ax = inference_tradeoff_figure(TABLE).axes[0]
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    drop = lines["drop"]
    assert np.asarray(drop.get_xdata(), float).tolist() == [0.95, 0.99]
    assert np.asarray(drop.get_ydata(), float).tolist() == [0.25, 0.4]
    assert np.asarray(lines["none"].get_ydata(), float).tolist() == [0.9]
    assert _legend(ax) == [BASE_LABEL, "none", "drop", "snap"]


def test_tradeoff_base_rate_line_is_the_mean_and_band_the_range():
    """The dashed base-rate line sits at the panel's mean base rate, the band spans min to max."""
    ax = inference_tradeoff_figure(TABLE).axes[0]
    (base,) = [line for line in ax.get_lines() if line.get_label() == BASE_LABEL]
    assert np.asarray(base.get_ydata(), float).tolist() == pytest.approx([0.2975, 0.2975])
    (band,) = ax.patches
    assert (band.get_y(), band.get_y() + band.get_height()) == pytest.approx((0.28, 0.32))


def test_tradeoff_names_points_not_drawn():
    """A setting with NaN accuracy is left out of its panel and named in a note."""
    fig = inference_tradeoff_figure(TABLE)
    ax = fig.axes[1]
    drawn = {line.get_label() for line in ax.get_lines()}
    assert "drop" not in drawn
    assert [t.get_text() for t in fig.texts if t.get_text().startswith("Not drawn")] == [
        "Not drawn (no accuracy or utility measured): drop 100 m (sightings)"]


def test_tradeoff_without_release_column_has_one_untitled_panel():
    """Without a release column there is one panel and the given axis label."""
    fig = inference_tradeoff_figure(TABLE.drop(columns="release").iloc[:4], utility_label="similarity")
    assert len(fig.axes) == 1
    assert fig.axes[0].get_title() == "" and fig.axes[0].get_xlabel() == "similarity"


def test_tradeoff_refuses_missing_utility():
    """A utility column that is not in the table is refused, naming it."""
    with pytest.raises(ValueError, match="rows_kept"):
        inference_tradeoff_figure(TABLE, utility="rows_kept")
