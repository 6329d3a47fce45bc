"""Tests for lab.params: parameter checks, and LeakWarning as every mitigation raises it."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.coarsen import snap_to_grid
from lab.mitigations.domain import domain_from_data, grid_domain
from lab.mitigations.dp import bound_contributions, dp_counts
from lab.mitigations.geoind import planar_laplace
from lab.mitigations.kanon_qi import generalise_quasi_identifiers
from lab.mitigations.minimise import drop_sensitive, rotate_pseudonyms, subsample, truncate
from lab.mitigations.suppress import aggregate_release, differencing_risk, suppress_small_counts
from lab.params import (
    LeakWarning,
    check_delta,
    check_epsilon,
    check_k,
    check_positive,
    check_share,
    check_whole,
    warn_leak,
)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "x", None])
def test_epsilon_must_be_positive(bad):
    """Zero, negative, NaN or non-numeric epsilon is refused with a sentence."""
    with pytest.raises(ValueError, match="epsilon must be"):
        check_epsilon(bad)


def test_epsilon_weak_or_off_warns():
    """A huge epsilon or infinity draws a LeakWarning; a sensible one passes silently."""
    with pytest.warns(LeakWarning, match="almost no protection"):
        assert check_epsilon(50) == 50.0
    with pytest.warns(LeakWarning, match="unprotected"):
        assert math.isinf(check_epsilon(float("inf")))
    assert check_epsilon(0.5) == 0.5


def test_delta_range_and_one_over_n():
    """delta must be in [0, 1) and one of at least 1/n warns."""
    with pytest.raises(ValueError, match="delta"):
        check_delta(1.0)
    with pytest.warns(LeakWarning, match="1/n"):
        check_delta(0.01, n=1000)
    assert check_delta(1e-9, n=1000) == 1e-9


def test_k_rules():
    """k below 1 is refused, k = 1 warns, k = 5 passes; booleans are not numbers of people."""
    with pytest.raises(ValueError, match="at least 1"):
        check_k(0)
    with pytest.raises(ValueError, match="whole number"):
        check_k(True)
    with pytest.warns(LeakWarning, match="hides no one"):
        check_k(1)
    assert check_k(5) == 5


def test_positive_and_share():
    """Positive numbers and shares are checked with their names in the message."""
    assert check_positive(2.5, name="cell_m") == 2.5
    with pytest.raises(ValueError, match="cell_m must be a positive number of metres"):
        check_positive(0, name="cell_m", unit="metres")
    with pytest.raises(ValueError, match="fraction is a share"):
        check_share(1.2, name="fraction")


#: A LeakWarning raised twice from one line, then an ordinary warning raised twice from one line.
_TWICE = """
import warnings
from lab.params import check_k
for _ in range(2):
    check_k(1)
for _ in range(2):
    warnings.warn("an ordinary warning")
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    """The snippet in a fresh interpreter, with Python's own warning filters."""
    return subprocess.run([sys.executable, *args, "-c", _TWICE], capture_output=True, text=True, timeout=120)


def test_leak_warning_shows_every_time():
    """One line warning twice shows two LeakWarnings, while other categories keep Python's once-per-line rule."""
    out = _run()
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("LeakWarning: k=1 hides no one") == 2
    assert out.stderr.count("UserWarning: an ordinary warning") == 1


def test_own_filters_take_precedence():
    """A filter the user sets, on the command line or after import, still governs LeakWarning."""
    strict = _run("-W", "error::UserWarning")
    assert strict.returncode == 1 and "LeakWarning: k=1 hides no one" in strict.stderr
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("ignore", LeakWarning)
        check_k(1)
    assert log == []


def test_warning_points_at_the_callers_line():
    """A LeakWarning raised inside the library is attributed to the line outside it that chose the setting."""
    with pytest.warns(LeakWarning) as indirect:
        check_k(1)
    with pytest.warns(LeakWarning) as direct:
        warn_leak("direct")
    assert [w.filename for w in [*indirect, *direct]] == [__file__, __file__]


