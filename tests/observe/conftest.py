"""Shared fixtures for the release tests: block 0 of the classroom world, with its ground truth."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from lab.generate import Plan, plan_world, run_block
from lab.synth.movement import PlaceIndex
from lab.synth.people import registry_table
from lab.synth.routines import Stays, assign_workplaces, day_starts, simulate_block
from lab.synth.scenario import load_scenario

SEED = 7


@dataclasses.dataclass(frozen=True)
class Truth:
    """Ground truth of one block, as the generator holds it in memory."""

    stays: Stays
    work: np.ndarray
    people: pa.Table
    day_starts: np.ndarray


@pytest.fixture(scope="session")
def classroom_plan() -> Plan:
    """The classroom scenario's town and population plan, seed 7."""
    return plan_world(load_scenario("classroom"), SEED)


@pytest.fixture(scope="session")
def classroom_block(classroom_plan) -> dict[str, pa.Table]:
    """Block 0 of the classroom world: people, visits, every release and keys (Arrow tables)."""
    return run_block(classroom_plan, 0)


@pytest.fixture(scope="session")
def classroom_truth(classroom_plan) -> Truth:
    """Block 0's stays and workplaces, drawn exactly as :func:`lab.generate.run_block` draws them."""
    plan = classroom_plan
    town = plan.town
    lo, hi = plan.block_bounds(0)
    rng = np.random.default_rng(np.random.SeedSequence(plan.seed, spawn_key=(1, 0)))
    index = PlaceIndex(town)
    work = assign_workplaces(plan.population, lo, hi, town, index, rng)
    people = registry_table(plan.population, lo, hi, work, town, rng)
    stays = simulate_block(plan.population, lo, hi, work, town, index, rng)
    return Truth(stays=stays, work=work, people=people, day_starts=day_starts(town))


@pytest.fixture(scope="session")
def classroom_keys(classroom_block) -> pd.DataFrame:
    """The answer key of block 0 with each person's number (index into the block's stays)."""
    keys = classroom_block["keys"].to_pandas()
    return keys.assign(person=keys["person_id"].str[1:].astype(np.int64))



def epoch_ms(column: pa.ChunkedArray) -> np.ndarray:
    """Epoch milliseconds of an Arrow timestamp column."""
    return column.cast(pa.int64()).to_numpy()


@pytest.fixture(scope="session")
def release_frame(classroom_block, classroom_keys):
    """``release_frame(name)``: a release as a DataFrame with ``t_ms``, ``t_s``, ``person_id`` and ``person``."""

    def build(name: str) -> pd.DataFrame:
        table = classroom_block[name]
        frame = table.to_pandas()
        frame["t_ms"] = epoch_ms(table.column("t"))
        frame["t_s"] = frame["t_ms"] // 1000
        key = classroom_keys.loc[classroom_keys["release"] == name, ["pseudonym", "person_id", "person"]]
        return frame.merge(key, on="pseudonym", how="left", validate="many_to_one")

    return build


@pytest.fixture(scope="session")
def visit_containing(classroom_block):
    """``visit_containing(frame)``: for each row (person_id, place_id, t_ms), the true visit's start and end
    (ms) of that person to that place that holds ``t_ms``, NaN where there is none."""
    visits = classroom_block["visits"]
    v = pd.DataFrame({
        "person_id": visits.column("person_id").to_pandas(),
        "place_id": visits.column("place_id").to_pandas(),
        "v_start": epoch_ms(visits.column("start")),
        "v_end": epoch_ms(visits.column("end")),
    }).sort_values("v_start", kind="stable")

    def find(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame[["person_id", "place_id", "t_ms"]].reset_index(names="row").sort_values("t_ms", kind="stable")
        hit = pd.merge_asof(rows, v, left_on="t_ms", right_on="v_start", by=["person_id", "place_id"],
                            direction="backward")
        hit = hit.set_index("row").sort_index()
        inside = hit["t_ms"] < hit["v_end"]
        return hit.assign(inside=inside.fillna(False).astype(bool))

    return find
