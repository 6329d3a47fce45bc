"""k-anonymity of trajectories: Never Walk Alone, (k, δ)-anonymity by clustering and translation.

A GPS trace is its own quasi-identifier: a few points single its owner out.
Never Walk Alone (NWA; Abul, Bonchi & Nanni 2008) publishes traces so that each
one moves, at every instant, together with at least ``k - 1`` others inside a
tube of diameter δ. The method, as implemented here:

1. **Resample.** Every trace is placed on common instants every ``step_s``
   seconds over the release's span: linear interpolation between fixes, the
   first (last) fix held before (after) the trace's ends. NWA instead groups
   traces whose start and end agree to a chosen precision and treats each class
   apart; here every trace is stretched to the release's span. The output thus
   states positions the sensor never recorded (every 15 minutes through the
   night, by default): ``mean_error_m`` counts that cost with the translation.
2. **Distances.** One dense matrix of root-mean-square distances between the
   resampled traces (the one quadratic step: 1,000 traces is 10⁶ entries).
3. **Greedy clustering.** The first pivot is the trace farthest from the mean
   trace, each next pivot the remaining trace farthest from the previous pivot;
   a pivot and its ``k - 1`` nearest remaining traces form a group. A pivot whose
   group would be wider than ``max_radius_m`` is trashed (suppressed) while the
   trash budget ``max_suppression`` lasts. The fewer than ``k`` traces left at the
   end join the group with the nearest centre (or are trashed if too far).
4. **Space translation.** At every instant each member's point is moved
   straight towards its group's centre, only as far as needed to lie within
   δ/2 of it, so any two members are within δ of each other.

Why NWA rather than GLOVE (Gramaglia & Fiore 2015): NWA's output is again a
release of points (pseudonym, t, lat, lon) that every attack and metric of the
lab reads unchanged, and its cost is a displacement in metres that students
can see on a map; GLOVE publishes spatio-temporal boxes, a different table.

Each kept trace keeps its own pseudonym, so before and after align; the
output's rows are new points on the common instants (a fresh index), not the
input's rows, and sensor columns such as ``accuracy_m`` are not carried over.

References
----------
.. [1] Abul, O., Bonchi, F., Nanni, M. (2008). Never walk alone: uncertainty for
   anonymity in moving objects databases. ICDE 2008, 376–385.
.. [2] Abul, O., Bonchi, F., Nanni, M. (2010). Anonymization of moving objects
   databases by clustering and perturbation. Information Systems 35(8), 884–910.
.. [3] Trujillo-Rasua, R., Domingo-Ferrer, J. (2013). On the privacy offered by
   (k, δ)-anonymity. Information Systems 38(4), 491–494.
.. [4] Gramaglia, M., Fiore, M. (2015). Hiding mobile traffic fingerprints with
   GLOVE. CoNEXT 2015.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from lab.errors import ParameterError
from lab.geo import to_latlon, to_local
from lab.grid import resolve_origin
from lab.params import check_k, check_positive, check_share, warn_leak

__all__ = ["TubeAnonymisation", "resample_traces", "anonymise_trajectories"]

#: Above this share of suppressed traces the protection rests on deleting people.
SUPPRESSION_WARNING = 0.2


@dataclasses.dataclass(frozen=True)
class TubeAnonymisation:
    """A (k, δ)-anonymous release and what it cost.

    Attributes
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon: every kept trace on the common instants, sorted by
        pseudonym then t, with a fresh index.
    groups : pandas.Series
        Group id (``"g00000"``, …) of each kept pseudonym (the index).
    centres : pandas.DataFrame
        group, t, lat, lon: the centre of each group at each instant; every output
        point lies within ``delta_m / 2`` of its group's centre.
    suppressed : pandas.Index
        Pseudonyms of the trashed traces.
    share_traces_suppressed, share_points_suppressed : float
        Share of the input's pseudonyms, and of its rows, that were trashed.
    mean_displacement_m, max_displacement_m : float
        How far the translation moved the resampled points (mean over all output
        points, zero for those already inside the tube).
    mean_error_m : float
        Mean distance from each observed fix of a kept trace to where the output
        puts that trace at the nearest instant (resampling plus translation).
    temporal_stretch_s : float
        Mean time between each observed fix of a kept trace and the nearest instant.
    delta_m : float
        The tube's diameter δ.
    step_s : int
        Seconds between the common instants.
    origin : (float, float)
        Anchor of the local metric frame the distances were measured in.
    """

    release: pd.DataFrame
    groups: pd.Series
    centres: pd.DataFrame
    suppressed: pd.Index
    share_traces_suppressed: float
    share_points_suppressed: float
    mean_displacement_m: float
    max_displacement_m: float
    mean_error_m: float
    temporal_stretch_s: float
    delta_m: float
    step_s: int
    origin: tuple[float, float]


def _check_release(release: pd.DataFrame) -> None:
    if not isinstance(release, pd.DataFrame):
        raise ParameterError(f"a release must be a pandas DataFrame, got {type(release).__name__}")
    missing = [c for c in ("pseudonym", "t", "lat", "lon") if c not in release.columns]
    if missing:
        raise ParameterError(f"release is missing column(s) {', '.join(missing)}")
    if len(release) == 0:
        raise ParameterError("release is empty: there is nothing to anonymise")
    for col in ("pseudonym", "t", "lat", "lon"):
        if release[col].isna().any():
            raise ParameterError(f"column {col!r} has {int(release[col].isna().sum())} missing value(s)")
    if not isinstance(release["t"].dtype, pd.DatetimeTZDtype):
        raise ParameterError(f"column 't' must hold timezone-aware timestamps, found {release['t'].dtype}")


def _resample(
    release: pd.DataFrame, step_s: int, origin: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, dict[str, np.ndarray]]:
    """Traces on common instants: (pseudonyms, x, y [trace × instant], offsets_ms, start_ms, fixes)."""
    user, labels = pd.factorize(release["pseudonym"], sort=True)
    t_ms = release["t"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ms]").astype(np.int64)
    x, y = to_local(release["lat"].to_numpy(dtype=float), release["lon"].to_numpy(dtype=float), origin=origin)
    step_ms = step_s * 1000
    start = (t_ms.min() // step_ms) * step_ms
    n_steps = int(-(-(t_ms.max() - start) // step_ms)) + 1
    rel = t_ms - start
    order = np.lexsort((rel, user))
    user, rel, x, y = user[order], rel[order], x[order], y[order]
    n = len(labels)
    first = np.searchsorted(user, np.arange(n), side="left")
    last = np.searchsorted(user, np.arange(n), side="right") - 1
    span = np.int64(n_steps * step_ms + 1)
    key = user.astype(np.int64) * span + rel
    grid = np.arange(n_steps, dtype=np.int64) * step_ms
    query = (np.arange(n, dtype=np.int64)[:, None] * span + grid[None, :])
    pos = np.searchsorted(key, query, side="left")
    right = np.clip(pos, first[:, None], last[:, None])
    left = np.clip(pos - 1, first[:, None], last[:, None])
    dt = (rel[right] - rel[left]).astype(float)
    w = np.divide(grid[None, :] - rel[left], dt, out=np.zeros(dt.shape), where=dt > 0).clip(0.0, 1.0)
    xs = x[left] + w * (x[right] - x[left])
    ys = y[left] + w * (y[right] - y[left])
    fixes = {"user": user, "rel": rel, "x": x, "y": y}
    return np.asarray(labels), xs, ys, grid, int(start), fixes


def _instants(start_ms: int, grid_ms: np.ndarray, like: pd.Series) -> pd.DatetimeIndex:
    t = pd.to_datetime(start_ms + grid_ms, unit="ms", utc=True).tz_convert(like.dt.tz)
    return t.astype(like.dtype)


def resample_traces(
    release: pd.DataFrame, *, step_s: int = 900, origin: tuple[float, float] | None = None
) -> pd.DataFrame:
    """Every trace on common instants every ``step_s`` seconds over the release's span.

    Positions between fixes are interpolated linearly in the local metric frame;
    before a trace's first fix (after its last) the first (last) fix is held.

    Returns
    -------
    pandas.DataFrame
        pseudonym, t, lat, lon, sorted by pseudonym then t (fresh index).
    """
    _check_release(release)
    step = _check_step(step_s)
    origin = resolve_origin(origin, release["lat"], release["lon"])  # a projection centre, not a grid anchor
    labels, xs, ys, grid, start, _ = _resample(release, step, origin)
    lat, lon = to_latlon(xs.ravel(), ys.ravel(), origin=origin)
    t = _instants(start, grid, release["t"])
    every = np.tile(np.arange(len(grid)), len(labels))
    return pd.DataFrame({"pseudonym": np.repeat(labels, len(grid)), "t": t.take(every), "lat": lat, "lon": lon})


def _check_step(step_s: int) -> int:
    if isinstance(step_s, bool) or not isinstance(step_s, (int, np.integer)) or step_s <= 0:
        raise ParameterError(f"step_s must be a positive whole number of seconds, got {step_s!r}")
    return int(step_s)


def _rms_distances(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Root-mean-square distance over the instants between every pair of traces (n × n)."""
    z = np.hstack([xs - xs.mean(axis=0), ys - ys.mean(axis=0)])
    sq = np.einsum("ij,ij->i", z, z)
    d2 = (sq[:, None] + sq[None, :] - 2.0 * (z @ z.T)) / xs.shape[1]
    np.fill_diagonal(d2, 0.0)
    return np.sqrt(np.clip(d2, 0.0, None))


