"""k-anonymity: quasi-identifiers (lab.mitigations.kanon_qi) and trajectories (lab.mitigations.kanon_traj).

Every guarantee is checked by a separate, plain computation on the output:
class sizes by a pandas groupby of the published columns, the (k, δ) property
by pairwise distances between the published traces at every instant.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.geo import to_latlon, to_local
from lab.mitigations.kanon_qi import generalise_quasi_identifiers
from lab.mitigations.kanon_traj import anonymise_trajectories, resample_traces
from lab.mitigations.params import LeakWarning

ORIGIN = (-48.5, -123.0)
START = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")
QI_COLUMNS = ["home_cell", "work_cell", "birth_years", "sex"]


# --- helpers: tables and releases from local metres -------------------------------------------


def people(home: list[tuple[float, float]], years: list[int], sexes: list[str],
           work: list[tuple[float, float] | None] | None = None, index: list | None = None) -> pd.DataFrame:
    """A registry extract with home (and work) given in local metres around ORIGIN."""
    hx, hy = np.array(home, dtype=float).T
    hlat, hlon = to_latlon(hx, hy, origin=ORIGIN)
    table = pd.DataFrame({"home_lat": hlat, "home_lon": hlon, "birth_year": years, "sex": sexes,
                          "community": ["Aster"] * len(years)}, index=index)
    if work is not None:
        wx = np.array([np.nan if w is None else w[0] for w in work])
        wy = np.array([np.nan if w is None else w[1] for w in work])
        wlat, wlon = to_latlon(wx, wy, origin=ORIGIN)
        table = table.assign(work_lat=wlat, work_lon=wlon)
    return table


def class_sizes(table: pd.DataFrame) -> pd.Series:
    """Size of every equivalence class, by a plain groupby of the published quasi-identifiers."""
    return table.groupby([c for c in QI_COLUMNS if c in table.columns], dropna=False).size()


def cells_contain(labels: pd.Series, lat: pd.Series, lon: pd.Series, origin: tuple[float, float]) -> bool:
    """Every published cell label ("<side>m:<i>:<j>", "none" or "*") holds its raw point."""
    ok = labels.eq("*") | (labels.eq("none") & lat.isna())
    cell = labels.str.contains(":")
    if cell.any():
        parts = labels[cell].str.split(":", expand=True)
        side = parts[0].str.rstrip("m").astype(float)
        x, y = to_local(lat[cell], lon[cell], origin=origin)
        ok[cell] = (np.floor(x / side) == parts[1].astype(int)) & (np.floor(y / side) == parts[2].astype(int))
    return bool(ok.all())


def years_contain(labels: pd.Series, years: pd.Series) -> bool:
    """Every published birth band ("1980", "1980-1984" or "*") holds the raw year."""
    star = labels.eq("*")
    if star.all():
        return True
    bounds = labels[~star].str.split("-", expand=True)
    low = bounds[0].astype(int)
    high = (bounds[1] if bounds.shape[1] > 1 else bounds[0]).fillna(bounds[0]).astype(int)
    y = years[~star]
    return bool(((low <= y) & (y <= high)).all())


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


# --- quasi-identifiers: hand-made cases ---------------------------------------------------------


def test_four_alike_keep_the_finest_levels():
    """Four people in one 200 m cell and one birth year, two of each sex, are 2-anonymous as they are."""
    table = people([(10, 10), (20, 30), (150, 50), (190, 190)], [1980] * 4, ["F", "F", "M", "M"])
    g = generalise_quasi_identifiers(table, k=2, attributes=("home", "birth", "sex"), origin=ORIGIN)
    assert g.levels == {"home": "200 m", "birth": "year", "sex": "sex"}
    assert g.suppressed_share == 0.0
    assert g.table["home_cell"].tolist() == ["200m:0:0"] * 4
    assert g.table["birth_years"].tolist() == ["1980"] * 4
    # home: a 200 m cell over a domain of one 5 km cell; birth year and sex exact.
    assert g.ncp == pytest.approx((200 / 5000) / 3)
    assert g.discernibility == 2 ** 2 + 2 ** 2


def test_k_four_generalises_sex_only():
    """With k = 4 the cheapest way to merge the two sexes is to publish sex as '*'."""
    table = people([(10, 10), (20, 30), (150, 50), (190, 190)], [1980] * 4, ["F", "F", "M", "M"])
    g = generalise_quasi_identifiers(table, k=4, attributes=("home", "birth", "sex"), origin=ORIGIN)
    assert g.levels == {"home": "200 m", "birth": "year", "sex": "*"}
    assert g.table["sex"].tolist() == ["*"] * 4
    assert g.ncp == pytest.approx((200 / 5000 + 0 + 1) / 3)
    assert (g.n_classes, g.smallest_class) == (1, 4)


def test_far_outlier_is_suppressed_and_labels_are_kept():
    """One home 30 km away is cheaper to delete than to generalise everyone's home to the whole town."""
    home = [(10, 10), (20, 20), (30, 30), (40, 40), (50, 50), (30_000, 10)]
    table = people(home, [1970] * 6, ["F"] * 6, index=[11, 12, 13, 14, 15, 99])
    g = generalise_quasi_identifiers(table, k=2, max_suppression=0.2, attributes=("home", "birth", "sex"),
                                     origin=ORIGIN)
    assert g.levels == {"home": "200 m", "birth": "year", "sex": "sex"}
    assert g.suppressed.tolist() == [99]
    assert g.suppressed_share == pytest.approx(1 / 6)
    assert g.table.index.tolist() == [11, 12, 13, 14, 15]
    assert g.ncp == pytest.approx((5 * (200 / 29_990) / 3 + 1) / 6)


