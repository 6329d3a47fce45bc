"""Tests for :mod:`lab.observe.cdr` on block 0 of the classroom world."""

from __future__ import annotations

import numpy as np
import pytest

from lab.observe.cdr import EVENTS
from lab.observe.trace import locate


@pytest.fixture(scope="module")
def cdr(release_frame, classroom_plan, classroom_truth):
    """CDR records with the true position and the indices of the nearest and second-nearest towers."""
    frame = release_frame("cdr")
    town = classroom_plan.town
    px, py, _ = locate(classroom_truth.stays, frame["person"].to_numpy(), frame["t_s"].to_numpy(),
                       town.place_x, town.place_y)
    dist = np.hypot(px[:, None] - town.tower_x[None, :], py[:, None] - town.tower_y[None, :])
    order = np.argsort(dist, axis=1)[:, :2]
    ids = town.towers["tower_id"].to_numpy()
    return frame.assign(nearest=ids[order[:, 0]], second=ids[order[:, 1]])


@pytest.fixture(scope="module")
def daily_counts(cdr, classroom_keys, classroom_truth):
    """Events per subscriber per day, zeros included (subscribers × days)."""
    subs = classroom_keys.loc[classroom_keys["release"] == "cdr", "pseudonym"].to_numpy()
    starts = classroom_truth.day_starts
    day = np.searchsorted(starts, cdr["t_s"].to_numpy(), side="right") - 1
    row = np.searchsorted(np.sort(subs), cdr["pseudonym"].to_numpy())
    counts = np.zeros((len(subs), len(starts) - 1))
    np.add.at(counts, (row, day), 1)
    return counts


def test_every_record_belongs_to_a_keyed_subscriber(cdr):
    """Every pseudonym is in the answer key for cdr."""
    assert cdr["person"].notna().all()
    assert cdr["pseudonym"].str.fullmatch(r"sub-[0-9a-f]{16}").all()


def test_coordinates_are_the_towers(cdr, classroom_plan):
    """lat/lon of every record are exactly the coordinates of its tower_id."""
    towers = classroom_plan.town.towers.set_index("tower_id")
    assert cdr["tower_id"].isin(towers.index).all()
    assert np.array_equal(cdr["lat"].to_numpy(), towers.loc[cdr["tower_id"], "lat"].to_numpy())
    assert np.array_equal(cdr["lon"].to_numpy(), towers.loc[cdr["tower_id"], "lon"].to_numpy())


def test_most_records_are_at_the_nearest_tower(cdr, classroom_plan):
    """More than 80 % of records name the tower nearest the true position; the rest the second nearest."""
    at_nearest = np.mean(cdr["tower_id"] == cdr["nearest"])
    assert at_nearest > 0.8
    assert at_nearest == pytest.approx(1 - classroom_plan.scenario.cdr.ping_pong, abs=0.03)
    assert ((cdr["tower_id"] == cdr["nearest"]) | (cdr["tower_id"] == cdr["second"])).all()


def test_events_per_subscriber_day(daily_counts):
    """Subscribers average between one and three events a day."""
    assert 1.0 <= daily_counts.mean() <= 3.0


def test_daily_counts_are_bursty(daily_counts):
    """Daily counts are overdispersed: the coefficient of variation exceeds 1."""
    cv = daily_counts.std() / daily_counts.mean()
    assert cv > 1.0
    # A Poisson count with the same mean would have a CV of 1/sqrt(mean) < 1.
    assert cv > 1.5 / np.sqrt(daily_counts.mean())


def test_events_and_durations(cdr):
    """Events are call, sms or data; only calls have a positive duration."""
    assert set(cdr["event"]) == set(EVENTS)
    calls = cdr["event"] == "call"
    assert (cdr.loc[calls, "duration_s"] > 0).mean() > 0.95
    assert (cdr.loc[~calls, "duration_s"] == 0).all()
    assert np.mean(calls) == pytest.approx(0.45, abs=0.05)


def test_records_lie_in_the_period(cdr, classroom_truth):
    """Every record falls between the first midnight and the end of the period."""
    starts = classroom_truth.day_starts
    assert cdr["t_s"].min() >= starts[0]
    assert cdr["t_s"].max() < starts[-1]


def test_about_subscriber_share_of_people_subscribe(classroom_block, classroom_plan, classroom_keys):
    """The number of cdr pseudonyms is within four binomial standard deviations of subscriber_share × people."""
    n = classroom_block["people"].num_rows
    p = classroom_plan.scenario.cdr.subscriber_share
    subs = int((classroom_keys["release"] == "cdr").sum())
    assert abs(subs - n * p) <= 4 * np.sqrt(n * p * (1 - p))
