"""Tests for lab.synth.routines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.synth.routines import build_stays


def test_build_stays_fills_home_and_travel():
    """One activity becomes home → activity → home, with travel time between."""
    x = np.array([0.0, 6000.0])
    y = np.zeros(2)
    st = build_stays(np.array([0]), np.array([1]), np.array([36_000.0]), np.array([64_800.0]),
                     home=np.array([0, 0]), x=x, y=y, period=(0, 86_400), speed_ms=10.0, n_people=2)
    first = st.person == 0
    assert st.place[first].tolist() == [0, 1, 0]
    # 6 km at 10 m/s is 600 s, plus 300 s per trip.
    assert st.end[first][0] == 36_000 - 900 and st.start[first][2] == 64_800 + 900
    # Person 1 had no activity: home all period.
    assert st.place[~first].tolist() == [0] and st.start[~first][0] == 0 and st.end[~first][0] == 86_400


def test_build_stays_goes_home_only_when_gap_allows():
    """A long gap sends the person home between activities; a short one is a direct trip."""
    x = np.array([0.0, 1000.0, 2000.0])
    y = np.zeros(3)
    person = np.zeros(3, dtype=np.int64)
    place = np.array([1, 2, 1])
    start = np.array([10_000.0, 20_000.0, 21_500.0])
    end = np.array([19_000.0, 21_000.0, 30_000.0])
    st = build_stays(person, place, start, end, home=np.array([0]), x=x, y=y,
                     period=(0, 86_400), speed_ms=10.0, n_people=1)
    assert st.place.tolist() == [0, 1, 2, 1, 0]


def test_build_stays_merges_same_place():
    """Consecutive activities at one place become one stay."""
    x = np.array([0.0, 500.0])
    y = np.zeros(2)
    st = build_stays(np.zeros(2, dtype=np.int64), np.array([1, 1]), np.array([10_000.0, 15_000.0]),
                     np.array([14_000.0, 20_000.0]), home=np.array([0]), x=x, y=y,
                     period=(0, 86_400), speed_ms=10.0, n_people=1)
    assert st.place.tolist() == [0, 1, 0]
    assert st.end[1] == 20_000


def test_visits_are_a_valid_timeline(classroom):
    """Each person's visits start at the period start, never overlap and end at the period end."""
    v = classroom.visits
    sc = classroom.scenario
    t0 = pd.Timestamp(sc.start).tz_localize(sc.timezone)
    t1 = t0 + pd.Timedelta(days=sc.days)
    assert (v["end"] > v["start"]).all()
    g = v.groupby("person_id", sort=False)
    assert (g["start"].min() == t0).all() and (g["end"].max() == t1).all()
    same = v["person_id"].to_numpy()[1:] == v["person_id"].to_numpy()[:-1]
    assert (v["start"].to_numpy()[1:][same] >= v["end"].to_numpy()[:-1][same]).all()
    assert (v["place_id"].to_numpy()[1:][same] != v["place_id"].to_numpy()[:-1][same]).all()
    assert v["person_id"].nunique() == len(classroom.people)


def test_workers_go_to_work_on_weekdays(classroom):
    """Commuters spend weekday working hours at their workplace far more than at weekends."""
    v = classroom.visits.merge(classroom.people[["person_id", "work_id", "archetype"]], on="person_id")
    at_work = v[(v["archetype"] == "commuter") & (v["place_id"] == v["work_id"])]
    weekday = at_work["start"].dt.day_of_week < 5
    assert weekday.mean() > 0.95
    hours = at_work["start"].dt.hour
    assert hours.between(5, 12).mean() > 0.8


def test_worship_on_community_day(classroom):
    """Each community's gatherings fall mostly on one weekday."""
    v = classroom.visits.merge(classroom.places[["place_id", "kind", "community"]], on="place_id")
    w = v[v["kind"] == "worship"]
    share = w.groupby("community")["start"].agg(lambda s: s.dt.day_of_week.value_counts(normalize=True).iloc[0])
    assert (share > 0.9).all()


def test_build_stays_gets_home_before_the_period_ends():
    """An activity running into the last minutes is cut so the person is home when the period ends."""
    x = np.array([0.0, 9000.0])
    y = np.zeros(2)
    st = build_stays(np.array([0]), np.array([1]), np.array([80_000.0]), np.array([86_300.0]),
                     home=np.array([0]), x=x, y=y, period=(0, 86_400), speed_ms=10.0, n_people=1)
    assert st.place.tolist() == [0, 1, 0]
    assert st.start[0] == 0 and st.end[-1] == 86_400
    # 9 km at 10 m/s is 900 s, plus 300 s: the activity ends 1,200 s before home, which starts 900 s before the end.
    assert st.end[1] == 86_400 - 900 - 1200 and st.start[2] == 86_400 - 900


def test_build_stays_drops_what_no_longer_fits():
    """An activity that cannot fit before the end is dropped and the day ends at home."""
    x = np.array([0.0, 9000.0, 1000.0])
    y = np.zeros(3)
    st = build_stays(np.zeros(2, dtype=np.int64), np.array([2, 1]), np.array([60_000.0, 85_000.0]),
                     np.array([70_000.0, 86_000.0]), home=np.array([0]), x=x, y=y,
                     period=(0, 86_400), speed_ms=10.0, n_people=1)
    assert st.place.tolist() == [0, 2, 0]
    assert st.end[-1] == 86_400


def test_people_without_work_have_a_regular_place(classroom):
    """Homebodies and retirees return to one local park, shop or café on most days."""
    v = classroom.visits.merge(classroom.people[["person_id", "home_id", "archetype"]], on="person_id")
    idle = v[v["archetype"].isin(["homebody", "retiree"]) & (v["place_id"] != v["home_id"])]
    idle = idle.assign(day=idle["start"].dt.floor("D"))
    days_at = idle.groupby(["person_id", "place_id"])["day"].nunique()
    top = days_at.groupby(level="person_id").max() / classroom.scenario.days
    assert top.median() > 0.5
    kinds = classroom.places.set_index("place_id")["kind"]
    favourite = days_at.groupby(level="person_id").idxmax().map(lambda pair: kinds[pair[1]])
    assert favourite.isin(["park", "shop", "restaurant"]).mean() > 0.9
