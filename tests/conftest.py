"""One seeded small world shared by the whole suite, and the one rule for components a test needs."""

from __future__ import annotations

import os

import pytest

from lab.synth.scenario import load_scenario
from lab.world import World, generate_world


def in_ci() -> bool:
    """Whether the suite runs in CI (``CI=true``), where every component a test needs must be installed."""
    return os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Go on when a component is there; else skip with ``reason`` on a laptop, and fail under CI.

    The one rule for real components (PostgreSQL, Chromium, Landlock): a laptop without one
    still runs the rest of the suite and says what it left out; CI, which installs them all,
    never passes by skipping.
    """
    if available:
        return
    if in_ci():
        pytest.fail(f"CI must provide this, and does not: {reason}", pytrace=False)
    pytest.skip(reason)


#: Seed of the shared classroom world.
SEED = 7


@pytest.fixture(scope="session")
def classroom() -> World:
    """The classroom scenario (400 people, 14 days) generated in memory with seed 7."""
    return generate_world(load_scenario("classroom"), SEED)
