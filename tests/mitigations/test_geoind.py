"""Planar Laplace noise: its distribution, isotropy, caching, the averaging attack and validation."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import lab.mitigations.geoind as geoind
from lab.geo import EARTH_RADIUS_M, haversine_m, to_local
from lab.mitigations.geoind import averaging_attack, measure_displacement, planar_laplace, radius_quantile
from lab.params import LeakWarning

#: ln(4) per 200 m: outputs at most 4 times likelier from one point than from another 200 m away.
EPS = math.log(4) / 200
ORIGIN = (-48.5, -123.0)


def repeated_point(n: int, lat: float, lon: float = ORIGIN[1], pseudonyms: int = 1) -> pd.DataFrame:
    """``n`` reports of one point, spread over ``pseudonyms`` pseudonyms, under a non-default index."""
    return pd.DataFrame({
        "pseudonym": pd.array([f"ad-{i % pseudonyms:04d}" for i in range(n)], dtype="str"),
        "lat": np.full(n, float(lat)),
        "lon": np.full(n, float(lon)),
        "accuracy_m": np.full(n, 8.0, dtype=np.float32),
    }, index=pd.RangeIndex(1000, 1000 + 3 * n, 3))


def east_north_m(before: pd.DataFrame, after: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north of each row's move, at the row's own latitude (radians in cos)."""
    lat = before["lat"].to_numpy()
    dlon = (after["lon"].to_numpy() - before["lon"].to_numpy() + 180.0) % 360.0 - 180.0
    east = np.radians(dlon) * EARTH_RADIUS_M * np.cos(np.radians(lat))
    north = np.radians(after["lat"].to_numpy() - lat) * EARTH_RADIUS_M
    return east, north


def rms_error_m(estimates: pd.DataFrame, lat: float, lon: float) -> float:
    """Root mean square distance of the estimates from the true point."""
    return float(np.sqrt(np.mean(haversine_m(estimates["lat"], estimates["lon"], lat, lon) ** 2)))


# --- the distribution of the noise ---------------------------------------------------------------

def test_radii_follow_gamma_two_over_epsilon():
    """50,000 radii pass a KS test against Gamma(shape 2, scale 1/ε)."""
    gps = repeated_point(50_000, ORIGIN[0])
    r = measure_displacement(gps, planar_laplace(gps, epsilon=EPS, rng=11)).to_numpy()
    assert stats.kstest(r, stats.gamma(2, scale=1 / EPS).cdf).pvalue > 0.01


@pytest.mark.parametrize("lat", [0.0, 40.0, 60.0])
def test_noise_is_isotropic_at_every_latitude(lat):
    """East and north variances agree within 2% and the mean move is 2/ε within 2%."""
    gps = repeated_point(200_000, lat)
    out = planar_laplace(gps, epsilon=EPS, rng=12)
    east, north = east_north_m(gps, out)
    assert np.var(east) / np.var(north) == pytest.approx(1.0, abs=0.02)
    assert np.mean(east) == pytest.approx(0.0, abs=0.02 / EPS)
    assert np.mean(north) == pytest.approx(0.0, abs=0.02 / EPS)
    moved = measure_displacement(gps, out)
    assert moved.mean() == pytest.approx(2 / EPS, rel=0.02)


def test_cos_of_degrees_would_fail_the_latitude_check():
    """At 40° the east scale from cos(40 radians) is off by more than 2% (the check can fail)."""
    assert abs(abs(math.cos(40.0)) / math.cos(math.radians(40.0)) - 1) > 0.02


def test_ninety_percent_within_3_89_over_epsilon():
    """The 0.9 quantile of the radii is 3.89/ε within 1%, and 90% (±1 point) fall inside it."""
    gps = repeated_point(200_000, ORIGIN[0])
    r = measure_displacement(gps, planar_laplace(gps, epsilon=EPS, rng=13)).to_numpy()
    assert np.quantile(r, 0.9) * EPS == pytest.approx(3.89, rel=0.01)
    assert np.mean(r <= 3.89 / EPS) == pytest.approx(0.90, abs=0.01)


