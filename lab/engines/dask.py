"""Generation on Dask: the same seeded blocks of people, as tasks on a dask.distributed cluster.

Each block is one task that generates its people and writes its own part files, so a worker holds
one block at a time (memory bounded by :data:`lab.generate.BLOCK_SIZE`) and the files are the ones
the local engine writes, byte for byte. Without a scheduler address a LocalCluster is started on
this machine (one process per worker, one thread each) and stopped at the end. A cluster of several
machines needs the output folder on a file system they all see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyarrow as pa

from lab.engines.cluster import dask_client
from lab.generate import Plan, block_task

__all__ = ["dask_blocks"]


def dask_blocks(plan: Plan, sink: Callable[[int, dict[str, pa.Table]], object], *, scheduler: str | None = None,
                workers: int | None = None) -> Iterator[tuple[int, object]]:
    """Run every block of ``plan`` as a Dask task; yield ``(block, sink's result)`` in block order.

    Parameters
    ----------
    plan : Plan
    sink : callable
        ``sink(b, tables)``, run in the worker (it writes the block's files).
    scheduler : str, optional
        Address of an existing Dask scheduler; default: a LocalCluster on this machine.
    workers : int, optional
        Worker processes of the LocalCluster (default: one per CPU, at most one per block).

    Raises
    ------
    InputError
        When the scheduler cannot be reached.
    """
    with dask_client(scheduler, workers=workers, tasks=plan.n_blocks) as client:
        shared = client.scatter(plan, broadcast=True)
        futures = [client.submit(block_task, shared, sink, b, key=f"lab-block-{b:05d}", pure=False)
                   for b in range(plan.n_blocks)]
        for future in futures:
            yield future.result()
