"""Lock the leak's database: passwords, roles, column privileges, row-level security, and counts
that only come out large.

``admin`` owns the data. ``analyst`` may count sightings by district and hour, and no more:

- column privileges: of ``people`` only ``person_id``, ``sex`` and ``district_id`` (never the name,
  national id, birth date, community, address or employer); nothing of ``records`` or ``sightings``;
- row-level security: ``people`` shows adults only; the counts leave out every sighting at a
  sensitive place (places of worship, clinics);
- the counts come from the view ``district_hour_counts``, owned by a role of their own and built with
  ``security_barrier``, which publishes a (district, hour) only when it holds at least *k* sightings.

References
----------
.. [1] PostgreSQL documentation, "Privileges", "Row Security Policies", "Rules and Privileges"
   (security_barrier views).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from lab.db.cluster import CREDENTIALS_FILE, SUPERUSER, Server
from lab.db.load import connect
from lab.output import atomic_write
from lab.params import check_whole

__all__ = ["lock", "ANALYST_PEOPLE_COLUMNS", "IDENTIFYING_COLUMNS", "SMALL_COUNT"]

#: The columns of ``people`` the analyst may read.
ANALYST_PEOPLE_COLUMNS = ("person_id", "sex", "district_id")
#: The columns that identify a person or say something sensitive about them.
IDENTIFYING_COLUMNS = ("name", "national_id", "birth_date", "community", "address", "employer")
#: Default threshold below which a count is not published.
SMALL_COUNT = 10


def lock(server: Server, *, k: int = SMALL_COUNT, timezone: str = "UTC") -> dict[str, dict[str, str]]:
    """Create the roles and rules above on a loaded ``locked`` server; write ``credentials.json``.

    Parameters
    ----------
    server : Server
        Started with ``mode="locked"`` and loaded (:func:`lab.db.load.load_world`).
    k : int
        The smallest count the view publishes.
    timezone : str
        The town's time zone, so that hours are the town's hours.

    Returns
    -------
    dict
        Per role, its password and connection URL (also written to ``STATE/credentials.json``,
        readable by its owner alone).
    """
    from psycopg import sql

    k = check_whole(k, name="k", meaning="the smallest count published")
    passwords = {"admin": secrets.token_urlsafe(24), "analyst": secrets.token_urlsafe(24)}
    columns = sql.SQL(", ").join(map(sql.Identifier, ANALYST_PEOPLE_COLUMNS))
    with connect(server) as conn:
        for role, password in passwords.items():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role),
                                                                              sql.Literal(password)))
        conn.execute(sql.SQL("ALTER DATABASE leak SET timezone TO {}").format(sql.Literal(timezone)))
        conn.execute("""
            CREATE ROLE reporting NOLOGIN;
            REVOKE ALL ON DATABASE leak FROM PUBLIC;
            GRANT CONNECT ON DATABASE leak TO admin, analyst;
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO admin, analyst, reporting;
            REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO admin;
            GRANT SELECT ON districts TO analyst;
            ALTER TABLE people ENABLE ROW LEVEL SECURITY;
            CREATE POLICY admin_people ON people TO admin USING (true) WITH CHECK (true);
            CREATE POLICY adults ON people FOR SELECT TO analyst
                USING (birth_date <= current_date - interval '18 years');
            ALTER TABLE sightings ENABLE ROW LEVEL SECURITY;
            CREATE POLICY admin_sightings ON sightings TO admin USING (true) WITH CHECK (true);
            CREATE POLICY not_sensitive ON sightings FOR SELECT TO reporting USING (NOT is_sensitive);
            GRANT SELECT (district_id, t) ON sightings TO reporting;
        """)
        conn.execute(sql.SQL("GRANT SELECT ({}) ON people TO analyst").format(columns))
        conn.execute(sql.SQL("""
            CREATE VIEW district_hour_counts WITH (security_barrier) AS
            SELECT district_id, date_trunc('hour', t) AS hour, count(*)::int AS sightings
            FROM sightings GROUP BY 1, 2 HAVING count(*) >= {}""").format(sql.Literal(k)))
        conn.execute("""
            ALTER VIEW district_hour_counts OWNER TO reporting;
            GRANT SELECT ON district_hour_counts TO analyst, admin;
        """)
    credentials = {role: {"password": pw, "url": server.url(role, pw)} for role, pw in passwords.items()}
    credentials[SUPERUSER] = {"password": server.superuser_password,
                              "url": server.url(SUPERUSER, server.superuser_password)}
    _write_private(server.state / CREDENTIALS_FILE, credentials)
    return credentials


def _write_private(path: Path, data: dict) -> None:
    """Write JSON readable by its owner alone (atomically)."""
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2))
        os.chmod(tmp, 0o600)
    os.chmod(path, 0o600)