def test_without_suppression_the_outlier_forces_the_whole_town():
    """With max_suppression = 0 the same outlier can only hide if every home becomes '*'."""
    home = [(10, 10), (20, 20), (30, 30), (40, 40), (50, 50), (30_000, 10)]
    table = people(home, [1970] * 6, ["F"] * 6)
    g = generalise_quasi_identifiers(table, k=2, max_suppression=0.0, attributes=("home", "birth", "sex"),
                                     origin=ORIGIN)
    assert g.levels == {"home": "*", "birth": "year", "sex": "sex"}
    assert g.suppressed_share == 0.0
    assert g.table["home_cell"].eq("*").all()


def test_missing_workplace_is_its_own_value():
    """People with no workplace share the value 'none' below the top level."""
    table = people([(10, 10)] * 4, [1990] * 4, ["M"] * 4, work=[None, None, (5, 5), (6, 6)])
    g = generalise_quasi_identifiers(table, k=2, origin=ORIGIN)
    assert g.levels == {"home": "200 m", "work": "200 m", "birth": "year", "sex": "sex"}
    assert g.table["work_cell"].tolist() == ["none", "none", "200m:0:0", "200m:0:0"]


def test_birth_dates_are_read_as_years():
    """A birth_date column is generalised through its year."""
    table = people([(10, 10)] * 3, [0] * 3, ["F"] * 3).drop(columns="birth_year")
    table["birth_date"] = pd.to_datetime(["1983-01-02", "1984-12-31", "1981-06-01"]).date
    g = generalise_quasi_identifiers(table, k=3, attributes=("home", "birth", "sex"), origin=ORIGIN)
    assert g.levels["birth"] == "5 years"
    assert g.table["birth_years"].tolist() == ["1980-1984"] * 3
    assert "birth_date" not in g.table.columns


def test_discernibility_can_choose_differently():
    """Under the discernibility metric the search minimises squared class sizes instead."""
    table = people([(10, 10), (20, 30), (150, 50), (190, 190)], [1980, 1981, 1980, 1981], ["F", "F", "M", "M"])
    by_dm = generalise_quasi_identifiers(table, k=2, attributes=("home", "birth", "sex"), loss="discernibility",
                                         origin=ORIGIN)
    assert by_dm.discernibility == 8.0
    assert by_dm.discernibility == by_dm.lattice.loc[by_dm.lattice["feasible"], "discernibility"].min()


# --- quasi-identifiers: random tables -----------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 150), k=st.integers(2, 12),
       max_suppression=st.sampled_from([0.0, 0.05, 0.2]))
def test_every_class_has_k_members_on_random_tables(seed, n, k, max_suppression):
    """On random registries every published class holds at least k records and suppression is as reported."""
    rng = np.random.default_rng(seed)
    k = min(k, n)
    centres = rng.uniform(-8000, 8000, size=(4, 2))
    home = centres[rng.integers(0, 4, n)] + rng.normal(0, 700, size=(n, 2))
    work = [None if rng.random() < 0.3 else tuple(rng.uniform(-6000, 6000, 2)) for _ in range(n)]
    table = people([tuple(h) for h in home], rng.integers(1940, 2025, n).tolist(),
                   rng.choice(["F", "M"], n).tolist(), work=work,
                   index=rng.permutation(np.arange(1000, 1000 + 3 * n))[:n].tolist())
    before = table.copy()

    g = generalise_quasi_identifiers(table, k=k, max_suppression=max_suppression)

    pd.testing.assert_frame_equal(table, before)
    assert class_sizes(g.table).min() >= k
    assert len(g.table) + len(g.suppressed) == n
    assert g.suppressed_share == pytest.approx(1 - len(g.table) / n)
    assert g.suppressed_share <= max_suppression + 1e-12
    assert g.table.index.tolist() == table.index.difference(g.suppressed, sort=False).tolist()
    kept = table.loc[g.table.index]
    assert cells_contain(g.table["home_cell"], kept["home_lat"], kept["home_lon"], g.origin)
    assert cells_contain(g.table["work_cell"], kept["work_lat"], kept["work_lon"], g.origin)
    assert years_contain(g.table["birth_years"], kept["birth_year"])
    assert g.table["sex"].isin(["*"]).all() or g.table["sex"].equals(kept["sex"])
    assert g.table["community"].equals(kept["community"])
    best = g.lattice.loc[g.lattice["feasible"], "ncp"].min()
    assert g.ncp == pytest.approx(best)
    assert len(g.lattice) == 4 * 4 * 4 * 2


