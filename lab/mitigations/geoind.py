"""Geo-indistinguishability: planar Laplace noise on every reported position.

A mechanism is ε-geo-indistinguishable when, for any two true locations ``x`` and
``x'`` at distance ``d(x, x')``, the probability of any published output differs by at
most a factor ``exp(ε · d(x, x'))``. So ``ε`` is a privacy loss **per metre**: a user
enjoys ``ε·r`` privacy within any radius ``r``. Pick it as a level over a radius, e.g.
``epsilon = math.log(4) / 200`` ("within 200 m, no output is more than 4 times likelier
from one point than from another"), which moves points 2/ε ≈ 289 m on average and
keeps 90 % of them within 3.89/ε ≈ 561 m.

The planar Laplace mechanism adds to each position a random vector whose angle is
uniform and whose length ``r`` has density ``ε² r exp(-ε r)``: a Gamma distribution of
shape 2 and scale 1/ε (mean 2/ε, variance 2/ε²). The paper draws ``r`` by inverting its
CDF with the ``W₋₁`` branch of Lambert's function; :func:`radius_quantile` evaluates that
inverse, and :func:`planar_laplace` draws from the same distribution with numpy's Gamma
sampler. The vector is laid out in the local east/north frame at each point, in
metres, and turned into degrees with the scale at that point's own latitude
(``dlat = north / R``, ``dlon = east / (R cos φ)``, φ in radians). Adding it in
Earth-centred X/Y instead — as a popular implementation does — stretches the noise by
latitude and direction, so it is no longer isotropic.

Each report costs ε. An adversary holding ``n`` independent noisy reports of one place
averages them and gets an error of about ``sqrt(6) / (ε sqrt(n))``: the protection
of a place someone reports every night decays like a budget of ``n ε``.
:func:`averaging_attack` runs that attack; ``planar_laplace(..., cache=True)`` defends
against it by publishing one noisy point per pseudonym and true location.

References
----------
.. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
   Geo-indistinguishability: differential privacy for location-based systems. CCS '13,
   901–914.
.. [2] Mironov, I. (2012). On significance of the least significant bits for
   differential privacy. CCS '12 (why floating-point noise needs a discretisation step).
.. [3] Chatzikokolakis, K., Palamidessi, C., Stronati, M. (2014). A predictive
   differentially-private mechanism for mobility traces. PETS 2014 (the budget cost
   of repeated and correlated reports).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import lambertw

from lab.errors import ParameterError
from lab.geo import EARTH_RADIUS_M, haversine_m
from lab.grid import cell_centres, resolve_origin
from lab.ids import mix64
from lab.params import LeakWarning, check_epsilon, check_positive, warn_leak

__all__ = ["MIN_EXPECTED_NOISE_M", "planar_laplace", "averaging_attack", "radius_quantile", "measure_displacement"]

#: An expected displacement 2/ε below this many metres draws a LeakWarning: a phone's
#: own GPS error is already 5–20 m, so such noise hides essentially nothing.
MIN_EXPECTED_NOISE_M = 10.0

Seed = np.random.Generator | np.random.SeedSequence | int | None


def _check_epsilon_per_metre(epsilon: float, *, warn: bool = True) -> float:
    """ε in 1/metres: positive; a LeakWarning when the expected noise 2/ε is under 10 m or ε is inf."""
    with warnings.catch_warnings():
        # check_epsilon's own threshold is for unitless ε; the per-metre one is applied below.
        warnings.simplefilter("ignore", LeakWarning)
        eps = check_epsilon(epsilon, name="epsilon")
    if not warn:
        return eps
    if math.isinf(eps):
        warn_leak("epsilon=inf adds no noise: every position is published exactly")
    elif 2.0 / eps < MIN_EXPECTED_NOISE_M:
        warn_leak(f"epsilon={eps:g} per metre moves points by 2/epsilon = {2.0 / eps:.3g} m on average: "
                  f"essentially no protection. epsilon is a privacy loss per metre; for a level l within "
                  f"r metres use epsilon = l / r, e.g. math.log(4) / 200")
    return eps


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns))
        raise ParameterError(f"{what} needs the column(s) {', '.join(missing)}; it has {have}")


def _bits(values: np.ndarray) -> np.ndarray:
    """uint64 bit patterns of float64 values, with -0.0 folded into 0.0 and every NaN into one NaN."""
    v = np.where(np.isnan(values), np.nan, values + 0.0)
    return v.view(np.uint64)


def _group_codes(*keys: np.ndarray) -> tuple[np.ndarray, int]:
    """Code 0..k-1 of each row's combination of uint64 ``keys`` (in order of first appearance), and k.

    One hash of the combined keys is factorised; every row is then checked against its
    group's representative, and a collision (vanishingly rare) falls back to exact
    factorisation key by key.
    """
    h = np.zeros(len(keys[0]), dtype=np.uint64)
    for i, k in enumerate(keys):
        h = mix64(h ^ k, 0x5851F42D4C957F2D + i)
    codes, uniques = pd.factorize(h.view(np.int64))
    rep = np.empty(len(uniques), dtype=np.int64)
    rep[codes] = np.arange(len(codes))
    if all(np.array_equal(k[rep[codes]], k) for k in keys):
        return codes, len(uniques)
    codes = np.zeros(len(keys[0]), dtype=np.int64)
    size = 1
    for k in keys:
        c, u = pd.factorize(k.view(np.int64))
        codes, combos = pd.factorize(codes * len(u) + c)
        size = len(combos)
    return codes, size


def _draw_noise(n: int, eps: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` planar Laplace vectors in metres (east, north): radius Gamma(2, 1/ε), angle U[0, 2π)."""
    r = rng.gamma(2.0, 1.0 / eps, size=n)
    theta = rng.uniform(0.0, 2.0 * np.pi, size=n)
    return r * np.cos(theta), r * np.sin(theta)


