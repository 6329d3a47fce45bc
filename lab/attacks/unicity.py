"""Unicity: how many pseudonyms ``p`` spatio-temporal points single out.

A point is a spatial unit (tower, merged towers, grid cell) during a time bin
(``hours`` wide). For each pseudonym, ``p`` of its distinct points are chosen —
at random from its trace as in de Montjoye et al. (2013), or by an adversary
picking its most frequent or its rarest points — and the pseudonym is *unique*
when no other trace contains all ``p``. Unicity ``ε_p`` is the share unique.

The count is exact for every pseudonym: the traces holding a set of points are
the intersection of the points' posting lists (an inverted index from point to
the sorted pseudonyms holding it). Candidates come from the rarest chosen
point's list and are checked against the others in a hash index of (pseudonym,
point) pairs, dropping a candidate at its first miss, chunk by chunk, so memory
stays bounded and nothing is compared pairwise.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013).
   Unique in the Crowd: The privacy bounds of human mobility. Scientific Reports 3, 1376.
.. [2] Farzanehfar, A., Houssiau, F., de Montjoye, Y.-A. (2021). The risk of
   re-identification remains high even in country-scale location datasets. Patterns 2(3).
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np
import pandas as pd

from lab.attacks.instances import user_items
from lab.attacks.keyed import draw_key, draw_sample, keyed_uniform
from lab.attacks.traces import Encoded, encode
from lab.grid import Space
from lab.params import check_whole

__all__ = ["STRATEGIES", "Unicity", "TracesTooShort", "longest_trace", "unique_by_points", "unicity", "unicity_sweep",
           "fit_coarsening_law"]

STRATEGIES = ("random", "frequent", "rare")
_CHUNK = 2_000_000


@dataclasses.dataclass(frozen=True)
class Unicity:
    """Result of a unicity measurement.

    Attributes
    ----------
    p : int
        Points known per pseudonym.
    share : float
        ε_p, the share of evaluated pseudonyms singled out.
    low, high : float
        Bootstrap confidence interval of ``share``.
    n : int
        Pseudonyms evaluated (those with at least ``p`` distinct points).
    skipped : int
        Pseudonyms left out because their trace has fewer than ``p`` distinct points.
    unique : pandas.Series
        True/False per evaluated pseudonym.
    """

    p: int
    share: float
    low: float
    high: float
    n: int
    skipped: int
    unique: pd.Series


def point_priorities(hashes: np.ndarray, it: np.ndarray, c: np.ndarray, post_size: np.ndarray, *, strategy: str,
                     key: np.uint64) -> np.ndarray:
    """Priority of each distinct (pseudonym, point) pair: the ``p`` smallest of a pseudonym are its chosen points.

    Parameters
    ----------
    hashes : numpy.ndarray of uint64
        Label hash of each pair's pseudonym (:func:`lab.attacks.keyed.label_hashes`).
    it, c : numpy.ndarray
        Point code and record count of each pair.
    post_size : numpy.ndarray
        Pseudonyms holding each point code.
    strategy : {"random", "frequent", "rare"}
    key : numpy.uint64
        The draw's key: ties and random picks are keyed hashes of (key, pseudonym, point), so any
        engine and any partitioning of the release picks the same points.
    """
    draw = keyed_uniform(key, hashes, it)
    if strategy == "random":
        return draw
    if strategy == "frequent":
        return -c + draw * 1e-3                  # most records first, ties at random
    return post_size[it] + draw * 1e-3           # fewest other holders first


def choose_points(u: np.ndarray, it: np.ndarray, prio: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``p`` points of smallest priority per user: (users with ``p`` points, (n, p) point codes)."""
    order = np.lexsort((prio, u))
    su, sit = u[order], it[order]
    start = np.searchsorted(su, su)
    rank = np.arange(len(su)) - start
    keep = rank < p
    users, counts = np.unique(su[keep], return_counts=True)
    full = users[counts == p]
    sel = keep & np.isin(su, full)
    return full, sit[sel].reshape(-1, p)