def test_radius_quantile_is_the_gamma_quantile():
    """The Lambert W inverse CDF equals Gamma(2, 1/ε).ppf, with 3.89/ε at 0.9."""
    q = np.array([0.0, 0.1, 0.5, 0.9, 0.99])
    assert np.allclose(radius_quantile(EPS, q), stats.gamma.ppf(q, 2, scale=1 / EPS), rtol=1e-9)
    assert radius_quantile(EPS, 0.9) * EPS == pytest.approx(3.8897, abs=1e-4)
    assert radius_quantile(EPS, 1.0) == np.inf


# --- a pure function ------------------------------------------------------------------------------

def test_input_is_not_mutated_and_index_labels_are_kept():
    """The input frame is unchanged; the output has its index, columns and dtypes."""
    gps = repeated_point(100, ORIGIN[0], pseudonyms=5)
    before = gps.copy(deep=True)
    for kwargs in ({}, {"cache": True}, {"snap_m": 100.0}, {"snap_m": 100.0, "cache": True}):
        out = planar_laplace(gps, epsilon=EPS, rng=3, **kwargs)
        pd.testing.assert_frame_equal(gps, before)
        assert out.index.equals(gps.index)
        assert list(out.columns) == list(gps.columns)
        assert (out.dtypes == gps.dtypes).all()
        pd.testing.assert_series_equal(out["pseudonym"], gps["pseudonym"])
        assert not np.allclose(out["lat"], gps["lat"])


def test_same_rng_same_output():
    """The same seed gives the same release; another seed a different one."""
    gps = repeated_point(1000, ORIGIN[0], pseudonyms=10)
    a = planar_laplace(gps, epsilon=EPS, rng=5, cache=True)
    pd.testing.assert_frame_equal(a, planar_laplace(gps, epsilon=EPS, rng=np.random.default_rng(5), cache=True))
    assert not np.array_equal(a["lat"], planar_laplace(gps, epsilon=EPS, rng=6, cache=True)["lat"])


def test_empty_release_comes_back_empty():
    """An empty release gives an empty release with the same columns."""
    gps = repeated_point(0, ORIGIN[0])
    out = planar_laplace(gps, epsilon=EPS, rng=1, cache=True, snap_m=50)
    assert out.shape == (0, 4) and list(out.columns) == list(gps.columns)


def test_no_displacement_column_is_published():
    """The release carries no column of how far each point moved."""
    gps = repeated_point(10, ORIGIN[0])
    assert set(planar_laplace(gps, epsilon=EPS, rng=1).columns) == set(gps.columns)


def test_measure_displacement_matches_rows_by_label():
    """Displacement pairs rows by index label, even when the noisy frame is reordered."""
    gps = repeated_point(20, ORIGIN[0])
    out = planar_laplace(gps, epsilon=EPS, rng=2)
    d = measure_displacement(gps, out)
    shuffled = measure_displacement(gps, out.iloc[::-1])
    assert d.name == "displacement_m"
    pd.testing.assert_series_equal(shuffled, d.iloc[::-1])


# --- snapping -------------------------------------------------------------------------------------

def test_snap_puts_points_on_cell_centres():
    """With snap_m = 100 every output sits at a cell centre (50 m + a multiple of 100 m from the origin)."""
    gps = repeated_point(5000, ORIGIN[0], pseudonyms=50)
    out = planar_laplace(gps, epsilon=EPS, rng=4, snap_m=100.0, origin=ORIGIN)
    x, y = to_local(out["lat"], out["lon"], origin=ORIGIN)
    assert np.allclose((x - 50.0) / 100.0, np.round((x - 50.0) / 100.0), atol=1e-6)
    assert np.allclose((y - 50.0) / 100.0, np.round((y - 50.0) / 100.0), atol=1e-6)
    assert measure_displacement(gps, out).mean() == pytest.approx(2 / EPS, rel=0.05)


# --- caching --------------------------------------------------------------------------------------

