"""The graded kernel's launcher: limits applied, and the limits variable gone before student code."""

from __future__ import annotations

import json
import subprocess
import sys

from lab.grading.kernel import LIMITS_ENV


def test_limits_cap_memory_and_files_and_core_dumps(tmp_path):
    """After apply_limits the process cannot allocate past its address space or write past the file cap."""
    limits = {"memory_bytes": 1024 * 2 ** 20, "file_bytes": 1000, "read": [], "write": [], "confine": False}
    code = ("import resource\nfrom lab.grading.kernel import apply_limits\n"
            f"apply_limits({limits!r})\n"
            "print(resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_CORE)[0])\n"
            "try:\n    bytearray(2 * 2 ** 30); print('allocated')\nexcept MemoryError:\n    print('MemoryError')\n"
            f"try:\n    with open({str(tmp_path / 'f')!r}, 'wb') as f:\n        f.write(b'x' * 5000)\n"
            "    print('written')\n"
            "except OSError:\n    print('file too large')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [str(2 ** 30), "0", "MemoryError", "file", "too", "large"], result.stderr


def test_main_removes_the_limits_variable_before_the_kernel_starts(monkeypatch):
    """The launcher pops its variable, so student code never sees it."""
    import lab.grading.kernel as kernel

    seen = {}
    monkeypatch.setenv(LIMITS_ENV, json.dumps({"memory_bytes": 2 ** 40, "file_bytes": 2 ** 40, "read": [],
                                               "write": [], "confine": False}))
    monkeypatch.setattr(kernel, "apply_limits", lambda limits: seen.update(limits))
    import ipykernel.kernelapp

    monkeypatch.setattr(ipykernel.kernelapp, "launch_new_instance", lambda: seen.update(started=True))
    kernel.main()
    assert seen["started"] and seen["memory_bytes"] == 2 ** 40
    import os

    assert LIMITS_ENV not in os.environ
