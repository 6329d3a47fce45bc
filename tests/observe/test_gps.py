"""Tests for :mod:`lab.observe.gps` on block 0 of the classroom world."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from lab.geo import to_local
from lab.observe.trace import locate
from lab.schema import arrow_schema


@pytest.fixture(scope="module")
def gps(release_frame, classroom_plan, classroom_truth):
    """GPS fixes with the true position (local metres) and the fix's error in metres."""
    frame = release_frame("gps")
    town = classroom_plan.town
    px, py, _ = locate(classroom_truth.stays, frame["person"].to_numpy(), frame["t_s"].to_numpy(),
                       town.place_x, town.place_y)
    x, y = to_local(frame["lat"].to_numpy(), frame["lon"].to_numpy(), origin=classroom_plan.scenario.origin)
    return frame.assign(true_x=px, true_y=py, err_m=np.hypot(x - px, y - py))


def test_gps_columns_and_types(classroom_block, classroom_plan):
    """The release has the declared columns; accuracy is float32 and t is a zoned timestamp."""
    table = classroom_block["gps"]
    schema = arrow_schema("gps", tz=classroom_plan.scenario.timezone)
    assert table.column_names == schema.names
    assert table.schema.field("t").type == schema.field("t").type
    assert table.schema.field("accuracy_m").type == pa.float32()
    assert table.num_rows > 10_000


def test_every_fix_belongs_to_a_keyed_user(gps):
    """Every pseudonym is in the answer key for gps."""
    assert gps["person"].notna().all()
    assert gps["pseudonym"].str.fullmatch(r"ad-[0-9a-f]{16}").all()


def test_fixes_are_near_the_true_position(gps):
    """Every fix lies within five times its reported accuracy of where the person really was."""
    assert (gps["err_m"] <= 5 * gps["accuracy_m"].astype(float) + 1.0).all()
    assert gps["err_m"].max() < 1_000.0


def test_reported_accuracy_is_a_68_percent_radius(gps):
    """About 68 % of fixes fall within their reported accuracy of the truth."""
    within = np.mean(gps["err_m"] <= gps["accuracy_m"].astype(float))
    assert within == pytest.approx(0.683, abs=0.02)


def test_accuracy_is_positive_around_the_configured_value(gps, classroom_plan):
    """accuracy_m is positive and its median is near the scenario's accuracy_m."""
    acc = gps["accuracy_m"].astype(float)
    assert (acc > 0).all()
    assert np.median(acc) == pytest.approx(classroom_plan.scenario.gps.accuracy_m, rel=0.1)


def test_fixes_of_a_session_are_interval_apart(gps, classroom_plan):
    """Within each user's trace most steps are exactly interval_s, times are whole seconds and sorted."""
    interval = classroom_plan.scenario.gps.interval_s
    assert (gps["t_ms"] % 1000 == 0).all()
    steps = gps.groupby("pseudonym", sort=False)["t_s"].diff().dropna()
    assert (steps >= 0).all()
    assert np.mean(steps == interval) > 0.75
    assert steps.mode().iloc[0] == interval


def test_each_user_trace_is_contiguous(gps):
    """Rows of one pseudonym are consecutive in the table."""
    runs = (gps["pseudonym"] != gps["pseudonym"].shift()).sum()
    assert runs == gps["pseudonym"].nunique()


def test_fixes_lie_in_the_period(gps, classroom_truth):
    """Every fix is taken between the first midnight and the end of the period."""
    starts = classroom_truth.day_starts
    assert gps["t_s"].min() >= starts[0]
    assert gps["t_s"].max() < starts[-1]


def test_about_user_share_of_people_use_the_app(classroom_block, classroom_plan, classroom_keys):
    """The number of gps pseudonyms is within four binomial standard deviations of user_share × people."""
    n = classroom_block["people"].num_rows
    p = classroom_plan.scenario.gps.user_share
    users = int((classroom_keys["release"] == "gps").sum())
    assert abs(users - n * p) <= 4 * np.sqrt(n * p * (1 - p))
    # Every keyed user is distinct and at least most of them logged fixes.
    key = classroom_keys[classroom_keys["release"] == "gps"]
    assert key["person_id"].is_unique
    observed = classroom_block["gps"].column("pseudonym").unique().to_pylist()
    assert set(observed) <= set(key["pseudonym"])
    assert len(observed) >= 0.9 * users
