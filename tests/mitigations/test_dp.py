"""Tests for lab.mitigations.dp."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.dp import (
    BudgetExceededError,
    GridDomain,
    PrivacyLedger,
    bound_contributions,
    dp_counts,
    grid_domain,
    noise_scale,
)
from lab.params import LeakWarning

T0 = pd.Timestamp("2031-03-03 00:00", tz="Etc/GMT+8")
ORIGIN = (-48.5, -123.0)
#: Places 0.02° of latitude (2.2 km) apart, each in its own 1 km cell.
BOUNDS = (-123.001, -48.501, -122.999, -48.3)


def _release(points: list[tuple[str, int, int]]) -> pd.DataFrame:
    """A release from (pseudonym, hour, place) triples, one record ten minutes into the hour."""
    who, hour, place = zip(*points)
    place = np.asarray(place)
    return pd.DataFrame({"pseudonym": list(who), "t": T0 + pd.to_timedelta(np.asarray(hour) * 3600 + 600, unit="s"),
                         "lat": -48.5 + 0.02 * place, "lon": np.full(len(place), -123.0)})


def _domain(days: int = 1, cell_m: float = 1000.0, bounds: tuple[float, ...] = BOUNDS) -> GridDomain:
    """A public grid over the test places for ``days`` days of hourly slots."""
    return grid_domain(bounds=bounds, start=T0, end=T0 + pd.Timedelta(days=days), cell_m=cell_m, slot_s=3600,
                       origin=ORIGIN)


@pytest.fixture(scope="module")
def crowd() -> pd.DataFrame:
    """Thirty users, each at 1-12 random (place, hour) pairs with two records per pair."""
    rng = np.random.default_rng(3)
    points = []
    for i in range(30):
        for _ in range(rng.integers(1, 13)):
            p, h = int(rng.integers(0, 10)), int(rng.integers(0, 24))
            points += [(f"u{i:02d}", h, p), (f"u{i:02d}", h, p)]
    return _release(points)


def _pairs_per_user(release: pd.DataFrame) -> pd.Series:
    """Distinct (hour, place) pairs of each pseudonym in a test release."""
    pairs = release.assign(h=release["t"].dt.hour).drop_duplicates(["pseudonym", "h", "lat"])
    return pairs.groupby("pseudonym").size()


def _exact(release: pd.DataFrame, domain: GridDomain, **kwargs) -> np.ndarray:
    """Counts with the noise switched off (epsilon=inf)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeakWarning)
        out = dp_counts(release, cell_m=domain.cell_m, slot_s=domain.slot_s, epsilon=math.inf, domain=domain,
                        **kwargs)
    return out["count"].to_numpy()


# ------------------------------------------------------------------ contribution bounding

def test_bounding_caps_each_pseudonym_at_L_pairs(crowd):
    """After bounding, no pseudonym has more than L distinct (cell, slot) pairs; smaller ones are untouched."""
    out = bound_contributions(crowd, cell_m=1000, slot_s=3600, max_cells_per_user=3, origin=ORIGIN, start=T0, rng=0)
    before, after = _pairs_per_user(crowd), _pairs_per_user(out)
    assert after.max() == 3
    assert (after == np.minimum(before, 3)).all()
    # every record of a kept pair stays, with its index label
    assert len(out) == 2 * after.sum()
    assert set(out.index) <= set(crowd.index)
    pd.testing.assert_frame_equal(out, crowd.loc[out.index])


def test_bounding_is_reproducible(crowd):
    """The same rng keeps the same records; another seed keeps others."""
    kw = {"cell_m": 1000, "slot_s": 3600, "max_cells_per_user": 2, "origin": ORIGIN, "start": T0}
    a = bound_contributions(crowd, rng=5, **kw)
    b = bound_contributions(crowd, rng=np.random.default_rng(5), **kw)
    c = bound_contributions(crowd, rng=6, **kw)
    assert a.index.tolist() == b.index.tolist()
    assert a.index.tolist() != c.index.tolist()


def test_bounding_to_the_observed_maximum_warns(crowd):
    """max_cells_per_user='max' keeps everything and warns that the bound was read off the data."""
    with pytest.warns(LeakWarning, match="reads the bound off the data"):
        out = bound_contributions(crowd, cell_m=1000, slot_s=3600, max_cells_per_user="max", origin=ORIGIN,
                                  start=T0, rng=0)
    assert out.index.tolist() == crowd.index.tolist()


@pytest.mark.parametrize("bad", [0, -2, 1.5, "all", True, None])
def test_bounding_rejects_bad_limits(crowd, bad):
    """L is a whole number of at least 1, or 'max'."""
    with pytest.raises(ValueError, match="max_cells_per_user"):
        bound_contributions(crowd, cell_m=1000, slot_s=3600, max_cells_per_user=bad)


