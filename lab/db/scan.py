"""Who answers on this machine without a password: a scan of the loopback address only.

Scanning other people's machines without their permission is illegal in many countries and always
rude; the leak of 2019 was found by exactly such a scan. This scanner therefore looks at 127.0.0.1
and nothing else: the databases you started yourself.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field

from lab.errors import InputError

__all__ = ["Finding", "scan", "parse_ports", "check_loopback", "LOOPBACK"]

LOOPBACK = "127.0.0.1"


@dataclass
class Finding:
    """One open port: whether PostgreSQL answered, whether it let us in, and what it showed."""

    port: int
    postgres: bool
    open_door: bool
    detail: str
    tables: dict[str, dict[str, int]] = field(default_factory=dict)


def check_loopback(host: str) -> str:
    """Refuse any target but the loopback address (names resolved first)."""
    try:
        address = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError):
        raise InputError(f"--host {host!r} is not an address of this machine") from None
    if not address.is_loopback:
        raise InputError(f"--host {host!r}: privacy-lab scans the loopback address only (127.0.0.1); scanning "
                         "machines that are not yours is not what this lab teaches")
    return LOOPBACK


def parse_ports(text: str) -> range:
    """``"5400-5500"`` or ``"5432"`` as a range of ports (at most 10,000 of them)."""
    try:
        low, _, high = text.partition("-")
        ports = range(int(low), int(high or low) + 1)
    except ValueError:
        raise InputError(f"--ports must be PORT or LOW-HIGH, got {text!r}") from None
    if not ports or ports.start < 1 or ports.stop > 65536 or len(ports) > 10_000:
        raise InputError(f"--ports {text!r}: give 1 to 10,000 ports between 1 and 65535")
    return ports


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((LOOPBACK, port)) == 0


def _inspect(port: int, user: str) -> Finding:
    """Try to log in without a password and list what every database exposes."""
    import psycopg

    try:
        conn = psycopg.connect(host=LOOPBACK, port=port, user=user, dbname="postgres", connect_timeout=3,
                               autocommit=True, password="")
    except psycopg.OperationalError as exc:
        text = str(exc)
        postgres = "password" in text or "authentication" in text or "does not exist" in text
        why = "asks for a password" if "password" in text else text.splitlines()[-1].strip()[:120]
        return Finding(port, postgres, False, why if postgres else "not a PostgreSQL server")
    tables: dict[str, dict[str, int]] = {}
    with conn:
        databases = [r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1")]
    for database in databases:
        with psycopg.connect(host=LOOPBACK, port=port, user=user, dbname=database, connect_timeout=3,
                             autocommit=True, password="") as db:
            names = [r[0] for r in db.execute(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
            tables[database] = {n: db.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}
    return Finding(port, True, True, f"lets {user} in without a password", tables)


def scan(ports: range, *, host: str = LOOPBACK, user: str = "postgres") -> list[Finding]:
    """Scan ``ports`` on the loopback address; for each that listens, say what it gives away."""
    check_loopback(host)
    return [_inspect(port, user) for port in ports if _listening(port)]
