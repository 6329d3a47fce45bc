"""Sensitive places: who goes to worship or to the clinic, and what that reveals.

Location data reveal more than where a person is. Krumm recovered home
addresses, and through them names, from a few weeks of GPS tracks [1]_; Gambs,
Killijian and del Prado Cortez built mobility Markov chains that identify a
person's points of interest and their meaning [2]_. Among those places some
disclose special categories of data: a place of worship discloses religion, a
clinic health (GDPR Article 9). The 2019 SenseNets leak, whose camera
"tracker" logged sightings at mosques among hotels and internet cafés beside
each person's registry ethnicity, is the context of this module.

Two steps:

- :func:`regular_visitors` snaps each observation to the nearest place of a
  sensitive kind within ``radius_m`` (a k-d tree on local metres), counts the
  distinct visits (time bins, by default days) and weeks per pseudonym and
  place, and flags those who come back;
- :func:`infer_attribute` reads an attribute off the places a pseudonym
  visits (the fictional community a place of worship serves) and predicts the
  community it visits most, with the share of its visits as a confidence.
  Pseudonyms with no such visit get no prediction.

References
----------
.. [1] Krumm, J. (2007). Inference attacks on location tracks. *Pervasive
   Computing*, LNCS 4480, 127–143.
.. [2] Gambs, S., Killijian, M.-O., & del Prado Cortez, M. N. (2010). Show me
   how you move and I will tell you who you are. *ACM SIGSPATIAL SPRINGL*,
   34–41.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from lab.attacks.traces import check_release
from lab.geo import to_local
from lab.grid import time_bins

__all__ = [
    "snap_to_places",
    "regular_visitors",
    "busiest_weekday",
    "infer_attribute",
]

_SECONDS_PER_DAY = 86_400
#: 1970-01-01 was a Thursday: shifting days by 3 starts weeks on Monday.
_MONDAY_SHIFT = 3


def _check_places(places: pd.DataFrame, kinds: Sequence[str], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The places of the given kinds, after checking the table can be read."""
    if not isinstance(places, pd.DataFrame):
        raise ValueError(f"places must be a pandas DataFrame, got {type(places).__name__}")
    missing = [c for c in ("place_id", "kind", "lat", "lon", *extra) if c not in places.columns]
    if missing:
        raise ValueError(f"places is missing column(s) {', '.join(missing)}")
    if isinstance(kinds, str) or len(kinds) == 0:
        raise ValueError("kinds must be a non-empty sequence of place kinds such as ('worship', 'clinic'), "
                         f"got {kinds!r}")
    chosen = places.loc[places["kind"].isin(list(kinds))]
    if len(chosen) == 0:
        raise ValueError(f"places has no place of kind {', '.join(map(str, kinds))}: there is nothing to snap to")
    if chosen[["lat", "lon"]].isna().any().any():
        raise ValueError("places of the chosen kinds have missing lat or lon")
    return chosen


def _check_positive(name: str, value: float, *, whole: bool = False) -> None:
    ok = not isinstance(value, bool) and isinstance(value, (int, float, np.number)) and value > 0
    if whole:
        ok = ok and float(value).is_integer()
    if not ok:
        kind = "a whole number of at least 1" if whole else "a positive number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")


def snap_to_places(
    release: pd.DataFrame,
    places: pd.DataFrame,
    *,
    kinds: Sequence[str] = ("worship", "clinic"),
    radius_m: float = 50.0,
) -> pd.Series:
    """The nearest place of the given kinds within ``radius_m`` of each observation.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    places : pandas.DataFrame
        place_id, kind, lat, lon.
    kinds : sequence of str, default ("worship", "clinic")
        Place kinds to snap to.
    radius_m : float, default 50
        Largest distance in metres between an observation and its place.

    Returns
    -------
    pandas.Series
        ``place_id`` per row of ``release`` (same index), missing where no
        place of those kinds lies within the radius.
    """
    check_release(release)
    _check_positive("radius_m", radius_m)
    chosen = _check_places(places, kinds)
    origin = (float(chosen["lat"].median()), float(chosen["lon"].median()))
    px, py = to_local(chosen["lat"], chosen["lon"], origin=origin)
    rx, ry = to_local(release["lat"], release["lon"], origin=origin)
    _, nearest = cKDTree(np.c_[px, py]).query(np.c_[rx, ry], distance_upper_bound=radius_m)
    ids = np.append(chosen["place_id"].to_numpy(dtype=object), None)
    return pd.Series(ids[nearest], index=release.index, name="place_id", dtype=object)


