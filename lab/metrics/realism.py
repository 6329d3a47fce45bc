"""Mobility realism: does a generated world move like people do?

:func:`realism_table` sets every statistic of :mod:`lab.metrics.mobility` (from
the ground-truth visits) and :mod:`lab.metrics.sensors` (from the releases and
the towers) against reference bands from the literature; the bands are
deliberately wide: they say "plausible", not "fitted". The statistics are
re-exported here, so ``lab.metrics.realism`` is the one place to import from.
The papers behind each band are cited in those two modules.
"""

from __future__ import annotations

import dataclasses
import math
import os

import numpy as np
import pandas as pd
import shapely

from lab.geo import to_local
from lab.metrics.mobility import (  # the statistics live there; re-exported here
    REFERENCE_DAYS,
    _exploration_exponent,
    _home_time_shares,
    _jump_lengths,
    _place_xy,
    _power_law_exponent,
    _prepare,
    _radius_of_gyration,
    _rank_exponents,
    _reference_location_entropy,
    _trips_by_hour,
    _trips_per_person_day,
    exploration_curve,
    exploration_exponent,
    home_time_share,
    jump_length_exponent,
    jump_lengths_m,
    location_entropy,
    radius_of_gyration_m,
    rank_exponent,
    reference_location_entropy,
    rg_tail_ratio,
    trips_by_hour,
    trips_per_person_day,
    two_peaks,
)
from lab.metrics.sensors import cdr_events_per_person_day, sightings_per_person_day, tower_spacing_m

__all__ = [
    "BANDS",
    "REFERENCE_DAYS",
    "trips_per_person_day",
    "home_time_share",
    "rank_exponent",
    "exploration_curve",
    "exploration_exponent",
    "jump_lengths_m",
    "jump_length_exponent",
    "radius_of_gyration_m",
    "rg_tail_ratio",
    "location_entropy",
    "reference_location_entropy",
    "trips_by_hour",
    "two_peaks",
    "cdr_events_per_person_day",
    "tower_spacing_m",
    "sightings_per_person_day",
    "realism_table",
    "format_realism_table",
]

_INF = math.inf


@dataclasses.dataclass(frozen=True)
class Band:
    """A reference band ``low <= value <= high`` and where it comes from."""

    low: float
    high: float
    reference: str


#: statistic name -> reference band, in the order of :func:`realism_table`.
BANDS: dict[str, Band] = {
    "trips_per_person_day": Band(3.0, 4.5, "about 3.4–4 (US travel surveys)"),
    "home_time_share": Band(0.60, 0.75, "68.7% (NHAPS)"),
    "rank_exponent": Band(0.9, 1.4, "ζ ≈ 1.2 (Song et al. 2010)"),
    "exploration_exponent": Band(0.45, 0.75, "μ ≈ 0.6 (Song et al. 2010)"),
    "jump_length_exponent": Band(1.4, 2.0, "β ≈ 1.75 (González et al. 2008)"),
    "rg_p90_p50": Band(3.0, _INF, "heavy right tail (González et al. 2008)"),
    "location_entropy": Band(
        0.5, 0.7, f"mean 0.61 (CDR, DITRAS; Pappalardo & Simini 2018); over {REFERENCE_DAYS} days"
    ),
    "trips_by_hour_two_peaks": Band(1.0, 1.0, "morning and evening peaks (travel surveys)"),
    "cdr_events_per_person_day": Band(1.0, 3.0, "about 1.7, bursty"),
    "cdr_events_cv": Band(1.0, _INF, "bursty: over-dispersed daily counts (Barabási 2005)"),
    "tower_spacing_centre_m": Band(400.0, 800.0, "400–800 m urban"),
    "tower_spacing_outskirts_m": Band(2000.0, 3000.0, "2–3 km outskirts"),
    "sightings_per_person_day": Band(2.3, 3.1, "6.7M / 2.57M ≈ 2.6 (the 2019 leak)"),
}



# --------------------------------------------------------------------------- the table


def _row(name: str, value: float) -> dict[str, object]:
    band = BANDS[name]
    value = float(value)
    ok = (not math.isnan(value)) and band.low <= value <= band.high
    return {
        "statistic": name,
        "value": value,
        "low": band.low,
        "high": band.high,
        "ok": ok,
        "reference": band.reference,
    }


