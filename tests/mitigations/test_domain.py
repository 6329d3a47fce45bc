"""Tests for lab.mitigations.domain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.grid import cell_ids, check_slot
from lab.mitigations.domain import GridDomain, domain_from_data, grid_domain

T0 = pd.Timestamp("2031-03-03 00:00", tz="Etc/GMT+8")
ORIGIN = (-48.5, -123.0)
#: Places 0.02° of latitude (2.2 km) apart, each in its own 1 km cell.
BOUNDS = (-123.001, -48.501, -122.999, -48.3)


def _domain(days: int = 1, cell_m: float = 1000.0, bounds: tuple[float, ...] = BOUNDS) -> GridDomain:
    """A public grid over the test places for ``days`` days of hourly slots."""
    return grid_domain(bounds=bounds, start=T0, end=T0 + pd.Timedelta(days=days), cell_m=cell_m, slot_s=3600,
                       origin=ORIGIN)


def test_grid_domain_covers_the_box():
    """A box about 1.8 km square centred on the origin holds four 1 km cells; a day holds 24 hourly slots."""
    d = grid_domain(bounds=(-123.012, -48.508, -122.988, -48.492), start=T0, end=T0 + pd.Timedelta(days=1),
                    cell_m=1000, slot_s=3600)
    assert (len(d.cells), d.n_slots, d.size) == (4, 24, 96)
    keys = d.keys()
    assert len(keys) == 96 and keys["slot"].is_monotonic_increasing
    assert keys["cell"].iloc[:4].tolist() == sorted(d.cells.tolist())


def test_domain_positions_match_keys():
    """positions() indexes keys(); keys outside the domain get -1."""
    d = _domain()
    keys = d.keys()
    pos = d.positions(keys["cell"].to_numpy()[[5, 300]], keys["slot"].to_numpy()[[5, 300]])
    assert pos.tolist() == [5, 300]
    assert d.positions(np.array([d.cells[0], 12345]), np.array([24, 0])).tolist() == [-1, -1]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"bounds": (1, 2, 3)}, "four numbers"),
    ({"bounds": (-122.9, -48.5, -123.0, -48.4)}, "minima first"),
    ({"start": T0.tz_localize(None)}, "timezone-aware"),
    ({"end": T0}, "must come after"),
    ({"cell_m": 0}, "cell_m must be a positive"),
    ({"slot_s": 1.5}, "slot_s must be a positive whole"),
])
def test_grid_domain_validation(kwargs, message):
    """Impossible boxes, periods and grids are refused in a sentence."""
    args = {"bounds": BOUNDS, "start": T0, "end": T0 + pd.Timedelta(hours=2), "cell_m": 1000, "slot_s": 3600}
    with pytest.raises(ValueError, match=message):
        grid_domain(**{**args, **kwargs})


def test_domain_sorts_and_deduplicates_cells():
    """Cells given in any order, with repeats, are kept sorted and distinct; the size is cells times slots."""
    d = GridDomain(origin=ORIGIN, start=T0, cell_m=500.0, slot_s=3600, cells=[7, 3, 7, 5], n_slots=2)
    assert d.cells.tolist() == [3, 5, 7] and d.size == 6
    assert d.keys().values.tolist() == [[3, 0], [5, 0], [7, 0], [3, 1], [5, 1], [7, 1]]


@pytest.mark.parametrize(("cells", "n_slots"), [([], 3), ([1], 0)])
def test_domain_needs_a_cell_and_a_slot(cells, n_slots):
    """A domain with no cell or no slot is refused."""
    with pytest.raises(ValueError, match="at least one cell and one slot"):
        GridDomain(origin=ORIGIN, start=T0, cell_m=500.0, slot_s=3600, cells=cells, n_slots=n_slots)


def test_positions_by_eye():
    """In a domain of cells 3, 5, 7 over two slots, (5, 1) is key 4; cell 4, slot 2 and slot -1 are outside."""
    d = GridDomain(origin=ORIGIN, start=T0, cell_m=500.0, slot_s=3600, cells=[3, 5, 7], n_slots=2)
    assert d.positions(np.array([5, 3, 4, 7, 7]), np.array([1, 0, 0, 2, -1])).tolist() == [4, 0, -1, -1, -1]


@pytest.mark.parametrize("good", [1, 3600, np.int64(900)])
def test_check_slot_accepts_whole_seconds(good):
    """A positive whole number of seconds comes back as a plain int."""
    out = check_slot(good)
    assert out == int(good) and type(out) is int


@pytest.mark.parametrize("bad", [0, -60, 1.5, True, "3600", None])
def test_check_slot_refuses_the_rest(bad):
    """Zero, negatives, fractions, booleans and strings are refused in a sentence."""
    with pytest.raises(ValueError, match="slot_s must be a positive whole number of seconds"):
        check_slot(bad)


def test_grid_domain_default_origin_is_the_centre_of_the_box():
    """Without an origin the grid is anchored on the box's centre, rounded to 0.01°."""
    d = grid_domain(bounds=(-123.012, -48.508, -122.988, -48.492), start=T0, end=T0 + pd.Timedelta(hours=1),
                    cell_m=1000, slot_s=3600)
    assert d.origin == (-48.5, -123.0)


def test_grid_domain_counts_partial_slots():
    """A period of 90 minutes in hourly slots has two slots, the last one cut short."""
    d = grid_domain(bounds=BOUNDS, start=T0, end=T0 + pd.Timedelta(minutes=90), cell_m=1000, slot_s=3600,
                    origin=ORIGIN)
    assert d.n_slots == 2


def test_domain_from_data_spans_the_release():
    """Read off a release, the domain starts at midnight of the first day, covers whole days and every record."""
    release = pd.DataFrame({"pseudonym": ["a", "b"],
                            "t": [T0 + pd.Timedelta(hours=10), T0 + pd.Timedelta(days=1, hours=23)],
                            "lat": [-48.504, -48.46], "lon": [-123.003, -122.97]})
    d = domain_from_data(release, cell_m=1000, slot_s=3600)
    assert d.start == T0 and d.n_slots == 48
    assert d.origin == (-48.48, -122.99)
    cells = cell_ids(release["lat"], release["lon"], cell_m=1000, origin=d.origin)
    assert np.isin(cells, d.cells).all()


def test_domain_from_an_empty_release_is_refused():
    """No record, no extent: the message points to grid_domain."""
    empty = pd.DataFrame({"pseudonym": [], "t": pd.to_datetime([]).tz_localize("Etc/GMT+8"), "lat": [], "lon": []})
    with pytest.raises(ValueError, match="grid_domain"):
        domain_from_data(empty, cell_m=1000, slot_s=3600)
