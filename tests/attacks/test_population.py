"""Tests for lab.attacks.population."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.attacks.population import PopulationDecay, fit_population_decay, unicity_by_population


def test_a_known_decay_is_recovered():
    """Shares made exactly from logit ε = 9 − 0.6 ln N give back a = 9 and b = −0.6."""
    n = np.array([1e3, 1e4, 1e5, 1e6])
    eps = PopulationDecay(9.0, -0.6, 4).predict(n)
    fit = fit_population_decay(pd.DataFrame({"population": n, "share": eps, "n": 2000}))
    assert fit.intercept == pytest.approx(9.0) and fit.slope == pytest.approx(-0.6)
    assert fit.odds_per_tenfold == pytest.approx(10 ** 0.6) and fit.predict([1e3])[0] == pytest.approx(eps[0])


def test_shares_of_zero_or_one_are_left_out_and_too_few_points_refused():
    """ε = 1 has infinite log-odds: it is not fitted; one usable size is not enough for a line."""
    table = pd.DataFrame({"population": [100, 1000, 10000], "share": [1.0, 0.9, 0.8], "n": 500})
    assert fit_population_decay(table).points == 2
    with pytest.raises(ValueError, match="two population sizes"):
        fit_population_decay(table.iloc[:2])
    with pytest.raises(ValueError, match="'n'"):
        fit_population_decay(table.drop(columns="n"))


def test_unicity_falls_as_the_classroom_crowd_grows(classroom):
    """Populations of 50, 150 and every pseudonym: each measured on its own size, ε_3 not rising with N."""
    cdr = classroom.table("cdr")
    table = unicity_by_population(cdr, sizes=[50, 150, 10_000], p=3, space="tower_id", sample=None, rng=0)
    assert table["population"].tolist() == [50, 150, cdr["pseudonym"].nunique()]
    assert table["share"].is_monotonic_decreasing and (table["n"] <= table["population"]).all()
