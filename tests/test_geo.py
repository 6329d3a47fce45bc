"""Tests for :mod:`lab.geo`: the local metric frame, distances and grid cells."""

from __future__ import annotations

import numpy as np
import pytest

from lab.geo import EARTH_RADIUS_M, haversine_m, to_latlon, to_local

LATITUDES = [0.0, 40.0, 60.0, -48.5]


@pytest.mark.parametrize("lat0", LATITUDES)
def test_local_to_latlon_round_trip_is_submillimetre(lat0):
    """Metres -> degrees -> metres returns every point to within 1 mm."""
    origin = (lat0, -123.0)
    x = np.array([0.0, 1.0, -1.0, 12_000.0, -12_000.0, 7_321.5, -20_000.0])
    y = np.array([0.0, -1.0, 1.0, 12_000.0, 3_000.0, -9_876.25, 20_000.0])
    lat, lon = to_latlon(x, y, origin=origin)
    x2, y2 = to_local(lat, lon, origin=origin)
    assert np.max(np.abs(x2 - x)) < 1e-3
    assert np.max(np.abs(y2 - y)) < 1e-3


@pytest.mark.parametrize("lat0", LATITUDES)
def test_latlon_to_local_round_trip_is_submillimetre(lat0):
    """Degrees -> metres -> degrees returns every point to within 1 mm on the ground."""
    origin = (lat0, 10.0)
    lat = lat0 + np.array([0.0, 0.05, -0.1, 0.12, -0.07])
    lon = 10.0 + np.array([0.0, -0.2, 0.15, 0.01, -0.13])
    x, y = to_local(lat, lon, origin=origin)
    lat2, lon2 = to_latlon(x, y, origin=origin)
    metres_per_degree = np.pi / 180.0 * EARTH_RADIUS_M
    assert np.max(np.abs(lat2 - lat)) * metres_per_degree < 1e-3
    assert np.max(np.abs(lon2 - lon)) * metres_per_degree * np.cos(np.radians(lat0)) < 1e-3


def test_round_trip_across_the_antimeridian():
    """A frame centred next to 180° wraps longitudes and still round-trips."""
    origin = (-48.5, 179.99)
    x = np.array([-2_000.0, 0.0, 2_000.0])
    lat, lon = to_latlon(x, np.zeros(3), origin=origin)
    assert np.all((lon >= -180.0) & (lon < 180.0))
    assert lon[2] < 0  # east of 180° is written as a negative longitude
    x2, _ = to_local(lat, lon, origin=origin)
    assert np.allclose(x2, x, atol=1e-3)


def test_thousandth_degree_longitude_at_equator_is_111_2_m():
    """0.001° of longitude on the equator is about 111.2 m east."""
    x, y = to_local([0.0], [0.001], origin=(0.0, 0.0))
    assert x[0] == pytest.approx(111.19, abs=0.01)
    assert y[0] == 0.0


def test_thousandth_degree_longitude_at_60_is_half_the_equator():
    """At 60° a degree of longitude is cos(60°) = 1/2 as long: latitude goes through radians."""
    x_eq, _ = to_local([0.0], [0.001], origin=(0.0, 0.0))
    x_60, _ = to_local([60.0], [0.001], origin=(60.0, 0.0))
    assert x_60[0] == pytest.approx(x_eq[0] / 2, rel=1e-9)
    assert x_60[0] == pytest.approx(55.6, abs=0.05)


def test_thousandth_degree_latitude_is_111_2_m_everywhere():
    """0.001° of latitude is about 111.2 m north at any latitude."""
    for lat0 in LATITUDES:
        _, y = to_local([lat0 + 0.001], [5.0], origin=(lat0, 5.0))
        assert y[0] == pytest.approx(111.19, abs=0.01)


@pytest.mark.parametrize("lat0", LATITUDES)
@pytest.mark.parametrize("bearing", [0.0, 30.0, 45.0, 90.0, 135.0])
def test_haversine_agrees_with_local_distance_at_10_km(lat0, bearing):
    """Two points 10 km apart either side of the origin: haversine and the local frame agree within 0.1 %."""
    origin = (lat0, -123.0)
    b = np.radians(bearing)
    x = np.array([-5_000.0, 5_000.0]) * np.sin(b)
    y = np.array([-5_000.0, 5_000.0]) * np.cos(b)
    lat, lon = to_latlon(x, y, origin=origin)
    d = float(haversine_m(lat[0], lon[0], lat[1], lon[1]))
    assert d == pytest.approx(10_000.0, rel=1e-3)


def test_haversine_known_values():
    """A point is 0 m from itself; a quarter meridian is pi/2 Earth radii."""
    assert float(haversine_m(-48.5, -123.0, -48.5, -123.0)) == 0.0
    quarter = float(haversine_m(0.0, 0.0, 90.0, 0.0))
    assert quarter == pytest.approx(np.pi / 2 * EARTH_RADIUS_M, rel=1e-12)
    # Vectorised over arrays, one distance per pair.
    d = haversine_m([0.0, 0.0], [0.0, 0.0], [0.0, 0.001], [0.001, 0.0])
    assert d.shape == (2,)
    assert np.allclose(d, 111.19, atol=0.01)


def test_east_west_error_at_town_edge_is_as_documented():
    """12 km north of a 48.5° S origin, a 10 km east-west span is off by about tan(lat0)·dy/R (≈0.2 %)."""
    origin = (-48.5, -123.0)
    lat, lon = to_latlon([-5000.0, 5000.0], [12_000.0, 12_000.0], origin=origin)
    d = haversine_m(lat[0], lon[0], lat[1], lon[1])
    expected = np.tan(np.radians(48.5)) * 12_000.0 / EARTH_RADIUS_M
    assert abs(d / 10_000.0 - 1.0) == pytest.approx(expected, rel=0.05)
