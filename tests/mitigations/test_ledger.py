"""Tests for lab.mitigations.ledger."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import opendp.prelude as dp
import pandas as pd
import pytest

from lab.mitigations.dp import noise_scale
from lab.mitigations.ledger import BudgetExceededError, PrivacyLedger, opendp_contrib
from lab.params import LeakWarning

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def contrib_off():
    """OpenDP's "contrib" features switched off for the test, the previous setting put back after."""
    was_on = "contrib" in dp.GLOBAL_FEATURES
    dp.disable_features("contrib")
    yield
    if was_on:
        dp.enable_features("contrib")


# ------------------------------------------------------------------ spending


def test_ledger_adds_pure_spends():
    """Three spends of 0.3 leave 0.1 of 1.0; the table keeps a running total."""
    ledger = PrivacyLedger(1.0)
    for i in range(3):
        ledger.spend(epsilon=0.3, query=f"q{i}", mechanism="laplace")
    assert ledger.spent() == pytest.approx((0.9, 0.0))
    assert ledger.remaining() == pytest.approx((0.1, 0.0))
    table = ledger.spends()
    assert table["query"].tolist() == ["q0", "q1", "q2"]
    assert table["epsilon_spent"].tolist() == pytest.approx([0.3, 0.6, 0.9])


def test_ledger_refuses_an_over_budget_query_and_records_nothing():
    """A spend past the budget raises in plain words and leaves the ledger as it was."""
    ledger = PrivacyLedger(1.0)
    ledger.spend(epsilon=0.7)
    with pytest.raises(BudgetExceededError, match="over the budget of epsilon=1.*left: epsilon=0.3"):
        ledger.spend(epsilon=0.4, query="one too many")
    assert len(ledger.spends()) == 1
    ledger.spend(epsilon=0.3)
    assert ledger.remaining()[0] == pytest.approx(0.0, abs=1e-12)


def test_ledger_composes_gaussian_queries_by_rho():
    """Two Gaussian queries cost ε(ρ1+ρ2, δ): more than either alone, less than their ε added up."""
    sigma = noise_scale(epsilon=0.5, delta=1e-6, mechanism="gaussian", max_cells_per_user=1)
    rho = 1 / (2 * sigma**2)
    ledger = PrivacyLedger(2.0, 1e-6)
    ledger.spend(rho=rho, epsilon=0.5, delta=1e-6)
    ledger.spend(rho=rho, epsilon=0.5, delta=1e-6)
    eps, delta = ledger.spent()
    assert 0.5 < eps < 1.0
    assert delta == 1e-6
    assert eps <= 2 * rho + 2 * math.sqrt(2 * rho * math.log(1e6))


def test_ledger_mixes_pure_and_gaussian_spends():
    """Pure spends add to the converted zCDP total."""
    ledger = PrivacyLedger(3.0, 1e-6)
    ledger.spend(rho=0.01)
    gaussian_only = ledger.spent()[0]
    ledger.spend(epsilon=0.4)
    assert ledger.spent()[0] == pytest.approx(gaussian_only + 0.4)


def test_ledger_without_delta_refuses_gaussian():
    """A pure-DP budget cannot pay for zCDP noise."""
    with pytest.raises(BudgetExceededError, match="delta above 0"):
        PrivacyLedger(1.0).spend(rho=0.01)


def test_ledger_validation():
    """Budgets are checked like any privacy parameter; a spend must say what it costs."""
    with pytest.raises(ValueError, match="epsilon must be a positive"):
        PrivacyLedger(0)
    with pytest.raises(ValueError, match="delta"):
        PrivacyLedger(1.0, delta=1.0)
    with pytest.warns(LeakWarning, match="adds no noise"):
        PrivacyLedger(math.inf)
    with pytest.raises(ValueError, match="needs an epsilon"):
        PrivacyLedger(1.0).spend()
    with pytest.raises(ValueError, match="rho must be"):
        PrivacyLedger(1.0, 1e-6).spend(rho=-1)


def test_ledger_refuses_the_query_past_its_budget():
    """Two spends of 0.5 fill a budget of 1 exactly; a third of 0.01 is refused and not recorded."""
    ledger = PrivacyLedger(1.0)
    ledger.spend(epsilon=0.5, query="morning")
    ledger.spend(epsilon=0.5, query="evening")
    with pytest.raises(BudgetExceededError, match="'night' would bring the privacy loss to epsilon=1.01"):
        ledger.spend(epsilon=0.01, query="night")
    assert ledger.spends()["query"].tolist() == ["morning", "evening"]
    assert ledger.spent() == (1.0, 0.0)


def test_rounding_does_not_refuse_a_budget_spent_in_tenths():
    """Three spends of 0.1 (0.30000000000000004 in floats) fit a budget of 0.3, leaving exactly nothing."""
    ledger = PrivacyLedger(0.3)
    for _ in range(3):
        ledger.spend(epsilon=0.1)
    assert ledger.remaining() == (0.0, 0.0)
    with pytest.raises(BudgetExceededError):
        ledger.spend(epsilon=1e-6)