def realism_table(
    *,
    visits: pd.DataFrame,
    places: pd.DataFrame,
    people: pd.DataFrame,
    start: pd.Timestamp,
    days: int,
    origin: tuple[float, float],
    towers: pd.DataFrame | None = None,
    cdr: pd.DataFrame | None = None,
    cdr_subscribers: int | None = None,
    sightings: pd.DataFrame | None = None,
    outline: object | None = None,
    tower_zones_m: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Every realism statistic whose inputs are given, against its reference band.

    Parameters
    ----------
    visits, places, people : pandas.DataFrame
        The world's ground truth.
    start : pandas.Timestamp
        The first local midnight of the period (timezone-aware).
    days : int
        Length of the period in days.
    origin : (float, float)
        ``(lat, lon)`` of the town centre.
    towers : pandas.DataFrame, optional
        Cell towers; adds the two tower-spacing rows. Requires ``tower_zones_m``.
    cdr : pandas.DataFrame, optional
        CDR release; adds the events-per-day mean and CV rows. Requires
        ``cdr_subscribers``.
    cdr_subscribers : int, optional
        Number of people enrolled with the operator.
    sightings : pandas.DataFrame, optional
        Camera sightings release; adds the sightings-per-person-day row.
    outline : shapely.Polygon, optional
        The town's outline in local metres, to clip tower cells.
    tower_zones_m : (float, float), optional
        Towers within the first radius (metres) of the origin count as centre,
        beyond the second as outskirts: for a generated town, the zones the towers
        were placed by (:func:`lab.synth.city.tower_zones_m`).

    Returns
    -------
    pandas.DataFrame
        One row per statistic with columns ``statistic``, ``value``, ``low``,
        ``high``, ``ok`` and ``reference``, in the order of :data:`BANDS`.
        ``attrs["trips_by_hour"]`` holds the hourly departure counts (a list of 24).

    Raises
    ------
    ValueError
        If ``cdr`` is given without ``cdr_subscribers``, or ``towers`` without
        ``tower_zones_m``.

    Notes
    -----
    Every statistic is read over the whole period except the location entropy,
    which depends on how long people are watched and is reported for
    :data:`REFERENCE_DAYS` days of observation
    (:func:`~lab.metrics.mobility.reference_location_entropy`), the length its band
    holds for.

    References
    ----------
    .. [1] González, M. C., Hidalgo, C. A., & Barabási, A.-L. (2008).
       Understanding individual human mobility patterns. *Nature* 453, 779–782.
    .. [2] Song, C., Koren, T., Wang, P., & Barabási, A.-L. (2010). Modelling the
       scaling properties of human mobility. *Nature Physics* 6, 818–823.
    .. [3] Klepeis, N. E., et al. (2001). The National Human Activity Pattern
       Survey (NHAPS). *Journal of Exposure Analysis and Environmental
       Epidemiology* 11, 231–252.
    .. [4] Pappalardo, L., & Simini, F. (2018). Data-driven generation of
       spatio-temporal routines in human mobility. *Data Mining and Knowledge
       Discovery* 32, 787–829.
    """
    if cdr is not None and cdr_subscribers is None:
        raise ValueError("cdr needs cdr_subscribers: the number of enrolled subscribers, events or not")
    if towers is not None and tower_zones_m is None:
        raise ValueError("towers need tower_zones_m: the (centre, outskirts) radii in metres the towers were placed by")
    v = _prepare(visits)
    people_count = int(people["person_id"].nunique())
    x, y = _place_xy(v, places, origin)
    hist = _trips_by_hour(v)

    rows = [
        _row("trips_per_person_day", _trips_per_person_day(v, people_count, days)),
        _row("home_time_share", _home_time_shares(v, people).mean()),
        _row("rank_exponent", _rank_exponents(v).median()),
        _row("exploration_exponent", _exploration_exponent(v, start, days)),
        _row("jump_length_exponent", _power_law_exponent(_jump_lengths(v, x, y))),
        _row("rg_p90_p50", rg_tail_ratio(_radius_of_gyration(v, x, y))),
        _row("location_entropy", _reference_location_entropy(v, start, days, REFERENCE_DAYS)),
        _row("trips_by_hour_two_peaks", 1.0 if two_peaks(hist.to_numpy()) else 0.0),
    ]
    if cdr is not None:
        mean, cv = cdr_events_per_person_day(
            cdr, subscribers=int(cdr_subscribers), start=start, days=days
        )
        rows.append(_row("cdr_events_per_person_day", mean))
        rows.append(_row("cdr_events_cv", cv))
    if towers is not None:
        centre, outskirts = tower_spacing_m(towers, origin=origin, outline=outline,
                                            centre_radius_m=tower_zones_m[0], outskirts_radius_m=tower_zones_m[1])
        rows.append(_row("tower_spacing_centre_m", centre))
        rows.append(_row("tower_spacing_outskirts_m", outskirts))
    if sightings is not None:
        per_day = sightings_per_person_day(sightings, people_count=people_count, days=days)
        rows.append(_row("sightings_per_person_day", per_day))

    table = pd.DataFrame(rows, columns=["statistic", "value", "low", "high", "ok", "reference"])
    table["ok"] = table["ok"].astype(bool)
    table.attrs["trips_by_hour"] = hist.to_numpy().tolist()  # plain data: pandas compares attrs
    return table


def _fmt_number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _fmt_band(low: float, high: float) -> str:
    if low == high:
        return f"= {_fmt_number(low)}"
    if math.isinf(high):
        return f">= {_fmt_number(low)}"
    return f"[{_fmt_number(low)}, {_fmt_number(high)}]"


def format_realism_table(df: pd.DataFrame) -> str:
    """Plain-text table of :func:`realism_table`: value, band and PASS/FAIL per row.

    Examples
    --------
    >>> df = pd.DataFrame([{"statistic": "x", "value": 3.5, "low": 3.0, "high": 4.5,
    ...                     "ok": True, "reference": "r"}])
    >>> print(format_realism_table(df))  # doctest: +NORMALIZE_WHITESPACE
    statistic  value  band      result  reference
    x          3.5    [3, 4.5]  PASS    r
    """
    header = ("statistic", "value", "band", "result", "reference")
    body = [
        (
            str(r.statistic),
            _fmt_number(float(r.value)),
            _fmt_band(float(r.low), float(r.high)),
            "PASS" if bool(r.ok) else "FAIL",
            str(r.reference),
        )
        for r in df.itertuples(index=False)
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *body]:
        cells = [cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def realism_for_world(root: str | os.PathLike) -> pd.DataFrame:
    """:func:`realism_table` for a world written by ``privacy-lab generate``.

    Reads the ground truth and the cdr and sightings releases (when the scenario
    observed them) from ``root``; the town's outline is the union of its districts.
    """
    from lab.store import read_manifest, read_table
    from lab.synth.city import tower_zones_m
    from lab.synth.scenario import Scenario

    manifest = read_manifest(root)
    scenario = Scenario.from_dict(manifest["scenario"], source="manifest.json")
    tables = set(manifest["tables"])
    visits = read_table(root, "visits")
    places = read_table(root, "places", columns=["place_id", "kind", "lat", "lon"])
    people = read_table(root, "people", columns=["person_id", "home_id", "archetype"])
    districts = read_table(root, "districts")
    boundary = shapely.union_all(districts.geometry.to_numpy())
    outline = shapely.transform(boundary, lambda c: np.c_[to_local(c[:, 1], c[:, 0], origin=scenario.origin)])
    kwargs: dict = {}
    if "cdr" in tables:
        keys = read_table(root, "keys", columns=["release"])
        kwargs.update(cdr=read_table(root, "cdr", columns=["pseudonym", "t"]),
                      cdr_subscribers=int((keys["release"] == "cdr").sum()))
    if "sightings" in tables:
        kwargs["sightings"] = read_table(root, "sightings", columns=["pseudonym", "t"])
    return realism_table(
        visits=visits, places=places, people=people,
        start=pd.Timestamp(scenario.start).tz_localize(scenario.timezone), days=scenario.days,
        origin=scenario.origin, towers=read_table(root, "towers"), outline=outline,
        tower_zones_m=tower_zones_m(scenario), **kwargs,
    )