@pytest.mark.parametrize("bad", [True, 0, 1.0, "2", None])
def test_whole_number_refused_by_name(bad):
    """A bool, zero, a float, a string or None is not a whole number >= 1; the message names the parameter."""
    with pytest.raises(ValueError, match="n_boot is the number of draws and must be a whole number >= 1"):
        check_whole(bad, name="n_boot", meaning="the number of draws")


def test_whole_number_accepts_numpy_integers():
    """numpy integers are whole numbers and come back as Python ints."""
    out = check_whole(np.int64(3), name="p", meaning="a number of points")
    assert out == 3 and type(out) is int


# --------------------------------------------------------------------------- LeakWarning across the mitigations
# Every mitigation must warn when its anchor, bound or domain is read off the data, or when it is
# switched off, saying what was read or switched off and pointing at the caller's line; the same call
# configured from public facts must not warn.

T0 = pd.Timestamp("2031-03-03 00:00", tz="Etc/GMT+8")
#: The town's public map origin and extent.
ORIGIN = (-48.5, -123.0)
BOUNDS = (-123.01, -48.51, -122.99, -48.39)
DOMAIN = grid_domain(bounds=BOUNDS, start=T0, end=T0 + pd.Timedelta(days=1), cell_m=1000, slot_s=3600, origin=ORIGIN)


def _release() -> pd.DataFrame:
    """Six pseudonyms, four records each, a few hours apart on one day, around the town centre."""
    rng = np.random.default_rng(0)
    n = 24
    return pd.DataFrame({"pseudonym": np.repeat([f"p{i}" for i in range(6)], 4),
                         "t": T0 + pd.to_timedelta(np.tile([1, 5, 9, 13], 6) * 3600, unit="s"),
                         "lat": -48.5 + rng.uniform(0, 0.1, n), "lon": -123.0 + rng.uniform(-0.005, 0.005, n)})


def _people() -> pd.DataFrame:
    """Eight people with a home, a birth year and a sex."""
    return pd.DataFrame({"home_lat": -48.5 + 0.001 * np.arange(8), "home_lon": [-123.0] * 8,
                         "birth_year": [1980, 1981] * 4, "sex": ["F", "M"] * 4})


COUNTS = pd.DataFrame({"cell": [1, 2], "slot": [0, 0], "count": [3, 7]})

#: name -> (call, words the warning must contain). Each reads something off the data or switches a protection off.
LEAKY = {
    "domain read off the release": (
        lambda r: domain_from_data(r, cell_m=1000, slot_s=3600), "domain was read off the release"),
    "dp_counts without a domain": (
        lambda r: dp_counts(r, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=2, rng=0),
        "domain was read off the release"),
    "contribution bound read off the data": (
        lambda r: bound_contributions(r, cell_m=1000, slot_s=3600, max_cells_per_user="max", origin=ORIGIN, rng=0),
        "reads the bound off the data"),
    "bound_contributions anchored on its data": (
        lambda r: bound_contributions(r, cell_m=1000, slot_s=3600, max_cells_per_user=2, rng=0),
        "bound_contributions: the grid origin was read off the data"),
    "aggregate_release anchored on its data": (
        lambda r: aggregate_release(r, cell_m=1000, slot_s=3600, k=2),
        "aggregate_release: the grid origin was read off the data"),
    "count_by_cell anchored on its data": (
        lambda r: count_by_cell(r, cell_m=1000, slot_s=3600), "grid origin was read off the data"),
    "snap_to_grid anchored on its data": (
        lambda r: snap_to_grid(r, cell_m=500), "grid origin was read off the data"),
    "planar_laplace snapped on a grid anchored on its data": (
        lambda r: planar_laplace(r, epsilon=0.01, snap_m=100, rng=0), "grid origin was read off the data"),
    "k-anonymity anchored on its data": (
        lambda r: generalise_quasi_identifiers(_people(), k=2, attributes=("home", "birth", "sex")),
        "grid origin was read off the data"),
    "dp_counts with epsilon=inf": (
        lambda r: dp_counts(r, cell_m=1000, slot_s=3600, epsilon=math.inf, max_cells_per_user=2, domain=DOMAIN,
                            rng=0), "adds no noise"),
    "dp_counts with delta of at least 1/n": (
        lambda r: dp_counts(r, cell_m=1000, slot_s=3600, epsilon=1.0, delta=0.5, mechanism="gaussian",
                            max_cells_per_user=2, domain=DOMAIN, rng=0), "1/n"),
    "planar_laplace with epsilon=inf": (
        lambda r: planar_laplace(r, epsilon=math.inf, rng=0), "adds no noise"),
    "suppression with k=1": (lambda r: suppress_small_counts(COUNTS, k=1), "k=1 hides no one"),
    "aggregate_release with k=1": (
        lambda r: aggregate_release(r, cell_m=1000, slot_s=3600, k=1, origin=ORIGIN), "k=1 hides no one"),
    "differencing check with k=1": (lambda r: differencing_risk([COUNTS, COUNTS], k=1), "k=1 hides no one"),
    "k-anonymity with k=1": (
        lambda r: generalise_quasi_identifiers(_people(), k=1, attributes=("home", "birth", "sex"), origin=ORIGIN),
        "k=1 hides no one"),
    "subsample keeping everything": (lambda r: subsample(r, fraction=1.0, rng=0), "switched off"),
    "rotation slower than the release": (lambda r: rotate_pseudonyms(r, period_hours=48, rng=0), "never rotated"),
    "truncation beyond every trace": (lambda r: truncate(r, max_points=10), "truncate removed nothing"),
    "no sensitive place on the map": (
        lambda r: drop_sensitive(r, pd.DataFrame({"place_id": [1], "kind": ["shop"], "lat": [-48.5], "lon": [-123.0]})),
        "nothing is removed"),
}

