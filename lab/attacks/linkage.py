"""Record linkage: put names on pseudonyms with a few known points, or join two releases.

Narayanan and Shmatikov de-anonymised the Netflix prize data by scoring every
record against what an adversary knew about a person, rare items counting most
[1]_. Location is the same game: de Montjoye et al. showed that four points
(antenna and hour) single out 95 % of 1.5 million phone users [2]_, and a few
public posts, sightings or a second release are exactly such points.

Four tools:

- :func:`link_to_auxiliary` ranks a release's pseudonyms for each named identity
  the adversary knows a few (place, time) points about, such as the named
  accounts of the public check-ins [3]_;
- :func:`link_releases` ranks the pseudonyms of one release for each pseudonym
  of another (GPS against CDR) by how often they were in the same place at the
  same time [3]_ [4]_;
- :func:`snap_to_sites` moves one release's positions to the nearest location
  the other release can record (a GPS fix to the nearest tower of a CDR
  release), closing the spatial gap Wang et al. identify [4]_;
- :func:`sample_known_points` builds the auxiliary knowledge "k known points per
  target" from a release, to show how few points it takes.

A point is a spatial unit (a grid cell of ``cell_m`` metres, a tower, a place,
an exact coordinate pair) times a time bin of ``hours`` hours on the local clock.
Both sides are encoded in one frame: a grid is aligned on the median of both
sides' coordinates and the bins on the same clock, so equal keys mean the same
cell and bin. Each side becomes a sparse pseudonym × point incidence matrix and
every score is one sparse matrix product, so only pairs that share at least one
point are ever formed, never a dense pseudonym × pseudonym table.

Matching on shared cells and bins is the simplest linkage. Wang et al. [4]_ show
that attacks which look strong in theory fall short on real data because two
releases disagree in sampling (an app logs while open, an operator on calls)
and in space (a CDR record carries the tower, not the phone): coarse cells,
wide bins, snapping to a common support and a score that forgives missing
points matter more than the matching rule itself.

References
----------
.. [1] Narayanan, A., & Shmatikov, V. (2008). Robust de-anonymization of large
   sparse datasets. *IEEE Symposium on Security and Privacy*, 111–125.
.. [2] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., & Blondel, V. D. (2013).
   Unique in the crowd: the privacy bounds of human mobility. *Scientific
   Reports* 3, 1376.
.. [3] Cecaj, A., Mamei, M., & Zambonelli, F. (2016). Re-identification and
   information fusion between anonymized CDR and social network data. *Journal
   of Ambient Intelligence and Humanized Computing* 7(1), 83–96.
.. [4] Wang, H., Gao, C., Li, Y., Wang, G., Jin, D., & Sun, J. (2018).
   De-anonymization of mobility trajectories: dissecting the gaps between
   theory and practice. *Network and Distributed System Security Symposium
   (NDSS)*.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.spatial import cKDTree

from lab.attacks.traces import ReleaseError, check_release, encode
from lab.geo import to_local
from lab.grid import Space, spatial_units, time_bins

__all__ = [
    "point_keys",
    "link_to_auxiliary",
    "link_releases",
    "snap_to_sites",
    "sample_known_points",
]

#: Largest number of candidate pairs formed at once (the product is built in blocks of rows).
_PAIR_BUDGET = 20_000_000
#: Scores are rounded to this many decimals before ranking, so ties do not depend on summation order.
_DECIMALS = 12


def _as_space(space: Space | str) -> Space:
    space = Space.parse(space) if isinstance(space, str) else space
    if not isinstance(space, Space):
        raise TypeError(f"space must be a Space or a string such as 'grid:500', got {type(space).__name__}")
    if space.kind == "merged":
        raise ValueError("merged towers are drawn at random per release, so two releases would not agree; "
                         "link on a grid ('grid:500'), a shared column or exact coordinates instead")
    return space


def _check_top(top: int) -> None:
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a whole number of candidates of at least 1, got {top!r}")


def point_keys(frames: list[pd.DataFrame], *, space: Space | str, hours: float | None) -> list[np.ndarray]:
    """Integer point (unit × time bin) of every row of several tables, in one common frame.

    Parameters
    ----------
    frames : list of pandas.DataFrame
        Each with ``t`` (timezone-aware), ``lat`` and ``lon``, plus the column
        ``space`` names when it is a column.
    space : Space or str
        Spatial resolution (see :meth:`lab.grid.Space.parse`); a grid
        is anchored on :func:`lab.grid.grid_origin` of all the tables, or ``space.origin``.
    hours : float or None
        Width of the time bins; ``None`` ignores time.

    Returns
    -------
    list of numpy.ndarray
        One int64 array per table; equal values are the same unit and bin.
    """
    space = _as_space(space)
    if len(frames) == 0:
        raise ValueError("point_keys needs at least one table")
    cols = ["lat", "lon"] + ([space.column] if space.kind == "column" else [])
    tz = frames[0]["t"].dt.tz
    for i, frame in enumerate(frames):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ReleaseError(f"table {i} is missing column(s) {', '.join(missing)} needed for the spatial resolution")
    joint = pd.concat([frame[cols] for frame in frames], ignore_index=True)
    # One clock for all: every instant on the first table's zone.
    utc = np.concatenate([f["t"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]")
                          for f in frames])
    joint["t"] = pd.Series(utc).dt.tz_localize("UTC").dt.tz_convert(tz)
    unit = spatial_units(joint, space)
    tbin = time_bins(joint["t"], hours=hours)
    point = unit * (int(tbin.max()) + 1) + tbin
    bounds = np.cumsum([len(f) for f in frames])[:-1]
    return np.split(point, bounds)


def _incidence(user: np.ndarray, point: np.ndarray, n_users: int, n_points: int) -> sp.csr_matrix:
    """Binary user × point matrix (a point held several times counts once)."""
    pair = np.unique(user.astype(np.int64) * n_points + point)
    return sp.csr_matrix((np.ones(len(pair)), (pair // n_points, pair % n_points)), shape=(n_users, n_points))


def _row_blocks(left: sp.csr_matrix, right_df: np.ndarray) -> list[slice]:
    """Blocks of rows of ``left`` whose product with the right side forms at most about the pair budget."""
    cost = left @ right_df
    block = np.floor(np.cumsum(cost) / _PAIR_BUDGET).astype(np.int64)
    edges = np.flatnonzero(np.diff(block)) + 1
    starts = np.r_[0, edges]
    ends = np.r_[edges, left.shape[0]]
    return [slice(int(s), int(e)) for s, e in zip(starts, ends)]


def _rank(query: np.ndarray, cand: np.ndarray, keys: list[np.ndarray], top: int) -> tuple[np.ndarray, np.ndarray]:
    """Order pairs by query, then each key descending, then candidate code; keep the first ``top`` per query.

    Returns the kept positions (in ranked order) and their ranks (1-based).
    """
    order = np.lexsort([cand] + [-k for k in reversed(keys)] + [query])
    q = query[order]
    first = np.r_[True, q[1:] != q[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(q)), 0))
    rank = np.arange(len(q)) - start + 1
    keep = rank <= top
    return order[keep], rank[keep]


def link_to_auxiliary(
    release: pd.DataFrame,
    auxiliary: pd.DataFrame,
    *,
    space: Space | str,
    hours: float | None,
    top: int = 5,
    identity: str = "identity",
) -> pd.DataFrame:
    """Rank a release's pseudonyms for each identity the adversary knows a few points about.

    A candidate pseudonym scores one match per point of the identity's it also
    holds (same spatial unit, same time bin). Candidates are ranked by the
    number of matched points, then by the matched points' rarity: the sum of
    their inverse document frequencies ``log(N / n_p)``, with N the release's
    pseudonyms and ``n_p`` those holding point p, as Narayanan and Shmatikov
    weigh rare items [1]_.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    auxiliary : pandas.DataFrame
        The adversary's knowledge: ``identity`` (a name, a handle, a national
        id), t, lat, lon. Rows without an identity (unnamed accounts when
        ``identity="display_name"``) are ignored.
    space : Space or str
        Spatial resolution shared by both tables: ``"grid:250"``, ``"place_id"``
        (a column both hold), ``"exact"``.
    hours : float or None
        Width of the time bins in hours; ``None`` matches places regardless of time.
    top : int, default 5
        Candidates kept per identity.
    identity : str, default "identity"
        Column of ``auxiliary`` naming who each point belongs to.

    Returns
    -------
    pandas.DataFrame
        identity, rank (1 = best), pseudonym, score (rarity-weighted matches),
        matched (number of the identity's points matched), sorted by identity
        and rank. Identities that match no pseudonym have no row.

    References
    ----------
    .. [1] Narayanan, A., & Shmatikov, V. (2008). Robust de-anonymization of
       large sparse datasets. *IEEE Symposium on Security and Privacy*.
    .. [2] de Montjoye, Y.-A., et al. (2013). Unique in the crowd: the privacy
       bounds of human mobility. *Scientific Reports* 3, 1376.
    .. [3] Cecaj, A., Mamei, M., & Zambonelli, F. (2016). Re-identification and
       information fusion between anonymized CDR and social network data.
       *J. Ambient Intell. Human. Comput.* 7(1), 83–96.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2031-03-03 09:10", "2031-03-03 12:20"]).tz_localize("Etc/GMT+8")
    >>> release = pd.DataFrame({"pseudonym": ["ad-1", "ad-2"], "t": t, "lat": [-48.5, -48.6], "lon": [-123.0, -123.0]})
    >>> known = pd.DataFrame({"identity": ["Ann"], "t": t[:1], "lat": [-48.5], "lon": [-123.0]})
    >>> link_to_auxiliary(release, known, space="grid:200", hours=1)[["identity", "pseudonym", "matched"]]
      identity pseudonym  matched
    0      Ann      ad-1        1
    """
    _check_top(top)
    space = _as_space(space)
    check_release(release)
    if not isinstance(auxiliary, pd.DataFrame):
        raise ReleaseError(f"the auxiliary knowledge must be a pandas DataFrame, got {type(auxiliary).__name__}")
    if identity not in auxiliary.columns:
        raise ReleaseError(f"the auxiliary knowledge has no column {identity!r} naming who each point belongs to")
    aux = auxiliary.loc[auxiliary[identity].notna()]
    try:
        check_release(aux, columns=(identity, "t", "lat", "lon"))
    except ReleaseError as err:
        raise ReleaseError(f"auxiliary knowledge: {err}") from None

    pts_r, pts_a = point_keys([release, aux], space=space, hours=hours)
    point = pd.factorize(np.r_[pts_a, pts_r])[0]
    n_points = int(point.max()) + 1
    pa, pr = point[: len(pts_a)], point[len(pts_a):]
    user, pseudonyms = pd.factorize(release["pseudonym"], sort=True)
    who, identities = pd.factorize(aux[identity], sort=True)
    # Only the release's rows at points the adversary knows can match.
    wanted = np.zeros(n_points, dtype=bool)
    wanted[pa] = True
    near = wanted[pr]
    A = _incidence(who, pa, len(identities), n_points)
    R = _incidence(user[near], pr[near], len(pseudonyms), n_points)
    held = np.asarray(R.sum(axis=0)).ravel()
    idf = np.log(len(pseudonyms) / np.maximum(held, 1.0))
    matched = (A @ R.T).tocoo()
    weighted = (A @ sp.diags(idf) @ R.T).tocsr()
    rows, cols = matched.row.astype(np.int64), matched.col.astype(np.int64)
    score = np.asarray(weighted[rows, cols]).ravel() if len(rows) else np.zeros(0)
    score = np.round(score, _DECIMALS)
    count = matched.data.astype(np.int64)
    keep, rank = _rank(rows, cols, [count.astype(float), score], top)
    return pd.DataFrame({
        "identity": np.asarray(identities)[rows[keep]],
        "rank": rank.astype(np.int64),
        "pseudonym": np.asarray(pseudonyms)[cols[keep]],
        "score": score[keep],
        "matched": count[keep],
    })


def link_releases(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    cell_m: float,
    hours: float | None,
    top: int = 5,
    measure: Literal["cosine", "jaccard"] = "cosine",
) -> pd.DataFrame:
    """Rank the pseudonyms of release ``b`` for each pseudonym of release ``a`` by co-location.

    Each pseudonym becomes the set of (grid cell, time bin) points it was seen
    at. A pair's score normalises the points they share:

    - ``"cosine"``: the cosine of the two sets weighted by the smoothed inverse
      document frequency ``1 + log((1 + N) / (1 + n_p))`` (N pseudonyms of both
      releases, ``n_p`` holding point p), so a shared quiet cell at 3 am counts
      more than the town centre at noon, and a busy pseudonym that is
      everywhere does not match everyone;
    - ``"jaccard"``: shared points over the points either holds.

    Parameters
    ----------
    a, b : pandas.DataFrame
        Two releases with pseudonym, t, lat, lon (for instance gps and cdr).
    cell_m : float
        Side of the grid cells in metres, aligned on both releases' median.
    hours : float or None
        Width of the time bins in hours; ``None`` ignores time.
    top : int, default 5
        Candidates of ``b`` kept per pseudonym of ``a``.
    measure : {"cosine", "jaccard"}
        How shared points are normalised.

    Returns
    -------
    pandas.DataFrame
        pseudonym_a, rank (1 = best), pseudonym_b, score (in (0, 1]), shared
        (points in common), sorted by pseudonym_a and rank; ties go to the
        smaller pseudonym. A pseudonym of ``a`` that shares no point with
        ``b`` has no row.

    References
    ----------
    .. [1] Cecaj, A., Mamei, M., & Zambonelli, F. (2016). Re-identification and
       information fusion between anonymized CDR and social network data.
       *J. Ambient Intell. Human. Comput.* 7(1), 83–96.
    .. [2] Wang, H., Gao, C., Li, Y., Wang, G., Jin, D., & Sun, J. (2018).
       De-anonymization of mobility trajectories: dissecting the gaps between
       theory and practice. *NDSS*.
    .. [3] Narayanan, A., & Shmatikov, V. (2008). Robust de-anonymization of
       large sparse datasets. *IEEE Symposium on Security and Privacy*.
    """
    _check_top(top)
    if measure not in ("cosine", "jaccard"):
        raise ValueError(f"measure must be 'cosine' or 'jaccard', got {measure!r}")
    if isinstance(cell_m, bool) or not isinstance(cell_m, (int, float, np.number)) or not cell_m > 0:
        raise ValueError(f"cell_m must be a positive number of metres, got {cell_m!r}")
    for name, frame in (("a", a), ("b", b)):
        try:
            check_release(frame)
        except ReleaseError as err:
            raise ReleaseError(f"release {name}: {err}") from None

    pts_a, pts_b = point_keys([a, b], space=Space("grid", cell_m=float(cell_m)), hours=hours)
    point = pd.factorize(np.r_[pts_a, pts_b])[0]
    n_points = int(point.max()) + 1
    ua, labels_a = pd.factorize(a["pseudonym"], sort=True)
    ub, labels_b = pd.factorize(b["pseudonym"], sort=True)
    A = _incidence(ua, point[: len(pts_a)], len(labels_a), n_points)
    B = _incidence(ub, point[len(pts_a):], len(labels_b), n_points)
    held = np.asarray(A.sum(axis=0)).ravel() + np.asarray(B.sum(axis=0)).ravel()
    size_a = np.asarray(A.sum(axis=1)).ravel()
    size_b = np.asarray(B.sum(axis=1)).ravel()
    if measure == "cosine":
        w2 = (1.0 + np.log((1.0 + len(labels_a) + len(labels_b)) / (1.0 + held))) ** 2
        norm_a = np.sqrt(A @ w2)
        norm_b = np.sqrt(B @ w2)
        Bw = (B @ sp.diags(w2)).T.tocsr()
    Bt = B.T.tocsr()
    df_b = np.asarray(B.sum(axis=0)).ravel()

    out = []
    for rows in _row_blocks(A, df_b):
        block = A[rows]
        shared = (block @ Bt).tocoo()
        r, c = shared.row.astype(np.int64), shared.col.astype(np.int64)
        n = shared.data
        if measure == "cosine":
            dot = np.asarray((block @ Bw).tocsr()[r, c]).ravel() if len(r) else np.zeros(0)
            score = dot / (norm_a[rows][r] * norm_b[c])
        else:
            score = n / (size_a[rows][r] + size_b[c] - n)
        score = np.round(score, _DECIMALS)
        keep, rank = _rank(r, c, [score], top)
        out.append(pd.DataFrame({
            "pseudonym_a": np.asarray(labels_a)[r[keep] + rows.start],
            "rank": rank.astype(np.int64),
            "pseudonym_b": np.asarray(labels_b)[c[keep]],
            "score": score[keep],
            "shared": n[keep].astype(np.int64),
        }))
    return pd.concat(out, ignore_index=True)


def snap_to_sites(release: pd.DataFrame, sites: pd.DataFrame, *, max_m: float | None = None) -> pd.DataFrame:
    """Move every observation to the nearest of a set of sites (for instance the towers of a CDR release).

    A CDR record carries the serving tower's position, not the phone's, so a
    GPS fix and a CDR record of the same moment rarely fall in one grid cell.
    Snapping the fixes to the towers the CDR release shows (its distinct
    coordinates) puts both releases on the same spatial support, the gap
    between theory and practice that Wang et al. measure [1]_.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    sites : pandas.DataFrame
        lat, lon of the sites; duplicates are ignored, so a whole CDR release
        may be passed.
    max_m : float or None, default None
        Observations farther than this from every site are dropped; ``None``
        keeps them all.

    Returns
    -------
    pandas.DataFrame
        A copy of ``release`` (same index labels for the rows kept) whose lat
        and lon are those of the nearest site, plus ``snap_m``, the distance
        moved in metres.

    References
    ----------
    .. [1] Wang, H., Gao, C., Li, Y., Wang, G., Jin, D., & Sun, J. (2018).
       De-anonymization of mobility trajectories: dissecting the gaps between
       theory and practice. *NDSS*.
    """
    check_release(release)
    try:
        check_release(sites, columns=("lat", "lon"))
    except ReleaseError as err:
        raise ReleaseError(f"sites: {err}") from None
    if max_m is not None and not max_m > 0:
        raise ValueError(f"max_m must be a positive number of metres or None, got {max_m!r}")
    site = sites[["lat", "lon"]].drop_duplicates()
    origin = (float(site["lat"].median()), float(site["lon"].median()))
    sx, sy = to_local(site["lat"], site["lon"], origin=origin)
    rx, ry = to_local(release["lat"], release["lon"], origin=origin)
    dist, nearest = cKDTree(np.c_[sx, sy]).query(np.c_[rx, ry])
    out = release.assign(lat=site["lat"].to_numpy()[nearest], lon=site["lon"].to_numpy()[nearest], snap_m=dist)
    return out if max_m is None else out.loc[dist <= max_m]


def sample_known_points(
    release: pd.DataFrame,
    *,
    k: int,
    n_targets: int,
    space: Space | str | None = None,
    hours: float | None = 1.0,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """The adversary's knowledge "k points of each target": k random observations of random pseudonyms.

    As in de Montjoye et al. [1]_, the points are drawn from the targets' own
    traces; linking them back with :func:`link_to_auxiliary` measures how few
    points single a person out.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    k : int
        Points known per target (at least 1).
    n_targets : int
        Targets, drawn without replacement among the pseudonyms holding at
        least ``k`` points.
    space : Space or str or None, default None
        When given, points are distinct at this resolution and ``hours`` (two
        fixes of one session in one cell and hour are one point); ``None``
        treats every row as a point.
    hours : float or None, default 1.0
        Width of the time bins used with ``space``.
    rng : numpy.random.Generator or int or None
        Passed through :func:`numpy.random.default_rng`.

    Returns
    -------
    pandas.DataFrame
        The sampled rows (original index labels and columns) plus ``identity``,
        the target's pseudonym, sorted by identity and time. The truth pair of
        identity ``x`` is pseudonym ``x``.

    References
    ----------
    .. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., & Blondel, V. D.
       (2013). Unique in the crowd: the privacy bounds of human mobility.
       *Scientific Reports* 3, 1376.
    """
    for name, value in (("k", k), ("n_targets", n_targets)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    check_release(release)
    rng = np.random.default_rng(rng)
    if space is None:
        user, labels = pd.factorize(release["pseudonym"], sort=True)
        pos = np.arange(len(release))
    else:
        # One row per distinct (pseudonym, point), picked at random: the first in a random order.
        enc = encode(release, space=_as_space(space), hours=hours)
        user, labels = enc.user, enc.pseudonyms
        perm = rng.permutation(len(release))
        pos = perm[~pd.Series((user * enc.n_items + enc.item)[perm]).duplicated().to_numpy()]
    user = user.astype(np.int64)
    held = np.bincount(user[pos], minlength=len(labels))
    eligible = np.flatnonzero(held >= k)
    if n_targets > len(eligible):
        raise ValueError(f"only {len(eligible)} pseudonym(s) hold at least k={k} points; "
                         f"ask for at most {len(eligible)} targets")
    target = np.zeros(len(labels), dtype=bool)
    target[rng.choice(eligible, size=n_targets, replace=False)] = True
    pos = pos[target[user[pos]]]
    # k points per target: the first k in a random order within each target.
    order = pos[np.lexsort([rng.random(len(pos)), user[pos]])]
    u = user[order]
    first_row = np.r_[True, u[1:] != u[:-1]]
    start = np.maximum.accumulate(np.where(first_row, np.arange(len(u)), 0))
    chosen = order[np.arange(len(u)) - start < k]
    out = release.iloc[np.sort(chosen)].copy()
    out["identity"] = out["pseudonym"]
    return out.sort_values(["identity", "t"], kind="stable")
