"""Data minimisation: publish less — shorter-lived pseudonyms, fewer places, fewer points.

Each function maps a release to a release, never mutates its input, and keeps
the index labels of the rows it keeps so before and after can be compared row
by row.

References
----------
.. [1] Beresford, A. R., Stajano, F. (2003). Location privacy in pervasive
   computing. IEEE Pervasive Computing 2(1), 46–55 (changing pseudonyms, mix zones).
.. [2] Hoh, B., Gruteser, M., Xiong, H., Alrabady, A. (2007). Preserving privacy in
   GPS traces via uncertainty-aware path cloaking. CCS '07.
.. [3] Regulation (EU) 2016/679 (GDPR), Art. 5(1)(c) and Art. 9: data minimisation
   and special categories of personal data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.spatial import cKDTree

from lab.errors import ParameterError
from lab.geo import to_local
from lab.ids import hex_tokens, mix64
from lab.params import check_positive, check_share, warn_leak

__all__ = ["rotate_pseudonyms", "drop_sensitive", "truncate", "subsample"]


def rotate_pseudonyms(
    release: pd.DataFrame, *, period_hours: float = 24.0, rng=None, prefix: str = "r-"
) -> pd.DataFrame:
    """Give each pseudonym a fresh, unlinkable pseudonym every ``period_hours``.

    Periods start at the local midnight of the release's first day. The new
    pseudonym is a keyed hash of (old pseudonym, period) under a secret drawn from
    ``rng``, so it cannot be linked back without the key — only by the movements.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, ...
    period_hours : float
        Lifetime of a pseudonym, e.g. 24 (daily) or 168 (weekly).
    rng : numpy.random.Generator, int or None
        Source of the secret key.
    """
    period = check_positive(period_hours, name="period_hours", unit="hours")
    rng = np.random.default_rng(rng)
    t = release["t"]
    start = t.min().normalize()
    slot = ((t - start).dt.total_seconds().to_numpy() // (period * 3600)).astype(np.int64)
    if len(slot) and slot.max() == 0:
        span = (t.max() - start) / pd.Timedelta(hours=1)
        warn_leak(f"period_hours={period:g} outlasts the release (it spans {span:.3g} hours from its first local "
                  "midnight): each pseudonym is replaced once and never rotated, so rotation is switched off; "
                  "choose a period shorter than the release, such as 24")
    user = pd.factorize(release["pseudonym"], sort=True)[0]
    codes, n_pairs = _pair_codes(user, slot)
    key = int(rng.integers(0, 2**63))
    # One token per (pseudonym, period), then a take: no Python string per row.
    tokens = hex_tokens(prefix, mix64(np.arange(n_pairs, dtype=np.uint64), key))
    return release.assign(pseudonym=tokens.take(pa.array(codes)).to_pandas().to_numpy())


def _pair_codes(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense codes of the distinct (a, b) pairs, in sorted order."""
    key = a.astype(np.int64) * (int(b.max()) + 1 if len(b) else 1) + b
    uniq, codes = np.unique(key, return_inverse=True)
    return codes, len(uniq)


def drop_sensitive(
    release: pd.DataFrame, places: pd.DataFrame, *, kinds=("worship", "clinic"), radius_m: float = 100.0,
) -> pd.DataFrame:
    """Remove every observation within ``radius_m`` of a place of a sensitive kind.

    ``places`` is the public map of places (place_id, kind, lat, lon): what a data
    holder knows about the town, not about its people.
    """
    radius = check_positive(radius_m, name="radius_m", unit="metres")
    sensitive = places[places["kind"].isin(kinds)]
    if sensitive.empty:
        warn_leak(f"no place of kind {', '.join(kinds)} in the map: nothing is removed")
        return release.copy()
    origin = (float(release["lat"].median()), float(release["lon"].median()))
    px, py = to_local(sensitive["lat"], sensitive["lon"], origin=origin)
    x, y = to_local(release["lat"], release["lon"], origin=origin)
    d, _ = cKDTree(np.c_[px, py]).query(np.c_[x, y], distance_upper_bound=radius)
    return release[~np.isfinite(d)]


def truncate(release: pd.DataFrame, *, max_points: int | None = None, max_days: float | None = None) -> pd.DataFrame:
    """Keep each pseudonym's first ``max_points`` observations and/or its first ``max_days`` days."""
    if max_points is None and max_days is None:
        raise ParameterError("give max_points or max_days (or both): truncating to everything keeps everything")
    t = release["t"]
    keep = np.ones(len(release), dtype=bool)
    if max_days is not None:
        days = check_positive(max_days, name="max_days", unit="days")
        first = t.groupby(release["pseudonym"].to_numpy()).transform("min")
        keep &= ((t - first).dt.total_seconds() < days * 86_400).to_numpy()
    if max_points is not None:
        if int(max_points) < 1:
            raise ParameterError(f"max_points must be at least 1, got {max_points!r}")
        order = np.lexsort((t.array.asi8, pd.factorize(release["pseudonym"])[0]))
        user = pd.factorize(release["pseudonym"])[0][order]
        rank = np.empty(len(release), dtype=np.int64)
        rank[order] = np.arange(len(order)) - np.searchsorted(user, user)
        keep &= rank < int(max_points)
    if len(release) and keep.all():
        limits = " and ".join(f"{name}={value!r}" for name, value in (("max_points", max_points),
                                                                       ("max_days", max_days)) if value is not None)
        warn_leak(f"truncate removed nothing: {limits} reach beyond every pseudonym's trace, so truncation is "
                  "switched off; choose limits shorter than the traces")
    return release[keep]


def subsample(release: pd.DataFrame, *, fraction: float, by: str = "rows", rng=None) -> pd.DataFrame:
    """Keep a random ``fraction`` of the rows, or of the pseudonyms (``by="pseudonyms"``)."""
    frac = check_share(fraction, name="fraction")
    if frac == 1.0:
        warn_leak("fraction=1 keeps everything: subsampling is switched off")
    rng = np.random.default_rng(rng)
    if by == "rows":
        return release[rng.random(len(release)) < frac]
    if by == "pseudonyms":
        codes, uniq = pd.factorize(release["pseudonym"], sort=True)
        chosen = rng.random(len(uniq)) < frac
        return release[chosen[codes]]
    raise ParameterError(f"by must be 'rows' or 'pseudonyms', got {by!r}")