class Postings:
    """An inverted index over distinct (user, point) pairs: who holds each point, and a hash set of the pairs.

    Parameters
    ----------
    u, it : numpy.ndarray
        User and point code of each distinct pair.
    n_items : int
        Number of point codes (codes are ``0 .. n_items - 1``).
    """

    def __init__(self, u: np.ndarray, it: np.ndarray, *, n_items: int) -> None:
        by_item = np.lexsort((u, it))
        self.users = u[by_item]
        self.start = np.searchsorted(it[by_item], np.arange(n_items + 1))
        self.size = np.diff(self.start)
        self.n_items = int(n_items)
        # (user, point) membership codes, in a hash index: random look-ups into a large
        # sorted array by binary search are dominated by cache misses, a hash is not.
        self._member = pd.Index(u * np.int64(n_items) + it)

    def holders(self, pts: np.ndarray) -> np.ndarray:
        """For each row of ``pts`` (n, p point codes), how many users hold all its points.

        Candidates are the users of the row's rarest point, checked against the
        other points and dropped at the first miss, chunk by chunk so the
        candidate expansion stays near ``_CHUNK``.
        """
        n, p = pts.shape
        sizes = self.size[pts]
        if p == 1 or n == 0:
            return sizes[:, 0].astype(np.int64) if p == 1 else np.empty(0, np.int64)
        rare = np.argmin(sizes, axis=1)
        holders = np.empty(n, dtype=np.int64)
        lo = 0
        while lo < n:
            cum = np.cumsum(sizes[lo:, :].min(axis=1))
            hi = lo + max(1, int(np.searchsorted(cum, _CHUNK)))
            idx = np.arange(lo, hi)
            n_cand = sizes[idx, rare[idx]]
            owner = np.repeat(idx, n_cand)
            first = self.start[pts[idx, rare[idx]]]
            offs = np.arange(n_cand.sum()) - np.repeat(np.cumsum(n_cand) - n_cand, n_cand)
            cand = self.users[np.repeat(first, n_cand) + offs]
            ok = np.ones(len(cand), dtype=bool)
            for j in range(p):
                keep = np.flatnonzero(ok)
                q = cand[keep] * np.int64(self.n_items) + pts[owner[keep], j]
                ok[keep] = self._member.get_indexer(q) >= 0
            holders[idx] = np.bincount(owner[ok] - lo, minlength=hi - lo)
            lo = hi
        return holders