# --- quasi-identifiers: the classroom registry --------------------------------------------------


def registry_with_places(world) -> pd.DataFrame:
    """The registry joined with the places table: home and work coordinates per person."""
    places = world.places.set_index("place_id")
    p = world.people
    return p[["person_id", "birth_date", "sex", "community"]].assign(
        home_lat=places["lat"].reindex(p["home_id"]).to_numpy(),
        home_lon=places["lon"].reindex(p["home_id"]).to_numpy(),
        work_lat=places["lat"].reindex(p["work_id"]).to_numpy(),
        work_lon=places["lon"].reindex(p["work_id"]).to_numpy(),
    )


def test_classroom_registry_k5(classroom):
    """k = 5 on the classroom registry: home and work to the whole town, 10-year bands, 13 people suppressed."""
    table = registry_with_places(classroom)
    g = generalise_quasi_identifiers(table, k=5, max_suppression=0.05)
    assert g.levels == {"home": "*", "work": "*", "birth": "10 years", "sex": "sex"}
    assert len(g.suppressed) == 13
    assert g.suppressed_share == pytest.approx(13 / 400)
    assert class_sizes(g.table).min() >= 5
    assert g.ncp == pytest.approx(0.5382, abs=1e-4)


def test_classroom_registry_home_birth_sex(classroom):
    """Without the workplace, k = 5 still needs homes town-wide; 5 km cells would cost birth years and 6.75 %."""
    table = registry_with_places(classroom)
    g = generalise_quasi_identifiers(table, k=5, max_suppression=0.1, attributes=("home", "birth", "sex"))
    assert g.levels == {"home": "*", "birth": "10 years", "sex": "sex"}
    assert len(g.suppressed) == 13
    assert class_sizes(g.table).min() >= 5
    lattice = g.lattice.set_index(["home", "birth", "sex"])
    assert lattice.loc[("5 km", "*", "sex"), "suppressed_share"] == pytest.approx(27 / 400)
    assert lattice.loc[("5 km", "10 years", "sex"), "suppressed_share"] == pytest.approx(259 / 400)
    assert lattice["feasible"].sum() == 8


# --- quasi-identifiers: validation and warnings -------------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
    ({"k": 0}, "at least 1"),
    ({"k": 2.5}, "whole number"),
    ({"k": 2, "max_suppression": 1.5}, "share"),
    ({"k": 9}, "more than the 4 records"),
    ({"k": 2, "attributes": ("home", "shoe_size")}, "attributes"),
    ({"k": 2, "loss": "entropy"}, "loss"),
    ({"k": 2, "cells_m": (200, 300)}, "whole multiple"),
    ({"k": 2, "bands_years": (5, 1)}, "must grow"),
])
def test_qi_parameters_are_validated(kwargs, message):
    """Bad parameters are refused with a sentence naming the problem."""
    table = people([(0, 0)] * 4, [1980] * 4, ["F"] * 4)
    with pytest.raises(ValueError, match=message):
        generalise_quasi_identifiers(table, attributes=kwargs.pop("attributes", ("home", "birth", "sex")), **kwargs)


def test_qi_table_is_validated():
    """Missing columns, missing values and half-missing workplaces are refused."""
    table = people([(0, 0)] * 4, [1980] * 4, ["F"] * 4, work=[(0, 0)] * 4)
    with pytest.raises(ValueError, match="needs column"):
        generalise_quasi_identifiers(table.drop(columns="birth_year"), k=2)
    with pytest.raises(ValueError, match="missing values"):
        generalise_quasi_identifiers(table.assign(sex=["F", None, "F", "F"]), k=2)
    with pytest.raises(ValueError, match="missing together"):
        generalise_quasi_identifiers(table.assign(work_lat=[np.nan, 0.0, 0.0, 0.0]), k=2)
    with pytest.raises(ValueError, match="empty"):
        generalise_quasi_identifiers(table.iloc[:0], k=2)


def test_qi_weak_settings_warn():
    """k = 1 and a suppression budget above 20 % both draw a LeakWarning."""
    table = people([(0, 0)] * 4, [1980] * 4, ["F"] * 4)
    with pytest.warns(LeakWarning, match="k=1"):
        generalise_quasi_identifiers(table, k=1, attributes=("home", "birth", "sex"))
    with pytest.warns(LeakWarning, match="max_suppression=0.3"):
        generalise_quasi_identifiers(table, k=2, max_suppression=0.3, attributes=("home", "birth", "sex"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        generalise_quasi_identifiers(table, k=2, max_suppression=0.2, attributes=("home", "birth", "sex"))


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
    assert r.mean_displacement_m == pytest.approx(999, abs=1)
    assert r.temporal_stretch_s == pytest.approx(225, abs=1)


# --- trajectories: validation and warnings ------------------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
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
