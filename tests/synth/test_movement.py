"""Tests for lab.synth.movement."""

from __future__ import annotations

import numpy as np
import pytest

from lab.synth.city import PLACE_KINDS, build_town
from lab.synth.movement import Explorer, PlaceIndex, jump_to_places, truncated_power_law
from lab.synth.scenario import load_scenario


def test_truncated_power_law_bounds_and_slope():
    """Draws stay in [low, high] and their log-density falls with slope -beta."""
    rng = np.random.default_rng(0)
    d = truncated_power_law(400_000, beta=2.0, low=100.0, high=100_000.0, rng=rng)
    assert d.min() >= 100.0 and d.max() <= 100_000.0
    edges = np.logspace(2.2, 4, 12)
    hist, _ = np.histogram(d, bins=edges)
    centres = np.sqrt(edges[1:] * edges[:-1])
    slope = np.polyfit(np.log(centres), np.log(hist / np.diff(edges)), 1)[0]
    assert slope == pytest.approx(-2.0, abs=0.05)


@pytest.fixture(scope="module")
def town():
    return build_town(load_scenario("classroom"), 3)


def test_jumps_land_on_places_of_the_kind(town):
    """Every jump lands on a place of the requested kind."""
    idx = PlaceIndex(town)
    rng = np.random.default_rng(1)
    shop = PLACE_KINDS.index("shop")
    out = jump_to_places(np.zeros(500), np.zeros(500), (shop,), idx, beta=2.0, low=300.0, rng=rng)
    assert (town.place_kind[out] == shop).all()


def test_explorer_returns_to_known_places(town):
    """With no chance to explore after the first choice, a person returns to a place already known."""
    idx = PlaceIndex(town)
    rng = np.random.default_rng(2)
    ex = Explorer(3)
    people = np.arange(3)
    kinds = np.zeros(3, dtype=np.int64)
    groups = [(PLACE_KINDS.index("shop"),)]
    first = ex.choose(people, np.zeros(3), np.zeros(3), kinds, groups, idx, rho=1.0, gamma=0.2,
                      beta=2.0, low=300.0, base=np.ones(3), rng=rng)
    again = ex.choose(people, np.zeros(3), np.zeros(3), kinds, groups, idx, rho=0.0, gamma=0.2,
                      beta=2.0, low=300.0, base=np.ones(3), rng=rng)
    assert (first == again).all()
    assert (ex.known == 1).all() and (ex.counts.sum(axis=1) == 2).all()


def test_explorer_exploration_slows_down(town):
    """Distinct places grow sublinearly: later choices explore less often than early ones."""
    idx = PlaceIndex(town)
    rng = np.random.default_rng(3)
    n = 2000
    ex = Explorer(n)
    groups = [(PLACE_KINDS.index("shop"), PLACE_KINDS.index("restaurant"))]
    known = []
    for _ in range(40):
        ex.choose(np.arange(n), np.zeros(n), np.zeros(n), np.zeros(n, dtype=np.int64), groups, idx,
                  rho=0.6, gamma=0.4, beta=2.0, low=300.0, base=np.ones(n), rng=rng)
        known.append(ex.known.mean())
    assert known[9] - known[0] > known[39] - known[30]
    assert known[-1] < 40


def test_nearest_unknown_skips_known_places(town):
    """The nearest place not in a point's row of known places is returned, padding ignored."""
    idx = PlaceIndex(town)
    shop = (PLACE_KINDS.index("shop"),)
    first = idx.nearest(np.zeros(1), np.zeros(1), shop)
    second = idx.nearest_unknown(np.zeros(1), np.zeros(1), shop, np.array([[first[0], -1]]))
    assert second[0] != first[0] and town.place_kind[second[0]] == shop[0]
    tree, places = idx.tree(shop)
    _, j = tree.query([0.0, 0.0], k=2)
    assert second[0] == places[j[1]]
    assert idx.nearest_unknown(np.zeros(1), np.zeros(1), shop, np.array([[-1, -1]]))[0] == first[0]


def test_explorations_find_new_places_even_for_homebound_people(town):
    """A person whose jumps are metres long still explores a new place each time, not the nearest shop again."""
    idx = PlaceIndex(town)
    rng = np.random.default_rng(4)
    ex = Explorer(1)
    groups = [(PLACE_KINDS.index("shop"),)]
    seen = [ex.choose(np.zeros(1, dtype=np.int64), np.zeros(1), np.zeros(1), np.zeros(1, dtype=np.int64), groups,
                      idx, rho=1.0, gamma=1e-9, beta=3.0, low=1.0, base=np.ones(1), rng=rng)[0] for _ in range(5)]
    assert len(set(seen)) == 5
    assert ex.known[0] == 5
