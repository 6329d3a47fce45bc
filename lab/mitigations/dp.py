"""Differential privacy for aggregate counts: bounded contributions, calibrated noise, a budget.

A data holder who publishes "how many people were in each grid cell in each
hour" can make the table differentially private (Dwork et al. 2006) in three
steps, each a function here:

1. **Fix the keys in advance.** The table covers a public domain of (cell,
   slot) keys, a grid over the town's map and every slot of the period
   (:func:`grid_domain`), never "the cells where someone was": which keys
   appear would itself disclose presence.
2. **Bound each person's influence.** One pseudonym may add 1 to at most
   ``L`` (cell, slot) counts; its other pairs are dropped at random
   (:func:`bound_contributions`). Adding or removing one person then changes
   the count vector by at most ``L`` in L1 norm and ``sqrt(L)`` in L2 norm.
3. **Add noise scaled to that influence.** Discrete Laplace noise of scale
   ``L / epsilon`` gives ``epsilon``-DP; discrete Gaussian noise gives
   ``rho``-zCDP, converted to (``epsilon``, ``delta``)-DP (:func:`dp_counts`).

Every query spends privacy; a :class:`PrivacyLedger` adds the spends up and
refuses the query that would exceed the budget.

Steps 1 and 2 are this module's pandas code: OpenDP sees only the vector of
counts and takes its stated sensitivity (``L``, or ``sqrt(L)``) on trust, so
the guarantee rests on :func:`bound_contributions` being right, which the tests
check.

The accounting and the Gaussian calibration come from the OpenDP library (Rust
core, every mechanism with a published proof); the domain and the ledger live
in :mod:`lab.mitigations.domain` and :mod:`lab.mitigations.ledger`. The noise
itself is drawn, by default, from the caller's ``rng`` with numpy, vectorised,
so a class gets the same table from the same seed; ``noise="opendp"`` draws it
inside OpenDP instead, from exact samplers (no floating-point artefacts of the
kind Mironov (2012) used against textbook Laplace) fed by a cryptographically
secure, unseedable generator — the choice for a real release. The measured
reason for the default: OpenDP takes about 11 µs per count for Laplace noise
and 20 µs for Gaussian on the reference machine (tens of seconds for a
town-sized domain), numpy about 0.03 µs, and OpenDP's draws cannot be replayed.

References
----------
.. [1] Dwork, C., McSherry, F., Nissim, K., Smith, A. (2006). Calibrating noise
   to sensitivity in private data analysis. TCC 2006, LNCS 3876, 265-284.
.. [2] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential
   Privacy. Foundations and Trends in Theoretical Computer Science 9(3-4).
.. [3] Ghosh, A., Roughgarden, T., Sundararajan, M. (2012). Universally
   utility-maximizing privacy mechanisms. SIAM Journal on Computing 41(6).
.. [4] Bun, M., Steinke, T. (2016). Concentrated differential privacy:
   simplifications, extensions, and lower bounds. TCC 2016-B, 635-658.
.. [5] Canonne, C., Kamath, G., Steinke, T. (2020). The discrete Gaussian for
   differential privacy. NeurIPS 2020.
.. [6] Wilson, R. J., Zhang, C. Y., Lam, W., Desfontaines, D., Simmons-Marengo,
   D., Gipson, B. (2020). Differentially private SQL with bounded user
   contribution. Proceedings on Privacy Enhancing Technologies 2020(2), 230-250.
.. [7] Mironov, I. (2012). On significance of the least significant bits for
   differential privacy. ACM CCS 2012, 650-661.
.. [8] Holohan, N., Braghin, S., Mac Aonghusa, P., Levacher, K. (2019).
   Diffprivlib: the IBM differential privacy library. arXiv:1907.02444.
.. [9] The OpenDP Library, version 0.16. https://opendp.org
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import opendp.prelude as dp
import pandas as pd

from lab.errors import ParameterError
from lab.grid import cell_slots, check_slot, resolve_origin
from lab.mitigations.domain import GridDomain, domain_from_data, grid_domain
from lab.mitigations.ledger import BudgetExceededError, PrivacyLedger, opendp_contrib
from lab.params import check_delta, check_epsilon, check_positive, warn_leak

__all__ = [
    "MECHANISMS",
    "GridDomain",
    "grid_domain",
    "bound_contributions",
    "noise_scale",
    "BudgetExceededError",
    "PrivacyLedger",
    "dp_counts",
]

#: The noise mechanisms :func:`dp_counts` knows.
MECHANISMS = ("laplace", "gaussian")


# --------------------------------------------------------------------------- contribution bounding

def _check_limit(max_cells_per_user: int | str) -> int | None:
    """A whole number >= 1, or None for "max" (read off the data)."""
    if isinstance(max_cells_per_user, str):
        if max_cells_per_user == "max":
            return None
        raise ParameterError(f"max_cells_per_user must be a whole number or 'max', got {max_cells_per_user!r}")
    if isinstance(max_cells_per_user, bool) or not isinstance(max_cells_per_user, (int, np.integer)):
        raise ParameterError(f"max_cells_per_user must be a whole number of (cell, slot) pairs, "
                             f"got {max_cells_per_user!r}")
    if max_cells_per_user < 1:
        raise ParameterError(f"max_cells_per_user must be at least 1: a person who may contribute nothing is not "
                         f"counted at all, got {max_cells_per_user}")
    return int(max_cells_per_user)


def _sample_pairs(
    user: np.ndarray, pair: np.ndarray, limit: int | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Keep at most ``limit`` distinct pairs per user, chosen uniformly at random.

    Returns each distinct (user, pair)'s pair and whether it is kept, each row's
    distinct (user, pair) number, and the limit used.
    """
    n_pairs = int(pair.max()) + 1 if len(pair) else 1
    triple, row_triple = np.unique(user.astype(np.int64) * n_pairs + pair, return_inverse=True)
    t_user = triple // n_pairs  # non-decreasing, as triple is sorted
    per_user = np.bincount(t_user)
    if limit is None:
        limit = max(int(per_user.max()) if len(per_user) else 1, 1)
        warn_leak(f"max_cells_per_user='max' reads the bound off the data ({limit} pairs, the busiest "
                  f"pseudonym's): the noise then depends on one person's records and the guarantee no longer "
                  f"holds; choose the bound from public knowledge, such as how often the app may log")
    order = np.lexsort((rng.random(len(triple)), t_user))
    first = np.concatenate([[0], np.cumsum(per_user)[:-1]])
    rank = np.empty(len(triple), dtype=np.int64)
    rank[order] = np.arange(len(triple)) - first[t_user[order]]
    return triple % n_pairs, rank < limit, row_triple, limit


