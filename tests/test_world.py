"""Tests for lab.world: in-memory and on-disk worlds, and the golden fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lab.schema import validate
from lab.synth.scenario import load_scenario
from lab.world import generate_world, load_world, world_fingerprints, write_world

GOLDEN = Path(__file__).parent / "golden" / "classroom_seed7.json"


def test_golden_fingerprints(classroom):
    """The classroom world of seed 7 is exactly the pinned one.

    A deliberate change to the generator must update ``tests/golden/classroom_seed7.json``
    (``python -m tests.golden``), so no class's data changes silently.
    """
    assert world_fingerprints(classroom) == json.loads(GOLDEN.read_text())


def test_every_table_matches_schema(classroom):
    """Every table of the generated world has its declared columns and dtypes."""
    for name in ("places", "people", "visits", "towers", "cameras", "keys", *classroom.releases):
        validate(classroom.table(name), name)


def test_other_seed_other_world(classroom):
    """Another seed gives a different world."""
    other = generate_world(load_scenario("classroom"), 8)
    assert not other.people["name"].equals(classroom.people["name"])


def test_written_world_equals_memory_world(tmp_path, classroom):
    """What write_world puts on disk reads back equal to the in-memory world of the same seed."""
    manifest = write_world(load_scenario("classroom"), 7, tmp_path / "w", workers=1)
    loaded = load_world(tmp_path / "w")
    assert world_fingerprints(loaded) == world_fingerprints(classroom)
    assert manifest["rows"]["visits"] == len(classroom.visits)
    assert manifest["seed"] == 7 and manifest["scenario"]["name"] == "classroom"
    assert set(manifest["checksums"]) >= {"visits.parquet", "people.parquet", "districts.parquet"}


def test_release_switched_off(tmp_path):
    """A scenario without a release writes no table for it and no keys for it."""
    sc = load_scenario("classroom", releases=["cdr"], population=50, days=2)
    write_world(sc, 1, tmp_path / "w", workers=1)
    world = load_world(tmp_path / "w")
    assert set(world.releases) == {"cdr"}
    assert set(world.keys["release"]) == {"cdr"}
    with pytest.raises(KeyError, match="no 'gps' release"):
        world.table("gps")


def test_keys_cover_every_pseudonym(classroom):
    """Every pseudonym in every release appears in the answer key with a real person."""
    keys = classroom.keys
    for name, release in classroom.releases.items():
        k = keys[keys["release"] == name]
        assert set(release["pseudonym"]) <= set(k["pseudonym"])
        assert k["pseudonym"].is_unique
    assert set(keys["person_id"]) <= set(classroom.people["person_id"])


def test_timestamps_are_local_and_aware(classroom):
    """Timestamps carry the scenario's time zone."""
    tz = classroom.scenario.timezone
    assert str(classroom.visits["start"].dt.tz) == tz
    assert isinstance(classroom.releases["gps"]["t"].dtype, pd.DatetimeTZDtype)


def _small():
    return load_scenario("classroom", population=30, days=1)


def test_manifest_records_no_clock(tmp_path):
    """The manifest holds no wall-clock time: two runs write byte-identical manifests."""
    write_world(_small(), 3, tmp_path / "a", workers=1)
    write_world(_small(), 3, tmp_path / "b", workers=1)
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert "seconds" not in manifest
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()
    assert manifest["sizes"]["cdr.parquet"] == (tmp_path / "a" / "cdr.parquet").stat().st_size


def test_load_world_refuses_a_swapped_table(tmp_path):
    """A release replaced after writing (here by a 5-row file) is refused by load_world, naming it."""
    import pyarrow.parquet as pq

    from lab.store import IntegrityError

    root = tmp_path / "w"
    write_world(_small(), 3, root, workers=1)
    cdr = pq.read_table(root / "cdr.parquet")
    pq.write_table(cdr.slice(0, 5), root / "cdr.parquet")
    with pytest.raises(IntegrityError, match=r"cdr\.parquet does not match manifest\.json"):
        load_world(root)
    assert len(load_world(root, verify=False).releases["cdr"]) == 5


def test_write_world_reports_its_blocks(tmp_path):
    """write_world passes its blocks through the progress function it is given, with their number."""
    calls = []

    def record(iterable, *, total=None, desc="", unit="step", label=None):
        calls.append((total, desc, unit))
        yield from iterable

    write_world(_small(), 0, tmp_path / "w", workers=1, progress=record)
    assert calls == [(1, "generating classroom", "block")]


def test_finish_sees_the_complete_world_and_its_failure_leaves_nothing(tmp_path):
    """finish runs on the complete temporary world (manifest included); if it fails, no world is left."""
    seen = []

    def finish(tmp):
        seen.append(sorted(p.name for p in tmp.iterdir()))
        raise RuntimeError("map could not be drawn")

    with pytest.raises(RuntimeError, match="map could not be drawn"):
        write_world(_small(), 0, tmp_path / "w", workers=1, finish=finish)
    assert "manifest.json" in seen[0] and "cdr.parquet" in seen[0]
    assert list(tmp_path.iterdir()) == []