def test_approximate_spends_add_their_deltas():
    """Two (0.2, 1e-7) spends add to (0.4, 2e-7); a third delta past the budget of 2.5e-7 is refused."""
    ledger = PrivacyLedger(1.0, 2.5e-7)
    ledger.spend(epsilon=0.2, delta=1e-7)
    ledger.spend(epsilon=0.2, delta=1e-7)
    assert ledger.spent() == pytest.approx((0.4, 2e-7))
    with pytest.raises(BudgetExceededError, match="delta"):
        ledger.spend(epsilon=0.1, delta=1e-7)


def test_a_gaussian_spend_takes_the_whole_delta():
    """Composed in zCDP, the rho total is converted with every delta left, so all of it counts as spent."""
    ledger = PrivacyLedger(2.0, 1e-6)
    ledger.spend(rho=0.01, epsilon=0.5, delta=1e-7)
    eps, delta = ledger.spent()
    assert delta == 1e-6
    # rho-zCDP gives (rho + 2 sqrt(rho ln(1/delta)), delta)-DP; OpenDP's conversion is tighter.
    assert 0.01 < eps < 0.01 + 2 * math.sqrt(0.01 * math.log(1e6))


def test_empty_ledger():
    """A new ledger has spent nothing, keeps the whole budget and lists no query, with typed columns."""
    ledger = PrivacyLedger(2.0, 1e-6)
    assert (ledger.epsilon, ledger.delta) == (2.0, 1e-6)
    assert ledger.spent() == (0.0, 0.0) and ledger.remaining() == (2.0, 1e-6)
    table = ledger.spends()
    assert table.empty
    assert table.dtypes.astype(str).to_dict() == {"query": "object", "mechanism": "object", "epsilon": "float64",
                                                  "delta": "float64", "rho": "float64", "epsilon_spent": "float64"}


def test_repr_says_budget_and_spend():
    """The repr gives the budget, what is spent and how many queries spent it."""
    ledger = PrivacyLedger(1.0)
    ledger.spend(epsilon=0.4)
    assert repr(ledger) == "PrivacyLedger(epsilon=1, delta=0; spent epsilon=0.4, delta=0 in 1 queries)"


def test_spends_table_records_each_query():
    """Each spend is one row with its labels, its own epsilon, rho (NaN for pure DP) and the running total."""
    ledger = PrivacyLedger(1.0)
    ledger.spend(epsilon=0.25, query="footfall", mechanism="laplace")
    ledger.spend(epsilon=0.5, query="dwell", mechanism="laplace")
    table = ledger.spends()
    assert table[["query", "mechanism"]].values.tolist() == [["footfall", "laplace"], ["dwell", "laplace"]]
    assert table["epsilon"].tolist() == [0.25, 0.5]
    assert table["epsilon_spent"].tolist() == [0.25, 0.75]
    assert table["rho"].isna().all()
    pd.testing.assert_frame_equal(table, ledger.spends())


# ------------------------------------------------------------------ OpenDP's features


def test_contrib_is_on_inside_and_off_after(contrib_off):
    """With "contrib" off, the block sees it on and the caller finds it off again."""
    with opendp_contrib():
        assert "contrib" in dp.GLOBAL_FEATURES
    assert "contrib" not in dp.GLOBAL_FEATURES


def test_contrib_already_on_stays_on(contrib_off):
    """A caller who switched "contrib" on keeps it on, through nested blocks too."""
    dp.enable_features("contrib")
    with opendp_contrib(), opendp_contrib():
        assert "contrib" in dp.GLOBAL_FEATURES
    assert "contrib" in dp.GLOBAL_FEATURES


def test_contrib_is_restored_when_the_block_fails(contrib_off):
    """An error inside the block still puts the caller's setting back."""
    with pytest.raises(RuntimeError), opendp_contrib():
        raise RuntimeError("boom")
    assert "contrib" not in dp.GLOBAL_FEATURES


def test_ledger_converts_rho_with_contrib_off(contrib_off):
    """The zCDP conversion works while the caller has "contrib" off, and leaves it off."""
    ledger = PrivacyLedger(2.0, 1e-6)
    ledger.spend(rho=0.01)
    assert 0 < ledger.spent()[0] < 2.0
    assert "contrib" not in dp.GLOBAL_FEATURES


def test_import_leaves_opendp_features_alone():
    """In a fresh interpreter, importing the ledger and spending a rho change none of OpenDP's features."""
    code = textwrap.dedent("""
        import json
        import opendp.prelude as dp
        before = sorted(dp.GLOBAL_FEATURES)
        from lab.mitigations.ledger import PrivacyLedger
        after_import = sorted(dp.GLOBAL_FEATURES)
        ledger = PrivacyLedger(1.0, 1e-6)
        ledger.spend(rho=0.01)
        print(json.dumps([before, after_import, sorted(dp.GLOBAL_FEATURES), ledger.spent()[0] > 0]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(out.stdout) == [[], [], [], True]


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"epsilon": -0.1}, "epsilon must be a number at least 0"),
    ({"epsilon": 0.1, "delta": 2}, "delta must lie in"),
    ({"rho": float("nan")}, "rho must be a number at least 0"),
])
def test_spend_validation(kwargs, message):
    """Negative or impossible spends are refused in a sentence."""
    with pytest.raises(ValueError, match=message):
        PrivacyLedger(1.0, 1e-6).spend(**kwargs)
