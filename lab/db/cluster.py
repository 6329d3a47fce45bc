"""A PostgreSQL server of the lab's own: a cluster in a state folder, listening on 127.0.0.1 only.

``open`` reproduces the leak's misconfiguration: ``trust`` authentication, so anyone who can reach
the port reads everything without a password. ``locked`` uses SCRAM passwords everywhere. The
server never listens on another interface. Run as root (as CI does), the server runs as the
unprivileged ``postgres`` user (or ``nobody``): PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lab.db.binaries import find_bin
from lab.errors import InputError
from lab.output import atomic_write

__all__ = ["Server", "MODES", "SUPERUSER", "free_port", "init_and_start", "stop", "read_server", "running",
           "STATE_FILE", "CREDENTIALS_FILE"]

MODES = ("open", "locked")
SUPERUSER = "postgres"
STATE_FILE = "server.json"
CREDENTIALS_FILE = "credentials.json"


@dataclass(frozen=True)
class Server:
    """A running server: where its state is, its port, its mode and the superuser's password (locked)."""

    state: Path
    port: int
    mode: str
    superuser_password: str | None = None

    def url(self, user: str = SUPERUSER, password: str | None = None, database: str = "leak") -> str:
        """A libpq connection URL on 127.0.0.1 (with the password, when one is given)."""
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged user the server runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in (SUPERUSER, "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise InputError("running as root, and there is no unprivileged user (postgres or nobody) to run the server as")


def _run(args: list[str], user: pwd.struct_passwd | None, **kwargs) -> subprocess.CompletedProcess:
    who = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
    return subprocess.run(args, capture_output=True, text=True, check=False, **who, **kwargs)


def _check_reachable(state: Path, user: pwd.struct_passwd | None) -> None:
    """Refuse a state folder the server's user cannot reach (a private parent folder)."""
    if user is None:
        return
    for parent in [*reversed(state.resolve().parents)]:
        mode = parent.stat().st_mode
        if not mode & 0o001 and parent.stat().st_uid != user.pw_uid:
            raise InputError(f"--state {str(state)!r}: the server runs as user {user.pw_name}, which cannot enter "
                             f"{parent}; choose a state folder it can reach (for example under /tmp)")


def _check_new_state(state: Path) -> None:
    if state.exists() and (not state.is_dir() or any(state.iterdir())):
        running = read_server(state, missing_ok=True)
        if running is not None:
            raise InputError(f"--state {str(state)!r} already holds a server (port {running.port}); stop it first "
                             f"with `privacy-lab db stop --state {state}`")
        raise InputError(f"--state {str(state)!r} is not empty; give a new folder")


def init_and_start(state: str | os.PathLike, *, mode: str, port: int | None = None) -> Server:
    """Create a cluster in ``state`` and start it on 127.0.0.1:``port``.

    Parameters
    ----------
    state : path
        A new (or empty) folder: the cluster's data, its socket, its log and ``server.json``.
    mode : {"open", "locked"}
        ``open``: trust authentication for everyone. ``locked``: SCRAM passwords for everyone;
        the superuser's password is returned (and written to ``credentials.json`` by
        :func:`lab.db.lock.lock`).
    port : int, optional
        Default: a free port.

    Returns
    -------
    Server

    Raises
    ------
    InputError
        A used state folder or port, an unknown mode, PostgreSQL missing, or a server that fails to start
        (the message quotes its log).
    """
    if mode not in MODES:
        raise InputError(f"--mode must be one of {', '.join(MODES)}, got {mode!r}")
    state = Path(state).absolute()
    _check_new_state(state)
    port = port or free_port()
    if not 1024 <= port <= 65535:
        raise InputError(f"--port must be between 1024 and 65535, got {port}")
    if _port_in_use(port):
        raise InputError(f"--port {port} is in use on 127.0.0.1; choose another or leave --port out")
    bin_dir = find_bin()
    user = _server_user()
    created = not state.exists()
    state.mkdir(parents=True, exist_ok=True)
    try:
        return _create(state, mode=mode, port=port, bin_dir=bin_dir, user=user)
    except BaseException:
        _discard(state, created=created)
        raise


def _discard(state: Path, *, created: bool) -> None:
    """Undo a failed start: stop whatever started, remove what was written (the folder, if we made it)."""
    import shutil

    data = state / "data"
    if (data / "postmaster.pid").exists():
        with contextlib.suppress(Exception):
            _run([str(find_bin() / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], _server_user())
    if created:
        shutil.rmtree(state, ignore_errors=True)
    else:
        for child in state.iterdir():
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)


def _create(state: Path, *, mode: str, port: int, bin_dir: Path, user: pwd.struct_passwd | None) -> Server:
    """initdb, the authentication rules, pg_ctl start, and server.json."""
    _check_reachable(state, user)
    if user is not None:
        os.chown(state, user.pw_uid, user.pw_gid)
    state.chmod(0o700)
    password = secrets.token_urlsafe(24) if mode == "locked" else None
    auth = (["--auth=scram-sha-256", f"--pwfile={_password_file(state, password, user)}"] if password
            else ["--auth=trust"])
    done = _run([str(bin_dir / "initdb"), "-D", str(state / "data"), "-U", SUPERUSER, "-E", "UTF8", "--no-locale",
                 "--no-sync",  # a lab server: no need to wait for the disk while creating it
                 *auth], user)
    with contextlib.suppress(FileNotFoundError):
        (state / "pwfile").unlink()
    if done.returncode != 0:
        raise InputError(f"initdb failed: {done.stderr.strip()[-500:]}")
    method = "scram-sha-256" if password else "trust"
    (state / "data" / "pg_hba.conf").write_text(
        f"# written by privacy-lab db start --mode {mode}\n"
        f"local all all {method}\nhost all all 127.0.0.1/32 {method}\n")
    (state / "sock").mkdir()
    if user is not None:
        for path in (state / "data" / "pg_hba.conf", state / "sock"):
            os.chown(path, user.pw_uid, user.pw_gid)
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={state / 'sock'}"
    started = _run([str(bin_dir / "pg_ctl"), "-D", str(state / "data"), "-l", str(state / "server.log"), "-w",
                    "-t", "60", "-o", options, "start"], user)
    if started.returncode != 0:
        log = (state / "server.log").read_text(errors="replace")[-800:] if (state / "server.log").exists() else ""
        raise InputError(f"the server did not start: {started.stderr.strip()[-300:]} {log}")
    server = Server(state, port, mode, password)
    with atomic_write(state / STATE_FILE) as tmp:
        tmp.write_text(json.dumps({"port": port, "mode": mode, "bin": str(bin_dir)}))
    return server


def _password_file(state: Path, password: str, user: pwd.struct_passwd | None) -> Path:
    path = state / "pwfile"
    path.write_text(password + "\n")
    path.chmod(0o600)
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)
    return path


