"""Locked: the analyst counts sightings by district and hour, and reads nothing that identifies anyone."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import psycopg
import pytest

from lab.db.cluster import running
from lab.db.load import load_world
from lab.db.lock import ANALYST_PEOPLE_COLUMNS, IDENTIFYING_COLUMNS, lock

from .conftest import postgres_or_skip

K = 5


@pytest.fixture(scope="module")
def locked(small_world):
    """A locked server with the small world, its credentials, and the world."""
    postgres_or_skip()
    root = Path(tempfile.mkdtemp(prefix="lab-db-test-"))
    root.chmod(0o755)
    with running(root / "s", mode="locked") as server:
        load_world(server, small_world)
        yield server, lock(server, k=K, timezone=small_world.scenario.timezone)
    shutil.rmtree(root, ignore_errors=True)


def as_role(locked, role):
    _, credentials = locked
    return psycopg.connect(credentials[role]["url"], autocommit=True, connect_timeout=5)


def denied(conn, query):
    try:
        conn.execute(query).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_credentials_are_readable_by_their_owner_alone(locked):
    """credentials.json has mode 0600 and a working URL per role."""
    server, credentials = locked
    mode = stat.S_IMODE(os.stat(server.state / "credentials.json").st_mode)
    assert mode == 0o600 and set(credentials) == {"postgres", "admin", "analyst"}


@pytest.mark.parametrize("column", IDENTIFYING_COLUMNS)
def test_the_analyst_cannot_read_an_identifying_column(locked, column):
    """Column privileges deny every identifying column of people."""
    with as_role(locked, "analyst") as conn:
        assert denied(conn, f"SELECT {column} FROM people")


def test_the_analyst_reads_only_the_allowed_columns_and_no_raw_tables(locked):
    """person_id, sex and district_id of people; nothing of records or sightings."""
    with as_role(locked, "analyst") as conn:
        assert not denied(conn, f"SELECT {', '.join(ANALYST_PEOPLE_COLUMNS)} FROM people")
        assert denied(conn, "SELECT * FROM people") and denied(conn, "SELECT * FROM records")
        assert denied(conn, "SELECT district_id, count(*) FROM sightings GROUP BY 1")


def test_row_level_security_shows_adults_only(locked, small_world):
    """The analyst sees as many people as the registry has adults; the admin sees everyone."""
    import pandas as pd

    with as_role(locked, "analyst") as analyst, as_role(locked, "admin") as admin:
        seen = analyst.execute("SELECT count(*) FROM people").fetchone()[0]
        everyone = admin.execute("SELECT count(*) FROM people").fetchone()[0]
        today = admin.execute("SELECT current_date").fetchone()[0]
    births = pd.to_datetime(small_world.people["birth_date"]).dt.date
    adults = sum(b <= today.replace(year=today.year - 18) for b in births)
    assert everyone == len(small_world.people) and seen == adults < everyone


def test_counts_by_district_and_hour_are_published_only_when_large(locked, small_world):
    """The view publishes exactly the (district, hour) cells with at least k sightings at non-sensitive places."""
    import pandas as pd

    with as_role(locked, "analyst") as conn:
        rows = conn.execute("SELECT district_id, hour, sightings FROM district_hour_counts").fetchall()
    places = small_world.places.set_index("place_id")
    seen = small_world.releases["sightings"]
    kept = seen[~places["is_sensitive"].reindex(seen["place_id"]).to_numpy()]
    hours = kept["t"].dt.tz_convert(small_world.scenario.timezone).dt.floor("h")
    truth = pd.Series(1, index=[places["district_id"].reindex(kept["place_id"]).to_numpy(), hours]).groupby(
        level=[0, 1]).sum()
    truth = truth[truth >= K]
    assert len(rows) == len(truth) > 0 and min(r[2] for r in rows) >= K
    assert sum(r[2] for r in rows) == truth.sum()


def test_the_open_door_is_shut(locked):
    """Without a password nobody gets in, not even as the superuser."""
    server, _ = locked
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname="leak", connect_timeout=5)
