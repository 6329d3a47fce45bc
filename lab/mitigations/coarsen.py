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
from scipy.cluster.vq import kmeans2

from lab.geo import to_latlon, to_local
from lab.mitigations.params import check_positive

__all__ = ["snap_to_grid", "merge_towers", "bin_time"]


def snap_to_grid(release: pd.DataFrame, *, cell_m: float, origin: tuple[float, float] | None = None) -> pd.DataFrame:
    """Replace each position by the centre of its square grid cell of ``cell_m`` metres.

    Parameters
    ----------
    origin : (float, float), optional
        Anchor of the grid; give the same origin to releases that must nest. Default:
        the release's median point rounded to 0.01°.
    """
    cell = check_positive(cell_m, name="cell_m", unit="metres")
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    if origin is None:
        origin = (round(float(np.median(lat)), 2), round(float(np.median(lon)), 2))
    x, y = to_local(lat, lon, origin=origin)
    cx = (np.floor(x / cell) + 0.5) * cell
    cy = (np.floor(y / cell) + 0.5) * cell
    new_lat, new_lon = to_latlon(cx, cy, origin=origin)
    return release.assign(lat=new_lat, lon=new_lon)


def merge_towers(release: pd.DataFrame, *, factor: int, column: str = "tower_id", rng=None) -> pd.DataFrame:
    """Merge towers into groups of about ``factor`` neighbours (k-means on the towers' positions).

    Each record's tower becomes its group (``"<column>-g<n>"``) and its position the
    group's centroid. Tower positions come from the release itself: they are the
    operator's public network plan, not anyone's movement.
    """
    if int(factor) < 1:
        raise ValueError(f"factor is towers per group and must be at least 1, got {factor!r}")
    rng = np.random.default_rng(rng)
    towers = release.drop_duplicates(column)[[column, "lat", "lon"]].sort_values(column)
    origin = (float(towers["lat"].mean()), float(towers["lon"].mean()))
    x, y = to_local(towers["lat"], towers["lon"], origin=origin)
    k = max(1, int(round(len(towers) / int(factor))))
    if k >= len(towers):
        label = np.arange(len(towers))
    else:
        _, label = kmeans2(np.c_[x, y], k, minit="++", seed=rng, iter=20)
    cx = pd.Series(x).groupby(label).transform("mean").to_numpy()
    cy = pd.Series(y).groupby(label).transform("mean").to_numpy()
    glat, glon = to_latlon(cx, cy, origin=origin)
    table = pd.DataFrame({"group": [f"{column}-g{g}" for g in label], "lat": glat, "lon": glon},
                         index=towers[column].to_numpy())
    pos = table.index.get_indexer(release[column].to_numpy())
    return release.assign(**{column: table["group"].to_numpy()[pos]},
                          lat=table["lat"].to_numpy()[pos], lon=table["lon"].to_numpy()[pos])


def bin_time(release: pd.DataFrame, *, minutes: float) -> pd.DataFrame:
    """Round every instant down to the start of its bin of ``minutes`` on the local clock."""
    width = check_positive(minutes, name="minutes", unit="minutes")
    return release.assign(t=release["t"].dt.floor(pd.Timedelta(minutes=width)))
