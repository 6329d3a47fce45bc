"""Visits to sensitive places and the community they reveal, on hand-made and classroom data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.attacks.sensitive import busiest_weekday, infer_attribute, regular_visitors, snap_to_places
from lab.attacks.traces import ReleaseError
from lab.geo import to_latlon
from lab.metrics.inference_score import attribute_accuracy, attribute_truth

TZ = "Etc/GMT+8"
MONDAY = pd.Timestamp("2031-03-03", tz=TZ)
ORIGIN = (-48.5, -123.0)

#: Two places of worship, a clinic and a shop, 1 km apart on an east-west line.
PLACE_XY = {"pl1": (0.0, 0.0), "pl2": (1000.0, 0.0), "pl3": (2000.0, 0.0), "pl4": (3000.0, 0.0)}
_lat, _lon = to_latlon([x for x, _ in PLACE_XY.values()], [y for _, y in PLACE_XY.values()], origin=ORIGIN)
PLACES = pd.DataFrame({
    "place_id": list(PLACE_XY), "kind": ["worship", "worship", "clinic", "shop"], "lat": _lat, "lon": _lon,
    "community": ["Aster", "Brine", None, None],
})


def make_release(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    """Observations from ``(pseudonym, x metres, y metres, days after Monday 2031-03-03 00:00)``."""
    frame = pd.DataFrame(rows, columns=["pseudonym", "x", "y", "day"])
    lat, lon = to_latlon(frame["x"].to_numpy(float), frame["y"].to_numpy(float), origin=ORIGIN)
    t = (MONDAY + pd.to_timedelta(frame["day"], unit="D")).astype(f"datetime64[ms, {TZ}]")
    return pd.DataFrame({"pseudonym": frame["pseudonym"], "t": t, "lat": lat, "lon": lon})


FRIDAY_EVENING = 4 + 19 / 24
RELEASE = make_release([
    # ad-1 worships at pl1 three Fridays running (a few metres off), and once at pl2.
    ("ad-1", 5, 3, FRIDAY_EVENING), ("ad-1", -4, 2, FRIDAY_EVENING + 7), ("ad-1", 0, 8, FRIDAY_EVENING + 14),
    ("ad-1", 1003, 0, 2.5),
    # ad-2 is at pl1 three times in one evening: one visit.
    ("ad-2", 1, 1, FRIDAY_EVENING), ("ad-2", 2, 2, FRIDAY_EVENING + 0.01), ("ad-2", 3, 3, FRIDAY_EVENING + 0.02),
    # ad-3 goes to the clinic on three days of one week, and passes 30 m from the shop.
    ("ad-3", 2000, 10, 1.4), ("ad-3", 2010, 0, 2.4), ("ad-3", 1990, -5, 3.4), ("ad-3", 3030, 0, 3.5),
    # ad-4 is never near a sensitive place.
    ("ad-4", 500, 500, 1.0),
])


def test_snap_to_places_nearest_within_radius():
    """Observations within the radius take the nearest sensitive place; others, and shops, none."""
    snapped = snap_to_places(RELEASE, PLACES, radius_m=50)
    assert snapped.tolist() == ["pl1"] * 3 + ["pl2"] + ["pl1"] * 3 + ["pl3"] * 3 + [None, None]
    assert snapped.index.equals(RELEASE.index)


def test_snap_to_places_radius_and_kinds():
    """A 5 m radius keeps only the closest fixes; kinds=('clinic',) ignores worship."""
    assert snap_to_places(RELEASE, PLACES, radius_m=5).notna().sum() == 5
    clinic = snap_to_places(RELEASE, PLACES, kinds=("clinic",), radius_m=50)
    assert set(clinic.dropna()) == {"pl3"} and clinic.notna().sum() == 3


def test_regular_visitors_counts_visits_and_weeks():
    """ad-1 is a regular of pl1 (3 visits, 3 weeks); one evening or one week is not regular."""
    rv = regular_visitors(RELEASE, PLACES).set_index(["pseudonym", "place_id"])
    assert rv.loc[("ad-1", "pl1"), ["observations", "visits", "weeks", "regular"]].tolist() == [3, 3, 3, True]
    assert rv.loc[("ad-1", "pl2"), ["visits", "regular"]].tolist() == [1, False]
    assert rv.loc[("ad-2", "pl1"), ["observations", "visits", "regular"]].tolist() == [3, 1, False]
    assert rv.loc[("ad-3", "pl3"), ["kind", "visits", "weeks", "regular"]].tolist() == ["clinic", 3, 1, False]
    assert "ad-4" not in rv.index.get_level_values("pseudonym")


def test_regular_visitors_thresholds_and_bins():
    """min_weeks=1 makes the clinic a regular; hourly bins split ad-2's evening only if it spans hours."""
    rv = regular_visitors(RELEASE, PLACES, min_weeks=1).set_index(["pseudonym", "place_id"])
    assert rv.loc[("ad-3", "pl3"), "regular"]
    hourly = regular_visitors(RELEASE, PLACES, hours=1).set_index(["pseudonym", "place_id"])
    assert hourly.loc[("ad-2", "pl1"), "visits"] == 1


