"""Tests for lab.synth.scenario."""

from __future__ import annotations

import dataclasses

import pytest

from lab.synth.scenario import Scenario, ScenarioError, available_scenarios, load_scenario


def test_shipped_scenarios_load():
    """The three shipped scenarios load with their documented sizes."""
    assert {"classroom", "town", "surveillance_day"} <= set(available_scenarios())
    assert load_scenario("classroom").population == 400
    town = load_scenario("town")
    assert (town.population, town.days) == (20_000, 28)
    leak = load_scenario("surveillance_day")
    assert leak.population == 2_500_000 and leak.days == 1 and leak.releases == ("sightings",)


def test_defaults_fill_missing_keys(tmp_path):
    """A file stating only the population gets every other value from the code defaults."""
    path = tmp_path / "tiny.toml"
    path.write_text("population = 50\n")
    sc = load_scenario(path)
    assert sc.population == 50 and sc.days == Scenario().days and sc.name == "tiny"


def test_unknown_key_is_named(tmp_path):
    """An unknown key is rejected by name, top level or in a section."""
    path = tmp_path / "bad.toml"
    path.write_text("populaton = 50\n")
    with pytest.raises(ScenarioError, match="populaton"):
        load_scenario(path)
    path.write_text("[gps]\nuser_shar = 0.5\n")
    with pytest.raises(ScenarioError, match=r"\[gps\].*user_shar"):
        load_scenario(path)


@pytest.mark.parametrize("value", [-5, 0, 10**9])
def test_absurd_population_rejected(value):
    """A negative, zero or absurd population is refused with a message naming it."""
    with pytest.raises(ScenarioError, match="population"):
        Scenario(population=value)


def test_end_before_start_rejected():
    """An end date before the start is refused, naming both dates."""
    with pytest.raises(ScenarioError, match="end 2031-03-01 is not after start 2031-03-03"):
        Scenario.from_dict({"start": "2031-03-03", "end": "2031-03-01"})


def test_end_sets_days():
    """An end date gives the number of days (end exclusive)."""
    assert Scenario.from_dict({"start": "2031-03-03", "end": "2031-03-10"}).days == 7


def test_unknown_scenario_name_lists_available():
    """An unknown scenario name says which names exist."""
    with pytest.raises(ScenarioError, match="unknown scenario 'nowhere'.*classroom"):
        load_scenario("nowhere")


def test_share_out_of_range():
    """A share outside [0, 1] is refused in plain language."""
    with pytest.raises(ScenarioError, match="gps.user_share"):
        Scenario.from_dict({"gps": {"user_share": 1.5}})


def test_scenario_is_frozen_and_round_trips():
    """Scenarios are immutable and survive to_dict / from_dict unchanged."""
    sc = load_scenario("town")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sc.population = 1  # type: ignore[misc]
    assert Scenario.from_dict(sc.to_dict()) == sc
