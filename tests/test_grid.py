"""Tests for lab.grid: one origin, cells, slots, spatial units and tower groups."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lab.grid import (
    Space,
    cell_centres,
    cell_ids,
    cell_slots,
    grid_cell,
    grid_origin,
    resolve_origin,
    spatial_units,
    time_bins,
    time_slots,
    tower_groups,
)
from lab.params import LeakWarning

T = pd.Timestamp("2031-03-03 10:30", tz="UTC")


def test_grid_cell_by_eye():
    """Points on either side of a cell edge (including across zero) get different ids."""
    ids = grid_cell([0.0, 499.9, 500.0, -0.1, 0.0], [0.0, 0.0, 0.0, 0.0, -0.1], cell_m=500.0)
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]
    assert ids[3] != ids[0]
    assert ids[4] != ids[0]
    assert len(set(ids.tolist())) == 4


def test_grid_cells_nest():
    """Points sharing a 500 m cell share their 1,000 m cell; a 1,000 m cell holds four 500 m cells."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-5_000, 5_000, 20_000)
    y = rng.uniform(-5_000, 5_000, 20_000)
    fine = grid_cell(x, y, cell_m=500.0)
    coarse = grid_cell(x, y, cell_m=1_000.0)
    pairs = np.unique(np.c_[fine, coarse], axis=0)
    # Each fine cell maps to exactly one coarse cell.
    assert len(pairs) == len(np.unique(fine))
    # And each coarse cell holds at most four fine cells (all four, with this many points).
    _, per_coarse = np.unique(pairs[:, 1], return_counts=True)
    assert per_coarse.tolist() == [4] * 100


@pytest.mark.parametrize("bad", [0, 0.0, -1.0, -500.0, float("nan")])
def test_grid_cell_rejects_non_positive_size(bad):
    """A cell size that is not a positive number of metres raises ValueError."""
    with pytest.raises(ValueError, match="cell_m"):
        grid_cell([0.0], [0.0], cell_m=bad)


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


def test_tower_groups_halve_the_towers():
    """Merging by a factor of about 2 halves the number of tower groups."""
    rng = np.random.default_rng(0)
    rel = pd.DataFrame({"tower_id": [f"t{i}" for i in range(20)], "lat": rng.uniform(0, 0.1, 20),
                        "lon": rng.uniform(0, 0.1, 20)})
    groups = tower_groups(rel, factor=2, rng=0)
    assert groups["group"].nunique() == 10 and len(groups) == 20


def test_grid_origin_is_the_rounded_median():
    """The origin read off the data is the median point rounded to 0.01°."""
    assert grid_origin([-48.512, -48.498, -48.503, 10.0], [-123.004, -122.996, -123.0, 0.0]) == (-48.5, -123.0)


def test_grid_origin_refuses_no_data():
    """An empty or all-NaN set of coordinates cannot anchor a grid."""
    with pytest.raises(ValueError, match="origin"):
        grid_origin([], [])


