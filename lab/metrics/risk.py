"""Scoring re-identification and inference attacks against the answer key.

Attacks never see the truth; these functions do. They take an attack's output
and the world's ``keys`` (release, pseudonym, person_id) — plus the registry and
places where a location must be checked — and say how often the attack was
right, and by how much it missed.
"""

from __future__ import annotations

import pandas as pd

from lab.geo import haversine_m

__all__ = ["risk_summary", "pseudonym_people", "home_error_m", "work_error_m"]


def risk_summary(risk: pd.Series) -> dict[str, float]:
    """Summary of per-pseudonym risks from a background-knowledge attack.

    Returns
    -------
    dict
        n, mean (expected re-identification probability), share_unique (risk 1),
        median, share_at_least_half.
    """
    r = risk.dropna()
    if r.empty:
        raise ValueError("no risk to summarise: the series is empty")
    return {"n": len(r), "mean": float(r.mean()), "share_unique": float((r >= 1.0).mean()),
            "median": float(r.median()), "share_at_least_half": float((r >= 0.5).mean())}


def pseudonym_people(keys: pd.DataFrame, release: str) -> pd.Series:
    """person_id behind each pseudonym of ``release`` (from the answer key)."""
    k = keys[keys["release"] == release]
    if k.empty:
        raise ValueError(f"the answer key has no pseudonyms for release {release!r}")
    return k.set_index("pseudonym")["person_id"]


def _place_error(inferred: pd.DataFrame, lat_col: str, lon_col: str, truth_col: str, *, keys, release, people,
                 places) -> pd.Series:
    person = pseudonym_people(keys, release).reindex(inferred.index)
    true_place = people.set_index("person_id")[truth_col].reindex(person.to_numpy())
    coords = places.set_index("place_id")[["lat", "lon"]].reindex(true_place.to_numpy())
    d = haversine_m(inferred[lat_col].to_numpy(dtype=float), inferred[lon_col].to_numpy(dtype=float),
                    coords["lat"].to_numpy(), coords["lon"].to_numpy())
    return pd.Series(d, index=inferred.index, name=f"{truth_col.removesuffix('_id')}_error_m")


def home_error_m(inferred: pd.DataFrame, *, keys: pd.DataFrame, release: str, people: pd.DataFrame,
                 places: pd.DataFrame) -> pd.Series:
    """Distance in metres between each inferred home and the person's true home.

    ``inferred`` is indexed by pseudonym with home_lat, home_lon (as from
    :func:`lab.attacks.home_work.infer_home_work`). NaN where nothing was inferred.
    """
    return _place_error(inferred, "home_lat", "home_lon", "home_id", keys=keys, release=release,
                        people=people, places=places)


def work_error_m(inferred: pd.DataFrame, *, keys: pd.DataFrame, release: str, people: pd.DataFrame,
                 places: pd.DataFrame) -> pd.Series:
    """Distance in metres between each inferred workplace and the true one (NaN for people without work)."""
    return _place_error(inferred, "work_lat", "work_lon", "work_id", keys=keys, release=release,
                        people=people, places=places)
