"""Tests for lab.attacks.traces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.attacks.traces import ReleaseError, check_release, encode

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


def test_encode_points_combine_space_and_time():
    """Same place and hour give one point; another hour gives another."""
    rel = pd.DataFrame({"pseudonym": ["a", "b", "b"], "t": [T, T, T + pd.Timedelta(hours=2)],
                        "lat": [1.0, 1.0, 1.0], "lon": [2.0, 2.0, 2.0]})
    enc = encode(rel, space="exact", hours=1)
    assert enc.item.tolist() == [0, 0, 1] and enc.n_users == 2


def test_encode_names_a_missing_unit_column():
    """Encoding at a column resolution the release lacks names the column."""
    with pytest.raises(ReleaseError, match="tower_id"):
        encode(_rel(), space="tower_id")
