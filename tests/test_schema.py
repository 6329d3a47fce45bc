"""Tests for :mod:`lab.schema`: table declarations and frame validation."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from lab.schema import RELEASES, TABLES, SchemaError, arrow_schema, validate

TZ = "Etc/GMT+8"


def gps_frame(tz: str | None = TZ) -> pd.DataFrame:
    """Two GPS fixes, with timestamps in ``tz`` (naive when None)."""
    t = pd.to_datetime(["2031-03-03 08:00", "2031-03-03 08:01"])
    if tz is not None:
        t = t.tz_localize(tz)
    return pd.DataFrame({
        "pseudonym": ["ad-0000000000000001", "ad-0000000000000001"],
        "t": t,
        "lat": [-48.5, -48.501],
        "lon": [-123.0, -123.001],
        "accuracy_m": pd.Series([12.0, 8.5], dtype="float32"),
    })


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("keys", ["release", "pseudonym", "person_id"]),
        ("gps", ["pseudonym", "t", "lat", "lon", "accuracy_m"]),
        ("cdr", ["pseudonym", "t", "lat", "lon", "tower_id", "event", "duration_s"]),
        ("sightings", ["pseudonym", "t", "lat", "lon", "camera_id", "place_id", "score"]),
        ("checkins", ["pseudonym", "t", "lat", "lon", "place_id", "place_name", "display_name"]),
        ("visits", ["person_id", "place_id", "start", "end"]),
        ("towers", ["tower_id", "lat", "lon"]),
        ("cameras", ["camera_id", "place_id", "lat", "lon"]),
        ("districts", ["district_id", "name", "kind", "geometry"]),
        ("places", ["place_id", "name", "kind", "district_id", "lat", "lon", "is_sensitive", "community"]),
        ("people", ["person_id", "name", "national_id", "birth_date", "sex", "community", "address",
                    "employer", "home_id", "work_id", "archetype"]),
    ],
)
def test_arrow_schema_column_names(name, columns):
    """Each table's schema lists its columns in declared order."""
    assert arrow_schema(name).names == columns


def test_every_table_is_covered():
    """The declared tables are exactly the eleven of the data contract."""
    assert set(TABLES) == {"districts", "places", "people", "visits", "towers", "cameras",
                           "gps", "cdr", "sightings", "checkins", "keys"}


def test_arrow_schema_timestamps_carry_the_zone():
    """Timestamp columns are millisecond, timezone-aware, in the requested zone."""
    schema = arrow_schema("visits", tz=TZ)
    assert schema.field("start").type == pa.timestamp("ms", tz=TZ)
    assert schema.field("end").type == pa.timestamp("ms", tz=TZ)
    assert arrow_schema("gps").field("t").type == pa.timestamp("ms", tz="UTC")
    assert arrow_schema("gps").field("accuracy_m").type == pa.float32()
    assert arrow_schema("cdr").field("duration_s").type == pa.int32()


def test_releases_share_the_common_columns():
    """Every release starts with pseudonym, t, lat, lon."""
    for name in RELEASES:
        assert arrow_schema(name).names[:4] == ["pseudonym", "t", "lat", "lon"]


def test_validate_accepts_a_correct_frame():
    """A well-formed GPS frame passes, also with an extra column."""
    frame = gps_frame()
    assert validate(frame, "gps") is None
    assert validate(frame.assign(note=["a", "b"]), "gps") is None


def test_validate_names_the_missing_column():
    """A frame without accuracy_m raises SchemaError naming that column."""
    with pytest.raises(SchemaError, match=r"gps: missing column\(s\) accuracy_m"):
        validate(gps_frame().drop(columns="accuracy_m"), "gps")


def test_validate_rejects_naive_timestamps():
    """Timezone-naive timestamps in t raise SchemaError naming gps.t."""
    with pytest.raises(SchemaError, match=r"gps\.t: expected timezone-aware"):
        validate(gps_frame(tz=None), "gps")


def test_validate_names_the_wrong_dtype_column():
    """Latitudes stored as strings raise SchemaError naming gps.lat."""
    frame = gps_frame().assign(lat=["-48.5", "-48.501"])
    with pytest.raises(SchemaError, match=r"gps\.lat"):
        validate(frame, "gps")


def test_validate_required_subset():
    """With ``required`` only the named columns are checked."""
    frame = gps_frame()[["pseudonym", "t"]]
    validate(frame, "gps", required=["pseudonym", "t"])
    with pytest.raises(SchemaError, match="lat"):
        validate(frame, "gps", required=["pseudonym", "lat"])


def test_schema_error_is_a_value_error():
    """SchemaError can be caught as ValueError."""
    assert issubclass(SchemaError, ValueError)


def test_unknown_table_raises():
    """An unknown table name raises SchemaError naming it, in both functions."""
    with pytest.raises(SchemaError, match="'gpss'"):
        arrow_schema("gpss")
    with pytest.raises(SchemaError, match="'gpss'"):
        validate(gps_frame(), "gpss")


def test_validate_unknown_required_column_is_a_schema_error():
    """Asking validate for an undeclared column raises SchemaError naming it."""
    frame = pd.DataFrame({"pseudonym": ["a"]})
    with pytest.raises(SchemaError, match="bogus"):
        validate(frame, "gps", required=["bogus"])