#: The same protections configured from public facts and switched on: no LeakWarning.
SAFE = {
    "domain from the map": lambda r: dp_counts(r, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=2,
                                               domain=DOMAIN, rng=0),
    "gaussian with a small delta": lambda r: dp_counts(r, cell_m=1000, slot_s=3600, epsilon=1.0, delta=1e-6,
                                                       mechanism="gaussian", max_cells_per_user=2, domain=DOMAIN,
                                                       rng=0),
    "bounded on the map's grid": lambda r: bound_contributions(r, cell_m=1000, slot_s=3600, max_cells_per_user=2,
                                                               origin=ORIGIN, rng=0),
    "aggregated on the map's grid": lambda r: aggregate_release(r, cell_m=1000, slot_s=3600, k=2, origin=ORIGIN),
    "snapped on the map's grid": lambda r: snap_to_grid(r, cell_m=500, origin=ORIGIN),
    "noise snapped on the map's grid": lambda r: planar_laplace(r, epsilon=0.01, snap_m=100, origin=ORIGIN, rng=0),
    "k-anonymity on the map's grid": lambda r: generalise_quasi_identifiers(
        _people(), k=2, attributes=("home", "birth", "sex"), origin=ORIGIN),
    "six-hour rotation": lambda r: rotate_pseudonyms(r, period_hours=6, rng=0),
    "truncation that cuts": lambda r: truncate(r, max_points=2),
    "half the rows": lambda r: subsample(r, fraction=0.5, rng=0),
}


@pytest.mark.parametrize("name", list(LEAKY))
def test_leaky_configuration_warns_at_the_callers_line(name):
    """Reading a protection's anchor, bound or domain off the data, or switching it off, warns once, at this line."""
    call, words = LEAKY[name]
    release = _release()
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        call(release)
    leaks = [w for w in log if issubclass(w.category, LeakWarning)]
    assert len(leaks) == 1, [str(w.message) for w in leaks]
    assert words in str(leaks[0].message)
    assert leaks[0].filename == __file__


@pytest.mark.parametrize("name", list(SAFE))
def test_public_configuration_is_silent(name):
    """The same protections anchored on public facts and switched on draw no LeakWarning."""
    release = _release()
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        SAFE[name](release)


def test_same_line_warns_every_time():
    """A weak setting run twice from one line warns twice (LeakWarning is always shown)."""
    release = _release()
    with warnings.catch_warnings(record=True) as log:
        for _ in range(2):
            subsample(release, fraction=1.0, rng=0)
    assert sum(issubclass(w.category, LeakWarning) for w in log) == 2
