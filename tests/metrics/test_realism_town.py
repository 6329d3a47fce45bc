"""The town scenario lands in every realism band of DESIGN.md."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.metrics.realism import realism_table
from lab.synth.scenario import load_scenario
from lab.world import generate_world


@pytest.mark.slow
def test_town_lands_in_every_band():
    """Every realism statistic of the town scenario (seed 1) lies inside its band."""
    sc = load_scenario("town")
    world = generate_world(sc, 1)
    keys = world.keys
    table = realism_table(
        visits=world.visits, places=world.places, people=world.people,
        start=pd.Timestamp(sc.start).tz_localize(sc.timezone), days=sc.days, origin=sc.origin,
        towers=world.towers, cdr=world.releases["cdr"],
        cdr_subscribers=int((keys["release"] == "cdr").sum()),
        sightings=world.releases["sightings"],
        tower_zones_m=(0.2 * sc.radius_km * 1000, 0.55 * sc.radius_km * 1000),
    )
    failed = table.loc[~table["ok"], ["statistic", "value", "low", "high"]]
    assert failed.empty, failed.to_string()
    assert len(table) == 13
