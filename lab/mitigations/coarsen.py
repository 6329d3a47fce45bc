"""Coarsening: publish positions and times at a lower resolution.

Snap positions to the centres of square grid cells (cells of 2× the size nest
exactly, being aligned on one origin), merge neighbouring towers into larger
areas, round times down to bins. de Montjoye et al. found that uniqueness
falls only slowly with resolution — about its 1/10 power — which is why
coarsening alone protects so little.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
   Unique in the Crowd. Scientific Reports 3, 1376.
.. [2] Gruteser, M., Grunwald, D. (2003). Anonymous usage of location-based
   services through spatial and temporal cloaking. MobiSys '03.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.grid import cell_centres, resolve_origin, tower_groups
from lab.params import check_positive

__all__ = ["snap_to_grid", "merge_towers", "bin_time"]


def snap_to_grid(release: pd.DataFrame, *, cell_m: float, origin: tuple[float, float] | None = None) -> pd.DataFrame:
    """Replace each position by the centre of its square grid cell of ``cell_m`` metres.

    Parameters
    ----------
    release : pandas.DataFrame
        Any table with lat and lon.
    cell_m : float
        Side of the cells in metres.
    origin : (float, float), optional
        Anchor of the grid (:mod:`lab.grid`); give the same origin to releases that
        must nest, ideally the town's public one. Default: read off the release by
        :func:`lab.grid.grid_origin`, with a :class:`~lab.params.LeakWarning`.
    """
    cell = check_positive(cell_m, name="cell_m", unit="metres")
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    if len(release) == 0:
        return release.copy()
    origin = resolve_origin(origin, lat, lon, protection="snap_to_grid")
    _, new_lat, new_lon = cell_centres(lat, lon, cell_m=cell, origin=origin)
    return release.assign(lat=new_lat, lon=new_lon)


def merge_towers(release: pd.DataFrame, *, factor: int, column: str = "tower_id",
                 rng: np.random.Generator | int | None = 0) -> pd.DataFrame:
    """Merge towers into groups of about ``factor`` neighbours (:func:`lab.grid.tower_groups`).

    Each record's tower becomes its group (``"<column>-g<n>"``) and its position the
    group's centroid. The groups are those an attack's ``merged:<column>:<factor>``
    resolution uses (the same fixed seed by default).
    """
    groups = tower_groups(release, column=column, factor=factor, rng=rng)
    pos = groups.index.get_indexer(release[column].to_numpy())
    label = np.char.add(f"{column}-g", groups["group"].to_numpy().astype(str))
    return release.assign(**{column: label[pos]}, lat=groups["lat"].to_numpy()[pos],
                          lon=groups["lon"].to_numpy()[pos])


def bin_time(release: pd.DataFrame, *, minutes: float) -> pd.DataFrame:
    """Round every instant down to the start of its bin of ``minutes`` on the local clock."""
    width = check_positive(minutes, name="minutes", unit="minutes")
    return release.assign(t=release["t"].dt.floor(pd.Timedelta(minutes=width)))
