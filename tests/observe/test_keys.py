"""Tests for :mod:`lab.observe.keys`: per-release pseudonyms and the answer key."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest

from lab.observe.keys import PREFIX, keys_table, pseudonyms
from lab.schema import arrow_schema

KEYS = {"gps": 0x1111_2222_3333_4444, "cdr": 0x5555_6666_7777_8888, "checkins": 0x0123_4567_89AB_CDEF}


def test_pseudonyms_have_the_release_prefix_and_16_hex_digits():
    """Each release's pseudonyms are its prefix then 16 lowercase hex digits."""
    for release, key in KEYS.items():
        out = pseudonyms(release, np.arange(50), key).to_pylist()
        pattern = re.compile(re.escape(PREFIX[release]) + r"[0-9a-f]{16}")
        assert all(pattern.fullmatch(s) for s in out)


def test_pseudonyms_are_unique_within_a_release():
    """5,000 people get 5,000 distinct pseudonyms in each release."""
    for release, key in KEYS.items():
        out = pseudonyms(release, np.arange(5_000), key).to_pylist()
        assert len(set(out)) == 5_000


def test_pseudonyms_differ_between_releases_for_the_same_person():
    """The same person's pseudonyms differ between releases, also after removing the prefix."""
    people = np.arange(2_000)
    bodies = {}
    for release, key in KEYS.items():
        out = pseudonyms(release, people, key).to_pylist()
        bodies[release] = [s[len(PREFIX[release]):] for s in out]
    for a in KEYS:
        for b in KEYS:
            if a < b:
                assert all(x != y for x, y in zip(bodies[a], bodies[b]))
                assert not set(bodies[a]) & set(bodies[b])


def test_pseudonyms_do_not_depend_on_the_block_split():
    """A person's pseudonym is the same whether computed alone or with others."""
    key = KEYS["gps"]
    whole = pseudonyms("gps", np.arange(1_000), key).to_pylist()
    parts = (pseudonyms("gps", np.arange(0, 400), key).to_pylist()
             + pseudonyms("gps", np.arange(400, 1_000), key).to_pylist())
    assert whole == parts
    assert pseudonyms("gps", np.array([737]), key).to_pylist() == [whole[737]]


def test_keys_table_columns_and_rows():
    """The key has release, pseudonym, person_id columns matching the schema, one row per pseudonym."""
    pseudo = pseudonyms("cdr", np.array([3, 9]), KEYS["cdr"])
    people = pa.array(["p00000003", "p00000009"])
    table = keys_table("cdr", pseudo, people)
    assert table.column_names == ["release", "pseudonym", "person_id"]
    assert table.column_names == arrow_schema("keys").names
    assert table.schema.field("release").type == pa.string()
    assert table.to_pydict() == {
        "release": ["cdr", "cdr"],
        "pseudonym": pseudo.to_pylist(),
        "person_id": ["p00000003", "p00000009"],
    }


def test_keys_table_empty():
    """An empty release gives an empty key with the same columns."""
    table = keys_table("gps", pa.array([], pa.string()), pa.array([], pa.string()))
    assert table.num_rows == 0
    assert table.column_names == ["release", "pseudonym", "person_id"]


@pytest.mark.parametrize("release", ["gps", "cdr", "sightings", "checkins"])
def test_block_pseudonyms_map_to_existing_people(release, classroom_block, classroom_keys):
    """Every pseudonym in a release maps through the key to a person in the registry."""
    people = set(classroom_block["people"].column("person_id").to_pylist())
    key = classroom_keys[classroom_keys["release"] == release]
    observed = set(classroom_block[release].column("pseudonym").to_pylist())
    assert observed
    assert observed <= set(key["pseudonym"])
    assert set(key["person_id"]) <= people
    assert key["pseudonym"].is_unique and key["person_id"].is_unique


def test_block_pseudonym_spaces_are_disjoint(classroom_keys):
    """No pseudonym is shared between gps, cdr and checkins, even ignoring prefixes."""
    spaces = {r: set(classroom_keys.loc[classroom_keys["release"] == r, "pseudonym"]) for r in PREFIX}
    bodies = {r: {s[len(PREFIX[r]):] for s in v} for r, v in spaces.items()}
    assert all(spaces.values())
    for a in PREFIX:
        for b in PREFIX:
            if a < b:
                assert not spaces[a] & spaces[b]
                assert not bodies[a] & bodies[b]


def test_block_pseudonyms_come_from_the_plan_keys(classroom_plan, classroom_keys):
    """Each keyed pseudonym is the release's keyed mix of the person's number."""
    for release in PREFIX:
        key = classroom_keys[classroom_keys["release"] == release]
        expected = pseudonyms(release, key["person"].to_numpy(), classroom_plan.release_keys[release]).to_pylist()
        assert key["pseudonym"].tolist() == expected
