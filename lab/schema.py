"""Every table of the data contract, declared once.

Each table is an Arrow schema: the generator writes it, :func:`validate` checks a
DataFrame against it, and the datasheet (``synthetic/README.md``) describes it.
Ids are strings with a type prefix, ``lat``/``lon`` are WGS84 degrees, distances
end in ``_m``, durations in ``_s``; instants are ``t`` and intervals ``start`` /
``end`` (end exclusive); timestamps are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pyarrow as pa

__all__ = ["TABLES", "RELEASES", "SchemaError", "arrow_schema", "timestamp", "validate"]

#: Every timestamp in the lab: milliseconds, timezone-aware (the zone is the scenario's).
TIME_UNIT = "ms"


def timestamp(tz: str) -> pa.DataType:
    """Arrow type of every instant in a world whose clocks show ``tz``."""
    return pa.timestamp(TIME_UNIT, tz=tz)


_TS = "timestamp"  # marks a timestamp column; its zone is the world's

#: table name -> ordered mapping of column -> Arrow type (``_TS`` for timestamps).
TABLES: dict[str, dict[str, pa.DataType | str]] = {
    "districts": {
        "district_id": pa.string(),
        "name": pa.string(),
        "kind": pa.string(),
        "geometry": pa.binary(),
    },
    "places": {
        "place_id": pa.string(),
        "name": pa.string(),
        "kind": pa.string(),
        "district_id": pa.string(),
        "lat": pa.float64(),
        "lon": pa.float64(),
        "is_sensitive": pa.bool_(),
        "community": pa.string(),
    },
    "people": {
        "person_id": pa.string(),
        "name": pa.string(),
        "national_id": pa.string(),
        "birth_date": pa.date32(),
        "sex": pa.string(),
        "community": pa.string(),
        "address": pa.string(),
        "employer": pa.string(),
        "home_id": pa.string(),
        "work_id": pa.string(),
        "archetype": pa.string(),
    },
    "visits": {
        "person_id": pa.string(),
        "place_id": pa.string(),
        "start": _TS,
        "end": _TS,
    },
    "towers": {
        "tower_id": pa.string(),
        "lat": pa.float64(),
        "lon": pa.float64(),
    },
    "cameras": {
        "camera_id": pa.string(),
        "place_id": pa.string(),
        "lat": pa.float64(),
        "lon": pa.float64(),
    },
    "gps": {
        "pseudonym": pa.string(),
        "t": _TS,
        "lat": pa.float64(),
        "lon": pa.float64(),
        "accuracy_m": pa.float32(),
    },
    "cdr": {
        "pseudonym": pa.string(),
        "t": _TS,
        "lat": pa.float64(),
        "lon": pa.float64(),
        "tower_id": pa.string(),
        "event": pa.string(),
        "duration_s": pa.int32(),
    },
    "sightings": {
        "pseudonym": pa.string(),
        "t": _TS,
        "lat": pa.float64(),
        "lon": pa.float64(),
        "camera_id": pa.string(),
        "place_id": pa.string(),
        "score": pa.float32(),
    },
    "checkins": {
        "pseudonym": pa.string(),
        "t": _TS,
        "lat": pa.float64(),
        "lon": pa.float64(),
        "place_id": pa.string(),
        "place_name": pa.string(),
        "display_name": pa.string(),
    },
    "keys": {
        "release": pa.string(),
        "pseudonym": pa.string(),
        "person_id": pa.string(),
    },
}

#: The observation tables: what a data holder could publish.
RELEASES: tuple[str, ...] = ("gps", "cdr", "sightings", "checkins")

#: Columns every release has, whatever its sensor.
RELEASE_COLUMNS: tuple[str, ...] = ("pseudonym", "t", "lat", "lon")


class SchemaError(ValueError):
    """A table does not match its declaration in :data:`TABLES`."""


def arrow_schema(name: str, *, tz: str = "UTC") -> pa.Schema:
    """Arrow schema of table ``name`` with timestamps in zone ``tz``.

    Examples
    --------
    >>> arrow_schema("keys").names
    ['release', 'pseudonym', 'person_id']
    """
    try:
        columns = TABLES[name]
    except KeyError:
        raise SchemaError(f"unknown table {name!r}; the tables are {', '.join(TABLES)}") from None
    return pa.schema(
        [(col, timestamp(tz) if typ == _TS else typ) for col, typ in columns.items()]
    )


def _dtype_matches(series: pd.Series, typ: pa.DataType | str) -> bool:
    dtype = series.dtype
    if typ == _TS:
        return isinstance(dtype, pd.DatetimeTZDtype)
    if pa.types.is_string(typ):
        return pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)
    if pa.types.is_floating(typ):
        return pd.api.types.is_float_dtype(dtype)
    if pa.types.is_integer(typ):
        return pd.api.types.is_integer_dtype(dtype)
    if pa.types.is_boolean(typ):
        return pd.api.types.is_bool_dtype(dtype)
    return True  # dates and geometry: checked by their own readers


def validate(frame: pd.DataFrame, name: str, *, required: Mapping[str, object] | None = None) -> None:
    """Check that ``frame`` has the columns and dtypes of table ``name``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to check. Extra columns are allowed.
    name : str
        A key of :data:`TABLES`.
    required : mapping, optional
        Restrict the check to these columns (default: every declared column).

    Raises
    ------
    SchemaError
        Naming the first missing column or the first column of the wrong type.
    """
    columns = TABLES.get(name)
    if columns is None:
        raise SchemaError(f"unknown table {name!r}; the tables are {', '.join(TABLES)}")
    unknown = [c for c in (required or ()) if c not in columns]
    if unknown:
        raise SchemaError(f"{name}: no declared column(s) {', '.join(unknown)}")
    wanted = columns if required is None else {c: columns[c] for c in required}
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise SchemaError(f"{name}: missing column(s) {', '.join(missing)}")
    for col, typ in wanted.items():
        if col == "geometry":
            continue
        if not _dtype_matches(frame[col], typ):
            expected = "timezone-aware timestamps" if typ == _TS else str(typ)
            raise SchemaError(f"{name}.{col}: expected {expected}, found {frame[col].dtype}")
