"""Tests for :mod:`lab.observe.checkins` on block 0 of the classroom world."""

from __future__ import annotations

import numpy as np
import pytest

from lab.observe.checkins import POSTED_KINDS


@pytest.fixture(scope="module")
def checkins(release_frame, classroom_block):
    """Check-ins with the poster's registry row (name, home, work)."""
    people = classroom_block["people"].to_pandas()[["person_id", "name", "home_id", "work_id"]]
    frame = release_frame("checkins")
    return frame.merge(people, on="person_id", how="left", validate="many_to_one")


def test_every_checkin_belongs_to_a_keyed_account(checkins):
    """Every pseudonym is in the answer key for checkins."""
    assert len(checkins) > 0
    assert checkins["person"].notna().all()
    assert checkins["pseudonym"].str.fullmatch(r"@[0-9a-f]{16}").all()


def test_never_at_home_or_work(checkins):
    """No one posts from their own home or their own workplace."""
    assert (checkins["place_id"] != checkins["home_id"]).all()
    assert (checkins["place_id"] != checkins["work_id"].fillna("")).all()


def test_only_public_kinds(checkins, classroom_plan):
    """Posts come only from kinds of place people post from."""
    kinds = classroom_plan.town.places.set_index("place_id").loc[checkins["place_id"], "kind"]
    assert set(kinds) <= set(POSTED_KINDS)


def test_place_fields_match_the_places_table(checkins, classroom_plan):
    """place_name, lat and lon are those of place_id in the places table."""
    places = classroom_plan.town.places.set_index("place_id")
    assert checkins["place_id"].isin(places.index).all()
    row = places.loc[checkins["place_id"]]
    assert (row["name"].to_numpy() == checkins["place_name"].to_numpy()).all()
    assert np.array_equal(row["lat"].to_numpy(), checkins["lat"].to_numpy())
    assert np.array_equal(row["lon"].to_numpy(), checkins["lon"].to_numpy())


def test_display_name_is_null_or_the_real_name(checkins):
    """display_name is either missing or the poster's registry name, the same choice for all their posts."""
    shown = checkins["display_name"].notna()
    assert (checkins.loc[shown, "display_name"] == checkins.loc[shown, "name"]).all()
    assert 0 < shown.mean() < 1
    assert (checkins.groupby("pseudonym")["display_name"].apply(lambda s: s.notna().nunique()) == 1).all()


def test_checkins_are_during_a_true_visit(checkins, visit_containing):
    """Each check-in's t lies inside a true visit of the poster to that place."""
    assert visit_containing(checkins)["inside"].all()


def test_about_user_share_of_people_post(classroom_block, classroom_plan, classroom_keys):
    """The number of accounts is within four binomial standard deviations of user_share × people."""
    n = classroom_block["people"].num_rows
    p = classroom_plan.scenario.checkins.user_share
    users = int((classroom_keys["release"] == "checkins").sum())
    assert abs(users - n * p) <= 4 * np.sqrt(n * p * (1 - p))
