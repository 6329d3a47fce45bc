"""Run one submission in a fresh, confined kernel and bring back its answers as data.

The student's code cells run in order in a real IPython kernel started by
:mod:`lab.grading.kernel` (memory limit, Landlock sandbox, a clean environment without the course
key). Each cell has a time limit (the kernel is interrupted and the next cell runs) and so does the
whole notebook (the kernel is killed). Then the grader appends one cell of its own that prints a
random marker followed by the answers as JSON; only that cell's marked line is read. No marker, no
answers: the submission scores nothing (fail closed).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from lab.grading.answers import MAX_ANSWER_CHARS, decode, export_source
from lab.grading.forkserver import ForkProvisioner, ForkServer
from lab.grading.kernel import LIMITS_ENV
from lab.grading.sandbox import landlock_abi, readable_paths

__all__ = ["Limits", "Execution", "run_submission", "kernel_env", "KERNEL_ENV"]

#: Variables passed from the grader's environment to a graded kernel (everything else is dropped).
KERNEL_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


@dataclass(frozen=True)
class Limits:
    """What a submission may use.

    Attributes
    ----------
    cell_timeout_s : float
        Seconds per cell before the kernel is interrupted.
    notebook_timeout_s : float
        Seconds for the whole notebook before the kernel is killed.
    memory_mb : int
        Address space of the kernel process, in MiB.
    output_mb : float
        Output kept per submission, in MiB (more is dropped and flagged).
    """

    cell_timeout_s: float = 60.0
    notebook_timeout_s: float = 300.0
    memory_mb: int = 4096
    output_mb: float = 20.0


@dataclass
class Execution:
    """What running a submission gave.

    ``status`` is ``graded`` (answers received), ``timeout`` (a cell or the notebook ran out of
    time), ``kernel_died`` or ``no_output`` (the grader's own cell printed nothing it could read).
    """

    status: str
    answers: dict[str, Any] | None
    runtime_s: float
    cell_errors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


#: nbclient reports each timeout as an error on its logger; the grader reports them in the gradebook instead.
_QUIET = logging.getLogger("lab.grading.kernel_client")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


class _SpecManager(KernelSpecManager):
    """Serves one kernel spec: the confined launcher on this interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(argv=[sys.executable, "-m", "lab.grading.kernel", "-f", "{connection_file}"],
                          display_name="graded Python", language="python", env={})


class _Client(NotebookClient):
    """nbclient with two records: which cells timed out, and output beyond the budget dropped."""

    def __init__(self, *args: Any, output_budget: int, answer_budget: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Widget messages are the student's to send and nobody's to keep: no widget state, no comm handlers.
        self.store_widget_state = False
        self.comm_open_handlers = {}
        self.timed_out: list[int] = []
        self.flooded = False
        self._budget = {"student": output_budget, "grader": answer_budget}
        self._current = -1

    async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
        self._current = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)

    async def _async_handle_timeout(self, timeout: int, cell: Any = None) -> Any:
        self.timed_out.append(self._current)
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        whose = "grader" if cell_index == len(self.nb.cells) - 1 else "student"
        self._budget[whose] -= len(str(msg.get("content", "")))
        if self._budget[whose] < 0:
            self.flooded = True
            return None
        return super().output(outs, msg, display_id, cell_index)


def kernel_env(home: Path) -> dict[str, str]:
    """A clean environment: a few harmless variables, a private home, one BLAS thread."""
    env = {k: os.environ[k] for k in KERNEL_ENV if k in os.environ}
    env.update(HOME=str(home), MPLCONFIGDIR=str(home / ".matplotlib"), IPYTHONDIR=str(home / ".ipython"),
               JUPYTER_CONFIG_DIR=str(home / ".jupyter"), JUPYTER_DATA_DIR=str(home / ".jupyter-data"),
               TMPDIR=str(home / "tmp"), MPLBACKEND="module://matplotlib_inline.backend_inline",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


async def run_submission(cells: Iterable[str], names: list[str], *, setup: Sequence[str] = (),
                         limits: Limits | None = None, secret: Iterable[str | Path] = (),
                         confine: bool = True, forkserver: ForkServer | None = None) -> Execution:
    """Execute the code ``cells`` of a submission and return the answers named ``names``.

    Parameters
    ----------
    cells : iterable of str
        The sources of the student's code cells, in the notebook's order.
    names : list of str
        The answer names to bring back.
    setup : sequence of str
        The grader's own cells, run first (the student's data); cells are numbered after them, as
        the student counts their own.
    limits : Limits, optional
        Time and memory (default: :class:`Limits`).
    secret : iterable of path
        Files and folders the kernel must not be able to read (key, submissions, exercises, outputs).
    confine : bool
        Apply the Landlock sandbox (refused by the caller on systems without it).
    forkserver : ForkServer, optional
        Fork the kernel from this server (imports done once) instead of starting a new interpreter.

    Returns
    -------
    Execution
    """
    limits = limits or Limits()
    marker = f"LAB-ANSWERS-{secrets.token_hex(16)}:"
    code = [*setup, *cells, export_source(names, marker)]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in code])
    run_dir = Path(tempfile.mkdtemp(prefix="lab-grade-"))
    work, home = run_dir / "work", run_dir / "home"
    for d in (work, home, home / "tmp"):
        d.mkdir()
    # Abstract Unix sockets: no file to find, and Landlock keeps every other sandbox from connecting.
    km = AsyncKernelManager(kernel_name="graded", kernel_spec_manager=_SpecManager(), transport="ipc",
                            ip=f"@lab-kernel-{secrets.token_hex(12)}", connection_file=str(run_dir / "kernel.json"))
    if forkserver is not None:
        km.kernel_id = str(uuid.uuid4())
        km.provisioner = ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
        km.provisioner.server = forkserver
    env = kernel_env(home)
    env[LIMITS_ENV] = _limits_json(limits, run_dir, work, home, secret, confine)
    client = _Client(notebook, km=km, timeout=limits.cell_timeout_s, allow_errors=True, interrupt_on_timeout=True,
                     error_on_timeout={"ename": "CellTimeout", "evalue": f"cell ran over {limits.cell_timeout_s:g} s",
                                       "traceback": []},
                     startup_timeout=60, log=_QUIET, resources={"metadata": {"path": str(work)}},
                     output_budget=int(limits.output_mb * 2 ** 20),
                     answer_budget=2 * MAX_ANSWER_CHARS * max(len(names), 1) + 2 ** 20)
    start = time.perf_counter()
    status = None
    expired = asyncio.Event()
    watchdog = asyncio.create_task(_kill_after(km, limits.notebook_timeout_s, expired))
    try:
        await _execute(client, env)
    except DeadKernelError:
        status = "kernel_died"
    except RuntimeError as exc:  # the kernel did not start, or died while starting
        if "kernel" not in str(exc).lower():
            raise
        status = "kernel_died"
    finally:
        if expired.is_set():
            status = "timeout"
        else:
            watchdog.cancel()
        await _stop(km)
        shutil.rmtree(run_dir, ignore_errors=True)
    runtime = time.perf_counter() - start
    return _execution(client, notebook, marker, names, status, runtime, len(setup))


