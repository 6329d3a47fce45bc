"""The scanner looks at loopback only and says which servers let anyone in and what they expose."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from lab.db.cluster import running
from lab.db.load import load_world
from lab.db.scan import check_loopback, parse_ports, scan
from lab.errors import InputError

from .conftest import postgres_or_skip


@pytest.mark.parametrize("host", ["8.8.8.8", "10.0.0.1", "example.invalid"])
def test_other_targets_are_refused(host):
    """Anything but the loopback address is refused before any packet is sent."""
    with pytest.raises(InputError, match="--host"):
        check_loopback(host)


def test_port_ranges_parse_and_bad_ones_are_refused():
    """LOW-HIGH and a single port parse; reversed, empty or huge ranges are refused."""
    assert parse_ports("5400-5402") == range(5400, 5403) and parse_ports("5432") == range(5432, 5433)
    for bad in ("5500-5400", "x", "1-70000", "1-20000"):
        with pytest.raises(InputError, match="--ports"):
            parse_ports(bad)


def test_the_scan_finds_the_open_door_and_what_it_exposes(small_world):
    """An open server is reported with its tables and row counts; a locked one only asks for a password."""
    postgres_or_skip()
    root = Path(tempfile.mkdtemp(prefix="lab-db-test-"))
    root.chmod(0o755)
    try:
        with running(root / "o", mode="open") as open_server, running(root / "l", mode="locked") as locked:
            load_world(open_server, small_world)
            findings = {f.port: f for port in (open_server.port, locked.port) for f in scan(range(port, port + 1))}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    door, shut = findings[open_server.port], findings[locked.port]
    assert door.open_door and door.tables["leak"]["people"] == len(small_world.people)
    assert door.tables["leak"]["sightings"] == len(small_world.releases["sightings"])
    assert shut.postgres and not shut.open_door and shut.detail == "asks for a password"
