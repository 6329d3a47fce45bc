"""Probe an access policy: does it let the analyst count sightings by district and hour, and nothing more?

The graded exercise of the open-door lesson asks for the SQL (run as ``admin``, the owner of the
tables) that gives ``analyst`` the view ``district_hour_counts`` (sightings per district and hour,
cells under *k* withheld) and no other access. :func:`probe_policy` starts a fresh locked server
with the student's own world, applies the SQL as ``admin`` (never as the superuser), and tries, as
``analyst``, everything the policy must allow and everything it must deny.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from lab.db.cluster import running
from lab.db.load import connect, load_world
from lab.db.lock import IDENTIFYING_COLUMNS, SMALL_COUNT

__all__ = ["probe_policy", "expected_counts", "COUNTS_QUERY"]

#: What the analyst must be able to run.
COUNTS_QUERY = "SELECT district_id, hour, sightings FROM district_hour_counts"


def expected_counts(world, *, k: int = SMALL_COUNT) -> pd.DataFrame:
    """Sightings per (district, hour) in the town's time zone, cells under ``k`` withheld, sorted."""
    places = world.places.set_index("place_id")
    seen = world.releases["sightings"]
    frame = pd.DataFrame({"district_id": places["district_id"].reindex(seen["place_id"]).to_numpy(),
                          "hour": seen["t"].dt.tz_convert(world.scenario.timezone).dt.floor("h")})
    counts = frame.groupby(["district_id", "hour"]).size().rename("sightings").reset_index()
    return counts[counts["sightings"] >= k].sort_values(["district_id", "hour"]).reset_index(drop=True)


def _base(server, timezone: str) -> dict[str, str]:
    """Roles admin (owner of every table) and analyst (no access at all), as the exercise starts."""
    import secrets

    from psycopg import sql

    passwords = {"admin": secrets.token_urlsafe(16), "analyst": secrets.token_urlsafe(16)}
    with connect(server) as conn:
        for role, password in passwords.items():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role),
                                                                              sql.Literal(password)))
        conn.execute(sql.SQL("ALTER DATABASE leak SET timezone TO {}").format(sql.Literal(timezone)))
        conn.execute("REVOKE ALL ON DATABASE leak FROM PUBLIC; GRANT CONNECT ON DATABASE leak TO admin, analyst;"
                     "REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE, CREATE ON SCHEMA public TO admin;"
                     "GRANT USAGE ON SCHEMA public TO analyst;")
        for table in ("districts", "places", "people", "sightings", "records"):
            conn.execute(f"ALTER TABLE {table} OWNER TO admin")
    return passwords


def _denied(conn, query: str) -> bool:
    import psycopg

    try:
        conn.execute(query).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        return True
    except psycopg.Error:
        return False  # another error (a typo in the policy) is not a denial the policy made
    return False


def probe_policy(world, policy_sql: str, *, k: int = SMALL_COUNT, timeout_s: float = 20) -> dict[str, object]:
    """Apply ``policy_sql`` as admin on a fresh server holding ``world``; report what analyst can do.

    Returns
    -------
    dict
        ``applied`` (the SQL ran without error) and ``error`` (its message, if not);
        ``counts_allowed`` (the counts query runs), ``counts_match`` (its rows equal
        :func:`expected_counts`), ``small_counts_hidden`` (no row under ``k``); ``denied_<column>``
        for each identifying column of ``people``; ``sightings_denied``, ``records_denied`` (no raw
        rows). A probe that cannot run counts as not allowed / not denied.
    """
    import psycopg

    report: dict[str, object] = {"applied": False, "error": "", "counts_allowed": False, "counts_match": False,
                                 "small_counts_hidden": False, "sightings_denied": False, "records_denied": False,
                                 **{f"denied_{c}": False for c in IDENTIFYING_COLUMNS}}
    if not isinstance(policy_sql, str) or not policy_sql.strip():
        report["error"] = "no SQL given"
        return report
    root = Path(tempfile.mkdtemp(prefix="lab-probe-"))
    root.chmod(0o755)
    try:
        with running(root / "state", mode="locked", throwaway=True) as server:
            load_world(server, world)
            passwords = _base(server, world.scenario.timezone)
            with connect(server, user="admin", password=passwords["admin"]) as admin:
                admin.execute(f"SET statement_timeout = {int(timeout_s * 1000)}")
                try:
                    admin.execute(policy_sql)
                    report["applied"] = True
                except psycopg.Error as exc:
                    report["error"] = str(exc).splitlines()[0][:300]
            with connect(server, user="analyst", password=passwords["analyst"]) as analyst:
                analyst.execute(f"SET statement_timeout = {int(timeout_s * 1000)}")
                try:
                    rows = analyst.execute(COUNTS_QUERY).fetchall()
                    report["counts_allowed"] = True
                    got = pd.DataFrame(rows, columns=["district_id", "hour", "sightings"])
                    want = expected_counts(world, k=k)
                    got = got.sort_values(["district_id", "hour"]).reset_index(drop=True)
                    report["counts_match"] = (len(got) == len(want) and got["district_id"].tolist() ==
                                              want["district_id"].tolist()
                                              and [pd.Timestamp(h).timestamp() for h in got["hour"]] ==
                                              [h.timestamp() for h in want["hour"]]
                                              and got["sightings"].astype(int).tolist() ==
                                              want["sightings"].astype(int).tolist())
                    report["small_counts_hidden"] = bool(len(got)) and int(got["sightings"].min()) >= k
                except psycopg.Error as exc:
                    report["error"] = report["error"] or str(exc).splitlines()[0][:300]
                for column in IDENTIFYING_COLUMNS:
                    report[f"denied_{column}"] = _denied(analyst, f"SELECT {column} FROM people")
                report["sightings_denied"] = _denied(analyst, "SELECT person_id, t FROM sightings")
                report["records_denied"] = _denied(analyst, "SELECT record FROM records")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return report