def _displace(lat: np.ndarray, lon: np.ndarray, east: np.ndarray, north: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Move each point ``east``/``north`` metres in its own local frame (latitude in radians for cos)."""
    new_lat = lat + np.degrees(north / EARTH_RADIUS_M)
    new_lon = lon + np.degrees(east / (EARTH_RADIUS_M * np.cos(np.radians(lat))))
    over = np.abs(new_lat) > 90.0
    if over.any():  # carried over a pole: come down the other side, half a turn away
        new_lat[over] = np.copysign(180.0, new_lat[over]) - new_lat[over]
        new_lon[over] += 180.0
    out = (new_lon < -180.0) | (new_lon >= 180.0)
    if out.any():
        new_lon[out] = (new_lon[out] + 180.0) % 360.0 - 180.0
    return new_lat, new_lon


def planar_laplace(
    release: pd.DataFrame,
    *,
    epsilon: float,
    rng: Seed = None,
    snap_m: float | None = None,
    cache: bool = False,
    origin: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Publish every position with planar Laplace noise (ε-geo-indistinguishability).

    Parameters
    ----------
    release : pandas.DataFrame
        A release with ``lat`` and ``lon`` in WGS84 degrees (and ``pseudonym`` when
        ``cache=True``).
    epsilon : float
        Privacy loss **per metre** (unit 1/m). Any two true points ``d`` metres apart
        give outputs whose probabilities differ by at most ``exp(epsilon * d)``; choose
        a level ``l`` over a radius ``r`` as ``epsilon = l / r``, e.g.
        ``math.log(4) / 200``. Points move ``2 / epsilon`` metres on average and 90 %
        stay within ``3.89 / epsilon`` metres. A :class:`LeakWarning` fires when
        ``2 / epsilon`` is under :data:`MIN_EXPECTED_NOISE_M` (10 m) or ``epsilon`` is
        infinite.
    rng : numpy.random.Generator, SeedSequence, int or None
        Source of the noise, passed through :func:`numpy.random.default_rng`.
    snap_m : float, optional
        Side in metres of a square grid; each noisy point is replaced by the centre of
        its cell (the paper's discretisation, or "remapping", step). Snapping is
        post-processing, so it cannot weaken the guarantee of the exact mechanism; what
        the paper's discretisation theorem adds is that with finite
        precision arithmetic, ε-geo-indistinguishability within a range ``r_max`` holds
        when the noise is drawn with a slightly smaller
        ``ε' ≤ ε − (1/u) ln((q + 2 e^{εu}) / (q − 2 e^{εu}))``, with ``u`` the grid
        step and ``q = u / (r_max δθ)`` set by the angular precision ``δθ``. The noise
        here is drawn with ``epsilon`` as given; pass ε' yourself when that bound
        matters (for double precision and steps of metres the gap is tiny).
    cache : bool
        If True, draw the noise once per distinct true location of each pseudonym
        (same pseudonym and same true ``(lat, lon)``; with ``snap_m``, same pseudonym
        and same true grid cell) and publish that same noisy point every time it
        recurs in this release, so averaging repeated reports gains nothing. With
        ``snap_m`` the true point is first replaced by its cell's centre, so that the
        shared output depends on the cell only. Without ``snap_m`` only exactly equal
        coordinates share a draw: jittered GPS fixes of one place are all distinct,
        so combine ``cache`` with ``snap_m`` for sensor data. The cache lives for one
        call.
    origin : (float, float), optional
        Anchor ``(lat, lon)`` of the ``snap_m`` grid; the default is the release's
        median point rounded to 0.01°, as in :func:`lab.mitigations.coarsen.snap_to_grid`,
        so equal ``snap_m`` and origin give the same cells. That default is read
        off the data and draws a :class:`LeakWarning`: pass the town's map origin.

    Returns
    -------
    pandas.DataFrame
        The release with ``lat`` and ``lon`` replaced, every other column and the index
        labels unchanged. No column records how far each point moved: that distance
        tells an adversary the true point lies on a circle of that radius around the
        published one, which a map of places often pins down. A data holder measures
        it with :func:`measure_displacement` on the two frames. A column such as
        ``accuracy_m`` still describes the sensor, not the added noise.

    Raises
    ------
    ValueError
        If ``epsilon`` or ``snap_m`` is not a positive number, or a needed column is
        missing.

    References
    ----------
    .. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
       Geo-indistinguishability: differential privacy for location-based systems.
       CCS '13, 901–914 (the planar Laplacian, its polar sampling and discretisation).

    Examples
    --------
    >>> import math
    >>> gps = pd.DataFrame({"pseudonym": ["a", "a"], "lat": [-48.5, -48.5], "lon": [-123.0, -123.0]})
    >>> out = planar_laplace(gps, epsilon=math.log(4) / 200, rng=1, cache=True)
    >>> bool(out["lat"].iloc[0] == out["lat"].iloc[1])
    True
    """
    eps = _check_epsilon_per_metre(epsilon)
    snap = None if snap_m is None else check_positive(snap_m, name="snap_m", unit="metres")
    _require_columns(release, ["lat", "lon"] + (["pseudonym"] if cache else []), "planar_laplace")
    rng = np.random.default_rng(rng)
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    if len(release) == 0:
        return release.copy()
    if snap is not None:
        origin = resolve_origin(origin, lat, lon, protection="planar_laplace with snap_m")

    if cache:
        who = pd.factorize(release["pseudonym"], use_na_sentinel=False)[0].astype(np.uint64)
        if snap is not None:
            cell, lat, lon = cell_centres(lat, lon, cell_m=snap, origin=origin)
            codes, k = _group_codes(who, cell.view(np.uint64))
        else:
            codes, k = _group_codes(who, _bits(lat), _bits(lon))
        east, north = _draw_noise(k, eps, rng)
        east, north = east[codes], north[codes]
    else:
        east, north = _draw_noise(len(release), eps, rng)

    new_lat, new_lon = _displace(lat, lon, east, north)
    if snap is not None:
        _, new_lat, new_lon = cell_centres(new_lat, new_lon, cell_m=snap, origin=origin)
    return release.assign(lat=new_lat, lon=new_lon)


def averaging_attack(noisy: pd.DataFrame, *, by: str | Sequence[str] = ("pseudonym",)) -> pd.DataFrame:
    """Estimate true locations by averaging the noisy reports that share them.

    Planar Laplace noise has mean zero, so the centroid of ``n`` independent noisy
    reports of one place lands about ``sqrt(6) / (ε sqrt(n))`` metres from it (the root
    mean square error; one report: ``sqrt(6) / ε``). Give ``by`` the columns that
    identify one place: ``pseudonym`` for a release already restricted to, say,
    night-time reports (home), or ``("pseudonym", "place_id")`` when a grouping column
    exists. Against ``planar_laplace(..., cache=True)`` the reports of one place are
    all the same point, and the average is no better than one of them.

    Parameters
    ----------
    noisy : pandas.DataFrame
        A release with ``lat``, ``lon`` and the ``by`` columns; rows with a missing
        position are ignored.
    by : str or sequence of str
        Columns whose combination identifies one true location.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by ``by``: the ``by`` columns, ``lat`` and ``lon`` of
        the estimate (the normalised mean of the reports' unit vectors on the sphere,
        so groups that straddle the antimeridian average correctly) and
        ``n_reports``.

    References
    ----------
    .. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
       Geo-indistinguishability: differential privacy for location-based systems.
       CCS '13.
    .. [2] Chatzikokolakis, K., Palamidessi, C., Stronati, M. (2014). A predictive
       differentially-private mechanism for mobility traces. PETS 2014.
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ParameterError("by must name at least one column that identifies a location, e.g. 'pseudonym'")
    _require_columns(noisy, [*keys, "lat", "lon"], "averaging_attack")
    lat = noisy["lat"].to_numpy(dtype=float)
    lon = noisy["lon"].to_numpy(dtype=float)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    phi, lam = np.radians(lat[ok]), np.radians(lon[ok])
    frame = pd.DataFrame({f"_key{i}": noisy[k].to_numpy()[ok] for i, k in enumerate(keys)})
    names = list(frame.columns)
    frame["_x"] = np.cos(phi) * np.cos(lam)
    frame["_y"] = np.cos(phi) * np.sin(lam)
    frame["_z"] = np.sin(phi)
    grouped = frame.groupby(names, sort=True, observed=True)
    sums = grouped[["_x", "_y", "_z"]].sum()
    x, y, z = (sums[c].to_numpy() for c in ("_x", "_y", "_z"))
    out = sums.index.to_frame(index=False)
    out.columns = keys
    out["lat"] = np.degrees(np.arctan2(z, np.hypot(x, y)))
    out["lon"] = np.degrees(np.arctan2(y, x))
    out["n_reports"] = grouped.size().to_numpy()
    return out


def radius_quantile(epsilon: float, q: npt.ArrayLike) -> np.ndarray:
    """Radius in metres within which a share ``q`` of planar Laplace noise falls.

    The inverse of the radial CDF ``C(r) = 1 - (1 + εr) exp(-εr)`` through the
    ``W₋₁`` branch of Lambert's function, ``r = -(W₋₁((q - 1)/e) + 1) / ε``, as in the
    paper; it equals ``scipy.stats.gamma.ppf(q, 2, scale=1/ε)`` because the radius is
    Gamma(2, 1/ε). ``radius_quantile(ε, 0.9) ≈ 3.89 / ε``.

    Parameters
    ----------
    epsilon : float
        Privacy loss per metre, as in :func:`planar_laplace`.
    q : array_like
        Shares in [0, 1].

    References
    ----------
    .. [1] Andrés, M. E., Bordenabe, N. E., Chatzikokolakis, K., Palamidessi, C. (2013).
       Geo-indistinguishability: differential privacy for location-based systems.
       CCS '13 (drawing the planar Laplacian in polar coordinates).
    """
    eps = _check_epsilon_per_metre(epsilon, warn=False)
    q = np.asarray(q, dtype=float)
    if np.any(~((q >= 0) & (q <= 1))):
        raise ParameterError(f"q is a share of the noise and must lie in [0, 1], got {q!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        w = lambertw((q - 1.0) / np.e, k=-1).real
    r = -(w + 1.0) / eps
    r = np.where(q == 0, 0.0, np.where(q == 1, np.inf, r))
    return r


def measure_displacement(original: pd.DataFrame, noisy: pd.DataFrame) -> pd.Series:
    """Great-circle distance in metres each row of ``noisy`` lies from the same row of ``original``.

    Rows are matched by index label (mitigations keep them), so this is what the
    data holder, who has both frames, reports as the utility cost of the noise; it is
    not meant to be published with the release.

    Returns
    -------
    pandas.Series
        ``displacement_m``, indexed like ``noisy``.
    """
    _require_columns(original, ["lat", "lon"], "measure_displacement")
    _require_columns(noisy, ["lat", "lon"], "measure_displacement")
    before = original[["lat", "lon"]]
    if not before.index.equals(noisy.index):
        if not before.index.is_unique:
            raise ParameterError("the original release has repeated index labels, so its rows cannot be matched")
        before = before.reindex(noisy.index)
    d = haversine_m(before["lat"].to_numpy(dtype=float), before["lon"].to_numpy(dtype=float),
                    noisy["lat"].to_numpy(dtype=float), noisy["lon"].to_numpy(dtype=float))
    return pd.Series(d, index=noisy.index, name="displacement_m")