def test_resolve_origin_warns_only_for_a_protection():
    """A mitigation anchored on its own data gets a LeakWarning; an analyst does not."""
    with pytest.warns(LeakWarning, match="snap_to_grid"):
        assert resolve_origin(None, [1.0], [2.0], protection="snap_to_grid") == (1.0, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_origin(None, [1.0], [2.0]) == (1.0, 2.0)
        assert resolve_origin((3.0, 4.0), [1.0], [2.0], protection="snap_to_grid") == (3.0, 4.0)


@pytest.mark.parametrize("bad", [(91.0, 0.0), "north", (1.0,)])
def test_resolve_origin_refuses_bad_pairs(bad):
    """An origin that is not a (lat, lon) pair of degrees is refused by name."""
    with pytest.raises(ValueError, match="origin"):
        resolve_origin(bad, [1.0], [2.0])


def test_cell_centres_lie_in_their_cell():
    """Each centre falls in the same cell as its point, half a cell from the cell's edges."""
    rng = np.random.default_rng(1)
    lat = -48.5 + rng.uniform(-0.05, 0.05, 1000)
    lon = -123.0 + rng.uniform(-0.05, 0.05, 1000)
    ids, clat, clon = cell_centres(lat, lon, cell_m=250, origin=(-48.5, -123.0))
    assert (cell_ids(clat, clon, cell_m=250, origin=(-48.5, -123.0)) == ids).all()
    assert (ids == cell_ids(lat, lon, cell_m=250, origin=(-48.5, -123.0))).all()


def test_space_grid_uses_the_one_origin():
    """A grid space anchors on the rounded median, so snapping and encoding share their cells."""
    rel = pd.DataFrame({"pseudonym": ["a", "b"], "t": [T, T], "lat": [0.0049, 0.0051], "lon": [0.0, 0.0]})
    # Anchored at 0.0 the two points (54 m and 57 m north) share a 100 m cell; at their raw median
    # (0.005°, 556 m north) they would fall either side of a cell edge.
    assert spatial_units(rel, Space.parse("grid:100")).tolist() == [0, 0]
    assert spatial_units(rel, Space.parse("grid:100", origin=(0.005, 0.0))).tolist() == [0, 1]


def test_time_slots_count_from_start():
    """Slots count whole slot lengths from the start (default: midnight before the first instant)."""
    t = pd.Series(pd.to_datetime(["2031-03-03 00:10", "2031-03-03 05:59", "2031-03-04 06:00"]).tz_localize("UTC"))
    assert time_slots(t, slot_s=21_600).tolist() == [0, 0, 5]
    assert time_slots(t.iloc[:0], slot_s=21_600).tolist() == []
    with pytest.raises(ValueError, match="slot_s"):
        time_slots(t, slot_s=0)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_time_bins_refuse_bad_widths(bad):
    """A bin width that is not a positive finite number of hours is refused."""
    t = pd.Series([T])
    with pytest.raises(ValueError, match="hours"):
        time_bins(t, hours=bad)


def test_cell_slots_keep_index_labels():
    """cell_slots aligns with the release's index labels."""
    rel = pd.DataFrame({"pseudonym": ["a", "b"], "t": [T, T], "lat": [0.0, 0.0], "lon": [0.0, 0.02]},
                       index=[10, 20])
    cs = cell_slots(rel, cell_m=1000, slot_s=3600)
    assert cs.index.tolist() == [10, 20] and cs["slot"].tolist() == [10, 10]
    assert cs["cell"].nunique() == 2


def test_tower_groups_keep_every_tower_at_factor_one():
    """factor = 1 leaves every tower its own group at its own position."""
    rel = pd.DataFrame({"tower_id": ["t2", "t1"], "lat": [1.0, 2.0], "lon": [3.0, 4.0]})
    groups = tower_groups(rel, factor=1)
    assert groups.index.tolist() == ["t1", "t2"] and groups["group"].tolist() == [0, 1]
    assert groups["lat"].tolist() == pytest.approx([2.0, 1.0])


@pytest.mark.parametrize("bad", [0, 1.5, True])
def test_tower_groups_refuse_bad_factor(bad):
    """A factor that is not a whole number of at least 1 is refused."""
    rel = pd.DataFrame({"tower_id": ["t1"], "lat": [1.0], "lon": [3.0]})
    with pytest.raises(ValueError, match="factor"):
        tower_groups(rel, factor=bad)


def test_merged_units_are_the_same_on_every_call():
    """Tower groups are seeded by default, so a merged resolution gives the same units run after run."""
    rng = np.random.default_rng(0)
    rel = pd.DataFrame({"tower_id": [f"t{i}" for i in range(40)], "lat": rng.uniform(0, 0.1, 40),
                        "lon": rng.uniform(0, 0.1, 40)})
    space = Space.parse("merged:tower_id:4")
    first = spatial_units(rel, space)
    assert all((spatial_units(rel, space) == first).all() for _ in range(5))
