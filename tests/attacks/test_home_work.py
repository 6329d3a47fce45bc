"""Tests for lab.attacks.home_work."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.attacks.home_work import Modes, anonymity_sets, infer_home_work


def _obs(pseudonym, when, lat, lon):
    return {"pseudonym": pseudonym, "t": pd.Timestamp(when, tz="Etc/GMT+8"), "lat": lat, "lon": lon}


def test_home_at_night_work_in_office_hours():
    """Home is the night-time mode, work the weekday office-hours mode away from home."""
    rows = [_obs("a", "2031-03-03 23:00", -48.50, -123.00), _obs("a", "2031-03-04 02:00", -48.50, -123.00),
            _obs("a", "2031-03-04 10:00", -48.45, -123.05), _obs("a", "2031-03-04 11:00", -48.45, -123.05),
            _obs("a", "2031-03-04 12:00", -48.50, -123.00),  # lunch at home does not make home the workplace
            _obs("a", "2031-03-08 10:00", -48.40, -123.10)]  # a Saturday: not work
    hw = infer_home_work(pd.DataFrame(rows))
    assert hw.loc["a", ["home_lat", "home_lon", "work_lat", "work_lon"]].tolist() == [-48.50, -123.00, -48.45, -123.05]
    assert hw.loc["a", "work_n"] == 2


def test_no_daytime_away_means_no_work():
    """Someone never seen away from home in working hours has no inferred work."""
    rows = [_obs("b", "2031-03-03 23:00", -48.5, -123.0), _obs("b", "2031-03-04 10:00", -48.5, -123.0)]
    hw = infer_home_work(pd.DataFrame(rows))
    assert pd.isna(hw.loc["b", "work_lat"])


def test_modes_validated():
    """Impossible hours are refused in plain language."""
    with pytest.raises(ValueError, match="night hours"):
        Modes(night=(5, 5))


def test_anonymity_sets_nest():
    """Coarser geographies never shrink an anonymity set; obvious sizes by eye."""
    pairs = pd.DataFrame({
        "home_lat": [-48.4996, -48.4995, -48.5296, -48.4996],
        "home_lon": [-122.9996, -122.9995, -122.9996, -122.9996],
        "work_lat": [-48.3996, -48.3995, -48.3996, -48.2996],
        "work_lon": [-123.0996, -123.0996, -123.0996, -123.0996],
    }, index=pd.Index(list("abcd"), name="pseudonym"))
    sizes, summary, cdf = anonymity_sets(pairs, origin=(-48.5, -123.0))
    assert sizes.loc["a", "block"] == 2 and sizes.loc["c", "block"] == 1 and sizes.loc["d", "block"] == 1
    assert (sizes["tract"] >= sizes["block"]).all() and (sizes["district"] >= sizes["tract"]).all()
    assert summary.loc["block", "share_unique"] == pytest.approx(0.5)
    block = cdf[cdf["geography"] == "block"]
    assert block["size"].tolist() == [1, 2] and block["share"].tolist() == [0.5, 1.0]


def test_gps_home_work_is_near_unique_at_block_level(classroom):
    """From the classroom GPS release, (home, work) pairs are mostly unique at block level, much less at district level."""
    gps = classroom.releases["gps"]
    hw = infer_home_work(gps.assign(lat=gps["lat"].round(3), lon=gps["lon"].round(3)))
    _, summary, _ = anonymity_sets(hw)
    assert summary.loc["block", "share_unique"] > 0.8
    assert summary.loc["district", "median"] > summary.loc["block", "median"]