def test_bounding_does_not_mutate(crowd):
    """The release is unchanged by bounding."""
    before = crowd.copy()
    bound_contributions(crowd, cell_m=1000, slot_s=3600, max_cells_per_user=1, rng=0)
    pd.testing.assert_frame_equal(crowd, before)


# ------------------------------------------------------------------ counts and noise

def test_exact_counts_match_count_by_cell(crowd):
    """With the noise off and L large, the counts are count_by_cell's, zeros included over the whole domain."""
    d = _domain()
    counts = _exact(crowd, d, max_cells_per_user=100)
    plain = count_by_cell(crowd, cell_m=1000, slot_s=3600, origin=ORIGIN, start=T0)
    table = d.keys().assign(count=counts)
    merged = table.merge(plain, on=["cell", "slot"], how="left", suffixes=("", "_plain")).fillna({"count_plain": 0})
    assert len(table) == d.size
    assert (merged["count"] == merged["count_plain"]).all()
    assert counts.sum() == plain["count"].sum()


def test_bounded_counts_sum_to_at_most_L_per_pseudonym(crowd):
    """With L=2 the exact counts add up to the sum over pseudonyms of min(pairs, 2)."""
    d = _domain()
    counts = _exact(crowd, d, max_cells_per_user=2, rng=1)
    assert counts.sum() == np.minimum(_pairs_per_user(crowd), 2).sum()


def test_records_outside_the_domain_are_not_counted():
    """A record beyond the box or after the period adds nothing."""
    d = _domain()
    rel = _release([("a", 1, 0), ("b", 1, 50), ("c", 30, 0)])
    counts = _exact(rel, d, max_cells_per_user=1)
    assert counts.sum() == 1


def test_output_is_the_domain_sorted_by_slot_then_cell(crowd):
    """One int64 row per key, sorted by slot then cell; clamping keeps counts at 0 or more."""
    d = _domain()
    out = dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=3, domain=d, rng=0)
    pd.testing.assert_frame_equal(out[["cell", "slot"]], d.keys())
    assert out["count"].dtype == np.int64
    assert out["count"].min() >= 0
    raw = dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=3, domain=d, clamp=False,
                    rng=0)
    assert raw["count"].min() < 0


def test_laplace_noise_has_scale_L_over_epsilon():
    """Over 36,000 keys, the standard deviation of noisy minus true is sqrt(2)·L/ε within 5 %, its mean about 0."""
    d = _domain(days=250, bounds=(-123.001, -48.501, -122.999, -48.49))
    rel = _release([("a", 3, 0), ("b", 3, 0), ("c", 7, 0)])
    assert d.size == 6 * 24 * 250
    true = _exact(rel, d, max_cells_per_user=2)
    out = dp_counts(rel, cell_m=1000, slot_s=3600, epsilon=0.5, max_cells_per_user=2, domain=d, clamp=False)
    noise = out["count"].to_numpy() - true
    b = noise_scale(epsilon=0.5, max_cells_per_user=2)
    assert b == 4.0
    assert noise.std() == pytest.approx(math.sqrt(2) * b, rel=0.05)
    assert abs(noise.mean()) < 5 * math.sqrt(2) * b / math.sqrt(len(noise))
    assert np.issubdtype(noise.dtype, np.integer)


def test_gaussian_noise_has_the_calibrated_sigma():
    """Over 18,000 keys, the standard deviation of the Gaussian noise is the σ of noise_scale within 5 %."""
    d = _domain(days=125, bounds=(-123.001, -48.501, -122.999, -48.49))
    rel = _release([("a", 3, 0), ("b", 3, 0)])
    true = _exact(rel, d, max_cells_per_user=4)
    out = dp_counts(rel, cell_m=1000, slot_s=3600, epsilon=1.0, delta=1e-6, mechanism="gaussian",
                    max_cells_per_user=4, domain=d, clamp=False)
    sigma = noise_scale(epsilon=1.0, delta=1e-6, mechanism="gaussian", max_cells_per_user=4)
    noise = out["count"].to_numpy() - true
    assert noise.std() == pytest.approx(sigma, rel=0.05)
    assert abs(noise.mean()) < 5 * sigma / math.sqrt(len(noise))


def test_gaussian_calibration_spends_exactly_epsilon():
    """σ for (ε=1, δ=1e-6, L=4) is about 9.06 (its rho, L/2σ², converts back to ε=1), below the classic bound."""
    sigma = noise_scale(epsilon=1.0, delta=1e-6, mechanism="gaussian", max_cells_per_user=4)
    ledger = PrivacyLedger(1.0, 1e-6)
    ledger.spend(rho=4 / (2 * sigma**2), epsilon=1.0, delta=1e-6)
    assert ledger.spent()[0] == pytest.approx(1.0, rel=1e-6)
    assert sigma == pytest.approx(9.06, rel=0.005)
    classic = math.sqrt(2 * math.log(1.25 / 1e-6)) * math.sqrt(4) / 1.0
    assert sigma < classic


