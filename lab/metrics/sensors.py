"""Sensor statistics of a world: how often phones and cameras record, and how towers are spaced.

Measured on the releases (``cdr``, ``sightings``) and the tower network, and set
against reference bands by :mod:`lab.metrics.realism`.

References
----------
.. [1] Barabási, A.-L. (2005). The origin of bursts and heavy tails in human
   dynamics. *Nature* 435, 207–211.
.. [2] González, M. C., Hidalgo, C. A., & Barabási, A.-L. (2008). Understanding
   individual human mobility patterns. *Nature* 453, 779–782.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from lab.geo import to_local
from lab.metrics.mobility import _local_day  # shared time helpers

__all__ = ["cdr_events_per_person_day", "tower_spacing_m", "sightings_per_person_day"]



# --------------------------------------------------------------------------- 9. CDR


def cdr_events_per_person_day(
    cdr: pd.DataFrame, *, subscribers: int, start: pd.Timestamp, days: int
) -> tuple[float, float]:
    """Mean and coefficient of variation of CDR events per subscriber-day.

    Events are counted per ``(pseudonym, local day)`` over the period; every
    subscriber-day without an event counts as zero, so there are
    ``subscribers * days`` subscriber-days in all.

    Parameters
    ----------
    cdr : pandas.DataFrame
        One row per event, with ``pseudonym`` and ``t`` (timezone-aware).
    subscribers : int
        Number of enrolled subscribers (including those without any event).
    start : pandas.Timestamp
        The first local midnight of the period.
    days : int
        Length of the period in days; events outside it are ignored.

    Returns
    -------
    mean, cv : float
        Mean events per subscriber-day and ``std / mean`` over all
        subscriber-days (population standard deviation). ``cv > 1`` means
        over-dispersed, bursty activity.

    Raises
    ------
    ValueError
        If the events cover more pseudonym-days than ``subscribers * days``.

    References
    ----------
    .. [1] Barabási, A.-L. (2005). The origin of bursts and heavy tails in human
       dynamics. *Nature* 435, 207–211.
    .. [2] González, M. C., Hidalgo, C. A., & Barabási, A.-L. (2008).
       Understanding individual human mobility patterns. *Nature* 453, 779–782.
    """
    if subscribers <= 0 or days <= 0:
        raise ValueError(f"subscribers and days must be positive, got {subscribers!r} and {days!r}")
    total_days = int(subscribers) * int(days)
    day = _local_day(cdr["t"], start)
    inside = (day >= 0) & (day < days)
    codes, _ = pd.factorize(cdr["pseudonym"].to_numpy()[inside], sort=False)
    counts = np.bincount(codes.astype(np.int64) * days + day[inside], minlength=0)
    observed = int(np.count_nonzero(counts))
    if observed > total_days:
        raise ValueError(
            f"{observed:,} pseudonym-days have events but {subscribers:,} subscribers over "
            f"{days} days give only {total_days:,}"
        )
    n_events = float(counts.sum())
    mean = n_events / total_days
    if mean <= 0:
        return 0.0, math.nan
    var = float(np.dot(counts.astype(float), counts.astype(float))) / total_days - mean**2
    return mean, math.sqrt(max(var, 0.0)) / mean


# --------------------------------------------------------------------------- 10. towers


def _tower_cell_spacings(x: np.ndarray, y: np.ndarray, outline: object | None) -> np.ndarray:
    """``sqrt(area)`` of each tower's Voronoi cell, clipped to the outline (metres)."""
    from scipy.spatial import cKDTree

    xy = np.column_stack([x, y])
    spacing = np.full(len(xy), np.nan)
    if len(xy) == 0:
        return spacing
    uniq, inverse = np.unique(xy, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    if len(uniq) < 2:
        return spacing
    points = shapely.points(uniq)
    cloud = shapely.multipoints(points)
    if outline is None:
        nn = cKDTree(uniq).query(uniq, k=2)[0][:, 1]
        clip = shapely.convex_hull(cloud).buffer(0.5 * float(np.median(nn)))
    else:
        clip = outline
    diagram = shapely.voronoi_polygons(cloud, extend_to=clip)
    cells = shapely.get_parts(diagram)
    # Match cells to towers by containment rather than trusting the output order.
    tree = shapely.STRtree(cells)
    point_idx, cell_idx = tree.query(points, predicate="within")
    area = np.full(len(uniq), np.nan)
    area[point_idx] = shapely.area(shapely.intersection(cells[cell_idx], clip))
    return np.sqrt(area)[inverse]


def tower_spacing_m(
    towers: pd.DataFrame,
    *,
    origin: tuple[float, float],
    centre_radius_m: float,
    outskirts_radius_m: float,
    outline: object | None = None,
) -> tuple[float, float]:
    """Typical tower spacing in the centre and in the outskirts, in metres.

    Each tower's spacing is the square root of the area of its Voronoi cell
    (the area it serves), clipped to the town; a regular square grid of pitch
    ``d`` gives exactly ``d``.

    Parameters
    ----------
    towers : pandas.DataFrame
        ``tower_id``, ``lat``, ``lon`` (degrees).
    origin : (float, float)
        ``(lat, lon)`` of the town centre, the origin of the local frame.
    centre_radius_m : float
        Towers at most this far from the origin form the centre.
    outskirts_radius_m : float
        Towers farther than this from the origin form the outskirts. For a
        generated town both come from :func:`lab.synth.city.tower_zones_m`, the
        zones the towers were placed by.
    outline : shapely.Polygon, optional
        The town's outline in local metres. Default: the convex hull of the
        towers buffered by half their median nearest-neighbour distance.

    Returns
    -------
    centre, outskirts : float
        Median spacing of the towers in each zone; NaN for a zone with fewer
        than three towers.

    References
    ----------
    .. [1] Okabe, A., Boots, B., Sugihara, K., & Chiu, S. N. (2000). *Spatial
       Tessellations: Concepts and Applications of Voronoi Diagrams* (2nd ed.).
       Wiley.
    """
    if not 0 <= centre_radius_m <= outskirts_radius_m:
        raise ValueError(
            "tower zones need 0 <= centre_radius_m <= outskirts_radius_m, "
            f"got {centre_radius_m!r} and {outskirts_radius_m!r}"
        )
    x, y = to_local(towers["lat"].to_numpy(float), towers["lon"].to_numpy(float), origin=origin)
    spacing = _tower_cell_spacings(x, y, outline)
    r = np.hypot(x, y)

    def zone_median(mask: np.ndarray) -> float:
        values = spacing[mask & np.isfinite(spacing)]
        return float(np.median(values)) if values.size >= 3 else math.nan

    return zone_median(r <= centre_radius_m), zone_median(r > outskirts_radius_m)


# --------------------------------------------------------------------------- 11. sightings


def sightings_per_person_day(sightings: pd.DataFrame, *, people_count: int, days: int) -> float:
    """Camera sightings per person and day: ``rows / (people_count * days)``.

    References
    ----------
    .. [1] Gevers, V. (2019, February). Disclosure of an openly accessible
       facial-recognition tracking database (SenseNets, Shenzhen): about 6.7
       million location records in 24 hours for about 2.57 million people.
    """
    if people_count <= 0 or days <= 0:
        raise ValueError(f"people_count and days must be positive, got {people_count!r} and {days!r}")
    return len(sightings) / (people_count * days)
