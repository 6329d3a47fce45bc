"""Run a lesson top to bottom in a real Jupyter kernel, as a student's "Run all" would."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat

__all__ = ["read_notebook", "execute_notebook"]


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook from its ``.ipynb`` or from its jupytext ``py:percent`` source.

    Parameters
    ----------
    path : str or pathlib.Path
        ``NN_name.ipynb`` or ``NN_name.py``.

    Returns
    -------
    nbformat.NotebookNode
    """
    path = Path(path)
    if path.suffix == ".py":
        import jupytext

        return jupytext.read(path, fmt="py:percent")
    return nbformat.read(path, as_version=4)


def execute_notebook(path: str | Path, *, timeout: float = 300, kernel_name: str = "python3",
                     cwd: str | Path | None = None) -> tuple[nbformat.NotebookNode, float]:
    """Execute every cell of a notebook in a fresh kernel.

    Parameters
    ----------
    path : str or pathlib.Path
        The notebook (``.ipynb``, or its ``py:percent`` source).
    timeout : float
        Seconds any one cell may run.
    kernel_name : str
        The Jupyter kernel; ``python3`` is the environment's own interpreter.
    cwd : str or pathlib.Path, optional
        Working directory of the kernel (default: the notebook's folder).

    Returns
    -------
    notebook : nbformat.NotebookNode
        The notebook with its outputs.
    seconds : float
        Wall-clock time from kernel start to the last cell's end.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell raises; the message names the cell and carries the traceback.
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path)
    notebook = read_notebook(path)
    with tempfile.TemporaryDirectory(prefix="lab-lesson-") as sockets:
        # The kernel talks over Unix sockets in a private folder, not over TCP on localhost.
        km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(notebook, km=km, timeout=timeout, kernel_name=kernel_name,
                                resources={"metadata": {"path": str(cwd or path.parent)}})
        start = time.perf_counter()
        try:
            client.execute()
        finally:  # the client does not stop a kernel it was handed
            if km.has_kernel:
                km.shutdown_kernel(now=True)
        return notebook, time.perf_counter() - start
