"""`privacy-lab db start | stop | scan` end to end, and PostgreSQL missing said plainly."""

from __future__ import annotations

import json

import pytest

import lab.db.cluster
from lab.cli import main
from lab.db.binaries import PostgresMissing

from .conftest import postgres_or_skip


@pytest.fixture
def world_dir(state_root):
    """A generated 60-person world on disk."""
    out = state_root / "world"
    assert main(["generate", "classroom", "--population", "60", "--days", "2", "--seed", "3", "--out", str(out),
                 "--no-realism", "-q"]) == 0
    return out


def test_start_scan_stop_open_and_locked(world_dir, state_root, capsys):
    """Both servers start and load; scan finds the open door (exit 1); stop leaves nothing running."""
    postgres_or_skip()
    try:
        assert main(["db", "start", str(world_dir), "--mode", "open", "--state", str(state_root / "o")]) == 0
        assert main(["db", "start", str(world_dir), "--mode", "locked", "--state", str(state_root / "l")]) == 0
        out = capsys.readouterr().out
        assert "no password asked: psql postgresql://postgres@127.0.0.1:" in out and "60 people" in out
        ports = [json.loads((state_root / s / "server.json").read_text())["port"] for s in ("o", "l")]
        credentials = json.loads((state_root / "l" / "credentials.json").read_text())
        assert credentials["analyst"]["url"].startswith("postgresql://analyst:")
        assert f"@127.0.0.1:{ports[1]}/leak" in credentials["analyst"]["url"]
        assert [main(["db", "scan", "--ports", str(port)]) for port in ports] == [1, 0]
        scan = capsys.readouterr().out
        assert f"127.0.0.1:{ports[0]}  PostgreSQL: lets postgres in without a password" in scan
        assert f"127.0.0.1:{ports[1]}  PostgreSQL: asks for a password" in scan and "people (60 rows)" in scan
    finally:
        for s in ("o", "l"):
            if (state_root / s / "server.json").exists():
                main(["db", "stop", "--state", str(state_root / s)])
    assert "stopped" in capsys.readouterr().out
    assert [main(["db", "scan", "--ports", str(port)]) for port in ports] == [0, 0]
    assert capsys.readouterr().out.count("nothing listens") == 2


def test_missing_postgres_exits_2_with_the_install_command(world_dir, state_root, capsys, monkeypatch):
    """Without PostgreSQL, one line says how to install it; nothing is created."""
    def missing():
        raise PostgresMissing("PostgreSQL's server (initdb, pg_ctl) is not installed; install it: "
                              "`sudo apt-get install postgresql`")

    monkeypatch.setattr(lab.db.cluster, "find_bin", missing)
    assert main(["db", "start", str(world_dir), "--mode", "open", "--state", str(state_root / "s")]) == 2
    assert "apt-get install postgresql" in capsys.readouterr().err
    assert not (state_root / "s").exists()


def test_scan_refuses_another_host(capsys):
    """--host other than loopback: exit 2, the ethics said."""
    assert main(["db", "scan", "--host", "192.0.2.1"]) == 2
    assert "loopback address only" in capsys.readouterr().err


def test_stop_without_a_server_is_bad_input(state_root, capsys):
    """A folder that holds no server is named."""
    assert main(["db", "stop", "--state", str(state_root)]) == 2
    assert "holds no server" in capsys.readouterr().err
