"""Tests for lab.metrics.risk."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.attacks.home_work import infer_home_work
from lab.metrics.risk import home_error_m, pseudonym_people, risk_summary


def test_risk_summary_values():
    """Summary statistics of a small risk series, by eye."""
    s = risk_summary(pd.Series([1.0, 0.5, 0.25, 1.0]))
    assert s == {"n": 4, "mean": 0.6875, "share_unique": 0.5, "median": 0.75, "share_at_least_half": 0.75}
    with pytest.raises(ValueError, match="empty"):
        risk_summary(pd.Series([], dtype=float))


def test_pseudonym_people_refuses_unknown_release(classroom):
    """Asking the key for a release it lacks names the release."""
    with pytest.raises(ValueError, match="'nope'"):
        pseudonym_people(classroom.keys, "nope")


def test_home_inference_lands_near_true_homes(classroom):
    """Homes inferred from the classroom GPS lie within 200 m of the true home for most users."""
    gps = classroom.releases["gps"]
    hw = infer_home_work(gps)
    err = home_error_m(hw, keys=classroom.keys, release="gps", people=classroom.people, places=classroom.places)
    assert err.notna().mean() > 0.9
    assert err.median() < 200
