"""Tests for :mod:`lab.observe.sightings` on block 0 of the classroom world."""

from __future__ import annotations

import numpy as np
import pytest

from lab.synth.people import is_valid_national_id


@pytest.fixture(scope="module")
def sightings(release_frame):
    """Camera sightings with the person behind each national id."""
    return release_frame("sightings")


def test_pseudonyms_are_valid_national_ids(sightings):
    """Every sighting carries a well-formed national id with a correct check digit."""
    assert len(sightings) > 1_000
    assert all(is_valid_national_id(v) for v in sightings["pseudonym"].unique())


def test_national_id_matches_the_registry_row(sightings, classroom_block):
    """Through the key, each sighting's id is the national_id of that person's registry row."""
    people = classroom_block["people"].to_pandas().set_index("person_id")
    assert sightings["person_id"].notna().all()
    assert (people.loc[sightings["person_id"], "national_id"].to_numpy() == sightings["pseudonym"].to_numpy()).all()


def test_sightings_key_is_the_registry(classroom_block, classroom_keys):
    """Every sightings key row pairs a person with their own national id."""
    people = classroom_block["people"].to_pandas().set_index("person_id")
    key = classroom_keys[classroom_keys["release"] == "sightings"]
    assert key["person_id"].is_unique
    assert (people.loc[key["person_id"], "national_id"].to_numpy() == key["pseudonym"].to_numpy()).all()


def test_camera_fields_match_the_camera_table(sightings, classroom_plan):
    """place_id, lat and lon are those of the sighting's camera."""
    cams = classroom_plan.town.cameras.set_index("camera_id")
    assert sightings["camera_id"].isin(cams.index).all()
    cam = cams.loc[sightings["camera_id"]]
    assert (cam["place_id"].to_numpy() == sightings["place_id"].to_numpy()).all()
    assert np.array_equal(cam["lat"].to_numpy(), sightings["lat"].to_numpy())
    assert np.array_equal(cam["lon"].to_numpy(), sightings["lon"].to_numpy())


def test_every_sighting_is_during_a_true_visit(sightings, visit_containing):
    """Each sighting's t lies inside a true visit of that person to that camera's place."""
    hit = visit_containing(sightings)
    assert hit["inside"].all()
    assert (hit["t_ms"] >= hit["v_start"]).all()


def test_scores_are_confidences(sightings):
    """Match scores lie in (0, 1) and are mostly high."""
    score = sightings["score"].astype(float)
    assert ((score > 0) & (score < 1)).all()
    assert score.mean() == pytest.approx(12 / 14, abs=0.02)
