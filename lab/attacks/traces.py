"""Releases as the adversary holds them: checked, then encoded as integer points.

Every attack starts here. :func:`check_release` refuses what would give a
silently wrong number (missing columns, NaN or out-of-range coordinates,
tz-naive times, an empty release). :func:`encode` turns a release into integer
codes: one per pseudonym, one per spatial unit (a tower, a merged tower, a grid
cell or an exact coordinate pair) and one per time bin, so the attacks can work
on sorted integer arrays.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy.cluster.vq import kmeans2

from lab.geo import grid_cell, to_local
from lab.schema import RELEASE_COLUMNS

__all__ = [
    "ReleaseError",
    "check_release",
    "Space",
    "Encoded",
    "spatial_units",
    "time_bins",
    "encode",
    "merge_towers",
    "sorted_by_user_time",
]


class ReleaseError(ValueError):
    """A release an attack cannot read without risking a wrong answer."""


def check_release(release: pd.DataFrame, *, columns: tuple[str, ...] = RELEASE_COLUMNS) -> None:
    """Refuse a release that would give a silently wrong number.

    Raises
    ------
    ReleaseError
        Naming the missing column, the column with NaN or out-of-range values,
        tz-naive times, or an empty release.
    """
    if not isinstance(release, pd.DataFrame):
        raise ReleaseError(f"a release must be a pandas DataFrame, got {type(release).__name__}")
    missing = [c for c in columns if c not in release.columns]
    if missing:
        raise ReleaseError(f"release is missing column(s) {', '.join(missing)}")
    if len(release) == 0:
        raise ReleaseError("release is empty: there is nothing to attack")
    for col in columns:
        if release[col].isna().any():
            raise ReleaseError(f"column {col!r} has {int(release[col].isna().sum())} missing value(s)")
    if "lat" in columns:
        lat = release["lat"].to_numpy(dtype=float)
        if not np.isfinite(lat).all() or np.abs(lat).max() > 90:
            raise ReleaseError("column 'lat' has values outside [-90, 90] degrees")
    if "lon" in columns:
        lon = release["lon"].to_numpy(dtype=float)
        if not np.isfinite(lon).all() or np.abs(lon).max() > 180:
            raise ReleaseError("column 'lon' has values outside [-180, 180] degrees")
    if "t" in columns:
        if not isinstance(release["t"].dtype, pd.DatetimeTZDtype):
            raise ReleaseError(f"column 't' must hold timezone-aware timestamps, found {release['t'].dtype}; "
                               "use Series.dt.tz_localize with the data's zone")


def sorted_by_user_time(release: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The release sorted by pseudonym then time, with integer pseudonym codes.

    Faster than sorting on the string column: pseudonyms are factorised first.

    Returns
    -------
    ordered : pandas.DataFrame
    user : numpy.ndarray
        Pseudonym code of each row of ``ordered`` (codes follow sorted pseudonyms).
    labels : numpy.ndarray
        Pseudonym of each code.
    """
    user, labels = pd.factorize(release["pseudonym"], sort=True)
    t = release["t"].array.asi8  # any unit: only the order matters
    order = np.lexsort((t, user))
    return release.iloc[order], user[order].astype(np.int64), np.asarray(labels)


@dataclasses.dataclass(frozen=True)
class Space:
    """A spatial resolution.

    Parameters
    ----------
    kind : {"column", "grid", "exact", "merged"}
        ``column``: the values of ``column`` (for example ``tower_id`` or ``place_id``);
        ``grid``: square cells of ``cell_m`` metres; ``exact``: each distinct
        (lat, lon) pair; ``merged``: towers merged into groups of about ``factor``.
    """

    kind: str = "exact"
    column: str | None = None
    cell_m: float | None = None
    factor: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("column", "grid", "exact", "merged"):
            raise ValueError(f"space kind must be column, grid, exact or merged, got {self.kind!r}")
        if self.kind == "grid" and not (self.cell_m and self.cell_m > 0):
            raise ValueError(f"a grid needs a positive cell_m in metres, got {self.cell_m!r}")
        if self.kind in ("column", "merged") and not self.column:
            raise ValueError(f"space kind {self.kind!r} needs the column naming the unit, e.g. column='tower_id'")
        if self.kind == "merged" and not (self.factor and self.factor >= 1):
            raise ValueError(f"merged towers need factor >= 1 (towers per group), got {self.factor!r}")

    @classmethod
    def parse(cls, text: str) -> "Space":
        """``"tower_id"``, ``"grid:500"``, ``"exact"`` or ``"merged:tower_id:4"``."""
        if text == "exact":
            return cls("exact")
        if text.startswith("grid:"):
            return cls("grid", cell_m=float(text.split(":", 1)[1]))
        if text.startswith("merged:"):
            _, col, factor = text.split(":")
            return cls("merged", column=col, factor=int(factor))
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