def bound_contributions(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, max_cells_per_user: int | Literal["max"],
    origin: tuple[float, float] | None = None, start: pd.Timestamp | None = None,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Keep each pseudonym's records in at most ``max_cells_per_user`` (cell, slot) pairs.

    Each pseudonym's distinct (cell, slot) pairs are ranked at random and all
    its records in pairs beyond the first ``L`` are dropped. A count of
    distinct pseudonyms per (cell, slot) on the result changes by at most
    ``L`` in L1 norm and ``sqrt(L)`` in L2 norm when one person is added or
    removed: that is the sensitivity the noise of :func:`dp_counts` is
    scaled to. The bound must not depend on the data; ``"max"`` (the busiest
    pseudonym's number of pairs) is allowed for comparison and draws a
    :class:`~lab.params.LeakWarning`.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the time slots in seconds.
    max_cells_per_user : int or "max"
        ``L``, the most (cell, slot) pairs one pseudonym may count in.
    origin : (float, float), optional
        Grid anchor. Without it the anchor is read off the release (its median
        point), with a LeakWarning: pass the town's map origin.
    start : pandas.Timestamp, optional
        Start of slot 0, as in :func:`lab.grid.cell_slots`.
    rng : numpy.random.Generator or int, optional
        Source of the random choice of pairs.

    Returns
    -------
    pandas.DataFrame
        The surviving records with their index labels; ``release`` is not modified.

    References
    ----------
    .. [1] Wilson, R. J. et al. (2020). Differentially private SQL with bounded
       user contribution. Proceedings on Privacy Enhancing Technologies 2020(2).
    """
    limit = _check_limit(max_cells_per_user)
    rng = np.random.default_rng(rng)
    if len(release) == 0:
        return release.copy()
    origin = resolve_origin(origin, release["lat"].to_numpy(dtype=float), release["lon"].to_numpy(dtype=float),
                            protection="bound_contributions")
    cs = cell_slots(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    user = pd.factorize(cs["pseudonym"], sort=True)[0]  # codes independent of row order
    cell = pd.factorize(cs["cell"], sort=True)[0]
    slot = cs["slot"].to_numpy() - cs["slot"].min()
    pair = cell.astype(np.int64) * (int(slot.max()) + 1) + slot
    _, kept, row_triple, _ = _sample_pairs(user, pair, limit, rng)
    return release[kept[row_triple]]


# --------------------------------------------------------------------------- mechanisms

def _counts_space() -> tuple[dp.Domain, dp.Metric]:
    return dp.vector_domain(dp.atom_domain(T=dp.i64)), dp.l1_distance(T=dp.i64)


def _laplace(scale: float) -> dp.Measurement:
    """Discrete Laplace noise on a vector of counts; pure DP, sensitivity in L1."""
    with opendp_contrib():
        return dp.m.make_laplace(*_counts_space(), scale=scale)


def _gaussian(scale: float) -> dp.Measurement:
    """Discrete Gaussian noise on a vector of counts; zCDP, sensitivity in L2."""
    with opendp_contrib():
        return dp.m.make_gaussian(_counts_space()[0], dp.l2_distance(T=float), scale=scale)


def _gaussian_approx(scale: float, delta: float) -> dp.Measurement:
    with opendp_contrib():
        return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(_gaussian(scale)), delta)


def _check_mechanism(mechanism: str, delta: float | None) -> float:
    if mechanism not in MECHANISMS:
        raise ParameterError(f"mechanism must be one of {', '.join(MECHANISMS)}, got {mechanism!r}")
    if mechanism == "laplace":
        if delta not in (None, 0, 0.0):
            raise ParameterError("the Laplace mechanism is pure epsilon-DP and takes no delta; "
                             "use mechanism='gaussian' for (epsilon, delta)")
        return 0.0
    if delta is None or not float(delta) > 0:
        raise ParameterError("the Gaussian mechanism needs a delta above 0, the small chance that its guarantee "
                         f"fails (such as 1e-6, well below one over the number of people), got {delta!r}")
    return check_delta(delta)


def noise_scale(
    *, epsilon: float, max_cells_per_user: int, mechanism: str = "laplace", delta: float | None = None
) -> float:
    """Scale of the noise :func:`dp_counts` adds to each count.

    Laplace: ``b = L / epsilon`` (standard deviation ``sqrt(2) * b``). Gaussian:
    the smallest ``sigma`` (the standard deviation) whose zCDP guarantee
    ``rho = L / (2 sigma**2)`` converts to (``epsilon``, ``delta``)-DP, found
    by OpenDP's binary search over its own privacy map.

    Parameters
    ----------
    epsilon : float
        Privacy loss of the query.
    max_cells_per_user : int
        ``L``, the contribution bound.
    mechanism : {"laplace", "gaussian"}
    delta : float, optional
        Required for (and only for) the Gaussian mechanism.

    Returns
    -------
    float
        ``b`` for Laplace, ``sigma`` for Gaussian; 0 when ``epsilon`` is infinite.

    References
    ----------
    .. [1] Canonne, C., Kamath, G., Steinke, T. (2020). The discrete Gaussian
       for differential privacy. NeurIPS 2020.
    """
    eps = check_epsilon(epsilon)
    delta = _check_mechanism(mechanism, delta)
    limit = _check_limit(max_cells_per_user)
    if limit is None:
        raise ParameterError("noise_scale needs a whole-number max_cells_per_user")
    return _scale(mechanism, eps, delta, limit)


def _scale(mechanism: str, eps: float, delta: float, limit: int) -> float:
    if math.isinf(eps):
        return 0.0
    if mechanism == "laplace":
        return limit / eps
    return float(dp.binary_search_param(lambda s: _gaussian_approx(s, delta), d_in=math.sqrt(limit),
                                        d_out=(eps, delta)))


# --------------------------------------------------------------------------- the release

def dp_counts(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, epsilon: float,
    max_cells_per_user: int | Literal["max"], mechanism: Literal["laplace", "gaussian"] = "laplace",
    delta: float | None = None, domain: GridDomain | None = None, ledger: PrivacyLedger | None = None,
    clamp: bool = True, noise: Literal["numpy", "opendp"] = "numpy", rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Differentially private number of distinct pseudonyms per (cell, slot).

    Records outside ``domain`` are dropped, each pseudonym is bounded to
    ``L = max_cells_per_user`` (cell, slot) pairs (:func:`bound_contributions`),
    the distinct pseudonyms are counted for every key of the domain (zeros
    included), and OpenDP adds independent noise to each count: discrete
    Laplace of scale ``L / epsilon`` (``epsilon``-DP), or discrete Gaussian of
    the standard deviation :func:`noise_scale` gives (``rho``-zCDP, and
    (``epsilon``, ``delta``)-DP). The guarantee is per person (pseudonym), for
    the whole table.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres (must match ``domain``).
    slot_s : int
        Length of the time slots in seconds (must match ``domain``).
    epsilon : float
        Privacy loss of this table. ``inf`` adds no noise and draws a
        :class:`~lab.params.LeakWarning`.
    max_cells_per_user : int or "max"
        ``L``; ``"max"`` reads it off the data, with a LeakWarning.
    mechanism : {"laplace", "gaussian"}, default "laplace"
    delta : float, optional
        The Gaussian mechanism's failure probability (required for it, refused
        for Laplace).
    domain : GridDomain, optional
        The public keys (:func:`grid_domain`). Without one, a domain is read off
        the release (:func:`~lab.mitigations.domain.domain_from_data`: its
        median as grid anchor, its bounding box, its days), with a LeakWarning:
        its extent then reveals the most outlying records.
    ledger : PrivacyLedger, optional
        Budget to spend; the query is refused before any noise is drawn if
        it cannot pay.
    noise : {"numpy", "opendp"}, default "numpy"
        Where the noise comes from. ``"numpy"`` draws it from ``rng``: discrete
        Laplace as the difference of two geometric variables (exact in
        distribution), Gaussian as a rounded normal of OpenDP's calibrated σ
        (close to, not exactly, the discrete Gaussian). It is reproducible from
        the seed — what a class and a grader need — and about 400 times faster
        (measured: 0.03 s against 12 s for a million counts). ``"opendp"`` draws
        it inside OpenDP from a cryptographically secure, unseedable source,
        immune to floating-point attacks on sampling (Mironov 2012): use it for a
        real release. Both spend the same budget, computed by OpenDP.
    clamp : bool, default True
        Replace negative noisy counts with 0. This is post-processing: anything
        computed from the noisy counts alone (rounding, clamping, summing
        cells, suppressing small noisy counts) costs no further privacy
        (Dwork and Roth 2014, Proposition 2.1). It biases counts near zero
        upwards.
    rng : numpy.random.Generator or int, optional
        Source of the contribution bounding's random choices, and of the noise
        with ``noise="numpy"``. With ``noise="opendp"`` two calls with the same
        ``rng`` bound the data identically and differ only in noise.

    Returns
    -------
    pandas.DataFrame
        cell, slot, count (int64): one row per key of the domain, sorted by
        slot then cell.

    References
    ----------
    .. [1] Dwork, C., McSherry, F., Nissim, K., Smith, A. (2006). Calibrating
       noise to sensitivity in private data analysis. TCC 2006.
    .. [2] Ghosh, A., Roughgarden, T., Sundararajan, M. (2012). Universally
       utility-maximizing privacy mechanisms. SIAM J. Comput. 41(6).
    .. [3] Canonne, C., Kamath, G., Steinke, T. (2020). The discrete Gaussian
       for differential privacy. NeurIPS 2020.
    .. [4] Wilson, R. J. et al. (2020). Differentially private SQL with bounded
       user contribution. PoPETs 2020(2).
    """
    eps = check_epsilon(epsilon)
    delta = _check_mechanism(mechanism, delta)
    if noise not in ("numpy", "opendp"):
        raise ParameterError(f"noise must be 'numpy' (seeded, reproducible) or 'opendp' (secure), got {noise!r}")
    limit = _check_limit(max_cells_per_user)
    cell_m = check_positive(cell_m, name="cell_m", unit="metres")
    slot_s = check_slot(slot_s)
    if ledger is not None and not isinstance(ledger, PrivacyLedger):
        raise ParameterError(f"ledger must be a PrivacyLedger, got {type(ledger).__name__}")
    if domain is None:
        domain = domain_from_data(release, cell_m=cell_m, slot_s=slot_s)  # warns
    elif not isinstance(domain, GridDomain):
        raise ParameterError(f"domain must be a GridDomain (see grid_domain), got {type(domain).__name__}")
    elif domain.cell_m != cell_m or domain.slot_s != slot_s:
        raise ParameterError(f"the domain's grid ({domain.cell_m:g} m, {domain.slot_s} s) differs from "
                         f"cell_m={cell_m:g}, slot_s={slot_s}")
    rng = np.random.default_rng(rng)

    true = np.zeros(domain.size, dtype=np.int64)
    if len(release):
        cs = cell_slots(release, cell_m=cell_m, slot_s=slot_s, origin=domain.origin, start=domain.start)
        pos = domain.positions(cs["cell"].to_numpy(), cs["slot"].to_numpy())
        inside = pos >= 0
        user = pd.factorize(cs["pseudonym"].to_numpy()[inside], sort=True)[0]  # codes independent of row order
        if len(user) and mechanism == "gaussian":
            check_delta(delta, n=int(user.max()) + 1)  # a delta of 1/n or more may publish someone outright
        if len(user):
            pair, kept, _, limit = _sample_pairs(user, pos[inside], limit, rng)
            true = np.bincount(pair[kept], minlength=domain.size).astype(np.int64)
    if limit is None:  # "max" on data with no record in the domain
        limit = 1

    query = f"dp_counts {cell_m:g} m x {slot_s} s, L={limit}"
    if math.isinf(eps):
        if ledger is not None:
            ledger.spend(epsilon=math.inf, query=query, mechanism="none")
        noisy = true
    elif mechanism == "laplace":
        scale = _scale(mechanism, eps, delta, limit)
        meas = _laplace(scale)
        if ledger is not None:
            ledger.spend(epsilon=float(meas.map(limit)), query=query, mechanism=mechanism)
        if noise == "opendp":
            noisy = np.asarray(meas(true.tolist()), dtype=np.int64)
        else:
            # Discrete Laplace of scale s: the difference of two geometric counts of failures.
            p = -math.expm1(-1.0 / scale)
            noisy = true + (rng.geometric(p, true.size) - rng.geometric(p, true.size))
    else:
        scale = _scale(mechanism, eps, delta, limit)
        meas = _gaussian(scale)
        if ledger is not None:
            own_eps, own_delta = _gaussian_approx(scale, delta).map(math.sqrt(limit))
            ledger.spend(epsilon=float(own_eps), delta=float(own_delta), rho=float(meas.map(math.sqrt(limit))),
                         query=query, mechanism=mechanism)
        if noise == "opendp":
            noisy = np.asarray(meas(true.tolist()), dtype=np.int64)
        else:
            noisy = true + np.rint(rng.normal(0.0, scale, true.size)).astype(np.int64)
    if clamp:
        noisy = np.maximum(noisy, 0)
    return domain.keys().assign(count=noisy)
