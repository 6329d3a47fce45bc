"""Finding PostgreSQL: Debian's versioned folders, PG_BIN, and a clear message when it is missing."""

from __future__ import annotations

import pytest

from lab.db.binaries import PostgresMissing, find_bin


def fake_bin(folder):
    folder.mkdir(parents=True)
    for tool in ("initdb", "pg_ctl", "postgres"):
        (folder / tool).write_text("")
    return folder


def test_the_newest_debian_version_wins(tmp_path, monkeypatch):
    """Of /usr/lib/postgresql/13 and 15, the binaries of 15 are used."""
    monkeypatch.delenv("PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    fake_bin(tmp_path / "pg" / "13" / "bin")
    newest = fake_bin(tmp_path / "pg" / "15" / "bin")
    assert find_bin(search=(str(tmp_path / "pg"),)) == newest


def test_pg_bin_comes_first(tmp_path, monkeypatch):
    """PG_BIN names the folder to use."""
    chosen = fake_bin(tmp_path / "mine")
    monkeypatch.setenv("PG_BIN", str(chosen))
    assert find_bin(search=()) == chosen


def test_missing_postgres_says_how_to_install(tmp_path, monkeypatch):
    """Without any server binaries the error names apt-get install postgresql."""
    monkeypatch.delenv("PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PostgresMissing, match="apt-get install postgresql"):
        find_bin(search=(str(tmp_path / "none"),))
