"""Start graded kernels quickly: fork them from one process that has already imported the kernel and the lab.

A graded kernel spends about a second of CPU importing IPython, numpy, pandas and the lab before
the student's first line runs. :class:`ForkServer` imports them once, in a process of its own, and
forks one child per submission; each child starts a new session, takes the kernel's environment,
applies the limits and the sandbox of :mod:`lab.grading.kernel`, and becomes an IPython kernel.
The grader gets a pidfd for each child, so it watches, interrupts and kills it as it would its own
subprocess (:class:`ForkProvisioner`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

__all__ = ["ForkServer", "ForkProvisioner", "PRELOAD"]

#: Modules imported once by the server, before any fork.
PRELOAD = ("ipykernel.kernelapp", "lab.grading.student", "lab.grading.answers")


class _Forked:
    """What jupyter_client expects of a kernel process (Popen's poll, wait, signals), for a forked child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid, self._pidfd, self.returncode = pid, pidfd, None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self.returncode = -1  # it exited; its status belongs to the server, which reaped it
            os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired("graded kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """A process holding the kernel's imports, forking one kernel per request.

    The grader and the server talk over one end each of a socket pair made before the server starts:
    there is no socket path a kernel could find and connect to, and every child closes its copy.
    Use as a context manager; :meth:`spawn` returns the child's pid and a pidfd.

    Parameters
    ----------
    env : mapping of str to str
        The environment the server imports under (one BLAS thread, a private home).
    """

    def __init__(self, env: dict[str, str]) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="lab-forkserver-"))
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._conn = ours
        self._process = subprocess.Popen([sys.executable, "-m", "lab.grading.forkserver", str(theirs.fileno())],
                                         env={**env, "HOME": str(self._dir)}, cwd=self._dir,
                                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),))
        theirs.close()
        ready = self._process.stdout.readline()
        if ready.strip() != b"ready":
            self.close()
            raise RuntimeError("the kernel fork server did not start")

    def spawn(self, *, connection_file: str, cwd: str, env: dict[str, str]) -> tuple[int, int]:
        """Fork a kernel; returns (pid, pidfd)."""
        request = json.dumps({"connection_file": connection_file, "cwd": cwd, "env": env}).encode()
        with self._lock:
            self._conn.sendall(len(request).to_bytes(8, "big") + request)
            message, fds, _, _ = socket.recv_fds(self._conn, 1024, 1)
        if not fds:
            raise RuntimeError(f"the kernel fork server refused: {message.decode(errors='replace')}")
        return int(json.loads(message)["pid"]), fds[0]

    def close(self) -> None:
        """Stop the server (kernels it started are stopped by their managers)."""
        self._conn.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._process.stdout.close()
        with contextlib.suppress(OSError):
            self._dir.rmdir()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ForkProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the kernel forked by a :class:`ForkServer`."""

    server: ForkServer | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        km = self.parent
        pid, pidfd = self.server.spawn(connection_file=km.connection_file, cwd=str(kwargs.get("cwd") or os.getcwd()),
                                       env=dict(kwargs.get("env") or {}))
        self.process = _Forked(pid, pidfd)
        self.pid = self.pgid = pid  # the child leads its own session and process group
        return self.connection_info


def _child(request: dict, *inherited: socket.socket) -> None:
    """In the forked child: become the graded kernel (never returns)."""
    try:
        for sock in inherited:
            sock.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import random

        import numpy as np

        random.seed()
        np.random.seed()  # noqa: NPY002 - the global state np.random.* uses, copied by fork: give it fresh entropy
        from lab.grading.kernel import LIMITS_ENV, apply_limits

        apply_limits(json.loads(os.environ.pop(LIMITS_ENV)))
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = ["graded-kernel", "-f", request["connection_file"]]
        IPKernelApp.launch_instance()
    finally:
        os._exit(0)


def _reap(*_: object) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _read_request(conn: socket.socket) -> dict | None:
    """One length-prefixed JSON request from the grader (None when the grader has gone)."""
    header = conn.recv(8, socket.MSG_WAITALL)
    if len(header) < 8:
        return None
    body = conn.recv(int.from_bytes(header, "big"), socket.MSG_WAITALL)
    return json.loads(body)


def serve(fd: int) -> None:
    """The server's loop: preload, then fork a kernel per request until the grader closes its end."""
    import ctypes
    import importlib

    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the grader
    for module in PRELOAD:
        importlib.import_module(module)
    if "pdb" in sys.modules:  # see lab.grading.cases.run_cases: pdb must come after the kernel's own set-up
        raise RuntimeError("a preloaded module imported pdb")
    signal.signal(signal.SIGCHLD, _reap)
    conn = socket.socket(fileno=fd)
    print("ready", flush=True)
    while (request := _read_request(conn)) is not None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            pid = os.fork()
            if pid == 0:
                _child(request, conn)
            pidfd = os.pidfd_open(pid)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        socket.send_fds(conn, [json.dumps({"pid": pid}).encode()], [pidfd])
        os.close(pidfd)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
