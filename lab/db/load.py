"""The leak's database: the registry, the places, and each person's camera sightings.

Stored as the 2019 database was: one record per person (identity card fields) holding the list of
places and times a camera recognised them (``records.record``, ``jsonb``), beside plain tables of
people, places and sightings that the locked mode grants piece by piece.
"""

from __future__ import annotations

import pandas as pd

from lab.db.cluster import SUPERUSER, Server
from lab.errors import InputError

__all__ = ["SCHEMA", "load_world", "connect", "DATABASE"]

DATABASE = "leak"

#: The tables, as the server holds them.
SCHEMA = """
CREATE TABLE districts (district_id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE places (place_id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, district_id text NOT NULL,
                     lat double precision NOT NULL, lon double precision NOT NULL, is_sensitive boolean NOT NULL);
CREATE TABLE people (person_id text PRIMARY KEY, national_id text NOT NULL, name text NOT NULL,
                     birth_date date NOT NULL, sex text NOT NULL, community text NOT NULL, address text NOT NULL,
                     employer text, district_id text NOT NULL);
CREATE TABLE sightings (sighting_id bigint PRIMARY KEY, person_id text NOT NULL REFERENCES people,
                        t timestamptz NOT NULL, camera_id text NOT NULL, place_id text NOT NULL REFERENCES places,
                        district_id text NOT NULL, is_sensitive boolean NOT NULL);
CREATE TABLE records (person_id text PRIMARY KEY REFERENCES people, record jsonb NOT NULL);
"""


def connect(server: Server, *, user: str = SUPERUSER, password: str | None = None, database: str = DATABASE):
    """A psycopg connection to ``server`` on 127.0.0.1 (autocommit)."""
    import psycopg

    password = password if password is not None else (server.superuser_password if user == SUPERUSER else None)
    return psycopg.connect(host="127.0.0.1", port=server.port, user=user, dbname=database, password=password,
                           autocommit=True, connect_timeout=10)


def _copy(conn, table: str, frame: pd.DataFrame, *, chunk: int = 200_000) -> None:
    """COPY ``frame`` into ``table`` as CSV text, a chunk of rows at a time (an empty field is NULL)."""
    with conn.cursor().copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN (FORMAT csv)") as copy:
        for start in range(0, len(frame), chunk):
            copy.write(frame.iloc[start:start + chunk].to_csv(header=False, index=False))


def load_world(server: Server, world) -> dict[str, int]:
    """Create the database ``leak`` on ``server`` and fill it from ``world``; returns rows per table.

    Raises
    ------
    InputError
        When the world has no camera sightings (generate a scenario that observes them).
    """
    if "sightings" not in world.releases:
        raise InputError("the world has no camera sightings to load; generate a scenario with cameras")
    places = world.places.set_index("place_id")
    people = world.people.assign(district_id=places["district_id"].reindex(world.people["home_id"]).to_numpy())
    keys = world.keys[world.keys["release"] == "sightings"].set_index("pseudonym")["person_id"]
    seen = world.releases["sightings"]
    sightings = pd.DataFrame({
        "sighting_id": range(len(seen)), "person_id": keys.reindex(seen["pseudonym"]).to_numpy(),
        "t": seen["t"].dt.strftime("%Y-%m-%dT%H:%M:%S%z").to_numpy(), "camera_id": seen["camera_id"].to_numpy(),
        "place_id": seen["place_id"].to_numpy(),
        "district_id": places["district_id"].reindex(seen["place_id"]).to_numpy(),
        "is_sensitive": places["is_sensitive"].reindex(seen["place_id"]).to_numpy()})
    with connect(server, database="postgres") as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    tables = {
        "districts": world.districts[["district_id", "name"]],
        "places": world.places[["place_id", "name", "kind", "district_id", "lat", "lon", "is_sensitive"]],
        "people": people[["person_id", "national_id", "name", "birth_date", "sex", "community", "address", "employer",
                          "district_id"]],
        "sightings": sightings,
    }
    with connect(server) as conn:
        conn.execute(SCHEMA)
        for name, frame in tables.items():
            _copy(conn, name, frame)
        conn.execute("""
            INSERT INTO records (person_id, record)
            SELECT p.person_id, jsonb_build_object(
                'national_id', p.national_id, 'name', p.name, 'birth_date', p.birth_date, 'sex', p.sex,
                'community', p.community, 'address', p.address, 'employer', p.employer,
                'trackers', coalesce((SELECT jsonb_agg(jsonb_build_object('time', s.t, 'place', pl.name,
                                                                          'kind', pl.kind, 'camera', s.camera_id)
                                                      ORDER BY s.t)
                                      FROM sightings s JOIN places pl USING (place_id)
                                      WHERE s.person_id = p.person_id), '[]'::jsonb))
            FROM people p""")
        conn.execute("ANALYZE")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("districts", "places", "people", "sightings", "records")}
    return counts