def merge_towers(release: pd.DataFrame, *, column: str = "tower_id", factor: int, rng=None) -> pd.Series:
    """Group towers into clusters of about ``factor`` neighbours (k-means on their positions).

    Returns a Series mapping each tower id to its group number, as de Montjoye et al.
    coarsened antennas into larger areas.
    """
    rng = np.random.default_rng(rng)
    towers = release.drop_duplicates(column)[[column, "lat", "lon"]].sort_values(column)
    if factor <= 1 or len(towers) <= 1:
        return pd.Series(np.arange(len(towers)), index=towers[column].to_numpy())
    origin = (float(towers["lat"].mean()), float(towers["lon"].mean()))
    x, y = to_local(towers["lat"], towers["lon"], origin=origin)
    k = max(1, int(round(len(towers) / factor)))
    _, label = kmeans2(np.c_[x, y], k, minit="++", seed=rng, iter=20)
    return pd.Series(label, index=towers[column].to_numpy())


def spatial_units(release: pd.DataFrame, space: Space, *, rng=None) -> np.ndarray:
    """Integer code of each row's spatial unit at resolution ``space``."""
    if space.kind == "column":
        if space.column not in release.columns:
            raise ReleaseError(f"release is missing column {space.column!r} needed for the spatial resolution")
        return pd.factorize(release[space.column], sort=True)[0].astype(np.int64)
    if space.kind == "merged":
        groups = merge_towers(release, column=space.column, factor=space.factor, rng=rng)
        return groups.reindex(release[space.column].to_numpy()).to_numpy().astype(np.int64)
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    if space.kind == "exact":
        return pd.factorize(pd.MultiIndex.from_arrays([lat, lon]), sort=True)[0].astype(np.int64)
    origin = (float(np.median(lat)), float(np.median(lon)))
    x, y = to_local(lat, lon, origin=origin)
    return pd.factorize(grid_cell(x, y, cell_m=space.cell_m), sort=True)[0].astype(np.int64)


def time_bins(t: pd.Series, *, hours: float | None) -> np.ndarray:
    """Index of each instant's bin of ``hours`` hours on the local clock (``None``: no time)."""
    if hours is None:
        return np.zeros(len(t), dtype=np.int64)
    if not hours > 0:
        raise ValueError(f"time bins must be a positive number of hours, got {hours!r}")
    local = t.dt.tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64)
    size = int(round(hours * 3600))
    return (local // size - local.min() // size).astype(np.int64)


@dataclasses.dataclass(frozen=True)
class Encoded:
    """A release as integers: one row per observation."""

    user: np.ndarray          #: pseudonym code per row (index into ``pseudonyms``)
    item: np.ndarray          #: spatio-temporal point code per row
    pseudonyms: np.ndarray    #: pseudonym label per code
    n_items: int

    @property
    def n_users(self) -> int:
        return len(self.pseudonyms)


def encode(release: pd.DataFrame, *, space: Space | str = "exact", hours: float | None = 1.0, rng=None) -> Encoded:
    """Encode a release as (pseudonym, point) integer pairs, a point being unit × time bin.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    space : Space or str
        Spatial resolution (see :meth:`Space.parse`).
    hours : float or None
        Width of the time bins in hours; ``None`` ignores time.
    """
    check_release(release)
    space = Space.parse(space) if isinstance(space, str) else space
    unit = spatial_units(release, space, rng=rng)
    tbin = time_bins(release["t"], hours=hours)
    n_bins = int(tbin.max()) + 1
    point = unit * n_bins + tbin
    item, _ = pd.factorize(point, sort=True)
    user, labels = pd.factorize(release["pseudonym"], sort=True)
    return Encoded(user=user.astype(np.int64), item=item.astype(np.int64),
                   pseudonyms=np.asarray(labels), n_items=int(item.max()) + 1)
