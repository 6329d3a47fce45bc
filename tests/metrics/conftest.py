"""Tiny hand-made worlds shared by the mobility, sensor and realism tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from lab.geo import to_latlon

TZ = "Etc/GMT+8"
START = pd.Timestamp("2031-03-03", tz=TZ)
ORIGIN = (-48.5, -123.0)
HOUR = pd.Timedelta(hours=1)

# Commuter over two days: home 0-8, work 9-17, home 18-(next day 8), work, home to 48.
COMMUTER = [
    ("p1", "h1", 0, 8),
    ("p1", "w1", 9, 17),
    ("p1", "h1", 18, 32),
    ("p1", "w1", 33, 41),
    ("p1", "h1", 42, 48),
]


def _make_visits(rows: list[tuple[str, str, float, float]], tz: str = TZ) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_id", "place_id", "s", "e"])
    dtype = f"datetime64[ms, {tz}]"
    return pd.DataFrame(
        {
            "person_id": frame["person_id"],
            "place_id": frame["place_id"],
            "start": (START + frame["s"] * HOUR).dt.tz_convert(tz).astype(dtype),
            "end": (START + frame["e"] * HOUR).dt.tz_convert(tz).astype(dtype),
        }
    )


def _make_places(coords: dict[str, tuple[float, float]]) -> pd.DataFrame:
    ids = list(coords)
    xy = np.array([coords[i] for i in ids], dtype=float).reshape(-1, 2)
    lat, lon = to_latlon(xy[:, 0], xy[:, 1], origin=ORIGIN)
    return pd.DataFrame({"place_id": ids, "kind": "shop", "lat": lat, "lon": lon})


@pytest.fixture
def start() -> pd.Timestamp:
    """The first local midnight of the tiny worlds' period."""
    return START


@pytest.fixture
def origin() -> tuple[float, float]:
    """The tiny worlds' town centre ``(lat, lon)``."""
    return ORIGIN


@pytest.fixture
def commuter() -> list[tuple[str, str, float, float]]:
    """Rows of a commuter over two days: home 0-8 h, work 9-17, home 18-32, work 33-41, home 42-48."""
    return list(COMMUTER)


@pytest.fixture
def make_visits() -> Callable[..., pd.DataFrame]:
    """Stays from ``(person, place, start_hour, end_hour)`` rows, hours counted from START."""
    return _make_visits


@pytest.fixture
def make_places() -> Callable[[dict[str, tuple[float, float]]], pd.DataFrame]:
    """Places from local ``(x, y)`` metres around ORIGIN."""
    return _make_places


@pytest.fixture
def grid_towers() -> pd.DataFrame:
    """A 600 m tower grid within 4.8 km of ORIGIN and a 2.5 km grid beyond 5 km, out to 20 km."""
    inner = np.arange(-4800, 4801, 600.0)
    outer = np.arange(-20000, 20001, 2500.0)
    ix, iy = np.meshgrid(inner, inner)
    ox, oy = np.meshgrid(outer, outer)
    keep = np.maximum(np.abs(ox), np.abs(oy)) > 5000
    x = np.concatenate([ix.ravel(), ox[keep]])
    y = np.concatenate([iy.ravel(), oy[keep]])
    lat, lon = to_latlon(x, y, origin=ORIGIN)
    return pd.DataFrame({"tower_id": [f"t{i}" for i in range(len(x))], "lat": lat, "lon": lon})
