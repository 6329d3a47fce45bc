"""A privacy budget: every query's spend, added up, and the query that would overspend refused.

In the spirit of diffprivlib's budget accountant: pure-DP spends (Laplace) add
up by basic composition; Gaussian spends add up in zero-concentrated DP (ρ)
and are converted once to (ε, δ) by OpenDP, which is tighter than adding each
query's ε.

References
----------
.. [1] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential
   Privacy. Foundations and Trends in Theoretical Computer Science 9(3-4).
.. [2] Bun, M., Steinke, T. (2016). Concentrated differential privacy:
   simplifications, extensions, and lower bounds. TCC 2016-B, 635-658.
.. [3] Holohan, N., Braghin, S., Mac Aonghusa, P., Levacher, K. (2019).
   Diffprivlib: the IBM differential privacy library. arXiv:1907.02444.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator

import opendp.prelude as dp
import pandas as pd

from lab.errors import ParameterError
from lab.params import check_delta, check_epsilon

__all__ = ["BudgetExceededError", "PrivacyLedger"]

#: Serialises switching OpenDP's features, so that one thread's restore cannot pull them from under another.
_FEATURES_LOCK = threading.RLock()


@contextlib.contextmanager
def opendp_contrib() -> Iterator[None]:
    """OpenDP's "contrib" features switched on for the block, and the caller's setting restored after.

    OpenDP asks for them before it builds a measurement (an ordinary Laplace
    or Gaussian mechanism is "contrib" code); applying or querying a built
    measurement needs nothing. A library must not change another library's
    global state when imported, so the features are switched on only here,
    just before use, and switched off again unless the caller had them on.
    """
    with _FEATURES_LOCK:
        already = "contrib" in dp.GLOBAL_FEATURES
        if not already:
            dp.enable_features("contrib")
        try:
            yield
        finally:
            if not already:
                dp.disable_features("contrib")


#: Relative slack when comparing a spend with the budget (floating-point rounding in the privacy maps).
_SLACK = 1e-9


class BudgetExceededError(ValueError):
    """A query would spend more privacy than the ledger has left."""


def _rho_to_epsilon(rho: float, delta: float) -> float:
    """Epsilon of rho-zCDP at ``delta``, by OpenDP's conversion.

    A Gaussian of scale 1 on an input at distance ``sqrt(2 rho)`` is exactly
    rho-zCDP, so its converted privacy profile is that of any rho-zCDP mechanism.
    """
    if rho == 0:
        return 0.0
    if math.isinf(rho) or delta <= 0:
        return math.inf
    with opendp_contrib():
        unit = dp.m.make_gaussian(dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float), scale=1.0)
        profile = dp.c.make_zCDP_to_approxDP(unit)
    return float(profile.map(math.sqrt(2 * rho)).epsilon(delta))


class PrivacyLedger:
    """A privacy budget that queries spend, and that refuses to be overspent.

    Each query records what it spends: pure (``epsilon``) or approximate
    (``epsilon``, ``delta``) DP, which add up by basic composition, or
    ``rho``-zCDP (Gaussian noise), where the rhos add up and their sum is
    converted once to (``epsilon``, ``delta``) with whatever delta the budget
    has left, which is much tighter than adding up each Gaussian query's own
    epsilon. A query that would take the total past the budget is refused
    with :class:`BudgetExceededError` before any noise is drawn, and nothing
    is recorded. Spent budget is never refunded.

    Parameters
    ----------
    epsilon : float
        Total privacy-loss budget.
    delta : float, default 0
        Total failure probability; 0 allows only pure-DP (Laplace) queries.

    Notes
    -----
    Unlike the rest of the lab, a ledger is mutable: it is the one object
    whose job is to remember what has been published.

    References
    ----------
    .. [1] Dwork, C., Roth, A. (2014). The Algorithmic Foundations of
       Differential Privacy, Theorem 3.16 (basic composition).
    .. [2] Bun, M., Steinke, T. (2016). Concentrated differential privacy:
       simplifications, extensions, and lower bounds. TCC 2016-B.
    .. [3] Holohan, N. et al. (2019). Diffprivlib: the IBM differential privacy
       library (its BudgetAccountant). arXiv:1907.02444.

    Examples
    --------
    >>> ledger = PrivacyLedger(1.0)
    >>> ledger.spend(epsilon=0.4, query="hourly footfall")
    >>> ledger.remaining()
    (0.6, 0.0)
    """

    def __init__(self, epsilon: float, delta: float = 0.0) -> None:
        self._epsilon = check_epsilon(epsilon, name="the budget's epsilon")
        self._delta = check_delta(delta)
        self._rows: list[dict[str, object]] = []

    @property
    def epsilon(self) -> float:
        """The total epsilon budget."""
        return self._epsilon

    @property
    def delta(self) -> float:
        """The total delta budget."""
        return self._delta

    def __repr__(self) -> str:
        eps, delta = self.spent()
        return (f"PrivacyLedger(epsilon={self._epsilon:g}, delta={self._delta:g}; spent epsilon={eps:.4g}, "
                f"delta={delta:.3g} in {len(self._rows)} queries)")

    def _total(self, rows: list[dict[str, object]]) -> tuple[float, float]:
        basic = [r for r in rows if r["rho"] is None]
        eps = sum(float(r["epsilon"]) for r in basic)
        delta = sum(float(r["delta"]) for r in basic)
        rho = sum(float(r["rho"]) for r in rows if r["rho"] is not None)
        if rho > 0:
            eps += _rho_to_epsilon(rho, self._delta - delta)
            delta = self._delta
        return eps, delta

    def spend(
        self, *, epsilon: float | None = None, delta: float = 0.0, rho: float | None = None, query: str = "",
        mechanism: str = "",
    ) -> None:
        """Record a query's privacy loss, or refuse it if the budget cannot cover it.

        Parameters
        ----------
        epsilon, delta : float
            The query's own (epsilon, delta). For a zCDP query, its standalone
            guarantee, kept for the table only.
        rho : float, optional
            The query's zCDP parameter; when given, the ledger composes by rho.
        query, mechanism : str
            Labels for :meth:`spends`.

        Raises
        ------
        BudgetExceededError
            If the total would exceed the budget; nothing is recorded.
        """
        if rho is None and epsilon is None:
            raise ParameterError("a spend needs an epsilon (pure or approximate DP) or a rho (zCDP)")
        if rho is not None and not float(rho) >= 0:
            raise ParameterError(f"rho must be a number at least 0, got {rho!r}")
        if epsilon is not None and not float(epsilon) >= 0:
            raise ParameterError(f"epsilon must be a number at least 0, got {epsilon!r}")
        if not 0 <= float(delta) <= 1:
            raise ParameterError(f"delta must lie in [0, 1], got {delta!r}")
        row = {"query": query, "mechanism": mechanism, "epsilon": math.nan if epsilon is None else float(epsilon),
               "delta": float(delta), "rho": None if rho is None else float(rho)}
        label = f"{query!r}" if query else "this query"
        if rho is not None and rho > 0 and self._delta == 0:
            raise BudgetExceededError(f"{label} needs a delta above 0 (Gaussian noise is zCDP, which becomes "
                                      f"(epsilon, delta)-DP only with delta > 0), but this ledger's delta is 0: "
                                      f"use the Laplace mechanism or a ledger with a delta")
        eps, delta_total = self._total([*self._rows, row])
        if eps > self._epsilon * (1 + _SLACK) or delta_total > self._delta * (1 + _SLACK):
            left_eps, left_delta = self.remaining()
            raise BudgetExceededError(
                f"{label} would bring the privacy loss to epsilon={eps:.4g}, delta={delta_total:.3g}, over the "
                f"budget of epsilon={self._epsilon:g}, delta={self._delta:g} (left: epsilon={left_eps:.4g}, "
                f"delta={left_delta:.3g}); every answer published spends budget for good, so ask for a smaller "
                f"epsilon or publish less")
        self._rows.append(row)

    def spent(self) -> tuple[float, float]:
        """(epsilon, delta) spent so far, composed as described above."""
        return self._total(self._rows)

    def remaining(self) -> tuple[float, float]:
        """(epsilon, delta) still available (never below 0)."""
        eps, delta = self.spent()
        return max(self._epsilon - eps, 0.0), max(self._delta - delta, 0.0)

    def spends(self) -> pd.DataFrame:
        """One row per recorded query: query, mechanism, epsilon, delta, rho, and the running total epsilon_spent."""
        rows = self._rows
        total = [self._total(rows[: i + 1])[0] for i in range(len(rows))]
        out = pd.DataFrame({"query": [r["query"] for r in rows], "mechanism": [r["mechanism"] for r in rows],
                            "epsilon": [r["epsilon"] for r in rows], "delta": [r["delta"] for r in rows],
                            "rho": [math.nan if r["rho"] is None else r["rho"] for r in rows],
                            "epsilon_spent": total})
        return out.astype({"query": object, "mechanism": object, "epsilon": float, "delta": float, "rho": float,
                           "epsilon_spent": float})
