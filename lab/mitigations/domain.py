"""The public domain of a count table: every (cell, slot) key, fixed before looking at the data.

Which keys a table has must not depend on who is in the data: a cell that
appears only because someone was there discloses that presence. A
:class:`GridDomain` is built from public facts — the town's map and the
release period — with :func:`grid_domain`.

References
----------
.. [1] Wilson, R. J., Zhang, C. Y., Lam, W., Desfontaines, D., Simmons-Marengo,
   D., Gipson, B. (2020). Differentially private SQL with bounded user
   contribution. Proceedings on Privacy Enhancing Technologies 2020(2), 230-250.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from lab.errors import ParameterError
from lab.geo import to_local
from lab.grid import check_slot, grid_cell, grid_origin
from lab.params import check_positive, warn_leak

__all__ = ["GridDomain", "grid_domain", "domain_from_data"]


@dataclasses.dataclass(frozen=True, eq=False)
class GridDomain:
    """The public set of (cell, slot) keys a count table covers.

    Attributes
    ----------
    origin : (float, float)
        ``(lat, lon)`` anchor of the grid (see :mod:`lab.grid`).
    start : pandas.Timestamp
        Start of slot 0 (timezone-aware).
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the slots in seconds.
    cells : numpy.ndarray
        Sorted, distinct int64 cell ids.
    n_slots : int
        Slots 0 to ``n_slots - 1``.
    """

    origin: tuple[float, float]
    start: pd.Timestamp
    cell_m: float
    slot_s: int
    cells: np.ndarray
    n_slots: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", np.unique(np.asarray(self.cells, dtype=np.int64)))
        object.__setattr__(self, "n_slots", int(self.n_slots))
        object.__setattr__(self, "start", pd.Timestamp(self.start))
        if self.n_slots < 1 or len(self.cells) == 0:
            raise ParameterError("a domain needs at least one cell and one slot")

    @property
    def size(self) -> int:
        """Number of (cell, slot) keys."""
        return len(self.cells) * int(self.n_slots)

    def keys(self) -> pd.DataFrame:
        """Every key: cell, slot, sorted by slot then cell."""
        return pd.DataFrame({"cell": np.tile(self.cells, self.n_slots),
                             "slot": np.repeat(np.arange(self.n_slots, dtype=np.int64), len(self.cells))})

    def positions(self, cell: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """Position of each (cell, slot) in :meth:`keys`, or -1 outside the domain."""
        cell = np.asarray(cell, dtype=np.int64)
        slot = np.asarray(slot, dtype=np.int64)
        i = np.minimum(np.searchsorted(self.cells, cell), len(self.cells) - 1)
        inside = (self.cells[i] == cell) & (slot >= 0) & (slot < self.n_slots)
        return np.where(inside, slot * len(self.cells) + i, -1)


def grid_domain(
    *, bounds: tuple[float, float, float, float], start: pd.Timestamp, end: pd.Timestamp, cell_m: float,
    slot_s: int, origin: tuple[float, float] | None = None,
) -> GridDomain:
    """Every grid cell over a bounding box, in every slot of a period: a public domain.

    Build it from facts that do not depend on who is in the data: the town's
    map (for instance ``districts.total_bounds``) and the period the release
    covers.

    Parameters
    ----------
    bounds : (float, float, float, float)
        ``(lon_min, lat_min, lon_max, lat_max)`` in degrees, as geopandas'
        ``total_bounds``.
    start, end : pandas.Timestamp
        Timezone-aware start of slot 0 and end of the period (exclusive).
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the slots in seconds.
    origin : (float, float), optional
        ``(lat, lon)`` anchor of the grid (default: the centre of ``bounds``).

    Returns
    -------
    GridDomain
        Every cell that meets the box, and ``ceil((end - start) / slot_s)`` slots.

    Examples
    --------
    >>> import pandas as pd
    >>> t0 = pd.Timestamp("2031-03-03", tz="Etc/GMT+8")
    >>> d = grid_domain(bounds=(-123.012, -48.508, -122.988, -48.492), start=t0, end=t0 + pd.Timedelta(days=1),
    ...                 cell_m=1000, slot_s=3600)
    >>> len(d.cells), d.n_slots
    (4, 24)
    """
    cell_m = check_positive(cell_m, name="cell_m", unit="metres")
    slot_s = check_slot(slot_s)
    try:
        lon_min, lat_min, lon_max, lat_max = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise ParameterError(f"bounds must be four numbers (lon_min, lat_min, lon_max, lat_max), "
                             f"got {bounds!r}") from None
    if not (lon_min <= lon_max and lat_min <= lat_max and lat_min >= -90 and lat_max <= 90):
        raise ParameterError(f"bounds must read (lon_min, lat_min, lon_max, lat_max) with minima first, got {bounds!r}")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.tzinfo is None or end.tzinfo is None:
        raise ParameterError("start and end must be timezone-aware times, as the release's instants are")
    if not end > start:
        raise ParameterError(f"end ({end}) must come after start ({start})")
    if origin is None:  # the grid's one rule, applied to the public bounds
        origin = grid_origin([lat_min, lat_max], [lon_min, lon_max])
    x, y = to_local([lat_min, lat_max], [lon_min, lon_max], origin=origin)
    ix = np.arange(math.floor(x[0] / cell_m), math.floor(x[1] / cell_m) + 1)
    iy = np.arange(math.floor(y[0] / cell_m), math.floor(y[1] / cell_m) + 1)
    gx, gy = np.meshgrid((ix + 0.5) * cell_m, (iy + 0.5) * cell_m)
    cells = grid_cell(gx.ravel(), gy.ravel(), cell_m=cell_m)
    n_slots = math.ceil((end - start).total_seconds() / slot_s)
    return GridDomain(origin=tuple(origin), start=start, cell_m=cell_m, slot_s=slot_s, cells=cells, n_slots=n_slots)


def domain_from_data(release: pd.DataFrame, *, cell_m: float, slot_s: int) -> GridDomain:
    """A domain read off the release itself — its median as anchor, its bounding box, its days — with a LeakWarning.

    For comparison only: which keys such a table has depends on the people in
    it (a row of cells added at the edge says someone was there). Build the
    domain from public facts with :func:`grid_domain` instead.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the slots in seconds.

    Returns
    -------
    GridDomain
        Every cell over the release's bounding box, in every slot from the local
        midnight before its first record to the midnight after its last.
    """
    if len(release) == 0:
        raise ParameterError("the release is empty, so no domain can be read off it: pass domain=grid_domain(...)")
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    origin = grid_origin(lat, lon)
    start = release["t"].min().normalize()
    end = release["t"].max().normalize() + pd.Timedelta(days=1)
    warn_leak("the count table's domain was read off the release it counts (grid anchor at its median point, extent "
              "from its most outlying records, days from its first and last): which keys the table has then "
              "reveals those records, since a row of cells added at the edge says someone was there; build the "
              "domain from public facts, the town's map and the release period, with grid_domain(), and pass "
              "domain=")
    return grid_domain(bounds=(lon.min(), lat.min(), lon.max(), lat.max()), start=start, end=end,
                       cell_m=cell_m, slot_s=slot_s, origin=origin)
