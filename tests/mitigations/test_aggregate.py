"""Tests for lab.mitigations.aggregate."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lab.geo import to_latlon
from lab.grid import grid_cell
from lab.mitigations.aggregate import count_by_cell
from lab.params import LeakWarning

ORIGIN = (-48.5, -123.0)
T0 = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")
#: The two 1 km cells the points below fall in: west (0-1000 m east) and east (1000-2000 m).
WEST, EAST = grid_cell([500.0, 1500.0], [500.0, 500.0], cell_m=1000)


def release_from(points: list[tuple[str, int, float, float]]) -> pd.DataFrame:
    """A release from (pseudonym, minutes after T0, x, y) with x, y in local metres around ORIGIN."""
    who, minutes, x, y = zip(*points)
    lat, lon = to_latlon(np.array(x, dtype=float), np.array(y, dtype=float), origin=ORIGIN)
    return pd.DataFrame({"pseudonym": list(who), "t": T0 + pd.to_timedelta(minutes, unit="min"), "lat": lat,
                         "lon": lon})


#: Five hand-placed points: a twice and b once in the west cell in the first hour, c east in the
#: first hour, b west again in the second hour.
FIVE = release_from([("a", 10, 100, 100), ("a", 50, 900, 900), ("b", 20, 500, 500), ("c", 30, 1500, 500),
                     ("b", 65, 500, 500)])


def test_five_points_counted_by_eye():
    """a and b in the west cell in hour 0 make 2 (a's two points count once), c east 1, b in hour 1 west 1."""
    out = count_by_cell(FIVE, cell_m=1000, slot_s=3600, origin=ORIGIN, start=T0)
    assert out.columns.tolist() == ["cell", "slot", "count"]
    assert out.values.tolist() == [[WEST, 0, 2], [EAST, 0, 1], [WEST, 1, 1]]


def test_larger_cells_and_slots_merge_counts():
    """With one 2 km cell and a two-hour slot, a, b and c are three distinct people in one key."""
    out = count_by_cell(FIVE, cell_m=2000, slot_s=7200, origin=ORIGIN, start=T0)
    assert out["slot"].tolist() == [0] and out["count"].tolist() == [3]


def test_slots_start_at_local_midnight_by_default():
    """Without a start, slot 0 begins at local midnight before the first record, so 10:20 is in hourly slot 10."""
    late = FIVE.assign(t=FIVE["t"] + pd.Timedelta(hours=10))
    out = count_by_cell(late, cell_m=1000, slot_s=3600, origin=ORIGIN)
    assert out["slot"].tolist() == [10, 10, 11]


def test_origin_read_off_the_data_warns():
    """Without an origin the grid is anchored on the release itself, with a LeakWarning naming count_by_cell."""
    with pytest.warns(LeakWarning, match="count_by_cell: the grid origin was read off the data"):
        count_by_cell(FIVE, cell_m=1000, slot_s=3600, start=T0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        count_by_cell(FIVE, cell_m=1000, slot_s=3600, origin=ORIGIN, start=T0)


def test_empty_release_gives_an_empty_table():
    """No record, no key: an empty table with the three integer columns."""
    out = count_by_cell(FIVE.iloc[:0], cell_m=1000, slot_s=3600, origin=ORIGIN, start=T0)
    assert out.empty and out.dtypes.astype(str).tolist() == ["int64", "int64", "int64"]


def test_release_is_not_mutated():
    """Counting leaves the release as it was."""
    before = FIVE.copy()
    count_by_cell(FIVE, cell_m=1000, slot_s=3600, origin=ORIGIN, start=T0)
    pd.testing.assert_frame_equal(FIVE, before)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"cell_m": 0, "slot_s": 3600}, "cell_m"),
    ({"cell_m": 1000, "slot_s": 0}, "slot_s"),
    ({"cell_m": 1000, "slot_s": 3600, "origin": (100.0, 0.0)}, "origin"),
])
def test_bad_grid_refused_by_name(kwargs, message):
    """A cell, slot or origin that cannot make a grid is refused by the parameter's name."""
    with pytest.raises(ValueError, match=message):
        count_by_cell(FIVE, start=T0, **{"origin": ORIGIN, **kwargs})
