"""Real PostgreSQL servers for the database tests: skipped with a reason when PostgreSQL is not
installed on a laptop, a failure under CI=true."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from lab.db.binaries import PostgresMissing, find_bin

from ..conftest import require


def postgres_or_skip() -> Path:
    """The PostgreSQL binaries, or a skip (a failure in CI)."""
    try:
        return find_bin()
    except PostgresMissing as exc:
        require(False, f"PostgreSQL is not installed: {exc}")


@pytest.fixture
def state_root():
    """A folder the server's unprivileged user can reach (pytest's own tmp folders are private to root)."""
    root = Path(tempfile.mkdtemp(prefix="lab-db-test-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def small_world():
    """A 60-person town over 3 days, with its camera sightings."""
    from lab.synth.scenario import load_scenario
    from lab.world import generate_world

    return generate_world(load_scenario("classroom", population=60, days=3), seed=2)
