"""Servers start on 127.0.0.1 only, in seconds, refuse a used state or port, and always stop."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest

from lab.db.cluster import init_and_start, read_server, running, stop
from lab.errors import InputError

from .conftest import postgres_or_skip


def connect(port, password=None):
    return psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", password=password,
                           connect_timeout=5, autocommit=True)


def test_an_open_server_lets_anyone_in_on_loopback_only(state_root):
    """trust authentication: no password; listen_addresses is 127.0.0.1 and nothing else."""
    postgres_or_skip()
    with running(state_root / "s", mode="open") as server, connect(server.port) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == "127.0.0.1"
        assert conn.execute("SELECT current_user").fetchone()[0] == "postgres"
        server_pid = (state_root / "s" / "data" / "postmaster.pid").read_text().split()[0]
        status = Path(f"/proc/{server_pid}/status").read_text().splitlines()
        uid = next(line for line in status if line.startswith("Uid:")).split()[1]
        assert os.geteuid() != 0 or int(uid) != 0  # started by root, it runs as an unprivileged user



def test_a_locked_server_wants_the_password(state_root):
    """SCRAM for everyone: no password fails, the superuser's password works."""
    postgres_or_skip()
    with running(state_root / "s", mode="locked") as server:
        with pytest.raises(psycopg.OperationalError, match="password"):
            connect(server.port)
        with connect(server.port, server.superuser_password) as conn:
            assert conn.execute("SHOW password_encryption").fetchone()[0] == "scram-sha-256"


def test_a_second_start_on_the_same_state_or_port_is_refused(state_root):
    """The state folder and the port are each refused clearly while a server holds them."""
    postgres_or_skip()
    with running(state_root / "a", mode="open") as server:
        with pytest.raises(InputError, match="already holds a server"):
            init_and_start(state_root / "a", mode="open")
        with pytest.raises(InputError, match=f"--port {server.port} is in use"):
            init_and_start(state_root / "b", mode="open", port=server.port)
        assert not (state_root / "b").exists()


def test_stop_leaves_nothing_running(state_root):
    """After stop the port is closed and no postgres process of the state folder remains."""
    postgres_or_skip()
    server = init_and_start(state_root / "s", mode="open")
    assert read_server(state_root / "s").port == server.port
    assert stop(state_root / "s") is True and stop(state_root / "s") is False
    with pytest.raises(psycopg.OperationalError):
        connect(server.port)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(state_root / "s") not in ps


def test_a_crash_inside_the_block_still_stops_the_server(state_root):
    """An exception in a `running` block stops the server on the way out."""
    postgres_or_skip()
    ports = []

    def crash():
        with running(state_root / "s", mode="open") as server:
            ports.append(server.port)
            raise RuntimeError("a test crashed")

    with pytest.raises(RuntimeError):
        crash()
    port = ports[0]
    with pytest.raises(psycopg.OperationalError):
        connect(port)


def test_bad_options_are_refused_before_anything_is_made(state_root):
    """An unknown mode or a privileged port is refused and no folder appears."""
    with pytest.raises(InputError, match="--mode"):
        init_and_start(state_root / "s", mode="ajar")
    with pytest.raises(InputError, match="--port must be between 1024 and 65535"):
        init_and_start(state_root / "s", mode="open", port=80)
    assert not (state_root / "s").exists()