def test_cache_repeats_the_noisy_point_of_a_repeated_location():
    """Each (pseudonym, true point) gets one noisy point; another point or pseudonym gets another."""
    gps = pd.DataFrame({
        "pseudonym": ["a", "a", "b", "a", "b", "a", "a"],
        "lat": [-48.5, -48.5, -48.5, -48.51, -48.5, -48.5, -48.51],
        "lon": [-123.0, -123.0, -123.0, -123.02, -123.0, -123.0, -123.02],
    }, index=[70, 60, 50, 40, 30, 20, 10])
    out = planar_laplace(gps, epsilon=EPS, rng=8, cache=True)
    pos = list(zip(out["lat"], out["lon"]))
    a_home, b_home, a_work = pos[0], pos[2], pos[3]
    assert pos[1] == pos[5] == a_home
    assert pos[4] == b_home and pos[6] == a_work
    assert len({a_home, b_home, a_work}) == 3
    plain = planar_laplace(gps, epsilon=EPS, rng=8)
    assert len(set(zip(plain["lat"], plain["lon"]))) == 7


def test_cache_with_snap_keys_on_the_true_cell():
    """With snap_m, two true points of one cell share a noisy cell; without cache they need not."""
    lat = np.array([-48.5001, -48.5002, -48.5003] * 200)
    lon = np.array([-123.0001, -123.0002, -123.0003] * 200)
    gps = pd.DataFrame({"pseudonym": "a", "lat": lat, "lon": lon})
    out = planar_laplace(gps, epsilon=EPS, rng=9, cache=True, snap_m=200.0, origin=ORIGIN)
    assert out[["lat", "lon"]].drop_duplicates().shape[0] == 1
    plain = planar_laplace(gps, epsilon=EPS, rng=9, snap_m=200.0, origin=ORIGIN)
    assert plain[["lat", "lon"]].drop_duplicates().shape[0] > 10


def test_cache_survives_a_hash_collision(monkeypatch):
    """When every key hashes alike, grouping falls back to exact keys and stays correct."""
    gps = pd.DataFrame({"pseudonym": ["a", "a", "b", "b"], "lat": [1.0, 2.0, 1.0, 1.0], "lon": [0.0, 0.0, 0.0, 0.0]})
    expected = planar_laplace(gps, epsilon=EPS, rng=10, cache=True)
    monkeypatch.setattr(geoind, "mix64", lambda values, key: np.zeros_like(np.asarray(values, dtype=np.uint64)))
    out = planar_laplace(gps, epsilon=EPS, rng=10, cache=True)
    pd.testing.assert_frame_equal(out, expected)
    assert out["lat"].iloc[2] == out["lat"].iloc[3] and out["lat"].iloc[0] != out["lat"].iloc[2]


# --- the averaging attack -------------------------------------------------------------------------

def test_averaging_attack_recovers_a_known_centroid():
    """The estimate of two symmetric reports is their midpoint; counts are reported."""
    noisy = pd.DataFrame({"pseudonym": ["a", "a", "b"], "lat": [10.0, 10.0, -5.0], "lon": [20.0, 20.2, 179.9]})
    est = averaging_attack(noisy)
    assert list(est.columns) == ["pseudonym", "lat", "lon", "n_reports"]
    assert est["n_reports"].tolist() == [2, 1]
    assert est["lon"].iloc[0] == pytest.approx(20.1)
    assert est["lat"].iloc[0] == pytest.approx(10.0, abs=1e-4)
    assert (est["lat"].iloc[1], est["lon"].iloc[1]) == pytest.approx((-5.0, 179.9))


def test_averaging_attack_straddles_the_antimeridian():
    """Reports at 179.9° E and 179.9° W average to 180°, not 0°."""
    est = averaging_attack(pd.DataFrame({"pseudonym": ["a", "a"], "lat": [0.0, 0.0], "lon": [179.9, -179.9]}))
    assert abs(est["lon"].iloc[0]) == pytest.approx(180.0)


def test_averaging_attack_groups_by_several_columns():
    """by=("pseudonym", "place_id") gives one estimate per pseudonym and place."""
    noisy = pd.DataFrame({"pseudonym": ["a", "a", "a"], "place_id": ["pl1", "pl2", "pl1"],
                          "lat": [0.0, 1.0, 0.2], "lon": [0.0, 1.0, 0.0]})
    est = averaging_attack(noisy, by=("pseudonym", "place_id"))
    assert est[["pseudonym", "place_id", "n_reports"]].values.tolist() == [["a", "pl1", 2], ["a", "pl2", 1]]
    assert est["lat"].iloc[0] == pytest.approx(0.1)


