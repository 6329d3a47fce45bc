"""Tests for :mod:`lab.observe.trace`: where a person is at an instant, and when phones are used."""

from __future__ import annotations

import numpy as np
import pytest

from lab.observe.trace import draw_times, hour_profile, locate
from lab.synth.routines import Stays

# Three places on the x axis: A at 0 m, B at 1,000 m, C at 5,000 m (and 300 m north).
X = np.array([0.0, 1_000.0, 5_000.0])
Y = np.array([0.0, 0.0, 300.0])
A, B, C = 0, 1, 2


def one_person() -> Stays:
    """At A from 0 to 100 s, travelling 100-200 s, at B from 200 to 300 s."""
    return Stays(person=np.array([0, 0]), place=np.array([A, B]),
                 start=np.array([0, 200]), end=np.array([100, 300]))


def two_people() -> Stays:
    """Person 0 as in :func:`one_person`; person 1 at C from 0 to 300 s."""
    return Stays(person=np.array([0, 0, 1]), place=np.array([A, B, C]),
                 start=np.array([0, 200, 0]), end=np.array([100, 300, 300]))


def test_locate_at_a_place_and_halfway():
    """At t=50 the person is at A, at t=150 halfway to B, at t=250 at B."""
    px, py, stay = locate(one_person(), np.zeros(3, dtype=np.int64), np.array([50, 150, 250]), X, Y)
    assert px.tolist() == [0.0, 500.0, 1_000.0]
    assert py.tolist() == [0.0, 0.0, 0.0]
    assert stay.tolist() == [0, 0, 1]  # while travelling: the stay just left


def test_locate_along_the_trip():
    """Travel is linear in time: a quarter of the gap is a quarter of the way."""
    t = np.array([0, 99, 100, 125, 175, 200])
    px, _, _ = locate(one_person(), np.zeros(len(t), dtype=np.int64), t, X, Y)
    assert px.tolist() == [0.0, 0.0, 0.0, 250.0, 750.0, 1_000.0]


def test_locate_after_the_last_stay_keeps_the_last_place():
    """After the person's last stay ends they stay at its place."""
    px, _, stay = locate(one_person(), np.array([0]), np.array([10_000]), X, Y)
    assert px.tolist() == [1_000.0]
    assert stay.tolist() == [1]


def test_two_people_do_not_mix():
    """Person 1's stays never leak into person 0's position, nor the other way round."""
    stays = two_people()
    person = np.array([0, 0, 0, 0, 1, 1, 1])
    t = np.array([50, 150, 250, 299, 50, 150, 250])
    px, py, stay = locate(stays, person, t, X, Y)
    assert px.tolist() == [0.0, 500.0, 1_000.0, 1_000.0, 5_000.0, 5_000.0, 5_000.0]
    assert py.tolist() == [0.0, 0.0, 0.0, 0.0, 300.0, 300.0, 300.0]
    assert stay.tolist() == [0, 0, 1, 1, 2, 2, 2]


def test_last_stay_does_not_travel_towards_the_next_person():
    """Once person 0's last stay is over they do not drift towards person 1's first place."""
    stays = Stays(person=np.array([0, 0, 1]), place=np.array([A, B, C]),
                  start=np.array([0, 200, 0]), end=np.array([100, 300, 500]))
    px, py, stay = locate(stays, np.array([0, 0]), np.array([400, 499]), X, Y)
    assert px.tolist() == [1_000.0, 1_000.0]
    assert py.tolist() == [0.0, 0.0]
    assert stay.tolist() == [1, 1]


def test_instants_outside_the_stays_span_stay_with_their_person():
    """Before the first start or after the last end, a person is still at their own first or last place."""
    stays = two_people()
    px, py, _ = locate(stays, np.array([0, 1]), np.array([400, -50]), X, Y)
    assert px.tolist() == [1_000.0, 5_000.0]
    assert py.tolist() == [0.0, 300.0]


def test_locate_order_does_not_matter():
    """Queries in any order give the same answers as sorted queries."""
    stays = two_people()
    person = np.array([1, 0, 0, 1, 0])
    t = np.array([250, 150, 50, 10, 250])
    px, _py, _ = locate(stays, person, t, X, Y)
    assert px.tolist() == [5_000.0, 500.0, 0.0, 5_000.0, 1_000.0]


def test_hour_profile_is_a_distribution():
    """The hourly profile has 24 non-negative values summing to 1."""
    p = hour_profile()
    assert p.shape == (24,)
    assert np.all(p > 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_hour_profile_is_quiet_at_night():
    """3 a.m. is far quieter than noon, and the quietest hour is at night."""
    p = hour_profile()
    assert p[3] < p[12]
    assert p[3] < 0.25 * p[12]
    assert int(np.argmin(p)) in (2, 3, 4, 5)


def test_draw_times_follow_the_profile():
    """Drawn instants lie in their day and their hours follow :func:`hour_profile`."""
    rng = np.random.default_rng(5)
    day = np.repeat(np.array([0, 86_400 * 10]), 50_000)
    t = draw_times(day, rng)
    offset = t - day
    assert offset.min() >= 0 and offset.max() < 86_400
    share = np.bincount(offset // 3600, minlength=24) / len(t)
    assert np.allclose(share, hour_profile(), atol=0.005)
