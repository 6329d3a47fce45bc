"""Where PostgreSQL's server programs are: Debian keeps them off PATH, in /usr/lib/postgresql/N/bin."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from lab.errors import InputError

__all__ = ["PostgresMissing", "find_bin", "INSTALL_HINT"]

#: What to do when PostgreSQL is not installed.
INSTALL_HINT = ("install it: `sudo apt-get install postgresql` (Debian, Ubuntu), `sudo dnf install "
                "postgresql-server` (Fedora), `brew install postgresql` (macOS); or set PG_BIN to the folder "
                "holding initdb and pg_ctl")


class PostgresMissing(InputError):
    """PostgreSQL's server programs cannot be found."""


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", folder.parent.name)) or (0,)


def find_bin(*, search: tuple[str, ...] = ("/usr/lib/postgresql", "/usr/local/lib/postgresql",
                                            "/opt/homebrew/opt/postgresql/bin")) -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Looks at ``PG_BIN``, then Debian's versioned folders (the newest first), then ``pg_config
    --bindir`` and ``PATH``.

    Raises
    ------
    PostgresMissing
        With the command that installs it.
    """
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    for root in map(Path, search):
        if root.name == "bin":
            candidates.append(root)
        elif root.is_dir():
            candidates += sorted((p / "bin" for p in root.iterdir()), key=_version, reverse=True)
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    if shutil.which("pg_ctl"):
        candidates.append(Path(shutil.which("pg_ctl")).parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PostgresMissing(f"PostgreSQL's server (initdb, pg_ctl) is not installed; {INSTALL_HINT}")
