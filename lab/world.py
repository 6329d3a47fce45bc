"""The generated world: ground truth, releases and answer key, in memory or on disk.

:func:`generate_world` builds a small world in memory (tests, notebooks);
:func:`write_world` streams any scenario to Parquet block by block, in parallel,
with a manifest; :func:`load_world` reads one back.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa

import lab
from lab.engines import ENGINES
from lab.errors import InputError
from lab.generate import BLOCK_TABLES, Plan, iter_blocks, plan_world, run_block
from lab.output import atomic_directory
from lab.progress import Progress
from lab.schema import RELEASES, arrow_schema
from lab.store import MANIFEST, file_checksums, file_sizes, fingerprint, read_manifest, read_table, write_table
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
    progress: Progress | None = None, finish: Callable[[Path], None] | None = None,
    engine: str = "local", scheduler: str | None = None,
) -> dict:
    """Generate ``scenario`` with ``seed`` and write every table and a manifest to ``out``.

    The same scenario and seed give byte-identical files, manifest included,
    whatever ``workers`` says: nothing about the run (times, machine) is recorded.

    Parameters
    ----------
    scenario : Scenario
    seed : int
    out : path
        A directory that does not exist yet, or is empty.
    workers : int, optional
        Worker processes (default: one per CPU). The output does not depend on it.
    progress : lab.progress.Progress, optional
        Wraps the blocks as they complete (see :func:`lab.progress.steps`).
    finish : callable, optional
        Called with the finished temporary directory (manifest included) before
        it is moved to ``out``: work that must succeed for the world to be
        kept, such as rendering its map. An exception there leaves nothing behind.
    engine : {"local", "dask"}
        Where the blocks run: this machine's process pool, or Dask
        (:mod:`lab.engines.dask`). The files are the same either way.
    scheduler : str, optional
        With ``engine="dask"``: an existing scheduler's address (default: a LocalCluster).

    Returns
    -------
    dict
        The manifest: scenario, seed, version, blocks, tables, rows, and the
        checksums (SHA-256) and sizes (bytes) of every file.
    """
    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "dask":
        from lab.engines.cluster import check_scheduler

        check_scheduler(scheduler)
    elif scheduler is not None:
        raise InputError("--scheduler needs --engine dask")
    with atomic_directory(out) as tmp:
        plan = plan_world(scenario, seed)
        town = plan.town
        tz = scenario.timezone
        town.districts.to_parquet(tmp / "districts.parquet", index=False)
        for name in ("places", "towers", "cameras"):
            write_table(pa.Table.from_pandas(getattr(town, name), preserve_index=False),
                        tmp / f"{name}.parquet", name, tz=tz)
        rows = {"districts": len(town.districts), "places": len(town.places),
                "towers": len(town.towers), "cameras": len(town.cameras)}
        if engine == "dask":
            from lab.engines.dask import dask_blocks

            blocks = dask_blocks(plan, _PartWriter(tmp, plan), scheduler=scheduler, workers=workers)
        else:
            blocks = iter_blocks(plan, _PartWriter(tmp, plan), workers=workers)
        if progress is not None:
            blocks = progress(blocks, total=plan.n_blocks, desc=f"generating {scenario.name}", unit="block")
        for _, counts in blocks:
            for name, n in counts.items():
                rows[name] = rows.get(name, 0) + n
        manifest = {
            "scenario": scenario.to_dict(),
            "seed": seed,
            "version": lab.__version__,
            "blocks": plan.n_blocks,
            "tables": [n for n in (*GLOBAL_TABLES, *BLOCK_TABLES) if n in rows],
            "rows": rows,
            "checksums": file_checksums(tmp),
            "sizes": file_sizes(tmp),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if finish is not None:
            finish(tmp)
    return manifest


def load_world(root: str | Path, *, verify: bool | None = None) -> World:
    """Read a world written by :func:`write_world`.

    Parameters
    ----------
    root : path
        The world's directory.
    verify : bool, optional
        Check every table against the manifest's sizes, checksums and row counts
        first (see :func:`lab.store.verify_table`); default: yes, unless inside
        ``with lab.store.verification(False):``. Pass ``False`` for a world edited on purpose.

    Raises
    ------
    lab.store.IntegrityError
        When a table's files differ from what the manifest records.
    """
    manifest = read_manifest(root)
    scenario = Scenario.from_dict(manifest["scenario"], source=MANIFEST)
    tables = {name: read_table(root, name, verify=verify) for name in manifest["tables"]}
    return World(
        scenario=scenario, seed=manifest["seed"], districts=tables["districts"], places=tables["places"],
        people=tables["people"], visits=tables["visits"], towers=tables["towers"], cameras=tables["cameras"],
        releases={r: tables[r] for r in RELEASES if r in tables}, keys=tables["keys"],
    )


def world_fingerprints(world: World) -> dict[str, str]:
    """Content hash of every table of ``world`` (see :func:`lab.store.fingerprint`)."""
    names = [*GLOBAL_TABLES, "people", "visits", *world.releases, "keys"]
    return {name: fingerprint(world.table(name)) for name in names}
