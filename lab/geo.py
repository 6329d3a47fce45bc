"""Local metric frame and distances (the grid built on it lives in :mod:`lab.grid`).

The town is a few tens of kilometres across, so a local east/north frame in
metres around the town's origin lets every distance be a vectorised ``hypot``.
The frame keeps the east-west scale of the origin's latitude, so an east-west
distance ``dy`` metres north of the origin is off by about ``tan(lat0) * dy / R``
(0.2 % at the edge of a 12 km town at 48.5° S); north-south distances are exact.
Everything the lab generates is built in this frame, so its own distances are
consistent; compare with :func:`haversine_m` for great-circle truth. Latitudes enter trigonometry in radians,
always: ``cos(lat_degrees)`` is a classic bug this module exists to avoid.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "EARTH_RADIUS_M",
    "to_local",
    "to_latlon",
    "haversine_m",
]

#: Mean Earth radius (IUGG), metres.
EARTH_RADIUS_M = 6_371_008.8

ArrayLike = npt.ArrayLike


def to_local(
    lat: ArrayLike, lon: ArrayLike, *, origin: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 degrees to east/north metres around ``origin``.

    Parameters
    ----------
    lat, lon : array_like
        WGS84 degrees.
    origin : (float, float)
        ``(lat, lon)`` of the frame's origin, degrees.

    Returns
    -------
    x, y : numpy.ndarray
        Metres east and north of the origin (equirectangular about the origin's
        latitude; see the module notes for its error).

    Examples
    --------
    >>> x, y = to_local([0.0], [0.001], origin=(0.0, 0.0))
    >>> round(float(x[0]), 1), float(y[0])
    (111.2, 0.0)
    """
    lat0, lon0 = origin
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    k = np.pi / 180.0 * EARTH_RADIUS_M
    dlon = (lon - lon0 + 180.0) % 360.0 - 180.0
    x = dlon * k * np.cos(np.radians(lat0))
    y = (lat - lat0) * k
    return x, y


def to_latlon(
    x: ArrayLike, y: ArrayLike, *, origin: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`to_local`: east/north metres to WGS84 degrees."""
    lat0, lon0 = origin
    k = np.pi / 180.0 * EARTH_RADIUS_M
    lat = lat0 + np.asarray(y, dtype=float) / k
    lon = lon0 + np.asarray(x, dtype=float) / (k * np.cos(np.radians(lat0)))
    lon = (lon + 180.0) % 360.0 - 180.0
    return lat, lon


def haversine_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> np.ndarray:
    """Great-circle distance in metres between points given in degrees.

    References
    ----------
    .. [1] Sinnott, R. W. (1984). Virtues of the haversine. Sky and Telescope 68(2), 159.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
