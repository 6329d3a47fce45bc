"""The grid: one origin, square cells, time slots, spatial units and tower groups.

Attacks, mitigations and metrics all place points on the same grid, defined
here once. Its anchor is an ``origin`` (lat, lon); cells are squares of
``cell_m`` metres in the local east/north frame of :mod:`lab.geo`, aligned on
the origin, so cells of twice the size nest exactly. When no origin is given it
is read off the data by one rule, :func:`grid_origin` (the median point rounded
to 0.01°). A protection configured that way depends on the data it protects,
so :func:`resolve_origin` fires a :class:`~lab.params.LeakWarning` when a
mitigation asks for it; an adversary or an analyst reading the origin off a
release they hold leaks nothing.

A spatial resolution (:class:`Space`) is a column of the release (a tower, a
camera, a place), a grid, exact coordinates, or towers merged into groups of
neighbours (:func:`tower_groups`). Time is cut into bins of a whole number of
seconds on the local clock (:func:`time_bins`) or slots from a start
(:func:`time_slots`).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.cluster.vq import kmeans2

from lab.errors import ParameterError, ReleaseError
from lab.geo import to_latlon, to_local
from lab.params import check_positive, warn_leak

__all__ = [
    "ORIGIN_DECIMALS",
    "Origin",
    "grid_origin",
    "origin_of_medians",
    "resolve_origin",
    "grid_cell",
    "cell_ids",
    "unit_keys",
    "absolute_bins",
    "cell_centres",
    "time_bins",
    "check_slot",
    "time_slots",
    "cell_slots",
    "Space",
    "spatial_units",
    "tower_groups",
]

#: Decimal places of the origin read off the data (0.01° is about 1 km).
ORIGIN_DECIMALS = 2

#: A grid's anchor: (lat, lon) in WGS84 degrees.
Origin = tuple[float, float]


def grid_origin(lat: npt.ArrayLike, lon: npt.ArrayLike) -> Origin:
    """The grid's anchor read off the data: the median point, rounded to 0.01°.

    Examples
    --------
    >>> grid_origin([-48.512, -48.498, -48.503], [-123.004, -122.996, -123.0])
    (-48.5, -123.0)
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if lat.size == 0 or np.isnan(lat).all():
        raise ParameterError("no coordinates to anchor the grid on: pass origin=(lat, lon)")
    return origin_of_medians(float(np.nanmedian(lat)), float(np.nanmedian(lon)))


def origin_of_medians(lat_median: float, lon_median: float) -> Origin:
    """The anchor :func:`grid_origin` makes of the data's medians (rounded to :data:`ORIGIN_DECIMALS`)."""
    return (round(lat_median, ORIGIN_DECIMALS), round(lon_median, ORIGIN_DECIMALS))


def resolve_origin(origin: Origin | None, lat: npt.ArrayLike, lon: npt.ArrayLike, *,
                   protection: str | None = None) -> Origin:
    """``origin`` checked, or read off the data by :func:`grid_origin`.

    Parameters
    ----------
    origin : (float, float) or None
        The public anchor (for a town, its map's origin).
    lat, lon : array_like
        The data, used only when ``origin`` is None.
    protection : str, optional
        Name of the mitigation asking. A protection anchored on the data it
        protects gets a :class:`~lab.params.LeakWarning`.
    """
    if origin is None:
        if protection is not None:
            warn_leak(f"{protection}: the grid origin was read off the data it protects (its median point); "
                      "pass origin= from public facts such as the town's map")
        return grid_origin(lat, lon)
    try:
        lat0, lon0 = (float(v) for v in origin)
    except (TypeError, ValueError):
        raise ParameterError(f"origin must be a (lat, lon) pair of degrees, got {origin!r}") from None
    if not (-90 <= lat0 <= 90 and -180 <= lon0 <= 180):
        raise ParameterError(f"origin must be a (lat, lon) pair of degrees, got {origin!r}")
    return (lat0, lon0)