def test_noise_scale_validation():
    """noise_scale needs a whole-number L and the delta that goes with the mechanism; ε=inf means no noise."""
    with pytest.raises(ValueError, match="whole-number"):
        noise_scale(epsilon=1.0, max_cells_per_user="max")
    with pytest.warns(LeakWarning):
        assert noise_scale(epsilon=math.inf, max_cells_per_user=3) == 0.0


# ------------------------------------------------------------------ warnings and validation

def test_domain_read_off_the_data_warns(crowd):
    """domain=None works but says why the extent of the data leaks."""
    with pytest.warns(LeakWarning, match="read off the release"):
        out = dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=3, rng=0)
    assert len(out) >= crowd["lat"].round(2).nunique() * 24


def test_infinite_epsilon_warns_and_adds_no_noise(crowd):
    """epsilon=inf is an unprotected release, said out loud."""
    d = _domain()
    with pytest.warns(LeakWarning, match="adds no noise"):
        a = dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=math.inf, max_cells_per_user=3, domain=d, rng=4)
    np.testing.assert_array_equal(a["count"].to_numpy(), _exact(crowd, d, max_cells_per_user=3, rng=4))


def test_limit_read_off_the_data_warns(crowd):
    """max_cells_per_user='max' is allowed with a warning."""
    with pytest.warns(LeakWarning, match="busiest"):
        dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user="max", domain=_domain())


def test_public_domain_and_bound_raise_no_warning(crowd):
    """A public domain, a fixed bound and a moderate epsilon are a clean configuration."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=3, domain=_domain(), rng=0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"epsilon": 0}, "epsilon must be a positive"),
    ({"epsilon": -1}, "epsilon must be a positive"),
    ({"epsilon": "lots"}, "epsilon must be a number"),
    ({"mechanism": "exponential"}, "mechanism must be one of"),
    ({"delta": 1e-6}, "takes no delta"),
    ({"mechanism": "gaussian"}, "needs a delta above 0"),
    ({"mechanism": "gaussian", "delta": 1.5}, "needs a delta|must lie in"),
    ({"max_cells_per_user": 0}, "at least 1"),
    ({"cell_m": 500}, "differs from"),
    ({"domain": "the island"}, "must be a GridDomain"),
    ({"ledger": {"epsilon": 1}}, "must be a PrivacyLedger"),
])
def test_dp_counts_validation(crowd, kwargs, message):
    """Bad privacy parameters are refused with a sentence."""
    args = {"cell_m": 1000, "slot_s": 3600, "epsilon": 1.0, "max_cells_per_user": 3, "domain": _domain()}
    with pytest.raises(ValueError, match=message):
        dp_counts(crowd, **{**args, **kwargs})


def test_dp_counts_does_not_mutate(crowd):
    """The release is unchanged by a noisy count."""
    before = crowd.copy()
    dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=3, domain=_domain(), rng=0)
    pd.testing.assert_frame_equal(crowd, before)


def test_bounding_inside_dp_counts_is_reproducible(crowd):
    """The same rng bounds identically (exact counts agree); the noise on top averages out to them."""
    d = _domain()
    a, b = _exact(crowd, d, max_cells_per_user=2, rng=9), _exact(crowd, d, max_cells_per_user=2, rng=9)
    np.testing.assert_array_equal(a, b)
    runs = np.stack([dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=2.0, max_cells_per_user=2, domain=d,
                               clamp=False, noise="opendp", rng=9)["count"].to_numpy() for _ in range(20)])
    assert np.abs(runs.mean(axis=0) - a).mean() < 0.5


def test_numpy_noise_is_reproducible_from_the_seed(crowd):
    """With the default seeded noise the same rng gives identical counts and another rng others."""
    d = _domain()
    kw = {"cell_m": 1000, "slot_s": 3600, "epsilon": 1.0, "max_cells_per_user": 2, "domain": d, "clamp": False}
    a = dp_counts(crowd, rng=4, **kw)["count"].to_numpy()
    assert np.array_equal(a, dp_counts(crowd, rng=4, **kw)["count"].to_numpy())
    assert not np.array_equal(a, dp_counts(crowd, rng=5, **kw)["count"].to_numpy())


def test_unknown_noise_source_refused(crowd):
    """An unknown noise source is refused by name."""
    with pytest.raises(ValueError, match="noise must be"):
        dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=1.0, max_cells_per_user=2, domain=_domain(), noise="x")


# ------------------------------------------------------------------ the ledger

def test_dp_counts_spends_from_the_ledger(crowd):
    """Each query is recorded; the one that would overspend is refused before any noise is drawn."""
    d = _domain()
    ledger = PrivacyLedger(1.0, 1e-6)
    dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=0.6, max_cells_per_user=3, domain=d, ledger=ledger)
    with pytest.raises(BudgetExceededError):
        dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=0.6, max_cells_per_user=3, domain=d, ledger=ledger)
    dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=0.4, delta=1e-6, mechanism="gaussian",
              max_cells_per_user=3, domain=d, ledger=ledger)
    table = ledger.spends()
    assert table["mechanism"].tolist() == ["laplace", "gaussian"]
    assert table["epsilon"].tolist() == pytest.approx([0.6, 0.4])
    assert ledger.spent()[0] == pytest.approx(1.0, rel=1e-6)


def test_ledger_refuses_unprotected_queries(crowd):
    """An epsilon=inf query can never fit a finite budget."""
    ledger = PrivacyLedger(5.0)
    with pytest.warns(LeakWarning), pytest.raises(BudgetExceededError):
        dp_counts(crowd, cell_m=1000, slot_s=3600, epsilon=math.inf, max_cells_per_user=3, domain=_domain(),
                  ledger=ledger)


# ------------------------------------------------------------------ end to end

def test_town_map_domain_on_the_classroom_world(classroom):
    """On the classroom gps release over a grid from the district map, the noisy total is near the true one."""
    sc = classroom.scenario
    start = pd.Timestamp(sc.start).tz_localize(sc.timezone)
    d = grid_domain(bounds=tuple(classroom.districts.total_bounds), start=start,
                    end=start + pd.Timedelta(days=sc.days), cell_m=2000, slot_s=3600, origin=sc.origin)
    gps = classroom.releases["gps"]
    true = _exact(gps, d, max_cells_per_user=24, rng=2)
    ledger = PrivacyLedger(1.0)
    out = dp_counts(gps, cell_m=2000, slot_s=3600, epsilon=1.0, max_cells_per_user=24, domain=d, ledger=ledger,
                    clamp=False, rng=2)
    b = noise_scale(epsilon=1.0, max_cells_per_user=24)
    assert len(out) == d.size
    assert abs(out["count"].sum() - true.sum()) < 5 * math.sqrt(2 * d.size) * b
    assert true.sum() <= 24 * gps["pseudonym"].nunique()
    assert ledger.remaining() == pytest.approx((0.0, 0.0), abs=1e-9)


# ------------------------------------------------------------------ no side effects at import

#: In a fresh interpreter: OpenDP's features before and after importing dp, then after a Laplace and a
#: Gaussian release (OpenDP's own noise) paid from a ledger, and what those releases gave.
IMPORT_THEN_RELEASE = """
import json, sys
import opendp.prelude as dp
import pandas as pd
dp.enable_features(*sys.argv[1:])
before = sorted(dp.GLOBAL_FEATURES)
import lab.mitigations.dp as m
after_import = sorted(dp.GLOBAL_FEATURES)
t0 = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")
release = pd.DataFrame({"pseudonym": ["a", "b"], "t": [t0 + pd.Timedelta(minutes=10)] * 2,
                        "lat": [-48.5, -48.5], "lon": [-123.0, -123.0]})
