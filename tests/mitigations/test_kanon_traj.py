"""Tests for lab.mitigations.kanon_traj: k-anonymity of trajectories.

Every guarantee is checked by a separate, plain computation on the output: the
(k, δ) property by pairwise distances between the published traces at every
instant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.geo import to_latlon, to_local
from lab.mitigations.kanon_traj import anonymise_trajectories, resample_traces
from lab.params import LeakWarning

ORIGIN = (-48.5, -123.0)
START = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")


# --- helpers: releases from local metres --------------------------------------------------------


def release_from(paths: dict[str, list[tuple[float, float, float]]]) -> pd.DataFrame:
    """A release from (seconds after START, x, y) fixes per pseudonym."""
    rows = [(p, s, x, y) for p, fixes in paths.items() for s, x, y in fixes]
    p, s, x, y = map(np.array, zip(*rows))
    lat, lon = to_latlon(x.astype(float), y.astype(float), origin=ORIGIN)
    t = (START + pd.to_timedelta(s.astype(float), unit="s")).astype("datetime64[ms, Etc/GMT+8]")
    return pd.DataFrame({"pseudonym": p, "t": t, "lat": lat, "lon": lon,
                         "accuracy_m": np.full(len(p), 5.0, dtype=np.float32)})


def co_localised(release: pd.DataFrame, origin: tuple[float, float], delta_m: float) -> pd.Series:
    """For every published trace, how many traces (itself included) stay within delta_m of it at every instant."""
    wide = release.pivot(index="pseudonym", columns="t", values=["lat", "lon"])
    x, y = to_local(wide["lat"].to_numpy(), wide["lon"].to_numpy(), origin=origin)
    close = np.ones((len(wide), len(wide)), dtype=bool)
    for j in range(x.shape[1]):  # instants of a test release: a few thousand at most
        d = np.hypot(x[:, j, None] - x[None, :, j], y[:, j, None] - y[None, :, j])
        close &= d <= delta_m + 1e-6
    return pd.Series(close.sum(axis=1), index=wide.index)


# --- trajectories: hand-made cases --------------------------------------------------------------


def two_pairs() -> pd.DataFrame:
    """Two pairs of walkers 20 km apart; within a pair they walk east side by side, 100 m apart."""
    fixes = lambda x0, y0: [(s, x0 + s, y0) for s in (0, 900, 1800, 2700)]  # noqa: E731 - a one-line path
    return release_from({"a1": fixes(0, 0), "a2": fixes(0, 100), "b1": fixes(20_000, 0), "b2": fixes(20_000, 100)})


def test_pairs_that_walk_together_are_left_alone():
    """Pairs already within the tube become the groups and are not moved."""
    release = two_pairs()
    before = release.copy()
    r = anonymise_trajectories(release, k=2, delta_m=500, step_s=900, origin=ORIGIN)
    pd.testing.assert_frame_equal(release, before)
    assert r.groups.loc["a1"] == r.groups.loc["a2"] != r.groups.loc["b1"] == r.groups.loc["b2"]
    assert r.mean_displacement_m == 0.0
    assert r.mean_error_m == pytest.approx(0.0, abs=1e-6)
    assert r.temporal_stretch_s == 0.0
    assert (r.share_traces_suppressed, r.share_points_suppressed) == (0.0, 0.0)
    assert list(r.release.columns) == ["pseudonym", "t", "lat", "lon"]
    assert len(r.release) == 4 * 4


def test_zero_delta_collapses_each_group_onto_its_centre():
    """With δ = 0 both members of a pair are published on their common centre, 50 m from each."""
    r = anonymise_trajectories(two_pairs(), k=2, delta_m=0, step_s=900, origin=ORIGIN)
    wide = r.release.pivot(index="t", columns="pseudonym", values="lat")
    np.testing.assert_allclose(wide["a1"], wide["a2"], rtol=0, atol=1e-12)
    assert r.mean_displacement_m == pytest.approx(50.0)
    assert r.mean_error_m == pytest.approx(50.0)


def test_translation_moves_points_only_as_far_as_needed():
    """Two walkers 1 km apart in a 400 m tube are each moved 300 m towards their midpoint."""
    fixes = lambda y: [(s, 0.0, y) for s in (0, 600, 1200)]  # noqa: E731 - a one-line path
    r = anonymise_trajectories(release_from({"p": fixes(0), "q": fixes(1000)}), k=2, delta_m=400, step_s=600,
                               origin=ORIGIN)
    assert r.mean_displacement_m == pytest.approx(300.0)
    assert r.max_displacement_m == pytest.approx(300.0)
    _, y = to_local(r.release["lat"], r.release["lon"], origin=ORIGIN)
    np.testing.assert_allclose(np.sort(np.unique(np.round(y, 6))), [300.0, 700.0])


def test_outlier_is_trashed_within_the_budget():
    """A lone walker 15 km from four walking together is suppressed, and its fixes with it."""
    fixes = lambda x, n=3: [(s, x, 0.0) for s in range(0, 600 * n, 600)]  # noqa: E731 - a one-line path
    release = release_from({"a": fixes(0), "b": fixes(50), "c": fixes(100), "d": fixes(150), "far": fixes(15_000, 5)})
    r = anonymise_trajectories(release, k=2, delta_m=200, step_s=600, max_radius_m=1000, max_suppression=0.2,
                               origin=ORIGIN)
    assert r.suppressed.tolist() == ["far"]
    assert r.share_traces_suppressed == 0.2
    assert r.share_points_suppressed == pytest.approx(5 / 17)
    assert r.groups.value_counts().tolist() == [2, 2]
    kept = anonymise_trajectories(release, k=2, delta_m=200, step_s=600, max_radius_m=1000, max_suppression=0.0,
                                  origin=ORIGIN)
    assert kept.share_traces_suppressed == 0.0
    assert kept.groups.value_counts().min() >= 2


def test_resample_interpolates_and_holds():
    """Positions between fixes are interpolated; before the first and after the last they are held."""
    release = release_from({"p": [(900, 0, 0), (2700, 1800, 0)], "q": [(0, 0, 0), (3600, 0, 0)]})
    out = resample_traces(release, step_s=900, origin=ORIGIN)
    p = out[out["pseudonym"] == "p"]
    x, _ = to_local(p["lat"], p["lon"], origin=ORIGIN)
    np.testing.assert_allclose(x, [0, 0, 900, 1800, 1800], atol=1e-6)
    assert (p["t"] - START).dt.total_seconds().tolist() == [0, 900, 1800, 2700, 3600]
    assert str(out["t"].dtype) == "datetime64[ms, Etc/GMT+8]"


# --- trajectories: random releases --------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 10), k=st.integers(2, 5),
       delta_m=st.sampled_from([0.0, 50.0, 500.0, 3000.0]), max_radius_m=st.sampled_from([None, 300.0, 2000.0]),
       max_suppression=st.sampled_from([0.0, 0.1, 0.2]), step_s=st.sampled_from([300, 900]))
def test_every_trace_walks_with_k_minus_one_others(seed, n, k, delta_m, max_radius_m, max_suppression, step_s):
    """On random releases each kept trace has k - 1 others within δ at every instant, and the report is exact."""
    rng = np.random.default_rng(seed)
    k = min(k, n)
    paths = {}
    for i in range(n):
        m = int(rng.integers(1, 12))
        s = np.sort(rng.uniform(0, 6 * 3600, m))
        xy = rng.uniform(-4000, 4000, 2) + np.cumsum(rng.normal(0, 300, (m, 2)), axis=0)
        paths[f"u{i:02d}"] = [(float(a), float(b), float(c)) for a, (b, c) in zip(s, xy)]
    release = release_from(paths)
    before = release.copy()

    r = anonymise_trajectories(release, k=k, delta_m=delta_m, step_s=step_s, max_radius_m=max_radius_m,
                               max_suppression=max_suppression)

    pd.testing.assert_frame_equal(release, before)
    out = r.release
    # The (k, δ) property, from the published points alone.
    assert co_localised(out, r.origin, delta_m).min() >= k
    # Groups as reported: at least k members, every point within δ/2 of its centre.
    assert r.groups.value_counts().min() >= k
    joined = out.assign(group=out["pseudonym"].map(r.groups)).merge(r.centres, on=["group", "t"], suffixes=("", "_c"))
    assert len(joined) == len(out)
    x, y = to_local(joined["lat"], joined["lon"], origin=r.origin)
    cx, cy = to_local(joined["lat_c"], joined["lon_c"], origin=r.origin)
    assert (np.hypot(x - cx, y - cy) <= delta_m / 2 + 1e-6).all()
    # Every trace on the same instants, every step_s seconds.
    per_trace = out.groupby("pseudonym")["t"].agg(["min", "max", "size"])
    assert per_trace.nunique().eq(1).all()
    assert (out.groupby("pseudonym")["t"].diff().dropna().dt.total_seconds() == step_s).all()
    # Suppression as reported.
    kept = set(out["pseudonym"])
    assert kept.isdisjoint(r.suppressed) and kept | set(r.suppressed) == set(paths)
    assert r.share_traces_suppressed == pytest.approx(1 - len(kept) / n)
    assert r.share_points_suppressed == pytest.approx(release["pseudonym"].isin(r.suppressed).mean())
    assert len(r.suppressed) <= int(np.floor(max_suppression * n + 1e-9))
    assert 0 <= r.temporal_stretch_s <= step_s / 2


# --- trajectories: the classroom gps release ----------------------------------------------------


def test_classroom_gps_k5(classroom):
    """k = 5, δ = 500 m on the classroom GPS release: 12 traces trashed, the rest in tubes of five or more."""
    gps = classroom.releases["gps"]
    r = anonymise_trajectories(gps, k=5, delta_m=500, max_radius_m=3000, max_suppression=0.1)
    assert gps["pseudonym"].nunique() == 125
    assert len(r.suppressed) == 12
    assert r.share_traces_suppressed == pytest.approx(12 / 125)
    assert r.share_points_suppressed == pytest.approx(gps["pseudonym"].isin(r.suppressed).mean())
    assert co_localised(r.release, r.origin, 500).min() >= 5
    assert r.groups.value_counts().min() >= 5
    assert r.mean_displacement_m == pytest.approx(1331.5, abs=1)
    assert r.temporal_stretch_s == pytest.approx(225, abs=1)


# --- trajectories: validation and warnings ------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"k": 5, "delta_m": 100}, "more than the 4 traces"),
    ({"k": 0, "delta_m": 100}, "at least 1"),
    ({"k": 2, "delta_m": -1}, "diameter"),
    ({"k": 2, "delta_m": "wide"}, "number of metres"),
    ({"k": 2, "delta_m": 100, "step_s": 0}, "step_s"),
    ({"k": 2, "delta_m": 100, "step_s": 60.5}, "step_s"),
    ({"k": 2, "delta_m": 100, "max_radius_m": 0}, "max_radius_m"),
    ({"k": 2, "delta_m": 100, "max_suppression": -0.1}, "share"),
])
def test_trajectory_parameters_are_validated(kwargs, message):
    """Bad parameters are refused with a sentence naming the problem."""
    with pytest.raises(ValueError, match=message):
        anonymise_trajectories(two_pairs(), **kwargs)


def test_trajectory_release_is_validated():
    """Missing columns, naive times, missing values and empty releases are refused."""
    release = two_pairs()
    with pytest.raises(ValueError, match="missing column"):
        anonymise_trajectories(release.drop(columns="lat"), k=2, delta_m=100)
    with pytest.raises(ValueError, match="timezone-aware"):
        anonymise_trajectories(release.assign(t=release["t"].dt.tz_localize(None)), k=2, delta_m=100)
    with pytest.raises(ValueError, match="missing value"):
        anonymise_trajectories(release.assign(lon=np.nan), k=2, delta_m=100)
    with pytest.raises(ValueError, match="empty"):
        anonymise_trajectories(release.iloc[:0], k=2, delta_m=100)


def test_trajectory_weak_settings_warn():
    """k = 1 and a trash budget above 20 % both draw a LeakWarning."""
    with pytest.warns(LeakWarning, match="k=1"):
        anonymise_trajectories(two_pairs(), k=1, delta_m=100)
    with pytest.warns(LeakWarning, match="max_suppression=0.5"):
        anonymise_trajectories(two_pairs(), k=2, delta_m=100, max_suppression=0.5)
