"""Kernels forked from one pre-imported process: real kernels, watched, limited and stopped like any other."""

from __future__ import annotations

import asyncio
import os

import pytest

from lab.grading.forkserver import ForkServer
from lab.grading.run import Limits, kernel_env, run_submission
from lab.grading.sandbox import landlock_abi

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="forking kernels needs Linux pidfds")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One fork server for the module."""
    with ForkServer(kernel_env(tmp_path_factory.mktemp("home"))) as s:
        yield s


def run(server, cells, names, **limits):
    return asyncio.run(run_submission(cells, names, forkserver=server, confine=landlock_abi() > 0,
                                      limits=Limits(**{"cell_timeout_s": 20, "notebook_timeout_s": 60, **limits})))


def test_a_forked_kernel_runs_cells_with_the_lab_already_imported(server):
    """The kernel is a child of the server, has the lab imported before its first cell and its own environment."""
    result = run(server, ["import os, sys\nx = [os.getpid(), os.getppid(), 'lab.world' in sys.modules]\n"
                          "y = os.environ.get('HOME')"], ["x", "y"])
    pid, parent, preloaded = result.answers["x"]
    assert result.status == "graded" and parent == server._process.pid and preloaded
    assert result.answers["y"].endswith("/home")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_limits_and_deaths_behave_as_for_a_started_kernel(server):
    """A cell over time is interrupted, an exit is a death, and the memory limit holds."""
    assert run(server, ["x = 1", "while True:\n    pass", "z = 2"], ["x", "z"], cell_timeout_s=2).answers == \
        {"x": 1, "z": 2}
    assert run(server, ["import os\nos._exit(3)"], ["x"]).status == "kernel_died"
    memory = run(server, ["x = 1", "hog = bytearray(8 * 2 ** 30)"], ["x"], memory_mb=2048)
    assert memory.status == "graded" and memory.cell_errors[0].startswith("cell 2: MemoryError")


def test_two_kernels_do_not_share_random_state(server):
    """Forked kernels draw different numbers from the global generators, as fresh interpreters would."""
    draw = ["import random\nimport numpy as np\nx = [random.random(), float(np.random.rand())]"]
    first, second = (run(server, draw, ["x"]).answers["x"] for _ in range(2))
    assert first[0] != second[0] and first[1] != second[1]


def test_closing_stops_the_server(tmp_path):
    """After close the server process is gone."""
    s = ForkServer(kernel_env(tmp_path))
    pid = s._process.pid
    s.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
