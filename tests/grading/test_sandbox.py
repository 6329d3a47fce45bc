"""The Landlock sandbox: a confined process reads Python and the lab, and nothing it was not given."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lab.grading.sandbox import landlock_abi, readable_paths

from ..conftest import in_ci

needs_landlock = pytest.mark.skipif(landlock_abi() < 1 and not in_ci(),
                                    reason="this kernel has no Landlock (Linux 5.13+)")


def test_readable_paths_leave_out_folders_holding_a_secret(tmp_path):
    """A candidate folder that contains a secret is not readable; the interpreter's folders are."""
    paths = readable_paths(secret=[sys.prefix + "/secret.key"])
    assert not any(p == os.path.realpath(sys.prefix) for p in map(str, paths))
    assert any(str(p).startswith("/usr") for p in readable_paths())


def run_confined(tmp_path, secret, body):
    code = ("from lab.grading.sandbox import confine, readable_paths\n"
            f"confine(read=readable_paths(secret=[{str(secret)!r}]), write=[{str(tmp_path / 'work')!r}])\n" + body)
    (tmp_path / "work").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


@needs_landlock
def test_a_confined_process_cannot_read_a_secret_but_can_use_the_lab(tmp_path):
    """Under the sandbox the lab imports and generates, the work folder is writable, the key is not readable."""
    assert landlock_abi() >= 1
    secret = tmp_path / "key"
    secret.write_text("s3cret")
    result = run_confined(tmp_path, secret, (
        "from lab.synth.scenario import load_scenario\nfrom lab.world import generate_world\n"
        "print(len(generate_world(load_scenario('classroom', population=30, days=2), seed=1).people))\n"
        f"open({str(tmp_path / 'work' / 'x')!r}, 'w').write('ok')\n"
        f"try:\n    open({str(secret)!r}).read(); print('READ')\nexcept PermissionError:\n    print('denied')\n"))
    assert result.stdout.split() == ["30", "denied"], result.stderr


@needs_landlock
def test_a_confined_process_cannot_signal_its_parent_or_use_tcp(tmp_path):
    """Killing the grader and opening a TCP connection are both refused."""
    result = run_confined(tmp_path, tmp_path / "none", (
        "import os, socket\n"
        "try:\n    os.kill(os.getppid(), 0); print('signalled')\nexcept PermissionError:\n    print('no signal')\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=2); print('connected')\n"
        "except PermissionError:\n    print('no tcp')\nexcept OSError:\n    print('tcp allowed')\n"))
    assert result.stdout.split() == ["no", "signal", "no", "tcp"], result.stdout + result.stderr
