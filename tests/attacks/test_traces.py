"""Tests for lab.attacks.traces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.attacks.traces import ReleaseError, Space, check_release, encode, merge_towers, time_bins

T = pd.Timestamp("2031-03-03 10:30", tz="UTC")


def _rel(**cols):
    base = {"pseudonym": ["a", "b"], "t": [T, T], "lat": [1.0, 2.0], "lon": [3.0, 4.0]}
    base.update(cols)
    return pd.DataFrame(base)


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"pseudonym": ["a"], "t": [T], "lat": [1.0]}), "missing column"),
    (_rel(lat=[1.0, np.nan]), "'lat' has 1 missing"),
    (_rel(lat=[1.0, 95.0]), "'lat' has values outside"),
    (_rel(lon=[1.0, -181.0]), "'lon' has values outside"),
    (_rel(t=[T.tz_localize(None)] * 2), "timezone-aware"),
    (_rel().iloc[:0], "empty"),
])
def test_bad_releases_named(frame, message):
    """Each kind of bad release is refused with a message naming the problem."""
    with pytest.raises(ReleaseError, match=message):
        check_release(frame)


def test_space_parsing():
    """Resolution strings parse into the expected spaces."""
    assert Space.parse("tower_id") == Space("column", column="tower_id")
    assert Space.parse("grid:500").cell_m == 500.0
    assert Space.parse("merged:tower_id:4").factor == 4
    with pytest.raises(ValueError, match="positive cell_m"):
        Space("grid", cell_m=0)


def test_time_bins_local_clock():
    """Bins are counted on the local clock from the first bin."""
    t = pd.Series(pd.to_datetime(["2031-03-03 00:10", "2031-03-03 05:59", "2031-03-03 06:00"]).tz_localize("Etc/GMT+8"))
    assert time_bins(t, hours=6).tolist() == [0, 0, 1]
    assert time_bins(t, hours=None).tolist() == [0, 0, 0]


def test_encode_points_combine_space_and_time():
    """Same place and hour give one point; another hour gives another."""
    rel = pd.DataFrame({"pseudonym": ["a", "b", "b"], "t": [T, T, T + pd.Timedelta(hours=2)],
                        "lat": [1.0, 1.0, 1.0], "lon": [2.0, 2.0, 2.0]})
    enc = encode(rel, space="exact", hours=1)
    assert enc.item.tolist() == [0, 0, 1] and enc.n_users == 2


def test_merge_towers_groups():
    """Merging by a factor of about 2 halves the number of tower groups."""
    rng = np.random.default_rng(0)
    rel = pd.DataFrame({"tower_id": [f"t{i}" for i in range(20)], "lat": rng.uniform(0, 0.1, 20),
                        "lon": rng.uniform(0, 0.1, 20)})
    groups = merge_towers(rel, factor=2, rng=0)
    assert groups.nunique() == 10 and len(groups) == 20
