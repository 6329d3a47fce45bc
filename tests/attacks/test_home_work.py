"""Tests for lab.attacks.home_work."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.attacks.home_work import Modes, anonymity_sets, infer_home_work


def _obs(pseudonym, when, lat, lon):
    return {"pseudonym": pseudonym, "t": pd.Timestamp(when, tz="Etc/GMT+8"), "lat": lat, "lon": lon}


def test_home_at_night_work_in_office_hours():
    """Home is the night-time mode, work the weekday office-hours mode away from home."""
    rows = [_obs("a", "2031-03-03 23:00", -48.50, -123.00), _obs("a", "2031-03-04 02:00", -48.50, -123.00),
            _obs("a", "2031-03-04 10:00", -48.45, -123.05), _obs("a", "2031-03-04 11:00", -48.45, -123.05),
            _obs("a", "2031-03-04 12:00", -48.50, -123.00),  # lunch at home does not make home the workplace
            _obs("a", "2031-03-08 10:00", -48.40, -123.10)]  # a Saturday: not work
    hw = infer_home_work(pd.DataFrame(rows))
    assert hw.loc["a", ["home_lat", "home_lon", "work_lat", "work_lon"]].tolist() == [-48.50, -123.00, -48.45, -123.05]
    assert hw.loc["a", "work_n"] == 2


def test_no_daytime_away_means_no_work():
    """Someone never seen away from home in working hours has no inferred work."""
    rows = [_obs("b", "2031-03-03 23:00", -48.5, -123.0), _obs("b", "2031-03-04 10:00", -48.5, -123.0)]
    hw = infer_home_work(pd.DataFrame(rows))
    assert pd.isna(hw.loc["b", "work_lat"])


def test_modes_validated():
    """Impossible hours are refused in plain language."""
    with pytest.raises(ValueError, match="night hours"):
        Modes(night=(5, 5))


def test_anonymity_sets_nest():
    """Coarser geographies never shrink an anonymity set; obvious sizes by eye."""
    pairs = pd.DataFrame({
        "home_lat": [-48.4996, -48.4995, -48.5296, -48.4996],
        "home_lon": [-122.9996, -122.9995, -122.9996, -122.9996],
        "work_lat": [-48.3996, -48.3995, -48.3996, -48.2996],
        "work_lon": [-123.0996, -123.0996, -123.0996, -123.0996],
    }, index=pd.Index(list("abcd"), name="pseudonym"))
    sizes, summary, cdf = anonymity_sets(pairs, origin=(-48.5, -123.0))
    assert sizes.loc["a", "block"] == 2 and sizes.loc["c", "block"] == 1 and sizes.loc["d", "block"] == 1
    assert (sizes["tract"] >= sizes["block"]).all() and (sizes["district"] >= sizes["tract"]).all()
    assert summary.loc["block", "share_unique"] == pytest.approx(0.5)
    block = cdf[cdf["geography"] == "block"]
    assert block["size"].tolist() == [1, 2] and block["share"].tolist() == [0.5, 1.0]


def test_gps_home_work_is_near_unique_at_block_level(classroom):
    """From the classroom GPS, (home, work) pairs are mostly unique at block level, far fewer at district level."""
    gps = classroom.releases["gps"]
    hw = infer_home_work(gps.assign(lat=gps["lat"].round(3), lon=gps["lon"].round(3)))
    _, summary, _ = anonymity_sets(hw)
    assert summary.loc["block", "share_unique"] > 0.8
    assert summary.loc["district", "median"] > summary.loc["block", "median"]


from collections import Counter  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lab.geo import to_local  # noqa: E402
from lab.grid import grid_cell  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)),
                min_size=1, max_size=30))
def test_anonymity_sets_match_brute_force(cells):
    """Each pseudonym's set size equals the number of pseudonyms with the same pair of cells, counted directly."""
    origin = (-48.5, -123.0)
    step = 0.0045  # about 500 m of latitude: points land well inside distinct 200 m cells
    pairs = pd.DataFrame({
        "home_lat": [origin[0] + step * a + 0.0009 for a, _, _, _ in cells],
        "home_lon": [origin[1] + step * b + 0.0013 for _, b, _, _ in cells],
        "work_lat": [origin[0] + step * c + 0.0009 for _, _, c, _ in cells],
        "work_lon": [origin[1] + step * d + 0.0013 for _, _, _, d in cells],
    }, index=pd.Index([f"u{i}" for i in range(len(cells))], name="pseudonym"))
    sizes, _, _ = anonymity_sets(pairs, geographies={"block": 200.0}, origin=origin)
    hx, hy = to_local(pairs["home_lat"], pairs["home_lon"], origin=origin)
    wx, wy = to_local(pairs["work_lat"], pairs["work_lon"], origin=origin)
    keys = list(zip(grid_cell(hx, hy, cell_m=200.0), grid_cell(wx, wy, cell_m=200.0)))
    counts = Counter(keys)
    assert sizes["block"].tolist() == [counts[k] for k in keys]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 13 * 24 - 1), st.integers(0, 2)), min_size=1, max_size=25))
def test_home_is_the_night_mode_by_brute_force(obs):
    """A plain loop agrees: home is the most frequent night location (ties: first seen, then lower latitude)."""
    base = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")
    lats = [-48.50, -48.45, -48.40]
    rel = pd.DataFrame({"pseudonym": "a", "t": [base + pd.Timedelta(hours=h) for h, _ in obs],
                        "lat": [lats[i] for _, i in obs], "lon": -123.0})
    night = sorted([(base + pd.Timedelta(hours=h), lats[i]) for h, i in obs
                    if (base + pd.Timedelta(hours=h)).hour >= 20 or (base + pd.Timedelta(hours=h)).hour < 7])
    hw = infer_home_work(rel)
    if not night:
        assert pd.isna(hw.loc["a", "home_lat"])
        return
    counts = Counter(lat for _, lat in night)
    first = {}
    for t, lat in night:
        first.setdefault(lat, t)
    best = sorted(counts, key=lambda lat: (-counts[lat], first[lat], lat))[0]
    assert hw.loc["a", "home_lat"] == best


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list("abc")), st.sampled_from([22, 23, 34, 35]), st.integers(0, 2)),
                min_size=1, max_size=16), st.data())
def test_home_work_ignores_row_order(obs, data):
    """Shuffling the rows, simultaneous records included, never changes the inferred homes and workplaces."""
    base = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")  # a Monday: hours 22-23 are night, 34-35 Tuesday's office hours
    lats = [-48.50, -48.45, -48.40]
    rel = pd.DataFrame({"pseudonym": [u for u, _, _ in obs], "t": [base + pd.Timedelta(hours=h) for _, h, _ in obs],
                        "lat": [lats[i] for _, _, i in obs], "lon": -123.0})
    perm = data.draw(st.permutations(range(len(rel))))
    pd.testing.assert_frame_equal(infer_home_work(rel), infer_home_work(rel.iloc[perm]))


def test_simultaneous_night_records_go_to_the_lower_latitude():
    """Two night records at one instant and no other: home is the lower latitude, whichever row comes first."""
    rows = [_obs("a", "2031-03-03 23:00", -48.45, -123.0), _obs("a", "2031-03-03 23:00", -48.50, -123.0)]
    for frame in (pd.DataFrame(rows), pd.DataFrame(rows[::-1])):
        assert infer_home_work(frame).loc["a", "home_lat"] == -48.50
