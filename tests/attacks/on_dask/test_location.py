"""Tests for lab.attacks.on_dask.location."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.attacks.on_dask.location import location_attack as dask_location
from lab.attacks.on_dask.release import read_release
from lab.attacks.prudence import location_attack


@pytest.mark.parametrize("k", [1, 2, 3])
def test_location_risks_equal_the_in_memory_engine(cdr, whole_parts, client, k):
    """Every pseudonym's risk with k known places equals the in-memory attack's, short traces included."""
    assert dask_location(whole_parts, k=k, space="tower_id").equals(location_attack(cdr, k=k, space="tower_id"))


def test_split_files_give_the_same_risks(cdr, split_parts, client):
    """Pseudonyms cut across files are gathered before their instances are enumerated."""
    got = dask_location(split_parts, k=2, space="merged:tower_id:3")
    assert got.equals(location_attack(cdr, k=2, space="merged:tower_id:3"))


def test_a_trace_shorter_than_k_is_matched_on_its_whole(client, tmp_path):
    """a's single record at tower 1 is held by a and b: risk 1/2; b's and c's pairs are their own."""
    t = pd.Timestamp("2031-03-03 08:00", tz="UTC")
    rel = pd.DataFrame({"pseudonym": ["a", "b", "b", "c", "c"], "t": [t] * 5, "lat": 0.0, "lon": 0.0,
                        "tower_id": ["T1", "T1", "T2", "T2", "T3"]})
    rel.to_parquet(tmp_path / "r.parquet")
    assert dask_location(tmp_path / "r.parquet", k=2, space="tower_id").to_dict() == {"a": 0.5, "b": 1.0, "c": 1.0}
    targets = np.array(["a", "c"], dtype=object)
    assert dask_location(tmp_path / "r.parquet", k=2, space="tower_id", targets=targets).to_dict() == {"a": 0.5,
                                                                                                      "c": 1.0}


def test_drawn_targets_get_the_in_memory_risks(cdr, whole_parts, client):
    """Risks of 40 drawn targets, by broadcast of their instances, are the full attack's at those targets."""
    from lab.attacks.on_dask.release import draw_pseudonyms
    from lab.attacks.traces import draw_pseudonyms as draw_in_memory

    for k in (2, 3):
        targets = draw_pseudonyms(read_release(whole_parts, space="tower_id"), 40, rng=k)
        assert (targets == draw_in_memory(cdr, 40, rng=k)).all()
        got = dask_location(whole_parts, k=k, space="tower_id", targets=targets)
        assert got.equals(location_attack(cdr, k=k, space="tower_id").loc[targets])