@pytest.mark.parametrize("n", [4, 16, 64])
def test_averaging_beats_fresh_noise_like_one_over_sqrt_n(n):
    """Without the cache the error of the mean is sqrt(6)/(ε sqrt(n)) within 10%."""
    gps = repeated_point(2000 * n, ORIGIN[0], pseudonyms=2000)
    est = averaging_attack(planar_laplace(gps, epsilon=EPS, rng=20 + n))
    assert (est["n_reports"] == n).all()
    assert rms_error_m(est, *ORIGIN) == pytest.approx(math.sqrt(6) / EPS / math.sqrt(n), rel=0.10)


@pytest.mark.parametrize("n", [1, 16, 64])
def test_cache_keeps_the_single_draw_error(n):
    """With the cache the error of the mean stays sqrt(6)/ε (within 10%) whatever n."""
    gps = repeated_point(2000 * n, ORIGIN[0], pseudonyms=2000)
    noisy = planar_laplace(gps, epsilon=EPS, rng=40 + n, cache=True)
    est = averaging_attack(noisy)
    assert noisy.groupby("pseudonym")["lat"].nunique().eq(1).all()
    assert rms_error_m(est, *ORIGIN) == pytest.approx(math.sqrt(6) / EPS, rel=0.10)


# --- validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("epsilon", [0, -0.01, float("nan"), "abc", None])
def test_bad_epsilon_is_refused(epsilon):
    """A non-positive or non-numeric epsilon raises a plain ValueError."""
    with pytest.raises(ValueError, match="epsilon"):
        planar_laplace(repeated_point(3, 0.0), epsilon=epsilon)


@pytest.mark.parametrize("snap_m", [0, -100, "x", float("inf")])
def test_bad_snap_is_refused(snap_m):
    """A non-positive or non-numeric snap_m raises a ValueError naming it."""
    with pytest.raises(ValueError, match="snap_m"):
        planar_laplace(repeated_point(3, 0.0), epsilon=EPS, snap_m=snap_m)


def test_cache_needs_pseudonyms_and_positions_are_required():
    """cache=True without a pseudonym column, or a release without lat, raises a ValueError."""
    gps = repeated_point(3, 0.0)
    with pytest.raises(ValueError, match="pseudonym"):
        planar_laplace(gps.drop(columns="pseudonym"), epsilon=EPS, cache=True)
    with pytest.raises(ValueError, match="lat"):
        planar_laplace(gps.drop(columns="lat"), epsilon=EPS)
    with pytest.raises(ValueError, match="by"):
        averaging_attack(gps, by=())


def test_tiny_noise_draws_a_leak_warning():
    """epsilon = 1 per metre (2 m expected move) warns; ln(4)/200 m does not."""
    gps = repeated_point(3, 0.0)
    with pytest.warns(LeakWarning, match="essentially no protection"):
        planar_laplace(gps, epsilon=1.0, rng=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        planar_laplace(gps, epsilon=EPS, rng=1)
        planar_laplace(gps, epsilon=2 / 11, rng=1)


def test_infinite_epsilon_warns_and_adds_no_noise():
    """epsilon = inf draws a LeakWarning and publishes the points unchanged."""
    gps = repeated_point(5, 40.0)
    with pytest.warns(LeakWarning, match="no noise"):
        out = planar_laplace(gps, epsilon=float("inf"), rng=1)
    pd.testing.assert_frame_equal(out, gps)


# --- on the classroom world -----------------------------------------------------------------------

def test_classroom_gps_release(classroom):
    """On the classroom GPS release: same shape, columns and pseudonyms; median move 1.68/ε."""
    gps = classroom.releases["gps"]
    out = planar_laplace(gps, epsilon=EPS, rng=7)
    assert out.shape == gps.shape
    assert list(out.columns) == ["pseudonym", "t", "lat", "lon", "accuracy_m"]
    assert out.index.equals(gps.index)
    pd.testing.assert_frame_equal(out.drop(columns=["lat", "lon"]), gps.drop(columns=["lat", "lon"]))
    moved = measure_displacement(gps, out)
    assert moved.median() == pytest.approx(radius_quantile(EPS, 0.5), rel=0.03)
    snapped = planar_laplace(gps, epsilon=EPS, rng=7, snap_m=50.0, cache=True)
    assert snapped.shape == gps.shape
    assert len(snapped[["pseudonym", "lat", "lon"]].drop_duplicates()) < len(gps) / 5
