"""The town scenario lands near the middle of every realism band of DESIGN.md and keeps its unicity."""

from __future__ import annotations

import math

import pytest

from lab.attacks.unicity import unicity
from lab.metrics.realism import BANDS, realism_for_world
from lab.store import read_table
from lab.synth.scenario import load_scenario
from lab.world import write_world

#: One-sided bands have no middle: the floor each must clear on the town instead.
FLOORS = {"rg_p90_p50": 3.5, "cdr_events_cv": 1.5}


def inner_half(name: str) -> tuple[float, float]:
    """The middle half of a band (a quarter of its width in from each end); one-sided bands use FLOORS."""
    band = BANDS[name]
    if math.isinf(band.high):
        return FLOORS[name], math.inf
    quarter = (band.high - band.low) / 4
    return band.low + quarter, band.high - quarter


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """The town scenario, seed 1, written as ``privacy-lab generate town --seed 1`` writes it."""
    root = tmp_path_factory.mktemp("town") / "world"
    write_world(load_scenario("town"), 1, root)
    return root


@pytest.mark.slow
def test_town_lands_in_the_inner_half_of_every_band(town):
    """Every realism statistic of the town (seed 1) lies in the middle half of its band."""
    table = realism_for_world(town)
    assert table["statistic"].tolist() == list(BANDS)
    bounds = table["statistic"].map(inner_half)
    inside = [lo <= v <= hi for v, (lo, hi) in zip(table["value"], bounds, strict=True)]
    report = table.assign(inner=bounds)[["statistic", "value", "inner"]]
    assert all(inside), report[[not ok for ok in inside]].to_string()
    assert table["ok"].all()


@pytest.mark.slow
def test_town_cdr_keeps_the_unicity_of_the_paper(town):
    """On the town's CDR (tower × hour), 2 points single out more than half and 4 points 85-98 %."""
    cdr = read_table(town, "cdr")
    e2 = unicity(cdr, p=2, space="tower_id", hours=1.0, rng=0, n_boot=100).share
    e4 = unicity(cdr, p=4, space="tower_id", hours=1.0, rng=0, n_boot=100).share
    assert e2 > 0.5
    assert 0.85 <= e4 <= 0.98