def test_regular_visitors_first_and_last():
    """first and last are the first and last instants seen at the place."""
    rv = regular_visitors(RELEASE, PLACES).set_index(["pseudonym", "place_id"])
    assert rv.loc[("ad-1", "pl1"), "first"] == MONDAY + pd.Timedelta(days=FRIDAY_EVENING)
    assert rv.loc[("ad-1", "pl1"), "last"] == MONDAY + pd.Timedelta(days=FRIDAY_EVENING + 14)


def test_weeks_start_on_monday():
    """Sunday and the following Monday are different weeks; Monday and Sunday of one week are not."""
    same = make_release([("a", 0, 0, 0.5), ("a", 0, 0, 6.5)])
    split = make_release([("a", 0, 0, 6.5), ("a", 0, 0, 7.5)])
    assert regular_visitors(same, PLACES)["weeks"].tolist() == [1]
    assert regular_visitors(split, PLACES)["weeks"].tolist() == [2]


def test_regular_visitors_with_no_visit_is_empty():
    """A release never near a sensitive place gives an empty table with the documented columns."""
    rv = regular_visitors(RELEASE[RELEASE["pseudonym"] == "ad-4"], PLACES)
    assert len(rv) == 0
    assert rv.columns.tolist() == ["pseudonym", "place_id", "kind", "observations", "visits", "weeks",
                                   "first", "last", "regular"]


def test_inputs_are_not_mutated():
    """The release and places tables are unchanged."""
    release, places = RELEASE.copy(), PLACES.copy()
    regular_visitors(release, places)
    infer_attribute(release, places)
    pd.testing.assert_frame_equal(release, RELEASE)
    pd.testing.assert_frame_equal(places, PLACES)


def test_infer_attribute_by_eye():
    """ad-1 (3 visits to Aster's pl1, 1 to Brine's pl2) is Aster with confidence 3/4; ad-3, ad-4 unknown."""
    pred = infer_attribute(RELEASE, PLACES, gathering_day=False).set_index("pseudonym")
    assert pred.loc["ad-1", ["prediction", "confidence", "visits", "places"]].tolist() == ["Aster", 0.75, 4, 2]
    assert pred.loc["ad-2", ["prediction", "confidence"]].tolist() == ["Aster", 1.0]
    assert pred.loc[["ad-3", "ad-4"], "prediction"].isna().all()
    assert pred.loc[["ad-3", "ad-4"], "visits"].tolist() == [0, 0]
    assert pred.index.tolist() == ["ad-1", "ad-2", "ad-3", "ad-4"]


def test_busiest_weekday_by_eye():
    """The weekday with most distinct visitors wins; a tie goes to the earlier weekday."""
    visits = pd.DataFrame({
        "pseudonym": ["a", "a", "b", "c", "a", "b"],
        "place_id": ["pl1", "pl1", "pl1", "pl1", "pl2", "pl2"],
        "weekday": [0, 0, 4, 4, 6, 2],
    })
    assert busiest_weekday(visits).to_dict() == {"pl1": 4, "pl2": 2}


def test_infer_attribute_on_the_gathering_day_ignores_other_days():
    """A neighbour seen every weekday counts only on the busiest weekday, Friday, when the congregation meets."""
    pred = infer_attribute(RELEASE, PLACES).set_index("pseudonym")
    assert pred.loc["ad-1", ["prediction", "visits"]].tolist() == ["Aster", 4]
    release = make_release([("n", 1000, 0, d + 0.9) for d in range(5)] + [("m", 1000, 0, 4.9), ("m", 1000, 0, 11.9)])
    pred = infer_attribute(release, PLACES).set_index("pseudonym")
    assert pred["visits"].to_dict() == {"m": 2, "n": 1}
    assert infer_attribute(release, PLACES, gathering_day=False).set_index("pseudonym")["visits"].to_dict() == {
        "m": 2, "n": 5}


def test_infer_attribute_ties_go_to_the_first_value():
    """One visit each to Aster and Brine predicts Aster with confidence 1/2."""
    release = make_release([("a", 0, 0, 0.5), ("a", 1000, 0, 1.5)])
    pred = infer_attribute(release, PLACES, gathering_day=False)
    assert pred[["prediction", "confidence"]].values.tolist() == [["Aster", 0.5]]


