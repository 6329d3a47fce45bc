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
import functools

import numpy as np
import pandas as pd

from lab.attacks.keyed import draw_key, draw_sample, label_hashes
from lab.errors import ReleaseError
from lab.grid import Space, spatial_units, time_bins
from lab.params import check_whole
from lab.schema import RELEASE_COLUMNS

__all__ = [
    "ReleaseError",
    "check_release",
    "Encoded",
    "encode",
    "sorted_by_user_time",
    "draw_pseudonyms",
    "sample_pseudonyms",
]


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
    if "t" in columns and not isinstance(release["t"].dtype, pd.DatetimeTZDtype):
        raise ReleaseError(f"column 't' must hold timezone-aware timestamps, found {release['t'].dtype}; "
                           "use Series.dt.tz_localize with the data's zone")


def sorted_by_user_time(
    release: pd.DataFrame, *, units: np.ndarray | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The release sorted by pseudonym, then time, then spatial unit: an order that ignores row order.

    Faster than sorting on the string column: pseudonyms are factorised first.
    Records of one pseudonym at the same instant are put in the order of their
    ``units`` (smaller code first); rows equal in all three keep their input
    order, and since they name the same place at the same time, nothing
    computed from the sorted release can tell them apart. So any "first seen"
    rule read off the result does not depend on how the rows were shuffled.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, ...
    units : numpy.ndarray, optional
        Spatial-unit code of each row of ``release`` (in its row order), such as
        :func:`lab.grid.spatial_units` gives. Without it, simultaneous records
        keep their input order.

    Returns
    -------
    ordered : pandas.DataFrame
    user : numpy.ndarray
        Pseudonym code of each row of ``ordered`` (codes follow sorted pseudonyms).
    labels : numpy.ndarray
        Pseudonym of each code.
    order : numpy.ndarray
        Position in ``release`` of each row of ``ordered`` (so ``units[order]``
        are the units of ``ordered``).
    """
    user, labels = pd.factorize(release["pseudonym"], sort=True)
    user = user.astype(np.int64)
    t = release["t"].array.asi8  # any unit: only the order matters
    units = None if units is None else np.asarray(units, dtype=np.int64)
    if len(t) == 0:
        return release.iloc[:0], user, np.asarray(labels), np.empty(0, dtype=np.int64)
    first = int(t.min())
    span = int(t.max()) - first + 1  # Python integers: no overflow
    if len(labels) * span < 2**63:  # one int64 key (user, time): a stable sort, much faster than a lexsort
        order = np.argsort(user * span + (t - first), kind="stable")
    else:
        order = np.lexsort((t, user))
    su = user[order]
    if units is not None:
        st = t[order]
        tied = (su[1:] == su[:-1]) & (st[1:] == st[:-1])
        if tied.any():  # sort only the runs of simultaneous records, by unit
            run = np.cumsum(np.r_[True, ~tied])
            pos = np.flatnonzero(np.r_[tied, False] | np.r_[False, tied])
            order[pos] = order[pos[np.lexsort((units[order[pos]], run[pos]))]]  # within one user: su holds
    return release.iloc[order], su, np.asarray(labels), order


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

    @functools.cached_property
    def hashes(self) -> np.ndarray:
        """Label hash of each pseudonym code (:func:`lab.attacks.keyed.label_hashes`), for keyed draws."""
        return label_hashes(self.pseudonyms)


def encode(release: pd.DataFrame, *, space: Space | str = "exact", hours: float | None = 1.0,
           rng: np.random.Generator | int | None = 0) -> Encoded:
    """Encode a release as (pseudonym, point) integer pairs, a point being unit × time bin.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    space : Space or str
        Spatial resolution (see :meth:`Space.parse`).
    hours : float or None
        Width of the time bins in hours; ``None`` ignores time.
    rng : numpy.random.Generator, int or None
        Seeds the tower groups of a merged space (:func:`lab.grid.tower_groups`).
    """
    check_release(release)
    space = Space.parse(space) if isinstance(space, str) else space
    if space.column is not None and space.column not in release.columns:
        raise ReleaseError(f"release is missing column {space.column!r} needed for the spatial resolution")
    unit = spatial_units(release, space, rng=rng)
    tbin = time_bins(release["t"], hours=hours)
    n_bins = int(tbin.max()) + 1
    point = unit * n_bins + tbin
    item, _ = pd.factorize(point, sort=True)
    user, labels = pd.factorize(release["pseudonym"], sort=True)
    return Encoded(user=user.astype(np.int64), item=item.astype(np.int64),
                   pseudonyms=np.asarray(labels), n_items=int(item.max()) + 1)


def draw_pseudonyms(release: pd.DataFrame, n: int, *, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """The sorted labels of ``n`` pseudonyms of the release drawn at random without replacement (all when fewer).

    The draw is keyed on the labels (:mod:`lab.attacks.keyed`): the Dask engine
    (:func:`lab.attacks.on_dask.release.draw_pseudonyms`) draws the same ones for the same seed.

    Examples
    --------
    >>> rel = pd.DataFrame({"pseudonym": ["a", "b", "a", "c"]})
    >>> len(draw_pseudonyms(rel, 2, rng=0)), len(draw_pseudonyms(rel, 9, rng=0))
    (2, 3)
    """
    n = check_whole(n, name="n", meaning="the number of pseudonyms to draw")
    labels = np.sort(np.asarray(pd.unique(release["pseudonym"]), dtype=object))
    return np.sort(labels[draw_sample(label_hashes(labels), n, key=draw_key(np.random.default_rng(rng)))])


def sample_pseudonyms(release: pd.DataFrame, n: int, *, rng: np.random.Generator | int | None = None) -> pd.DataFrame:
    """The records of ``n`` pseudonyms drawn at random without replacement: a smaller population.

    How unicity is measured against the size of a population (Farzanehfar et al.
    2021): the same people's records, fewer people. The pseudonyms are those of
    :func:`draw_pseudonyms`, so the Dask engine keeps the same ones for the same
    seed. Rows keep their order and index.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, ...
    n : int
        Pseudonyms to keep (all of them when the release has fewer).
    rng : numpy.random.Generator, int or None

    Examples
    --------
    >>> rel = pd.DataFrame({"pseudonym": ["a", "b", "a", "c"], "x": [1, 2, 3, 4]})
    >>> sample_pseudonyms(rel, 2, rng=0)["pseudonym"].nunique()
    2
    """
    return release[release["pseudonym"].isin(draw_pseudonyms(release, n, rng=rng))]
