"""A Dask client: on an existing scheduler, or on a LocalCluster started for the work and stopped after.

One home for how the lab reaches Dask, used by generation (:mod:`lab.engines.dask`) and by the
risk engine (:mod:`lab.attacks.on_dask`). A LocalCluster runs one process per worker with one
thread each (numpy and pandas release the GIL only in places; processes scale on every step)
and its status pages on a free port. A cluster of several machines needs the data on a file
system they all see.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

from lab.errors import InputError

__all__ = ["check_scheduler", "dask_client"]


def check_scheduler(address: str | None) -> str | None:
    """Refuse a scheduler address that is not ``host:port`` or ``scheme://host:port``."""
    if address is None:
        return None
    rest = address.split("://", 1)[-1]
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise InputError(f"--scheduler {address!r} must look like tcp://HOST:PORT")
    return address


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, workers: int | None = None, tasks: int | None = None,
                memory_limit: str | None = None) -> Iterator:
    """A :class:`distributed.Client`, closed (and its LocalCluster stopped) on exit.

    Parameters
    ----------
    scheduler : str, optional
        Address of an existing scheduler (``tcp://HOST:PORT``); default: a LocalCluster here.
    workers : int, optional
        Worker processes of the LocalCluster (default: one per CPU).
    tasks : int, optional
        The most tasks that can run at once: no more workers are started than that.
    memory_limit : str, optional
        Memory per LocalCluster worker (``"8GB"``); default: Dask's (the machine's memory shared out).

    Raises
    ------
    InputError
        When the scheduler address is malformed or cannot be reached.
    """
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            try:
                client = stack.enter_context(Client(check_scheduler(scheduler), timeout="5s"))
            except OSError as exc:
                raise InputError(f"--scheduler {scheduler!r} cannot be reached ({exc})") from None
        else:
            n = max(1, min(workers or os.cpu_count() or 1, tasks or 1 << 30))
            extra = {} if memory_limit is None else {"memory_limit": memory_limit}
            cluster = stack.enter_context(LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0", silence_logs=logging.ERROR,
                                                       **extra))
            client = stack.enter_context(Client(cluster))
        yield client
