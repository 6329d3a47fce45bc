"""Tests for lab.generate: blocks, seeding and parallel determinism."""

from __future__ import annotations

from pathlib import Path

from lab.generate import BLOCK_SIZE, plan_world, run_block
from lab.synth.scenario import load_scenario
from lab.world import write_world


def _two_blocks():
    return load_scenario("classroom", population=BLOCK_SIZE + 300, days=2)


def test_same_bytes_whatever_the_workers(tmp_path):
    """Two blocks written by one worker or by two give byte-identical files, manifest included."""
    sc = _two_blocks()
    one = write_world(sc, 11, tmp_path / "one", workers=1)
    two = write_world(sc, 11, tmp_path / "two", workers=2)
    assert one["blocks"] == 2 and one == two
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert Path("manifest.json") in files and Path("visits/part-00001.parquet") in files
    for f in files:
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes(), f


def test_blocks_are_independent():
    """A block's tables depend only on the seed and the block number."""
    plan = plan_world(_two_blocks(), 11)
    first = run_block(plan, 1)
    again = run_block(plan_world(_two_blocks(), 11), 1)
    assert first["visits"].equals(again["visits"]) and first["cdr"].equals(again["cdr"])
    ids = first["people"].column("person_id").to_pylist()
    assert ids[0] == f"p{BLOCK_SIZE:08d}" and len(ids) == 300


def test_pseudonyms_are_keyed_person_numbers():
    """A pseudonym is the keyed mix of the global person number, so blocks cannot shift it."""
    import numpy as np

    from lab.observe.keys import pseudonyms

    plan = plan_world(_two_blocks(), 11)
    keys = run_block(plan, 1)["keys"].to_pandas()
    gps = keys[keys["release"] == "gps"]
    numbers = gps["person_id"].str[1:].astype(int).to_numpy()
    expected = pseudonyms("gps", numbers, plan.release_keys["gps"]).to_pylist()
    assert gps["pseudonym"].tolist() == expected
    assert np.all(numbers >= BLOCK_SIZE)