def grid_cell(x: npt.ArrayLike, y: npt.ArrayLike, *, cell_m: float) -> np.ndarray:
    """Integer id of the square ``cell_m`` grid cell holding each local point.

    Cells are aligned on the frame's origin and nest: a 1,000 m cell holds exactly
    four 500 m cells. Ids are unique for points within 2,000 km of the origin.

    Examples
    --------
    >>> a, b = grid_cell([10.0, 990.0], [10.0, 10.0], cell_m=1000)
    >>> bool(a == b)
    True
    """
    cell = check_positive(cell_m, name="cell_m", unit="metres")
    ix = np.floor(np.asarray(x, dtype=float) / cell).astype(np.int64)
    iy = np.floor(np.asarray(y, dtype=float) / cell).astype(np.int64)
    span = np.int64(1 << 31)
    return (ix + span // 2) * span + (iy + span // 2)


def cell_ids(lat: npt.ArrayLike, lon: npt.ArrayLike, *, cell_m: float, origin: Origin) -> np.ndarray:
    """Grid cell id of each WGS84 point."""
    x, y = to_local(lat, lon, origin=origin)
    return grid_cell(x, y, cell_m=cell_m)


def cell_centres(lat: npt.ArrayLike, lon: npt.ArrayLike, *, cell_m: float,
                 origin: Origin) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell id and the centre (lat, lon) of the cell holding each point.

    Returns
    -------
    ids, centre_lat, centre_lon : numpy.ndarray
    """
    cell = check_positive(cell_m, name="cell_m", unit="metres")
    x, y = to_local(lat, lon, origin=origin)
    cx = (np.floor(x / cell) + 0.5) * cell
    cy = (np.floor(y / cell) + 0.5) * cell
    clat, clon = to_latlon(cx, cy, origin=origin)
    return grid_cell(cx, cy, cell_m=cell), clat, clon


def absolute_bins(t: pd.Series, *, hours: float | None) -> np.ndarray:
    """Index of each instant's bin of ``hours`` hours on the local clock, counted from the epoch (``None``: 0)."""
    if hours is None:
        return np.zeros(len(t), dtype=np.int64)
    try:
        width = float(hours)
    except (TypeError, ValueError):
        raise ParameterError(f"time bins must be a positive number of hours, got {hours!r}") from None
    if not (width > 0 and math.isfinite(width)):
        raise ParameterError(f"time bins must be a positive number of hours, got {hours!r}")
    local = t.dt.tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64)
    return (local // max(1, round(width * 3600))).astype(np.int64)


def time_bins(t: pd.Series, *, hours: float | None) -> np.ndarray:
    """Index of each instant's bin of ``hours`` hours on the local clock (``None``: no time).

    Bins are counted from the bin of the earliest instant, so the first is 0.
    """
    bins = absolute_bins(t, hours=hours)
    return bins - bins.min() if len(bins) else bins


def check_slot(slot_s: int) -> int:
    """A slot length: a positive whole number of seconds (numpy integers accepted, bools refused)."""
    if isinstance(slot_s, bool) or not (isinstance(slot_s, (int, np.integer)) and slot_s > 0):
        raise ParameterError(f"slot_s must be a positive whole number of seconds, got {slot_s!r}")
    return int(slot_s)


def time_slots(t: pd.Series, *, slot_s: int, start: pd.Timestamp | None = None) -> np.ndarray:
    """Index of each instant's slot of ``slot_s`` seconds from ``start``.

    ``start`` defaults to local midnight before the first instant.
    """
    slot_s = check_slot(slot_s)
    if len(t) == 0:
        return np.zeros(0, dtype=np.int64)
    if start is None:
        start = t.min().normalize()
    return ((t - start).dt.total_seconds().to_numpy() // slot_s).astype(np.int64)


def cell_slots(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, origin: Origin | None = None,
    start: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Each row's grid cell and time slot, keeping the release's index labels.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the time slots in seconds.
    origin : (float, float), optional
        Anchor of the grid (default: :func:`grid_origin` of the release).
    start : pandas.Timestamp, optional
        Start of slot 0 (default: local midnight before the first observation).

    Returns
    -------
    pandas.DataFrame
        pseudonym, cell (int), slot (int), aligned with ``release``.
    """
    check_positive(cell_m, name="cell_m", unit="metres")
    slot = time_slots(release["t"], slot_s=slot_s, start=start)
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    origin = resolve_origin(origin, lat, lon) if len(release) else (0.0, 0.0)
    return pd.DataFrame({"pseudonym": release["pseudonym"],
                         "cell": cell_ids(lat, lon, cell_m=cell_m, origin=origin), "slot": slot},
                        index=release.index)


@dataclasses.dataclass(frozen=True)
class Space:
    """A spatial resolution.

    Parameters
    ----------
    kind : {"column", "grid", "exact", "merged"}
        ``column``: the values of ``column`` (for example ``tower_id`` or ``place_id``);
        ``grid``: square cells of ``cell_m`` metres anchored on ``origin`` (default:
        :func:`grid_origin` of the release); ``exact``: each distinct (lat, lon) pair;
        ``merged``: towers merged into groups of about ``factor`` (:func:`tower_groups`).
    """

    kind: str = "exact"
    column: str | None = None
    cell_m: float | None = None
    factor: int | None = None
    origin: Origin | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("column", "grid", "exact", "merged"):
            raise ParameterError(f"space kind must be column, grid, exact or merged, got {self.kind!r}")
        if self.kind == "grid" and not (self.cell_m and self.cell_m > 0):
            raise ParameterError(f"a grid needs a positive cell_m in metres, got {self.cell_m!r}")
        if self.kind in ("column", "merged") and not self.column:
            raise ParameterError(f"space kind {self.kind!r} needs the column naming the unit, e.g. column='tower_id'")
        if self.kind == "merged" and not (self.factor and self.factor >= 1):
            raise ParameterError(f"merged towers need factor >= 1 (towers per group), got {self.factor!r}")

    @classmethod
    def parse(cls, text: str, *, origin: Origin | None = None) -> Space:
        """``"tower_id"``, ``"grid:500"``, ``"exact"`` or ``"merged:tower_id:4"``."""
        if text == "exact":
            return cls("exact")
        try:
            if text.startswith("grid:"):
                return cls("grid", cell_m=float(text.split(":", 1)[1]), origin=origin)
            if text.startswith("merged:"):
                _, col, factor = text.split(":")
                return cls("merged", column=col, factor=int(factor))
        except ValueError as exc:
            if "space kind" in str(exc) or "needs" in str(exc):
                raise
            raise ParameterError(f"cannot read the spatial resolution {text!r}: write 'grid:500', "
                             "'merged:tower_id:4', 'exact' or a column name") from None
        return cls("column", column=text)

    def label(self) -> str:
        if self.kind == "grid":
            return f"grid {self.cell_m:g} m"
        if self.kind == "merged":
            return f"{self.column} merged ×{self.factor}"
        return self.column or "exact"

    @property
    def scale(self) -> float:
        """A number proportional to the unit's area, for fitting the coarsening law."""
        if self.kind == "grid":
            return float(self.cell_m) ** 2
        if self.kind == "merged":
            return float(self.factor)
        return 1.0


def tower_groups(release: pd.DataFrame, *, column: str = "tower_id", factor: int,
                 rng: np.random.Generator | int | None = 0) -> pd.DataFrame:
    """Group towers into clusters of about ``factor`` neighbours (k-means on their positions).

    Tower positions come from the release itself: they are the operator's public
    network plan, not anyone's movement. The grouping is part of a spatial
    resolution, so ``rng`` defaults to a fixed seed: the same release gives the
    same groups wherever it is merged (pass ``None`` for fresh randomness).

    Returns
    -------
    pandas.DataFrame
        Indexed by tower id (sorted): ``group`` (int, 0..k-1) and the group's
        centroid ``lat``, ``lon``.

    References
    ----------
    .. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
       Unique in the Crowd. Scientific Reports 3, 1376 (antennas merged into larger areas).
    """
    if isinstance(factor, bool) or int(factor) != factor or int(factor) < 1:
        raise ParameterError(f"factor is towers per group and must be a whole number of at least 1, got {factor!r}")
    if column not in release.columns:
        raise ReleaseError(f"release is missing column {column!r} needed to merge towers")
    rng = np.random.default_rng(rng)
    towers = release.drop_duplicates(column)[[column, "lat", "lon"]].sort_values(column)
    origin = (float(towers["lat"].mean()), float(towers["lon"].mean()))
    x, y = to_local(towers["lat"], towers["lon"], origin=origin)
    k = max(1, round(len(towers) / int(factor)))
    if k >= len(towers):
        label = np.arange(len(towers))
    else:
        _, label = kmeans2(np.c_[x, y], k, minit="++", seed=rng, iter=20)
    cx = pd.Series(x).groupby(label).transform("mean").to_numpy()
    cy = pd.Series(y).groupby(label).transform("mean").to_numpy()
    glat, glon = to_latlon(cx, cy, origin=origin)
    return pd.DataFrame({"group": np.asarray(label, dtype=np.int64), "lat": glat, "lon": glon},
                        index=pd.Index(towers[column].to_numpy(), name=column))


def unit_keys(release: pd.DataFrame, space: Space, *, rng: np.random.Generator | int | None = 0) -> np.ndarray:
    """The spatial unit of each row as a sortable key, before numbering (``rng`` seeds tower groups).

    A column's own values, a tower group's number, or a grid cell's id; the codes of
    :func:`spatial_units` are these keys' ranks. A grid without an origin is
    anchored on the data (:func:`grid_origin`). Exact coordinates have no single key
    (see :func:`spatial_units`).
    """
    if space.kind == "column":
        if space.column not in release.columns:
            raise ReleaseError(f"release is missing column {space.column!r} needed for the spatial resolution")
        return release[space.column].to_numpy()
    if space.kind == "merged":
        groups = tower_groups(release, column=space.column, factor=space.factor, rng=rng)["group"]
        return groups.reindex(release[space.column].to_numpy()).to_numpy().astype(np.int64)
    if space.kind == "exact":
        raise ParameterError("exact coordinates are numbered by spatial_units, not keyed one by one")
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    return cell_ids(lat, lon, cell_m=space.cell_m, origin=resolve_origin(space.origin, lat, lon))


def spatial_units(release: pd.DataFrame, space: Space, *, rng: np.random.Generator | int | None = 0) -> np.ndarray:
    """Integer code of each row's spatial unit at resolution ``space`` (``rng`` seeds tower groups).

    Codes follow the sorted unit keys (:func:`unit_keys`); exact coordinates follow the sorted (lat, lon) pairs.
    """
    if space.kind == "exact":
        lat = release["lat"].to_numpy(dtype=float)
        lon = release["lon"].to_numpy(dtype=float)
        # One integer per (lat, lon), ordered as the pairs sort, without building a tuple per row.
        lat_code, lat_values = pd.factorize(lat, sort=True)
        lon_code, _ = pd.factorize(lon, sort=True)
        pair = lat_code.astype(np.int64) * (lon_code.max(initial=-1) + 1) + lon_code
        return pd.factorize(pair, sort=True)[0].astype(np.int64) if len(lat_values) else pair.astype(np.int64)
    keys = unit_keys(release, space, rng=rng)
    if space.kind == "merged":  # group numbers are already 0..k-1, every group holding a tower of the release
        return keys
    return pd.factorize(keys, sort=True)[0].astype(np.int64)
