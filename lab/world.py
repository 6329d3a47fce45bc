"""The generated world: ground truth, releases and answer key, in memory or on disk.

:func:`generate_world` builds a small world in memory (tests, notebooks);
:func:`write_world` streams any scenario to Parquet block by block, in parallel,
with a manifest; :func:`load_world` reads one back.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa

import lab
from lab.generate import BLOCK_TABLES, Plan, iter_blocks, plan_world, run_block
from lab.schema import RELEASES, arrow_schema
from lab.store import MANIFEST, atomic_directory, file_checksums, fingerprint, read_manifest, read_table, write_table
from lab.synth.scenario import Scenario

__all__ = ["World", "generate_world", "write_world", "load_world", "GLOBAL_TABLES"]

#: Tables built once for the whole town.
GLOBAL_TABLES = ("districts", "places", "towers", "cameras")


@dataclasses.dataclass(frozen=True)
class World:
    """A fictional world: the truth, what the sensors released, and the answer key.

    Attributes
    ----------
    scenario : Scenario
    seed : int
    districts : geopandas.GeoDataFrame
    places, people, visits, towers, cameras : pandas.DataFrame
        The ground truth (only :mod:`lab.metrics` may read it).
    releases : dict of str to pandas.DataFrame
        gps, cdr, sightings, checkins (those the scenario observes).
    keys : pandas.DataFrame
        release, pseudonym, person_id.
    """

    scenario: Scenario
    seed: int
    districts: gpd.GeoDataFrame
    places: pd.DataFrame
    people: pd.DataFrame
    visits: pd.DataFrame
    towers: pd.DataFrame
    cameras: pd.DataFrame
    releases: dict[str, pd.DataFrame]
    keys: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        """Any table of the data contract by name."""
        if name in RELEASES:
            if name not in self.releases:
                raise KeyError(f"this world has no {name!r} release (the scenario observes {', '.join(self.releases)})")
            return self.releases[name]
        return getattr(self, name)


def _typed(table: pa.Table, name: str, tz: str) -> pd.DataFrame:
    schema = arrow_schema(name, tz=tz)
    return table.select(schema.names).cast(schema).to_pandas()


def generate_world(scenario: Scenario, seed: int = 0) -> World:
    """Generate ``scenario`` in memory, in this process (for small scenarios).

    The tables equal those :func:`write_world` writes for the same scenario and seed.
    """
    plan = plan_world(scenario, seed)
    parts: dict[str, list[pa.Table]] = {}
    for b in range(plan.n_blocks):
        for name, table in run_block(plan, b).items():
            parts.setdefault(name, []).append(table)
    tz = scenario.timezone
    tables = {name: _typed(pa.concat_tables(p), name, tz) for name, p in parts.items()}
    town = plan.town
    return World(
        scenario=scenario, seed=seed, districts=town.districts, places=town.places,
        people=tables["people"], visits=tables["visits"], towers=town.towers, cameras=town.cameras,
        releases={r: tables[r] for r in RELEASES if r in tables}, keys=tables["keys"],
    )


class _PartWriter:
    """Writes one block's tables as Parquet inside the output directory (runs in workers)."""

    def __init__(self, root: Path, plan: Plan) -> None:
        self.root = root
        self.multi = plan.n_blocks > 1
        self.tz = plan.scenario.timezone

    def __call__(self, b: int, tables: dict[str, pa.Table]) -> dict[str, int]:
        rows = {}
        for name, table in tables.items():
            path = self.root / name / f"part-{b:05d}.parquet" if self.multi else self.root / f"{name}.parquet"
            write_table(table, path, name, tz=self.tz)
            rows[name] = table.num_rows
        return rows


def write_world(
    scenario: Scenario, seed: int, out: str | Path, *, workers: int | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict:
    """Generate ``scenario`` with ``seed`` and write every table and a manifest to ``out``.

    Parameters
    ----------
    scenario : Scenario
    seed : int
    out : path
        A directory that does not exist yet, or is empty.
    workers : int, optional
        Worker processes (default: one per CPU). The output does not depend on it.
    progress : callable, optional
        Called as ``progress(blocks_done, blocks_total, people_done)``.

    Returns
    -------
    dict
        The manifest.
    """
    t0 = time.perf_counter()
    with atomic_directory(out) as tmp:
        plan = plan_world(scenario, seed)
        town = plan.town
        tz = scenario.timezone
        town.districts.to_parquet(tmp / "districts.parquet", index=False)
        for name in ("places", "towers", "cameras"):
            write_table(pa.Table.from_pandas(getattr(town, name), preserve_index=False), tmp / f"{name}.parquet", name, tz=tz)
        rows = {"districts": len(town.districts), "places": len(town.places),
                "towers": len(town.towers), "cameras": len(town.cameras)}
        done = 0
        for b, counts in iter_blocks(plan, _PartWriter(tmp, plan), workers=workers):
            for name, n in counts.items():
                rows[name] = rows.get(name, 0) + n
            done += 1
            if progress:
                progress(done, plan.n_blocks, plan.block_bounds(b)[1])
        manifest = {
            "scenario": scenario.to_dict(),
            "seed": seed,
            "version": lab.__version__,
            "blocks": plan.n_blocks,
            "tables": [n for n in (*GLOBAL_TABLES, *BLOCK_TABLES) if n in rows],
            "rows": rows,
            "checksums": file_checksums(tmp),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def load_world(root: str | Path) -> World:
    """Read a world written by :func:`write_world`."""
    manifest = read_manifest(root)
    scenario = Scenario.from_dict(manifest["scenario"], source=MANIFEST)
    tables = {name: read_table(root, name) for name in manifest["tables"]}
    return World(
        scenario=scenario, seed=manifest["seed"], districts=tables["districts"], places=tables["places"],
        people=tables["people"], visits=tables["visits"], towers=tables["towers"], cameras=tables["cameras"],
        releases={r: tables[r] for r in RELEASES if r in tables}, keys=tables["keys"],
    )


def world_fingerprints(world: World) -> dict[str, str]:
    """Content hash of every table of ``world`` (see :func:`lab.store.fingerprint`)."""
    names = [*GLOBAL_TABLES, "people", "visits", *world.releases, "keys"]
    return {name: fingerprint(world.table(name)) for name in names}