domain = m.grid_domain(bounds=(-123.001, -48.501, -122.999, -48.499), start=t0, end=t0 + pd.Timedelta(hours=2),
                       cell_m=1000, slot_s=3600, origin=(-48.5, -123.0))
ledger = m.PrivacyLedger(2.0, 1e-6)
kw = dict(cell_m=1000, slot_s=3600, max_cells_per_user=1, domain=domain, ledger=ledger, noise="opendp")
laplace = m.dp_counts(release, epsilon=0.5, **kw)
gaussian = m.dp_counts(release, epsilon=0.5, delta=1e-7, mechanism="gaussian", **kw)
sigma = m.noise_scale(epsilon=1.0, delta=1e-6, mechanism="gaussian", max_cells_per_user=4)
print(json.dumps({"features": [before, after_import, sorted(dp.GLOBAL_FEATURES)],
                  "rows": [len(laplace), len(gaussian)], "sigma": sigma,
                  "mechanisms": ledger.spends()["mechanism"].tolist()}))
"""


@pytest.mark.parametrize("features", [[], ["contrib", "honest-but-curious"]])
def test_import_leaves_opendp_features_alone_and_dp_still_works(features):
    """In a fresh interpreter importing dp changes no OpenDP feature, and releases work and leave them as found."""
    out = subprocess.run([sys.executable, "-c", IMPORT_THEN_RELEASE, *features], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    result = json.loads(out.stdout)
    assert result["features"] == [sorted(features)] * 3
    assert result["rows"] == [8, 8]  # the four 1 km cells meeting at the origin, in two hourly slots
    assert result["sigma"] == pytest.approx(9.06, rel=0.005)
    assert result["mechanisms"] == ["laplace", "gaussian"]
