"""Confine a graded kernel: it may read the Python installation and the lab, write its own
working folder, and nothing else; it may not use TCP or signal processes outside itself.

Linux Landlock (kernel 5.13 and later, no privileges needed) enforces the rules on the kernel
process and everything it starts, and they cannot be lifted. A submission that looks for the
course key, reads a classmate's notebook, rewrites the gradebook or kills the grader is refused
by the operating system, not by politeness.

References
----------
.. [1] Linux kernel documentation, "Landlock: unprivileged access control",
   https://docs.kernel.org/userspace-api/landlock.html
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["landlock_abi", "readable_paths", "confine", "SandboxError"]

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446   # the same on every Linux architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_ALL_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_READ = _EXECUTE | _READ_FILE | _READ_DIR
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_BIND_TCP, _CONNECT_TCP = 1 << 0, 1 << 1

#: System folders a Python process reads (libraries, time zones, fonts, certificates, devices).
SYSTEM_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt", "/dev", "/proc/self",
                "/sys/devices/system/cpu", "/sys/fs/cgroup")


class SandboxError(RuntimeError):
    """The operating system cannot confine the kernel."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = (("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64))


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version this system offers (0 when it has none).

    Returns
    -------
    int
        0 on a system without Landlock (not Linux, an old kernel, or Landlock disabled at boot).
    """
    if platform.system() != "Linux":
        return 0
    abi = _libc().syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(abi), 0)


def readable_paths(*, secret: Iterable[str | Path] = ()) -> list[Path]:
    """Folders the kernel may read: the system's, the interpreter's and the lab's.

    Parameters
    ----------
    secret : iterable of path
        Files and folders the kernel must never read (the course key, the submissions, the
        exercises' solutions, the gradebook). A candidate folder that holds one of them is left out.

    Returns
    -------
    list of pathlib.Path
        Existing folders, none holding a secret.
    """
    import lab

    secrets = [Path(s).resolve() for s in secret]
    candidates = [*SYSTEM_PATHS, sys.prefix, sys.base_prefix, sys.exec_prefix, Path(sys.executable).resolve().parent,
                  Path(lab.__file__).resolve().parent, *(p for p in sys.path if p)]
    chosen: list[Path] = []
    for candidate in candidates:
        if candidate == "/proc/self":  # resolved by the confined process itself, to its own entry
            chosen.append(Path(candidate))
            continue
        path = Path(candidate).resolve()
        if not path.exists() or path in chosen or path == Path("/"):
            continue
        if any(s == path or s.is_relative_to(path) for s in secrets):
            continue
        chosen.append(path)
    return chosen


def confine(*, read: Iterable[str | Path], write: Iterable[str | Path]) -> int:
    """Restrict this process (and all it will start) to reading ``read`` and writing ``write``.

    Also forbids TCP (no binding, no connecting: the kernel talks to the grader over Unix
    sockets in its working folder), signalling processes outside the sandbox and connecting to
    abstract Unix sockets outside it. Irreversible.

    Parameters
    ----------
    read : iterable of path
        Folders or files readable (and executable) below.
    write : iterable of path
        Folders fully usable below (read, write, create, remove).

    Returns
    -------
    int
        The Landlock ABI enforced.

    Raises
    ------
    SandboxError
        When the system has no Landlock or refuses the rules.
    """
    abi = landlock_abi()
    if abi < 1:
        raise SandboxError("this system has no Landlock (Linux 5.13 or later is needed to confine a graded kernel)")
    libc = _libc()
    handled = _ALL_FS_BY_ABI[max(k for k in _ALL_FS_BY_ABI if k <= abi)]
    scoped = (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0
    network = (_BIND_TCP | _CONNECT_TCP) if abi >= 4 else 0
    attr = _RulesetAttr(handled_access_fs=handled, handled_access_net=network, scoped=scoped)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise SandboxError(f"Landlock refused the ruleset: {os.strerror(ctypes.get_errno())}")
    try:
        for paths, access in ((read, _READ), (write, handled)):
            for path in paths:
                _allow(libc, ruleset, Path(path), access & handled)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise SandboxError(f"cannot set no_new_privs: {os.strerror(ctypes.get_errno())}")
        if libc.syscall(_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            raise SandboxError(f"Landlock refused to confine the process: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(ruleset)
    return abi


def _allow(libc: ctypes.CDLL, ruleset: int, path: Path, access: int) -> None:
    """Add one path-beneath rule (a file gets only the rights that apply to files)."""
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not path.is_dir():
            access &= _EXECUTE | _WRITE_FILE | _READ_FILE | (1 << 14) | (1 << 15)
        rule = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        if libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
            raise SandboxError(f"Landlock refused a rule for {path}: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)