def _visits(release: pd.DataFrame, places: pd.DataFrame, *, kinds: Sequence[str], radius_m: float,
            hours: float) -> pd.DataFrame:
    """One row per pseudonym, place and time bin with an observation there.

    Columns: pseudonym, place_id, bin, week and weekday (Monday = 0) of the
    bin's first row, observations, first, last.
    """
    _check_positive("hours", hours)
    place = snap_to_places(release, places, kinds=kinds, radius_m=radius_m)
    at = place.notna().to_numpy()
    seen = release.loc[at, ["pseudonym", "t"]].reset_index(drop=True)
    seen.insert(1, "place_id", place.to_numpy()[at])
    day = seen["t"].dt.tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64) // _SECONDS_PER_DAY
    seen["bin"] = time_bins(seen["t"], hours=hours) if len(seen) else np.zeros(0, dtype=np.int64)
    seen["week"] = (day + _MONDAY_SHIFT) // 7
    seen["weekday"] = (day + _MONDAY_SHIFT) % 7
    return (seen.groupby(["pseudonym", "place_id", "bin"], sort=True)
            .agg(week=("week", "first"), weekday=("weekday", "first"), observations=("t", "size"),
                 first=("t", "min"), last=("t", "max"))
            .reset_index())


def _summarise(visits: pd.DataFrame, places: pd.DataFrame, *, min_visits: int, min_weeks: int) -> pd.DataFrame:
    """Per pseudonym and place: observations, visits, weeks, first, last, regular."""
    out = (visits.groupby(["pseudonym", "place_id"], sort=True)
           .agg(observations=("observations", "sum"), visits=("bin", "size"), weeks=("week", "nunique"),
                first=("first", "min"), last=("last", "max"))
           .reset_index())
    kind = places.drop_duplicates("place_id").set_index("place_id")["kind"]
    out.insert(2, "kind", kind.reindex(out["place_id"]).to_numpy())
    out["regular"] = (out["visits"] >= min_visits) & (out["weeks"] >= min_weeks)
    return out


def regular_visitors(
    release: pd.DataFrame,
    places: pd.DataFrame,
    *,
    kinds: Sequence[str] = ("worship", "clinic"),
    radius_m: float = 50.0,
    min_visits: int = 3,
    min_weeks: int = 2,
    hours: float = 24.0,
) -> pd.DataFrame:
    """Which pseudonyms come back to places of sensitive kinds.

    Each observation is snapped to the nearest place of ``kinds`` within
    ``radius_m`` (:func:`snap_to_places`). A visit is a distinct time bin of
    ``hours`` hours on the local clock (by default a distinct day) with at least
    one observation at the place; a week runs Monday to Sunday. A pseudonym is a
    regular of a place when it has at least ``min_visits`` visits in at least
    ``min_weeks`` different weeks: a weekly gathering, not a walk past.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    places : pandas.DataFrame
        place_id, kind, lat, lon (the town's places table).
    kinds : sequence of str, default ("worship", "clinic")
        The sensitive kinds.
    radius_m : float, default 50
        Snapping radius in metres: a few times the GPS error. A CDR release,
        which carries tower positions, would need the tower spacing, and then
        several places compete for each tower.
    min_visits, min_weeks : int, default 3 and 2
        Thresholds of a regular.
    hours : float, default 24
        Width of the bins that count as one visit.

    Returns
    -------
    pandas.DataFrame
        One row per pseudonym and place with at least one observation there:
        pseudonym, place_id, kind, observations, visits, weeks, first, last (the
        first and last instants seen), regular (bool); sorted by pseudonym and
        place.

    References
    ----------
    .. [1] Krumm, J. (2007). Inference attacks on location tracks. *Pervasive
       Computing*, LNCS 4480, 127–143.
    .. [2] Gambs, S., Killijian, M.-O., & del Prado Cortez, M. N. (2010). Show
       me how you move and I will tell you who you are. *SPRINGL*, 34–41.

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"place_id": ["pl1"], "kind": ["worship"], "lat": [-48.5], "lon": [-123.0]})
    >>> t = pd.date_range("2031-03-07 19:00", periods=3, freq="7D", tz="Etc/GMT+8")
    >>> seen = pd.DataFrame({"pseudonym": "ad-1", "t": t, "lat": -48.5, "lon": -123.0})
    >>> regular_visitors(seen, places)[["pseudonym", "place_id", "visits", "weeks", "regular"]]
      pseudonym place_id  visits  weeks  regular
    0      ad-1      pl1       3      3     True
    """
    _check_positive("min_visits", min_visits, whole=True)
    _check_positive("min_weeks", min_weeks, whole=True)
    visits = _visits(release, places, kinds=kinds, radius_m=radius_m, hours=hours)
    return _summarise(visits, places, min_visits=min_visits, min_weeks=min_weeks)


def busiest_weekday(visits: pd.DataFrame) -> pd.Series:
    """Each place's weekday (Monday = 0) with the most distinct visiting pseudonyms; ties to the earliest."""
    count = visits.groupby(["place_id", "weekday"], sort=True)["pseudonym"].nunique().rename("n").reset_index()
    best = count.sort_values("n", ascending=False, kind="stable").drop_duplicates("place_id")
    return best.set_index("place_id")["weekday"].sort_index()


