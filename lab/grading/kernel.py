"""``python -m lab.grading.kernel -f CONNECTION_FILE``: an IPython kernel confined before it starts.

The grader passes the limits in one environment variable, which this launcher removes before any
student code runs: the address-space limit (a memory bomb meets ``MemoryError`` or dies, it does not
freeze the machine), no core files, a cap on file sizes, and the Landlock sandbox of
:mod:`lab.grading.sandbox` (read the system, Python and the lab; write the working folder only).
"""

from __future__ import annotations

import json
import os
import resource

from lab.grading.sandbox import confine

__all__ = ["LIMITS_ENV", "apply_limits", "main"]

#: The environment variable carrying the limits from the grader to this launcher.
LIMITS_ENV = "LAB_GRADING_LIMITS"


def apply_limits(limits: dict) -> None:
    """Apply ``{"memory_bytes", "file_bytes", "read", "write", "confine"}`` to this process."""
    memory = int(limits["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    files = int(limits["file_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (files, files))
    if limits["confine"]:
        confine(read=limits["read"], write=limits["write"])


def main() -> None:
    """Apply the grader's limits, then run an IPython kernel."""
    limits = json.loads(os.environ.pop(LIMITS_ENV))
    from ipykernel import kernelapp

    apply_limits(limits)
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