def unique_by_points(enc: Encoded, p: int, *, strategy: str = "random", rng=None,
                     users: np.ndarray | None = None, return_points: bool = False):
    """For each pseudonym with at least ``p`` distinct points, how many traces hold its chosen points.

    The points are chosen by :func:`point_priorities` with one key drawn from ``rng``.

    Returns
    -------
    who : numpy.ndarray
        User codes evaluated.
    holders : numpy.ndarray
        Number of traces containing all the chosen points (1 = unique).
    points : numpy.ndarray, optional
        The (n, p) point codes chosen for each evaluated user (``return_points=True``).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    p = check_whole(p, name="p", meaning="the number of points the adversary knows")
    rng = np.random.default_rng(rng)
    key = draw_key(rng)
    u, it, c = user_items(enc.user, enc.item)
    index = Postings(u, it, n_items=enc.n_items)
    if users is not None:
        keep = np.isin(u, users)
        u, it, c = u[keep], it[keep], c[keep]
    prio = point_priorities(enc.hashes[u], it, c, index.size, strategy=strategy, key=key)
    who, pts = choose_points(u, it, prio, p)
    holders = index.holders(pts)
    return (who, holders, pts) if return_points else (who, holders)


def longest_trace(release: pd.DataFrame, *, space: Space | str, hours: float | None) -> int:
    """Most distinct points (unit × time bin) any pseudonym of the release holds: the largest ``p`` measurable."""
    enc = encode(release, space=space, hours=hours)
    return int(np.bincount(user_items(enc.user, enc.item)[0], minlength=enc.n_users).max())


def _bootstrap(unique: np.ndarray, *, level: float, n_boot: int, rng) -> tuple[float, float]:
    """Percentile bootstrap of the share unique (resampling pseudonyms with replacement).

    Resampling ``n`` Bernoulli outcomes with replacement gives a share distributed
    as Binomial(n, share) / n, so the bootstrap is drawn directly from it.
    """
    n = len(unique)
    if n == 0:
        return float("nan"), float("nan")
    share = unique.mean()
    draws = rng.binomial(n, share, size=n_boot) / n
    a = (1 - level) / 2
    return float(np.quantile(draws, a)), float(np.quantile(draws, 1 - a))


def unicity(
    release: pd.DataFrame, *, p: int = 4, space: Space | str = "exact", hours: float | None = 1.0,
    strategy: str = "random", sample: int | None = None, level: float = 0.95, n_boot: int = 1000,
    short: str = "skip", rng=None,
) -> Unicity:
    """ε_p: the share of pseudonyms that ``p`` of their points single out.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    p : int
        Points the adversary knows.
    space : Space or str
        Spatial resolution: a column (``"tower_id"``), ``"grid:500"``,
        ``"merged:tower_id:4"`` or ``"exact"``.
    hours : float or None
        Width of the time bins; ``None`` for places only.
    strategy : {"random", "frequent", "rare"}
        How the ``p`` points are chosen: at random (the paper), the pseudonym's most
        frequent points, or its rarest (fewest other holders: an adversary's pick).
    sample : int, optional
        Evaluate only this many pseudonyms drawn at random, as the paper did
        (default: every pseudonym, exactly).
    level, n_boot : float, int
        Confidence level and bootstrap draws of the interval.
    short : {"skip", "raise"}
        What to do with traces holding fewer than ``p`` distinct points: leave them
        out (and count them in ``skipped``) or refuse.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Unicity

    Raises
    ------
    ValueError
        If ``p``, ``sample`` or ``n_boot`` is not a whole number >= 1 (numpy
        integers are accepted, a bool is not), ``level`` is not strictly between
        0 and 1, ``short="raise"`` and some trace is shorter than ``p``, or no
        trace is long enough.
    """
    p, n_boot, sample = check_unicity_options(p=p, n_boot=n_boot, sample=sample, level=level, strategy=strategy,
                                              short=short)
    rng = np.random.default_rng(rng)
    enc = encode(release, space=space, hours=hours)  # tower groups keep their own fixed seed: one resolution
    distinct = np.bincount(user_items(enc.user, enc.item)[0], minlength=enc.n_users)
    too_short = int((distinct < p).sum())
    check_lengths(p, too_short=too_short, users=enc.n_users, shortest=int(distinct.min()),
                  longest=int(distinct.max()), short=short)
    users = None
    if sample is not None:
        eligible = np.flatnonzero(distinct >= p)  # codes follow sorted labels
        users = np.sort(eligible[draw_sample(enc.hashes[eligible], sample, key=draw_key(rng))])
    who, holders = unique_by_points(enc, p, strategy=strategy, rng=rng, users=users)
    return result(p, enc.pseudonyms[who], holders, skipped=too_short, level=level, n_boot=n_boot, rng=rng)


def check_unicity_options(*, p, n_boot, sample, level, strategy, short) -> tuple[int, int, int | None]:
    """The options of :func:`unicity`, checked (both engines): ``p``, ``n_boot`` and ``sample`` as ints."""
    p = check_whole(p, name="p", meaning="the number of points the adversary knows")
    n_boot = check_whole(n_boot, name="n_boot", meaning="the number of bootstrap draws")
    if sample is not None:
        sample = check_whole(sample, name="sample", meaning="the number of pseudonyms to evaluate")
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"level is the confidence level of the interval and must be a number strictly between "
                         f"0 and 1, got {level!r}")
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    if short not in ("skip", "raise"):
        raise ValueError(f"short must be 'skip' or 'raise', got {short!r}")
    return p, n_boot, sample


class TracesTooShort(ValueError):
    """Every trace holds fewer than ``p`` distinct points: ε_p cannot be measured (``longest`` says how many)."""

    def __init__(self, p: int, longest: int) -> None:
        super().__init__(f"p={p} exceeds every trace (longest: {longest} distinct points)")
        self.longest = longest


def check_lengths(p: int, *, too_short: int, users: int, shortest: int, longest: int, short: str) -> None:
    """Refuse ``p`` when traces are too short for it: some (``short="raise"``) or all (:class:`TracesTooShort`)."""
    if too_short and short == "raise":
        raise ValueError(f"p={p} exceeds the distinct points of {too_short} trace(s) "
                         f"(shortest: {shortest}); pass short='skip' to leave them out")
    if too_short == users:
        raise TracesTooShort(p, longest)


def result(p: int, labels: np.ndarray, holders: np.ndarray, *, skipped: int, level: float, n_boot: int,
           rng: np.random.Generator) -> Unicity:
    """A :class:`Unicity` from the holders of each evaluated pseudonym's points (labels sorted)."""
    unique = holders == 1
    low, high = _bootstrap(unique, level=level, n_boot=n_boot, rng=rng)
    return Unicity(
        p=int(p), share=float(unique.mean()), low=low, high=high, n=len(labels), skipped=skipped,
        unique=pd.Series(unique, index=pd.Index(labels, name="pseudonym"), name="unique"),
    )


def unicity_sweep(
    release: pd.DataFrame, *, ps=(1, 2, 3, 4, 5), spaces=("exact",), hours=(1.0,), strategy: str = "random",
    rng=None,
) -> pd.DataFrame:
    """ε_p over a grid of ``p``, spatial and temporal resolutions.

    Returns
    -------
    pandas.DataFrame
        p, space, hours, scale (spatial × temporal resolution, for the coarsening
        law), share, low, high, n.
    """
    ps = [check_whole(p, name="each p in ps", meaning="a number of points the adversary knows") for p in ps]
    rng = np.random.default_rng(rng)
    rows = []
    for sp in spaces:
        space = Space.parse(sp) if isinstance(sp, str) else sp
        for h in hours:
            for p in ps:
                r = unicity(release, p=p, space=space, hours=h, strategy=strategy, rng=rng, n_boot=200)
                rows.append({"p": p, "space": space.label(), "hours": h, "scale": space.scale * (h or 1.0),
                             "share": r.share, "low": r.low, "high": r.high, "n": r.n})
    return pd.DataFrame(rows)


def fit_coarsening_law(sweep: pd.DataFrame) -> pd.DataFrame:
    """Fit the coarsening law of de Montjoye et al., ε_p = α_p − (v·h)^β_p, for each ``p``.

    ``v·h`` is the resolution relative to the finest in the sweep (spatial scale
    times hours, so the finest is 1, where ε = α − 1). The paper finds β of about
    1/10: uniqueness decays only as a small power of the resolution. The fit is
    non-linear least squares over the sweep's resolutions; a plain power law
    ``ε ∝ (v·h)^-γ`` is fitted too, for contrast (``power_exponent``).

    Returns
    -------
    pandas.DataFrame
        p, exponent (β), alpha (α), power_exponent (γ), points (resolutions used).
    """
    from scipy.optimize import curve_fit

    def law(x, alpha, beta):
        return alpha - np.power(x, beta)

    out = []
    for p, g in sweep.groupby("p"):
        x = g["scale"].to_numpy(float) / g["scale"].min()
        y = g["share"].to_numpy(float)
        row = {"p": p, "exponent": float("nan"), "alpha": float("nan"), "power_exponent": float("nan"),
               "points": len(g)}
        if len(g) >= 3 and np.unique(x).size >= 2:
            finest = y[x == 1].mean()
            try:
                (alpha, beta), _ = curve_fit(law, x, y, p0=(1.0 + finest, 0.1), maxfev=10_000)
                row.update(exponent=float(beta), alpha=float(alpha))
            except RuntimeError:  # no convergence: leave NaN
                pass
            pos = y > 0
            if np.unique(x[pos]).size >= 2:
                row["power_exponent"] = float(-np.polyfit(np.log(x[pos]), np.log(y[pos]), 1)[0])
        out.append(row)
    return pd.DataFrame(out)
