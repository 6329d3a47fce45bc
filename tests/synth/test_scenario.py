"""Tests for lab.synth.scenario."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import lab
from lab.synth.scenario import SCENARIO_DIR, Scenario, ScenarioError, available_scenarios, load_scenario


def test_shipped_scenarios_load():
    """The three shipped scenarios load with their documented sizes."""
    assert {"classroom", "town", "surveillance_day"} <= set(available_scenarios())
    assert load_scenario("classroom").population == 400
    town = load_scenario("town")
    assert (town.population, town.days) == (20_000, 28)
    leak = load_scenario("surveillance_day")
    assert leak.population == 2_500_000 and leak.days == 1 and leak.releases == ("sightings",)


def test_named_scenarios_are_package_data():
    """The named scenarios live inside the installed package, not in the source tree around it."""
    package = Path(lab.__file__).resolve().parent
    assert Path(str(SCENARIO_DIR)).resolve() == package / "synth" / "scenarios"
    assert available_scenarios() == ["classroom", "surveillance_day", "town"]


def test_names_do_not_depend_on_the_current_folder(tmp_path, monkeypatch):
    """From another folder a name still reads the shipped file; only a .toml path reads that folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "town.toml").write_text("population = 5\n")
    assert available_scenarios() == ["classroom", "surveillance_day", "town"]
    assert load_scenario("classroom").population == 400
    assert load_scenario("town").population == 20_000
    assert load_scenario("town.toml").population == 5


def test_unreadable_file_is_named(tmp_path):
    """A scenario file that is not UTF-8 text is refused with a message naming the file."""
    path = tmp_path / "latin.toml"
    path.write_bytes(b"description = 'caf\xe9'\n")
    with pytest.raises(ScenarioError, match="latin.toml"):
        load_scenario(path)


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
