"""The leak's database holds the registry and every sighting, one record per person as the leak did."""

from __future__ import annotations

import pytest

from lab.db.cluster import running
from lab.db.load import connect, load_world

from .conftest import postgres_or_skip


@pytest.fixture(scope="module")
def loaded(small_world, tmp_path_factory):
    """An open server loaded with the small world (module scope: started once)."""
    postgres_or_skip()
    import shutil
    import tempfile
    from pathlib import Path

    root = Path(tempfile.mkdtemp(prefix="lab-db-test-"))
    root.chmod(0o755)
    with running(root / "s", mode="open") as server:
        yield server, load_world(server, small_world)
    shutil.rmtree(root, ignore_errors=True)


def test_every_table_has_the_worlds_rows(loaded, small_world):
    """People, places and sightings match the world's row counts; one record per person."""
    _, counts = loaded
    assert counts == {"districts": len(small_world.districts), "places": len(small_world.places),
                      "people": len(small_world.people), "sightings": len(small_world.releases["sightings"]),
                      "records": len(small_world.people)}


def test_a_record_joins_identity_and_sightings(loaded, small_world):
    """A person's record carries their registry fields and their sightings in time order, with place names."""
    server, _ = loaded
    keys = small_world.keys[small_world.keys["release"] == "sightings"]
    seen = small_world.releases["sightings"].merge(keys, on="pseudonym")
    person = seen["person_id"].value_counts().index[0]
    truth = small_world.people.set_index("person_id").loc[person]
    with connect(server) as conn:
        record = conn.execute("SELECT record FROM records WHERE person_id = %s", (person,)).fetchone()[0]
    assert (record["name"], record["national_id"], record["community"]) == (truth["name"], truth["national_id"],
                                                                             truth["community"])
    assert len(record["trackers"]) == (seen["person_id"] == person).sum()
    times = [t["time"] for t in record["trackers"]]
    assert times == sorted(times)


def test_times_keep_their_instant(loaded, small_world):
    """The first sighting's instant is the release's, whatever the time zones."""
    server, _ = loaded
    with connect(server) as conn:
        first = conn.execute("SELECT min(t) FROM sightings").fetchone()[0]
    assert first.timestamp() == small_world.releases["sightings"]["t"].min().timestamp()
