"""Tests for lab.synth.people."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.synth.people import ARCHETYPES, is_valid_national_id, national_ids


def test_national_ids_unique_and_checked():
    """Fictional national ids are unique, in the FX- format, and carry a valid check digit."""
    ids = national_ids(np.arange(100_000), (12345677, 99)).to_pylist()
    assert len(set(ids)) == 100_000
    assert all(is_valid_national_id(v) for v in ids[:1000])
    assert ids[0].startswith("FX-") and len(ids[0]) == 12


def test_check_digit_catches_typos():
    """Changing one digit of a national id makes it invalid."""
    good = national_ids(np.array([42]), (7, 3)).to_pylist()[0]
    digit = int(good[5])
    bad = good[:5] + str((digit + 1) % 10) + good[6:]
    assert is_valid_national_id(good) and not is_valid_national_id(bad)
    assert not is_valid_national_id("123-45-6789")


def test_registry_columns_and_values(classroom):
    """The registry has the leak's columns, plausible ages and every archetype."""
    people = classroom.people
    assert people["person_id"].is_unique and people["national_id"].is_unique
    assert set(people["sex"]) == {"F", "M"}
    start = pd.Timestamp(classroom.scenario.start)
    age = (start - pd.to_datetime(people["birth_date"])).dt.days / 365.25
    assert age.between(0, 100).all()
    assert set(people["archetype"]) == set(ARCHETYPES)
    assert (age[people["archetype"] == "retiree"] >= 65).all()
    assert set(people["community"]) <= set(classroom.scenario.communities)


def test_households_share_home_address_and_community(classroom):
    """People sharing a home share its address and community."""
    people = classroom.people
    per_home = people.groupby("home_id").agg(addresses=("address", "nunique"), communities=("community", "nunique"))
    assert (per_home["addresses"] == 1).all() and (per_home["communities"] == 1).all()
    assert (people.groupby("home_id").size() > 1).any()


def test_employer_matches_workplace(classroom):
    """A person's employer is the name of their workplace; no workplace, no employer."""
    people = classroom.people
    names = classroom.places.set_index("place_id")["name"]
    working = people[people["work_id"].notna()]
    assert (working["employer"].to_numpy() == names.loc[working["work_id"]].to_numpy()).all()
    assert people.loc[people["work_id"].isna(), "employer"].isna().all()
    assert people.loc[people["archetype"].isin(["retiree", "homebody"]), "work_id"].isna().all()
