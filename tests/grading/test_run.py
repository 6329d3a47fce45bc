"""Running one submission: answers come back as data, and every way a kernel fails has its status."""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest

from lab.grading.answers import MISSING
from lab.grading.run import Limits, run_submission
from lab.grading.sandbox import landlock_abi

from ..conftest import require

FAST = Limits(cell_timeout_s=4, notebook_timeout_s=40, memory_mb=2048)

SUBMISSIONS = {
    "plain": ["import numpy as np\nx = 6 * 7\ny = np.arange(3)", "1 / 0", "z = {1, 2}"],
    "cell_loop": ["x = 1", "while True:\n    pass", "z = 3"],
    "notebook_loop": ["x = 1", "import time\nwhile True:\n    time.sleep(0.5)"],
    "deaf_loop": ["x = 1", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"],
    "exit": ["x = 1", "import os\nos._exit(1)"],
    "kill": ["x = 1", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"],
    "memory": ["x = 1", "hog = bytearray(8 * 2 ** 30)", "z = 3"],
    "environment": ["import os\nx = sorted(os.environ)\ny = os.getpid()"],
    "print_replaced": ["x = 1", "import builtins\nbuiltins.print = lambda *a, **k: None"],
    "forged_marker": ["x = 1", "print('LAB-ANSWERS-0000:{\"x\": 99}')"],
    "flood": ["x = 1", "for _ in range(3000):\n    print('y' * 10_000)"],
}


@pytest.fixture(scope="module")
def runs():
    """Every submission above, run at once (limits short, so the module takes seconds)."""
    async def run_all():
        limits = {"notebook_loop": Limits(cell_timeout_s=30, notebook_timeout_s=5, memory_mb=2048),
                  "deaf_loop": Limits(cell_timeout_s=2, notebook_timeout_s=8, memory_mb=2048),
                  "flood": Limits(cell_timeout_s=20, notebook_timeout_s=40, memory_mb=2048, output_mb=1)}
        jobs = [run_submission(cells, ["x", "y", "z"], limits=limits.get(name, FAST), confine=landlock_abi() > 0)
                for name, cells in SUBMISSIONS.items()]
        return dict(zip(SUBMISSIONS, await asyncio.gather(*jobs)))
    return asyncio.run(run_all())


def test_answers_come_back_as_values_and_errors_are_listed(runs):
    """Defined names come back, undefined ones are MISSING, a raising cell is listed and skipped."""
    run = runs["plain"]
    assert run.status == "graded" and run.answers["x"] == 42 and run.answers["z"] == {1, 2}
    np.testing.assert_array_equal(run.answers["y"], [0, 1, 2])
    assert run.cell_errors == ["cell 2: ZeroDivisionError: division by zero"]


def test_a_cell_that_runs_over_is_interrupted_and_the_rest_still_runs(runs):
    """The loop's cell is interrupted; the later cell's answer comes back; status timeout."""
    run = runs["cell_loop"]
    assert run.status == "timeout" and run.answers["z"] == 3 and "cell 2 ran out of time" in run.flags


@pytest.mark.parametrize("name", ["notebook_loop", "deaf_loop"])
def test_a_notebook_that_runs_over_is_killed_with_no_answers(runs, name):
    """Past the notebook's limit (even ignoring interrupts) the kernel is killed: timeout, no answers."""
    run = runs[name]
    assert run.status == "timeout" and run.answers is None and run.runtime_s < 30


@pytest.mark.parametrize("name", ["exit", "kill"])
def test_a_kernel_that_dies_scores_nothing(runs, name):
    """os._exit and SIGKILL end the kernel: kernel_died, no answers."""
    assert runs[name].status == "kernel_died" and runs[name].answers is None


def test_a_memory_bomb_meets_the_limit_and_grading_goes_on(runs):
    """Allocating past the limit raises MemoryError in the kernel; later cells still run."""
    run = runs["memory"]
    assert run.status == "graded" and run.answers["z"] == 3 and run.cell_errors[0].startswith("cell 2: MemoryError")


def test_the_kernel_environment_holds_nothing_of_the_graders(runs):
    """Only a few harmless variables reach the kernel (no key, no limits variable)."""
    names = set(runs["environment"].answers["x"])
    assert "LAB_GRADING_LIMITS" not in names and names <= {
        "PATH", "LANG", "LC_ALL", "TZ", "HOME", "MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
        "TMPDIR", "MPLBACKEND", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PYTHONHASHSEED",
        "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_PARENT_PID", "JPY_SESSION_NAME", "CLICOLOR", "CLICOLOR_FORCE",
        "FORCE_COLOR", "TERM", "PAGER", "GIT_PAGER", "COLUMNS", "LINES", "PYDEVD_USE_FRAME_EVAL"}


def test_no_kernel_is_left_running(runs):
    """After a run the kernel process is gone."""
    with pytest.raises(ProcessLookupError):
        os.kill(runs["environment"].answers["y"], 0)


def test_without_the_graders_output_nothing_is_graded(runs):
    """A notebook that silences print leaves the grader's cell mute: no_output, no answers."""
    assert runs["print_replaced"].status == "no_output" and runs["print_replaced"].answers is None


def test_a_forged_marker_is_not_the_graders(runs):
    """A line printed by the student with a made-up marker is ignored; the real answers come back."""
    assert runs["forged_marker"].answers == {"x": 1, "y": MISSING, "z": MISSING}


def test_a_flood_of_output_is_cut_and_flagged(runs):
    """Output past the budget is dropped (the grader's memory stays bounded) and the answers still arrive."""
    run = runs["flood"]
    assert "output beyond the limit was dropped" in run.flags and run.status == "graded" and run.answers["x"] == 1


SPY = """import json, os, socket, sys, time
time.sleep(3)
mine = json.load(open(sys.argv[sys.argv.index('-f') + 1]))['ip'].lstrip('@')
names = {line.split()[-1] for line in open('/proc/self/net/unix') if 'lab-kernel-' in line}
others = sorted(n for n in names if mine not in n)
x = []
for name in others[:3]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect('\\0' + name.lstrip('@'))
        x.append('connected')
    except OSError as e:
        x.append(type(e).__name__)
    finally:
        s.close()
"""


def test_a_kernel_cannot_reach_a_classmates_kernel():
    """Two kernels at once: neither can connect to the other's sockets (abstract, scoped by Landlock)."""
    require(landlock_abi() >= 6, f"abstract sockets are scoped by Landlock ABI 6+; this kernel offers {landlock_abi()}")

    async def both():
        return await asyncio.gather(*(run_submission([SPY], ["x"], limits=FAST, confine=True) for _ in range(2)))

    results = asyncio.run(both())
    tried = [r.answers["x"] for r in results]
    assert all(t for t in tried) and all(v == "PermissionError" for t in tried for v in t), tried
