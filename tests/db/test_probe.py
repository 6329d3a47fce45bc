"""Probing a student's access policy on a fresh server: allowed counts, denied columns, hidden small counts."""

from __future__ import annotations

import pytest

from lab.db.lock import IDENTIFYING_COLUMNS
from lab.db.probe import expected_counts, probe_policy

from .conftest import postgres_or_skip

GOOD = """
CREATE VIEW district_hour_counts WITH (security_barrier) AS
  SELECT district_id, date_trunc('hour', t) AS hour, count(*)::int AS sightings
  FROM sightings GROUP BY 1, 2 HAVING count(*) >= 10;
GRANT SELECT ON district_hour_counts TO analyst;
"""


def test_expected_counts_withhold_cells_under_k(small_world):
    """Every expected cell holds at least k sightings, and they sum to the sightings of those cells."""
    counts = expected_counts(small_world, k=3)
    assert (counts["sightings"] >= 3).all() and counts["sightings"].sum() <= len(small_world.releases["sightings"])
    assert len(expected_counts(small_world, k=1)) >= len(counts)


@pytest.fixture(scope="module")
def classroom():
    """The classroom town: enough sightings for cells of ten and more."""
    from lab.synth.scenario import load_scenario
    from lab.world import generate_world

    return generate_world(load_scenario("classroom"), seed=1)


def test_a_good_policy_passes_every_probe(classroom):
    """The view with suppression and one grant: counts allowed and exact, everything else denied."""
    postgres_or_skip()
    assert len(expected_counts(classroom)) > 0
    report = probe_policy(classroom, GOOD)
    assert report["applied"] and report["counts_allowed"] and report["counts_match"] and report["small_counts_hidden"]
    assert all(report[f"denied_{c}"] for c in IDENTIFYING_COLUMNS)
    assert report["sightings_denied"] and report["records_denied"]


def test_a_leaky_policy_is_caught(classroom):
    """Without HAVING and with people granted, the small counts and the identifying columns show."""
    postgres_or_skip()
    report = probe_policy(classroom, GOOD.replace("HAVING count(*) >= 10", "") + "GRANT SELECT ON people TO analyst;")
    assert report["counts_allowed"] and not report["counts_match"] and not report["small_counts_hidden"]
    assert not any(report[f"denied_{c}"] for c in IDENTIFYING_COLUMNS)


@pytest.mark.parametrize("sql", ["GRANT nonsense", "COPY (SELECT 1) TO PROGRAM 'id'", ""])
def test_broken_or_privileged_sql_is_not_applied(small_world, sql):
    """A syntax error, a superuser-only command or no SQL at all: nothing applied, the error said."""
    postgres_or_skip()
    report = probe_policy(small_world, sql)
    assert not report["applied"] and report["error"] and not report["counts_allowed"]