def infer_attribute(
    release: pd.DataFrame,
    places: pd.DataFrame,
    *,
    attribute: str = "community",
    kinds: Sequence[str] = ("worship",),
    radius_m: float = 50.0,
    min_visits: int = 1,
    min_weeks: int = 1,
    hours: float = 24.0,
    gathering_day: bool = True,
) -> pd.DataFrame:
    """Infer a pseudonym's attribute (its community) from the places of worship it visits.

    Visits are counted as in :func:`regular_visitors`. With ``gathering_day``
    only visits on each place's busiest weekday count (:func:`busiest_weekday`,
    learnt from the release itself: a congregation gathers on one day a week,
    while a neighbour or a passer-by shows up on any day). Pseudonym-place pairs
    with at least ``min_visits`` such visits in ``min_weeks`` weeks then vote,
    one vote per visit, for the ``attribute`` of the place; the prediction is
    the value with most votes (ties: the first in sorted order) and the
    confidence its share of the votes.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    places : pandas.DataFrame
        place_id, kind, lat, lon and ``attribute``; places of ``kinds`` without
        a value are ignored.
    attribute : str, default "community"
        Column of ``places`` to infer.
    kinds : sequence of str, default ("worship",)
        Kinds of place whose visits vote.
    radius_m, min_visits, min_weeks, hours
        As in :func:`regular_visitors`; by default any visit counts.
    gathering_day : bool, default True
        Count only visits on each place's busiest weekday.

    Returns
    -------
    pandas.DataFrame
        One row per pseudonym of the release, sorted: pseudonym, prediction
        (missing when the pseudonym made no counted visit), confidence (share of
        votes for the prediction, NaN without one), visits (counted visits),
        places (distinct places voting). ``prediction.notna().mean()`` is the
        coverage.

    References
    ----------
    .. [1] Gambs, S., Killijian, M.-O., & del Prado Cortez, M. N. (2010). Show
       me how you move and I will tell you who you are. *SPRINGL*, 34–41.
    .. [2] Krumm, J. (2007). Inference attacks on location tracks. *Pervasive
       Computing*, LNCS 4480, 127–143.

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"place_id": ["pl1", "pl2"], "kind": "worship", "lat": [-48.5, -48.6],
    ...                        "lon": -123.0, "community": ["Aster", "Brine"]})
    >>> t = pd.date_range("2031-03-07 19:00", periods=2, freq="7D", tz="Etc/GMT+8")
    >>> seen = pd.DataFrame({"pseudonym": ["ad-1", "ad-1", "ad-2"], "t": t[[0, 1, 0]],
    ...                      "lat": [-48.5, -48.5, -49.0], "lon": -123.0})
    >>> infer_attribute(seen, places)
      pseudonym prediction  confidence  visits  places
    0      ad-1      Aster         1.0       2       1
    1      ad-2        NaN         NaN       0       0
    """
    _check_positive("min_visits", min_visits, whole=True)
    _check_positive("min_weeks", min_weeks, whole=True)
    chosen = _check_places(places, kinds, extra=(attribute,))
    chosen = chosen.loc[chosen[attribute].notna()]
    if len(chosen) == 0:
        raise ValueError(f"no place of kind {', '.join(map(str, kinds))} has a value of {attribute!r} to infer from")
    check_release(release)
    visits = _visits(release, chosen, kinds=kinds, radius_m=radius_m, hours=hours)
    if gathering_day:
        day = busiest_weekday(visits)
        visits = visits.loc[visits["weekday"].to_numpy() == day.reindex(visits["place_id"]).to_numpy()]
    pairs = _summarise(visits, chosen, min_visits=min_visits, min_weeks=min_weeks)
    pairs = pairs.loc[pairs["regular"]]
    value = chosen.drop_duplicates("place_id").set_index("place_id")[attribute]
    votes = (pairs.assign(value=value.reindex(pairs["place_id"]).to_numpy())
             .groupby(["pseudonym", "value"], sort=True)["visits"].sum().reset_index())
    # Most votes first; the stable sort keeps ties in sorted order of the value.
    best = votes.sort_values("visits", ascending=False, kind="stable").drop_duplicates("pseudonym")
    best = best.set_index("pseudonym")
    total = pairs.groupby("pseudonym")["visits"].sum()
    n_places = pairs.groupby("pseudonym")["place_id"].nunique()
    pseudonyms = np.sort(release["pseudonym"].unique())
    return pd.DataFrame({
        "pseudonym": pseudonyms,
        "prediction": best["value"].reindex(pseudonyms).to_numpy(),
        "confidence": (best["visits"] / total.reindex(best.index)).reindex(pseudonyms).to_numpy(dtype=float),
        "visits": total.reindex(pseudonyms).fillna(0).to_numpy(dtype=np.int64),
        "places": n_places.reindex(pseudonyms).fillna(0).to_numpy(dtype=np.int64),
    })
