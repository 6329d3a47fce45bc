"""Tests for lab.mitigations.kanon_qi: k-anonymity of quasi-identifiers.

Every guarantee is checked by a separate, plain computation on the output:
class sizes by a pandas groupby of the published columns, and every published
cell and birth band checked to hold the raw value it replaces.
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
from lab.params import LeakWarning

ORIGIN = (-48.5, -123.0)
QI_COLUMNS = ["home_cell", "work_cell", "birth_years", "sex"]


# --- helpers: tables from local metres ----------------------------------------------------------


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
    """k = 5 on the classroom registry: home and work to the whole town, 5-year bands, 20 people suppressed."""
    table = registry_with_places(classroom)
    g = generalise_quasi_identifiers(table, k=5, max_suppression=0.05)
    assert g.levels == {"home": "*", "work": "*", "birth": "5 years", "sex": "sex"}
    assert len(g.suppressed) == 20
    assert g.suppressed_share == pytest.approx(20 / 400)
    assert class_sizes(g.table).min() >= 5
    assert g.ncp == pytest.approx(0.5347, abs=1e-4)


def test_classroom_registry_home_birth_sex(classroom):
    """Without the workplace, k = 5 still needs homes town-wide; 5 km cells would cost birth years and 9.75 %."""
    table = registry_with_places(classroom)
    g = generalise_quasi_identifiers(table, k=5, max_suppression=0.1, attributes=("home", "birth", "sex"))
    assert g.levels == {"home": "*", "birth": "5 years", "sex": "sex"}
    assert len(g.suppressed) == 20
    assert class_sizes(g.table).min() >= 5
    lattice = g.lattice.set_index(["home", "birth", "sex"])
    assert lattice.loc[("5 km", "*", "sex"), "suppressed_share"] == pytest.approx(39 / 400)
    assert lattice.loc[("5 km", "10 years", "sex"), "suppressed_share"] == pytest.approx(246 / 400)
    assert lattice["feasible"].sum() == 8


# --- quasi-identifiers: validation and warnings -------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
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
        generalise_quasi_identifiers(table, k=2, max_suppression=0.2, attributes=("home", "birth", "sex"),
                                     origin=(0.0, 0.0))
