"""``privacy-lab db start | stop | scan``: the leak's database, served for real, then locked."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

__all__ = ["add_db_parser"]

SCAN_ETHICS = ("Scans 127.0.0.1 only: scanning machines you do not own is illegal in many countries. "
               "The 2019 leak was found by such a scan; here you scan the servers you started yourself.")


def _cmd_start(args: argparse.Namespace) -> int:
    from lab.db.cluster import init_and_start, stop
    from lab.db.load import load_world
    from lab.db.lock import lock
    from lab.world import load_world as read_world

    world = read_world(args.world)
    server = init_and_start(args.state, mode=args.mode, port=args.port)
    try:
        counts = load_world(server, world)
        credentials = lock(server, timezone=world.scenario.timezone) if args.mode == "locked" else None
    except BaseException:
        stop(args.state)
        shutil.rmtree(server.state, ignore_errors=True)  # nothing half-made is left behind
        raise
    print(f"{args.mode} server on 127.0.0.1:{server.port} (state in {args.state}); loaded "
          + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    if credentials is None:
        print(f"anyone on this machine can read everything, no password asked: psql {server.url()}")
    else:
        print(f"passwords for postgres, admin and analyst in {Path(args.state) / 'credentials.json'} "
              f"(readable by you alone); the analyst connects with: psql \"$(python -c 'import json; "
              f"print(json.load(open(\"{Path(args.state) / 'credentials.json'}\"))[\"analyst\"][\"url\"])')\"")
    print(f"stop it with: privacy-lab db stop --state {args.state}")
    return 0


def _cmd_stop(args: argparse.Namespace) -> int:
    from lab.db.cluster import stop

    print("stopped" if stop(args.state) else "no server was running", f"({args.state})")
    return 0


def _cmd_scan(args: argparse.Namespace) -> int:
    from lab.db.scan import parse_ports, scan

    findings = scan(parse_ports(args.ports), host=args.host)
    if not findings:
        print(f"nothing listens on 127.0.0.1 ports {args.ports}")
    for f in findings:
        print(f"127.0.0.1:{f.port}  {'PostgreSQL' if f.postgres else 'other service'}: {f.detail}")
        for database, tables in f.tables.items():
            listing = ", ".join(f"{t} ({n:,} rows)" for t, n in tables.items()) or "no tables"
            print(f"    {database}: {listing}")
    return 1 if any(f.open_door for f in findings) else 0


def add_db_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``db`` and its three commands to the ``privacy-lab`` parser."""
    d = sub.add_parser("db", help="the leak's database on a real PostgreSQL server: start open or locked, stop, scan",
                       description="Serve a world's registry and camera sightings from a real PostgreSQL server on "
                                   "127.0.0.1, open (no password, as in the 2019 leak) or locked (passwords, roles, "
                                   "column privileges, row-level security, suppressed small counts).")
    ds = d.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = ds.add_parser("start", help="create a server in DIR, load WORLD, print the connection URL and return")
    s.add_argument("world", metavar="WORLD", help="a directory written by `privacy-lab generate`")
    s.add_argument("--mode", required=True, choices=("open", "locked"), help="open: no password; locked: see above")
    s.add_argument("--state", required=True, metavar="DIR", help="a new folder for the server's data and log")
    s.add_argument("--port", type=int, default=None, help="TCP port on 127.0.0.1 (default: a free one)")
    s.set_defaults(func=_cmd_start)
    t = ds.add_parser("stop", help="stop the server of DIR")
    t.add_argument("--state", required=True, metavar="DIR", help="the folder given to `db start`")
    t.set_defaults(func=_cmd_stop)
    c = ds.add_parser("scan", help="which loopback ports serve a database without a password", description=SCAN_ETHICS,
                      epilog="Exit status 1 when a server lets anyone in without a password.")
    c.add_argument("--ports", default="5400-5500", metavar="A-B", help="ports to try (default: 5400-5500)")
    c.add_argument("--host", default="127.0.0.1", help="only the loopback address is accepted")
    c.set_defaults(func=_cmd_scan)