def _centres(xs: np.ndarray, ys: np.ndarray, group: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean position of each group's members at each instant (groups × instants)."""
    size = np.bincount(group, minlength=n_groups).astype(float)[:, None]
    cx = np.zeros((n_groups, xs.shape[1]))
    cy = np.zeros((n_groups, xs.shape[1]))
    np.add.at(cx, group, xs)
    np.add.at(cy, group, ys)
    return cx / size, cy / size


def _cluster(
    xs: np.ndarray, ys: np.ndarray, dist: np.ndarray, *, k: int, max_radius_m: float | None, budget: int
) -> np.ndarray:
    """Group of each trace (-1: trashed) by NWA's greedy pivot clustering."""
    n = len(dist)
    group = np.full(n, -1, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    trashed = 0
    n_groups = 0
    # Distance of each trace from the mean trace, from the matrix alone:
    # |z_i - mean|^2 = mean_j d_ij^2 - mean_ij d_ij^2 / 2.
    d2 = dist ** 2
    pivot = int(np.argmax(d2.mean(axis=1) - d2.mean() / 2))
    while alive.sum() >= k:
        cand = np.flatnonzero(alive)
        d = dist[pivot, cand]
        d[cand == pivot] = -1.0  # the pivot is always its own member
        members = cand[np.argpartition(d, k - 1)[:k]] if len(cand) > k else cand
        radius = float(dist[pivot, members].max())
        too_wide = max_radius_m is not None and radius > max_radius_m
        if too_wide and trashed < budget and (n_groups > 0 or alive.sum() - 1 >= k):
            alive[pivot] = False
            trashed += 1
        else:
            group[members] = n_groups
            alive[members] = False
            n_groups += 1
        rest = np.flatnonzero(alive)
        if len(rest) == 0:
            break
        pivot = int(rest[np.argmax(dist[pivot, rest])])
    leftover = np.flatnonzero(alive)
    if len(leftover):
        # Fewer than k remain: each joins the group whose centre is nearest, unless
        # it is farther than max_radius_m from all of them and the budget allows trashing it.
        kept = group >= 0
        cx, cy = _centres(xs[kept], ys[kept], group[kept], n_groups)
        d = np.sqrt(((xs[leftover][:, None, :] - cx[None]) ** 2
                     + (ys[leftover][:, None, :] - cy[None]) ** 2).mean(axis=2))
        nearest = d.argmin(axis=1)
        far = np.zeros(len(leftover), dtype=bool)
        if max_radius_m is not None:
            far = d[np.arange(len(leftover)), nearest] > max_radius_m
            far &= np.cumsum(far) <= budget - trashed
        group[leftover] = np.where(far, -1, nearest)
    return group


def anonymise_trajectories(
    release: pd.DataFrame,
    *,
    k: int,
    delta_m: float,
    step_s: int = 900,
    max_radius_m: float | None = None,
    max_suppression: float = 0.1,
    origin: tuple[float, float] | None = None,
) -> TubeAnonymisation:
    """(k, δ)-anonymise a release of traces with Never Walk Alone.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t (timezone-aware), lat, lon; other columns are ignored.
    k : int
        Smallest number of traces per group.
    delta_m : float
        Diameter δ of the tube, metres (0 collapses every group onto its centre:
        members become identical). Every output point lies within δ/2 of its
        group's centre at that instant.
    step_s : int
        Seconds between the common instants the traces are resampled to.
    max_radius_m : float, optional
        A pivot whose group would reach a member more than this far (root-mean-square
        over the instants) is trashed, while the budget lasts; so is a leftover trace
        this far from every group's centre. ``None``: nothing is trashed.
    max_suppression : float
        Largest share of traces that may be trashed, in [0, 1]. Above 0.2 a
        :class:`~lab.params.LeakWarning` fires.
    origin : (float, float), optional
        Anchor of the local metric frame. Default: the release's median point
        rounded to 0.01°.

    Returns
    -------
    TubeAnonymisation
        The anonymised release, the groups and their centres, and the costs.

    Raises
    ------
    ValueError
        In plain words, for a malformed release or parameter, or fewer than ``k``
        traces.

    Notes
    -----
    Distances are root-mean-square over the instants (the Euclidean distance
    between the stacked resampled traces, divided by the square root of their
    number), so one dense matrix product gives them all; the square weighs heavily
    the instants when two traces are far apart, which are those the translation
    would have to pay for. Trujillo-Rasua and
    Domingo-Ferrer (2013) show that (k, δ)-anonymity with δ > 0 does not make the
    members indistinguishable: each translated trace stays closest to its own
    original, so an adversary who knows a few true points may still pick it out
    of its tube. Smaller δ moves points more and hides better.

    References
    ----------
    .. [1] Abul, O., Bonchi, F., Nanni, M. (2008). Never walk alone: uncertainty
       for anonymity in moving objects databases. ICDE 2008, 376–385.
    .. [2] Trujillo-Rasua, R., Domingo-Ferrer, J. (2013). On the privacy offered
       by (k, δ)-anonymity. Information Systems 38(4), 491–494.
    """
    k = check_k(k)
    try:
        delta = float(delta_m)
    except (TypeError, ValueError):
        raise ParameterError(f"delta_m must be a number of metres, got {delta_m!r}") from None
    if not (delta >= 0 and math.isfinite(delta)):
        raise ParameterError("delta_m is the tube's diameter and must be zero or a positive number of metres, "
                         f"got {delta_m!r}")
    step = _check_step(step_s)
    radius_limit = None if max_radius_m is None else check_positive(max_radius_m, name="max_radius_m", unit="metres")
    share = check_share(max_suppression, name="max_suppression")
    _check_release(release)
    n_traces = release["pseudonym"].nunique()
    if k > n_traces:
        raise ParameterError(f"k={k} is more than the {n_traces} traces in the release: no group can be that large")
    if share > SUPPRESSION_WARNING:
        warn_leak(f"max_suppression={share:g} lets up to {share:.0%} of the traces be deleted: "
                  "the protection then rests on dropping people rather than hiding them")
    origin = resolve_origin(origin, release["lat"], release["lon"])  # a projection centre, not a grid anchor

    labels, xs, ys, grid, start, fixes = _resample(release, step, origin)
    budget = math.floor(share * n_traces + 1e-9)
    group = _cluster(xs, ys, _rms_distances(xs, ys), k=k, max_radius_m=radius_limit, budget=budget)
    return _translate(release, labels, xs, ys, grid, start, fixes, group, delta=delta, step_s=step, origin=origin)


def _translate(
    release: pd.DataFrame, labels: np.ndarray, xs: np.ndarray, ys: np.ndarray, grid: np.ndarray, start: int,
    fixes: dict[str, np.ndarray], group: np.ndarray, *, delta: float, step_s: int, origin: tuple[float, float],
) -> TubeAnonymisation:
    """Move every kept point into its group's tube and assemble the result."""
    kept = np.flatnonzero(group >= 0)  # traces in pseudonym order
    g = group[kept]
    n_groups = int(g.max()) + 1
    cx, cy = _centres(xs[kept], ys[kept], g, n_groups)
    ox, oy = cx[g] - xs[kept], cy[g] - ys[kept]  # from each point to its centre
    d = np.hypot(ox, oy)
    half = delta / 2
    move = np.clip(d - half, 0.0, None)
    frac = np.divide(move, d, out=np.zeros_like(d), where=d > 0)
    nx, ny = xs[kept] + frac * ox, ys[kept] + frac * oy

    # Observed fixes of kept traces: time to the nearest instant, distance to the output there.
    step_ms = step_s * 1000
    row = np.full(len(labels), -1, dtype=np.int64)
    row[kept] = np.arange(len(kept))
    fix_row = row[fixes["user"]]
    on = fix_row >= 0
    nearest = np.clip(np.rint(fixes["rel"][on] / step_ms).astype(np.int64), 0, len(grid) - 1)
    shift_s = np.abs(fixes["rel"][on] - grid[nearest]) / 1000.0
    err = np.hypot(nx[fix_row[on], nearest] - fixes["x"][on], ny[fix_row[on], nearest] - fixes["y"][on])

    t = _instants(start, grid, release["t"])
    lat, lon = to_latlon(nx.ravel(), ny.ravel(), origin=origin)
    out = pd.DataFrame({"pseudonym": np.repeat(labels[kept], len(grid)),
                        "t": t.take(np.tile(np.arange(len(grid)), len(kept))), "lat": lat, "lon": lon})
    names = np.array([f"g{i:05d}" for i in range(n_groups)], dtype=object)
    clat, clon = to_latlon(cx.ravel(), cy.ravel(), origin=origin)
    centres = pd.DataFrame({"group": np.repeat(names, len(grid)), "t": t.take(np.tile(np.arange(len(grid)), n_groups)),
                            "lat": clat, "lon": clon})
    trashed = labels[group < 0]
    n_rows = len(release)
    return TubeAnonymisation(
        release=out,
        groups=pd.Series(names[g], index=pd.Index(labels[kept], name="pseudonym"), name="group"),
        centres=centres,
        suppressed=pd.Index(trashed, name="pseudonym"),
        share_traces_suppressed=float(len(trashed) / len(labels)),
        share_points_suppressed=float((n_rows - int(on.sum())) / n_rows),
        mean_displacement_m=float(move.mean()),
        max_displacement_m=float(move.max()),
        mean_error_m=float(err.mean()),
        temporal_stretch_s=float(shift_s.mean()),
        delta_m=delta,
        step_s=step_s,
        origin=origin,
    )
