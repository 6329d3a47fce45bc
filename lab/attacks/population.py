"""Unicity against the size of the population: does a bigger crowd hide its members?

Farzanehfar, Houssiau and de Montjoye (2021) measured ε_p on samples of a
country-scale dataset of growing size and found that it falls only slowly: 93 %
of people remain unique with 4 points among 60 million. The same is measured here
on populations drawn from one release (:func:`lab.attacks.traces.sample_pseudonyms`:
the same people's records, fewer people), and the decline is fitted so that it
can be extrapolated beyond what was measured.

The fit is empirical, not the paper's model: the odds of being unique,
ε / (1 − ε), fall as a power of N, ``logit ε = a + b · ln N`` (``b < 0``): a line
of log-odds against log N, fitted by least squares weighted by the binomial
information of each point (targets × ε × (1 − ε)). It keeps ε within (0, 1),
declines ever more slowly as ε nears 0, and sums up "how fast does the crowd hide
us?" in one number, ``b``: each tenfold growth of the population divides the odds
of being unique by ``10 ** -b``.

References
----------
.. [1] Farzanehfar, A., Houssiau, F., de Montjoye, Y.-A. (2021). The risk of re-identification
   remains high even in country-scale location datasets. Patterns 2(3), 100204.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from lab.attacks.traces import sample_pseudonyms
from lab.attacks.unicity import unicity
from lab.grid import Space
from lab.params import check_whole

__all__ = ["PopulationDecay", "unicity_by_population", "fit_population_decay"]


def unicity_by_population(
    release: pd.DataFrame, *, sizes, p: int = 4, space: Space | str = "tower_id", hours: float | None = 1.0,
    sample: int | None = 2000, rng=None,
) -> pd.DataFrame:
    """ε_p on populations of growing size drawn from one release.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    sizes : iterable of int
        Pseudonyms in each population (each drawn from the whole release, so a
        smaller one is not a subset of a larger one).
    p, space, hours
        As in :func:`lab.attacks.unicity.unicity`.
    sample : int, optional
        Targets evaluated per population (the paper sampled); ``None``: every pseudonym.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    pandas.DataFrame
        population (pseudonyms), share, low, high, n (targets evaluated), one row per size.
    """
    sizes = [check_whole(s, name="each size in sizes", meaning="a number of pseudonyms") for s in sizes]
    rng = np.random.default_rng(rng)
    rows = []
    for size in sizes:
        crowd = sample_pseudonyms(release, size, rng=rng)
        r = unicity(crowd, p=p, space=space, hours=hours, sample=sample, rng=rng, n_boot=500)
        rows.append({"population": int(crowd["pseudonym"].nunique()), "share": r.share, "low": r.low,
                     "high": r.high, "n": r.n})
    return pd.DataFrame(rows)


@dataclasses.dataclass(frozen=True)
class PopulationDecay:
    """``logit ε = intercept + slope · ln N``, fitted by :func:`fit_population_decay`.

    Attributes
    ----------
    intercept, slope : float
    points : int
        Populations the fit used.
    """

    intercept: float
    slope: float
    points: int

    def predict(self, population) -> np.ndarray:
        """ε at each population size (extrapolated beyond the fitted range)."""
        z = self.intercept + self.slope * np.log(np.asarray(population, dtype=float))
        return 1.0 / (1.0 + np.exp(-z))

    @property
    def odds_per_tenfold(self) -> float:
        """The factor by which the odds of being unique fall each time the population grows tenfold."""
        return float(10 ** -self.slope)


def fit_population_decay(table: pd.DataFrame) -> PopulationDecay:
    """Fit ``logit ε = a + b · ln N`` to rows of population, share and n (as :func:`unicity_by_population` gives).

    Raises
    ------
    ValueError
        With fewer than two distinct populations, or when every share is 0 or 1
        (log-odds are infinite there: measure larger or smaller populations).
    """
    for col in ("population", "share", "n"):
        if col not in table.columns:
            raise ValueError(f"the table needs a {col!r} column (as unicity_by_population gives)")
    x = np.log(table["population"].to_numpy(dtype=float))
    eps = table["share"].to_numpy(dtype=float)
    n = table["n"].to_numpy(dtype=float)
    ok = (eps > 0) & (eps < 1) & (n > 0)
    if np.unique(x[ok]).size < 2:
        raise ValueError("the decay needs at least two population sizes with a share strictly between 0 and 1")
    weight = n[ok] * eps[ok] * (1 - eps[ok])  # inverse variance of the log-odds
    slope, intercept = np.polyfit(x[ok], np.log(eps[ok] / (1 - eps[ok])), 1, w=np.sqrt(weight))
    return PopulationDecay(intercept=float(intercept), slope=float(slope), points=int(ok.sum()))
