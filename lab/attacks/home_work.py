"""Home and work from a release, and how many people share a (home, work) pair.

Home is where a pseudonym is most often seen at night, work where it is most
often seen in working hours (weekdays by default) away from home. Golle and
Partridge (2009) showed that the (home, work) pair alone is nearly unique at the
scale of a census block, and still small at the scale of a tract: coarsening the
geography helps, but far less than intuition suggests.

References
----------
.. [1] Golle, P., Partridge, K. (2009). On the anonymity of home/work location
   pairs. Pervasive Computing, LNCS 5538, 390–397.
.. [2] Isaacman, S., Becker, R., Cáceres, R., et al. (2011). Identifying important
   places in people's lives from cellular network data. Pervasive 2011.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from lab.attacks.traces import check_release
from lab.geo import to_local
from lab.grid import grid_cell, grid_origin

__all__ = ["Modes", "infer_home_work", "anonymity_sets", "GEOGRAPHIES"]

#: Nested square geographies (metres): block, tract and district analogues. Each
#: size divides the next, so cells nest exactly.
GEOGRAPHIES = {"block": 200.0, "tract": 1000.0, "district": 5000.0}


@dataclasses.dataclass(frozen=True)
class Modes:
    """When an observation counts towards home or work.

    Parameters
    ----------
    night : (int, int)
        Local hours [start, end) that count as night (wrapping past midnight).
    work : (int, int)
        Local hours [start, end) that count as working hours.
    weekdays_only : bool
        Count working hours on Monday to Friday only.
    min_work_distance_m : float
        A work candidate closer than this to home is ignored (it is home).
    """

    night: tuple[int, int] = (20, 7)
    work: tuple[int, int] = (9, 17)
    weekdays_only: bool = True
    min_work_distance_m: float = 300.0

    def __post_init__(self) -> None:
        for name in ("night", "work"):
            a, b = getattr(self, name)
            if not (0 <= a <= 23 and 0 <= b <= 24) or a == b:
                raise ValueError(f"{name} hours must be two different local hours in 0..24, got {(a, b)}")
        if self.min_work_distance_m < 0:
            raise ValueError("min_work_distance_m must not be negative")


def _in_hours(hour: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    a, b = span
    return (hour >= a) & (hour < b) if a < b else (hour >= a) | (hour < b)


def _mode_location(frame: pd.DataFrame) -> pd.DataFrame:
    """Most frequent location per pseudonym; ties go to the earliest first sighting, then the smaller (lat, lon).

    Groups are distinct (pseudonym, lat, lon), so this is a total order and row order plays no part.
    """
    g = frame.groupby(["pseudonym", "lat", "lon"], sort=False)
    stats = g.agg(n=("t", "size"), first=("t", "min")).reset_index()
    stats = stats.sort_values(["pseudonym", "n", "first", "lat", "lon"], ascending=[True, False, True, True, True],
                              kind="stable")
    return stats.drop_duplicates("pseudonym").set_index("pseudonym")


def infer_home_work(release: pd.DataFrame, *, modes: Modes | None = None) -> pd.DataFrame:
    """Infer each pseudonym's home and work location.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon. Locations are taken as released (a tower's
        coordinates for CDR; snap GPS to a grid first).
    modes : Modes, optional

    Returns
    -------
    pandas.DataFrame
        Indexed by pseudonym: home_lat, home_lon, home_n, work_lat, work_lon, work_n
        (work is NaN when no working-hours observation lies away from home).

    Notes
    -----
    Ties in the number of observations go to the location first seen; among
    locations first seen at the same instant, to the smaller ``(lat, lon)``.
    That is a total order on a pseudonym's locations, so the result does not
    depend on the order of the release's rows.
    """
    check_release(release)
    modes = modes or Modes()
    hour = release["t"].dt.hour.to_numpy()
    night = release[_in_hours(hour, modes.night)]
    home = _mode_location(night)
    working = _in_hours(hour, modes.work)
    if modes.weekdays_only:
        working &= release["t"].dt.day_of_week.to_numpy() < 5
    day = release[working]
    # Drop daytime observations at (or near) home before taking the mode.
    h = home.reindex(day["pseudonym"].to_numpy())
    origin = (float(release["lat"].median()), float(release["lon"].median()))
    x, y = to_local(day["lat"], day["lon"], origin=origin)
    hx, hy = to_local(h["lat"].to_numpy(), h["lon"].to_numpy(), origin=origin)
    away = ~(np.hypot(x - hx, y - hy) < modes.min_work_distance_m)
    work = _mode_location(day[away])
    out = pd.DataFrame(index=pd.Index(np.sort(release["pseudonym"].unique()), name="pseudonym"))
    out["home_lat"] = home["lat"]
    out["home_lon"] = home["lon"]
    out["home_n"] = home["n"].astype("Int64")
    out["work_lat"] = work["lat"]
    out["work_lon"] = work["lon"]
    out["work_n"] = work["n"].astype("Int64")
    return out


def anonymity_sets(
    pairs: pd.DataFrame, *, geographies: dict[str, float] | None = None, origin: tuple[float, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Size of each pseudonym's (home, work) anonymity set at nested geographies.

    Parameters
    ----------
    pairs : pandas.DataFrame
        home_lat, home_lon, work_lat, work_lon per pseudonym (for example from
        :func:`infer_home_work`, or the true homes and workplaces).
    geographies : dict of str to float
        Name -> square cell size in metres, finest first (default :data:`GEOGRAPHIES`).
    origin : (float, float), optional
        Anchor of the grids (default: median home, rounded to 0.01°).

    Returns
    -------
    sizes : pandas.DataFrame
        One column per geography: the number of pseudonyms sharing the pair of cells.
    summary : pandas.DataFrame
        One row per geography: median, share_unique, p90, n.
    cdf : pandas.DataFrame
        geography, size, share: the share of pseudonyms whose set is at most ``size``.
    """
    geographies = geographies or GEOGRAPHIES
    both = pairs.dropna(subset=["home_lat", "home_lon", "work_lat", "work_lon"])
    if both.empty:
        raise ValueError("no pseudonym has both a home and a work location")
    if origin is None:
        origin = grid_origin(both["home_lat"], both["home_lon"])
    hx, hy = to_local(both["home_lat"], both["home_lon"], origin=origin)
    wx, wy = to_local(both["work_lat"], both["work_lon"], origin=origin)
    sizes = pd.DataFrame(index=both.index)
    rows = []
    cdf = []
    for name, cell in geographies.items():
        key = pd.MultiIndex.from_arrays([grid_cell(hx, hy, cell_m=cell), grid_cell(wx, wy, cell_m=cell)])
        codes, _uniq = pd.factorize(key)
        counts = np.bincount(codes)
        size = counts[codes]
        sizes[name] = size
        values, freq = np.unique(size, return_counts=True)
        cdf.append(pd.DataFrame({"geography": name, "size": values, "share": np.cumsum(freq) / len(size)}))
        rows.append({"geography": name, "cell_m": cell, "median": float(np.median(size)),
                     "share_unique": float((size == 1).mean()), "p90": float(np.quantile(size, 0.9)),
                     "n": len(size)})
    return sizes, pd.DataFrame(rows).set_index("geography"), pd.concat(cdf, ignore_index=True)