async def _kill_after(km: AsyncKernelManager, seconds: float, expired: asyncio.Event) -> None:
    """The notebook's time limit: when it is reached, say so and kill the kernel."""
    await asyncio.sleep(seconds)
    expired.set()
    await _stop(km)


async def _execute(client: _Client, env: dict[str, str]) -> None:
    async with client.async_setup_kernel(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
        for index, cell in enumerate(client.nb.cells):
            await client.async_execute_cell(cell, index)
        if not client.km or not await client.km.is_alive():
            raise DeadKernelError("the kernel died")


async def _stop(km: AsyncKernelManager) -> None:
    """Kill the kernel and its process group, whatever state it is in."""
    try:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    except Exception:
        pass


def _limits_json(limits: Limits, run_dir: Path, work: Path, home: Path, secret: Iterable[str | Path],
                 confine: bool) -> str:
    import json

    return json.dumps({"memory_bytes": limits.memory_mb * 2 ** 20, "file_bytes": 256 * 2 ** 20,
                       "read": [str(p) for p in readable_paths(secret=[*secret, run_dir.parent])]
                       + [str(run_dir / "kernel.json")],
                       "write": [str(work), str(home)], "confine": bool(confine and landlock_abi() > 0)})


def _cell_name(index: int, n_setup: int) -> str:
    """A cell as the student counts it (the grader's setup cells apart)."""
    return "the grader's setup cell" if index < n_setup else f"cell {index - n_setup + 1}"


def _execution(client: _Client, notebook: nbformat.NotebookNode, marker: str, names: list[str],
               status: str | None, runtime: float, n_setup: int) -> Execution:
    """Read the run's outcome from the executed cells (the student's and the grader's)."""
    *student, export = notebook.cells
    errors = [f"{_cell_name(i, n_setup)}: {o.get('ename', '')}: {str(o.get('evalue', ''))[:200]}"
              for i, c in enumerate(student) for o in c.get("outputs", []) if o.get("output_type") == "error"]
    flags = [f"{_cell_name(i, n_setup)} ran out of time" for i in client.timed_out if i < len(student)]
    if client.flooded:
        flags.append("output beyond the limit was dropped")
    if status is None and client.timed_out:
        status = "timeout"
    answers = None
    if status in (None, "timeout"):
        lines = [line for o in export.get("outputs", []) if o.get("output_type") == "stream"
                 for line in o.get("text", "").splitlines() if line.startswith(marker)]
        if lines:
            answers = decode(lines[0][len(marker):], names)
            status = status or "graded"
        elif status is None:
            status = "no_output"
    return Execution(status, answers, runtime, errors, flags)
