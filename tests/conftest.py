"""One seeded small world shared by the whole suite."""

from __future__ import annotations

import pytest

from lab.synth.scenario import load_scenario
from lab.world import World, generate_world

#: Seed of the shared classroom world.
SEED = 7


@pytest.fixture(scope="session")
def classroom() -> World:
    """The classroom scenario (400 people, 14 days) generated in memory with seed 7."""
    return generate_world(load_scenario("classroom"), SEED)
