"""Tests for lab.mitigations.minimise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.mitigations.minimise import drop_sensitive, rotate_pseudonyms, subsample, truncate
from lab.params import LeakWarning

T0 = pd.Timestamp("2031-03-03 08:00", tz="Etc/GMT+8")


def _rel():
    t = [T0, T0 + pd.Timedelta(hours=5), T0 + pd.Timedelta(days=1), T0 + pd.Timedelta(days=8), T0]
    return pd.DataFrame({"pseudonym": ["a", "a", "a", "a", "b"], "t": t,
                         "lat": [-48.5, -48.5, -48.51, -48.5, -48.6], "lon": [-123.0] * 5},
                        index=pd.Index([10, 11, 12, 13, 14]))


def test_rotation_daily_and_weekly():
    """Daily rotation gives a new pseudonym each day; weekly keeps one for the first week."""
    rel = _rel()
    daily = rotate_pseudonyms(rel, period_hours=24, rng=0)
    assert daily.loc[10, "pseudonym"] == daily.loc[11, "pseudonym"] != daily.loc[12, "pseudonym"]
    weekly = rotate_pseudonyms(rel, period_hours=168, rng=0)
    assert weekly.loc[10, "pseudonym"] == weekly.loc[12, "pseudonym"] != weekly.loc[13, "pseudonym"]
    assert daily.loc[10, "pseudonym"] != daily.loc[14, "pseudonym"]  # two people never share one
    assert list(daily.index) == list(rel.index) and rel["pseudonym"].tolist()[0] == "a"


def test_rotation_keyed_by_rng():
    """The same rng gives the same new pseudonyms; another gives others."""
    rel = _rel()
    assert rotate_pseudonyms(rel, rng=1)["pseudonym"].equals(rotate_pseudonyms(rel, rng=1)["pseudonym"])
    assert not rotate_pseudonyms(rel, rng=1)["pseudonym"].equals(rotate_pseudonyms(rel, rng=2)["pseudonym"])


def test_drop_sensitive_radius():
    """Points within the radius of a worship place go; others stay, keeping their labels."""
    places = pd.DataFrame({"place_id": ["w"], "kind": ["worship"], "lat": [-48.51], "lon": [-123.0]})
    out = drop_sensitive(_rel(), places, radius_m=100)
    assert list(out.index) == [10, 11, 13, 14]
    with pytest.warns(LeakWarning, match="nothing is removed"):
        drop_sensitive(_rel(), places.assign(kind="park"))


def test_truncate_days_and_points():
    """Truncation keeps each pseudonym's first days or first points."""
    assert list(truncate(_rel(), max_days=2).index) == [10, 11, 12, 14]
    assert list(truncate(_rel(), max_points=2).index) == [10, 11, 14]
    with pytest.raises(ValueError, match="give max_points or max_days"):
        truncate(_rel())


def test_subsample_by_rows_and_pseudonyms():
    """Subsampling keeps about the requested share, by rows or whole pseudonyms."""
    rng = np.random.default_rng(0)
    big = pd.DataFrame({"pseudonym": rng.integers(0, 100, 10_000).astype(str), "t": T0,
                        "lat": 0.0, "lon": 0.0})
    rows = subsample(big, fraction=0.3, rng=1)
    assert abs(len(rows) / len(big) - 0.3) < 0.02
    people = subsample(big, fraction=0.3, by="pseudonyms", rng=1)
    kept = set(people["pseudonym"])
    assert (big[big["pseudonym"].isin(kept)].index == people.index).all()
    with pytest.warns(LeakWarning):
        subsample(big, fraction=1.0)
    with pytest.raises(ValueError, match="share"):
        subsample(big, fraction=1.5)


def test_inputs_not_mutated():
    """No minimisation changes its input."""
    rel = _rel()
    before = rel.copy()
    rotate_pseudonyms(rel, rng=0)
    truncate(rel, max_points=1)
    subsample(rel, fraction=0.5, rng=0)
    pd.testing.assert_frame_equal(rel, before)