def test_infer_attribute_thresholds():
    """With min_visits=2 only ad-1's pl1 visits count."""
    pred = infer_attribute(RELEASE, PLACES, min_visits=2, gathering_day=False).set_index("pseudonym")
    assert pred.loc["ad-1", ["prediction", "confidence", "visits"]].tolist() == ["Aster", 1.0, 3]
    assert pd.isna(pred.loc["ad-2", "prediction"])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"radius_m": 0}, "radius_m"),
    ({"min_visits": 0}, "min_visits"),
    ({"min_weeks": 1.5}, "min_weeks"),
    ({"hours": -1}, "hours"),
    ({"kinds": ()}, "kinds"),
    ({"kinds": "worship"}, "kinds"),
    ({"kinds": ("temple",)}, "no place of kind temple"),
])
def test_regular_visitors_validates_parameters(kwargs, message):
    """Bad parameters are refused with a message naming the problem."""
    with pytest.raises(ValueError, match=message):
        regular_visitors(RELEASE, PLACES, **kwargs)


def test_infer_attribute_validates_places():
    """Places without the attribute, or with no value of it, are refused."""
    with pytest.raises(ValueError, match="missing column"):
        infer_attribute(RELEASE, PLACES.drop(columns="community"))
    with pytest.raises(ValueError, match="has a value of 'community'"):
        infer_attribute(RELEASE, PLACES, kinds=("clinic",))


def test_release_is_checked():
    """A release missing its time column is refused."""
    with pytest.raises(ReleaseError, match="missing column"):
        regular_visitors(RELEASE.drop(columns="t"), PLACES)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 20), st.integers(0, 23)),
                     min_size=1, max_size=30),
       min_visits=st.integers(1, 3), min_weeks=st.integers(1, 2))
def test_regular_visitors_matches_brute_force(rows, min_visits, min_weeks):
    """Visits (distinct days), weeks and the regular flag equal a loop over the observations."""
    positions = [PLACE_XY["pl1"], PLACE_XY["pl2"], PLACE_XY["pl3"], PLACE_XY["pl4"], (500.0, 0.0)]
    release = make_release([(f"u{u}", positions[p][0] + 7, positions[p][1], d + h / 24 + 0.01)
                            for u, p, d, h in rows])
    expected: dict[tuple[str, str], tuple[set, set]] = {}
    for u, p, d, _h in rows:
        if p in (0, 1, 2):
            days, weeks = expected.setdefault((f"u{u}", f"pl{p + 1}"), (set(), set()))
            days.add(d)
            weeks.add(d // 7)
    got = regular_visitors(release, PLACES, min_visits=min_visits, min_weeks=min_weeks)
    want = sorted((u, pl, len(days), len(weeks), len(days) >= min_visits and len(weeks) >= min_weeks)
                  for (u, pl), (days, weeks) in expected.items())
    assert got[["pseudonym", "place_id", "visits", "weeks", "regular"]].values.tolist() == [list(w) for w in want]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 13)), min_size=1, max_size=25))
def test_infer_attribute_matches_brute_force(rows):
    """Predictions and confidences equal a vote counted by hand (any day, any visit)."""
    community = {0: "Aster", 1: "Brine"}
    positions = [PLACE_XY["pl1"], PLACE_XY["pl2"], (500.0, 0.0)]
    release = make_release([(f"u{u}", *positions[p], d + 0.5) for u, p, d in rows])
    votes: dict[str, dict[str, set]] = {}
    for u, p, d in rows:
        votes.setdefault(f"u{u}", {})
        if p in community:
            votes[f"u{u}"].setdefault(community[p], set()).add(d)
    pred = infer_attribute(release, PLACES, gathering_day=False).set_index("pseudonym")
    for u, by in votes.items():
        if not by:
            assert pd.isna(pred.loc[u, "prediction"])
            continue
        counts = {c: len(days) for c, days in by.items()}
        best = min(counts, key=lambda c: (-counts[c], c))
        assert pred.loc[u, "prediction"] == best
        assert pred.loc[u, "confidence"] == pytest.approx(counts[best] / sum(counts.values()))


# ---- the classroom world ----------------------------------------------------------------------


@pytest.mark.parametrize(("release", "radius_m", "margin"), [("sightings", 50, 0.4), ("gps", 50, 0.1)])
def test_classroom_community_beats_the_base_rate(classroom, release, radius_m, margin):
    """Community inferred from visits to places of worship beats guessing the majority community."""
    pred = infer_attribute(classroom.releases[release], classroom.places, radius_m=radius_m)
    score = attribute_accuracy(pred, attribute_truth(classroom.people, classroom.keys, release))
    assert score["covered"] >= 20
    assert score["accuracy"] >= score["base_rate"] + margin


def test_classroom_regular_worshippers_are_mostly_of_that_community(classroom):
    """Most regulars of a place of worship in the sightings belong to the community it serves."""
    rv = regular_visitors(classroom.releases["sightings"], classroom.places, kinds=("worship",), min_visits=2)
    rv = rv[rv["regular"]]
    serves = classroom.places.set_index("place_id")["community"].reindex(rv["place_id"]).to_numpy()
    truth = attribute_truth(classroom.people, classroom.keys, "sightings").reindex(rv["pseudonym"]).to_numpy()
    assert len(rv) >= 20
    assert np.mean(serves == truth) >= 0.9
