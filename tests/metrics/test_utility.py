"""Tests for lab.metrics.utility."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.metrics.utility import count_error, displacement_m, heatmap_similarity, retention, utility_summary
from lab.mitigations.coarsen import snap_to_grid
from lab.mitigations.minimise import subsample


def test_displacement_and_retention_by_eye():
    """A point moved 0.001° north moved about 111 m; half the rows kept is 0.5."""
    t = pd.Timestamp("2031-03-03", tz="UTC")
    before = pd.DataFrame({"pseudonym": ["a", "b"], "t": t, "lat": [0.0, 1.0], "lon": [0.0, 0.0]})
    after = before.iloc[[0]].assign(lat=0.001)
    assert displacement_m(before, after).iloc[0] == pytest.approx(111.2, abs=0.1)
    assert retention(before, after) == {"rows": 0.5, "pseudonyms": 0.5}


def test_count_error_counts_suppressed_as_zero():
    """A suppressed cell is an error of its whole count; relative error is on large cells only."""
    true = pd.DataFrame({"cell": [1, 2], "slot": [0, 0], "count": [40, 3]})
    released = pd.DataFrame({"cell": [1], "slot": [0], "count": [44]})
    out = count_error(true, released, large=20)
    assert out == {"mae": 3.5, "relative_large": 0.1, "large_cells": 1.0, "cells_published": 1.0,
                   "true_cells_published": 0.5, "mass_on_empty": 0.0}


def test_count_error_counts_noise_on_empty_cells():
    """Counts published on truly empty cells are errors in full and show as mass on empty cells."""
    true = pd.DataFrame({"cell": [1], "slot": [0], "count": [10]})
    published = pd.DataFrame({"cell": [1, 2, 3, 4], "slot": [0, 0, 0, 0], "count": [10, 5, 0, 5]})
    out = count_error(true, published)
    assert out["mae"] == 2.5 and out["cells_published"] == 4.0
    assert out["true_cells_published"] == 1.0 and out["mass_on_empty"] == 0.5


def test_count_error_names_a_missing_column():
    """A table of counts without its count column is refused by name."""
    with pytest.raises(ValueError, match="published counts lack column"):
        count_error(pd.DataFrame({"cell": [1], "slot": [0], "count": [1]}), pd.DataFrame({"cell": [1], "slot": [0]}))


def test_utility_of_identity_and_of_protection(classroom):
    """The original scores perfect utility; coarsening and subsampling cost what they should."""
    gps = classroom.releases["gps"]
    same = utility_summary(gps, gps)
    assert same["displacement_m"] == 0 and same["heatmap_similarity"] == pytest.approx(1.0)
    assert same["home_error_m"] == 0 and same["gyration_ks"] == 0
    snapped = utility_summary(gps, snap_to_grid(gps, cell_m=2000))
    assert 300 < snapped["displacement_m"] < 1500 and snapped["home_error_m"] > 100
    sub = utility_summary(gps, subsample(gps, fraction=0.25, rng=0))
    assert sub["rows_kept"] == pytest.approx(0.25, abs=0.02) and sub["heatmap_similarity"] > 0.95
    assert heatmap_similarity(gps, snap_to_grid(gps, cell_m=4000)) < 0.5