def read_server(state: str | os.PathLike, *, missing_ok: bool = False) -> Server | None:
    """The server recorded in ``state`` (its superuser's password from credentials.json, when locked)."""
    path = Path(state) / STATE_FILE
    if not path.is_file():
        if missing_ok:
            return None
        raise InputError(f"--state {str(state)!r} holds no server (no {STATE_FILE})")
    info = json.loads(path.read_text())
    password = None
    credentials = Path(state) / CREDENTIALS_FILE
    if credentials.is_file():
        password = json.loads(credentials.read_text()).get(SUPERUSER, {}).get("password")
    return Server(Path(state), int(info["port"]), info["mode"], password)


def stop(state: str | os.PathLike, *, immediate: bool = False) -> bool:
    """Stop the server of ``state`` and wait for it; False when none was running.

    ``immediate`` skips the shutdown checkpoint (for a server that is thrown away).
    """
    state = Path(state).absolute()
    info_path = state / STATE_FILE
    if not info_path.is_file():
        raise InputError(f"--state {str(state)!r} holds no server (no {STATE_FILE})")
    bin_dir = Path(json.loads(info_path.read_text())["bin"])
    user = _server_user()
    status = _run([str(bin_dir / "pg_ctl"), "-D", str(state / "data"), "status"], user)
    if status.returncode != 0:
        return False
    done = _run([str(bin_dir / "pg_ctl"), "-D", str(state / "data"), "-m", "immediate" if immediate else "fast",
                 "-w", "-t", "60", "stop"], user)
    if done.returncode != 0:
        raise InputError(f"the server in {state} did not stop: {done.stderr.strip()[-300:]}")
    return True


@contextlib.contextmanager
def running(state: str | os.PathLike, *, mode: str, port: int | None = None,
            throwaway: bool = False) -> Iterator[Server]:
    """A started server that is stopped when the block ends, however it ends (at once if ``throwaway``)."""
    server = init_and_start(state, mode=mode, port=port)
    try:
        yield server
    finally:
        stop(state, immediate=throwaway)
