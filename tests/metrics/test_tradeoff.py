"""Tests for lab.metrics.tradeoff and lab.plots."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.metrics.tradeoff import Setting, default_settings, pareto_frontier, tradeoff
from lab.mitigations.coarsen import snap_to_grid
from lab.plots import tradeoff_plot


def test_pareto_frontier_by_eye():
    """A point beaten on both axes is off the frontier; the rest are on it."""
    table = pd.DataFrame({"risk": [0.9, 0.5, 0.6, 0.2], "util": [1.0, 0.8, 0.7, 0.1]})
    assert pareto_frontier(table, risk="risk", utility="util").tolist() == [True, True, False, True]


def test_default_settings_have_three_strengths():
    """Every mitigation but the original appears at three strengths."""
    places = pd.DataFrame({"place_id": ["w"], "kind": ["worship"], "lat": [0.0], "lon": [0.0]})
    counts = pd.Series([s.mitigation for s in default_settings(places=places, rng=0)]).value_counts()
    assert counts.pop("none") == 1 and (counts == 3).all() and len(counts) >= 7


@pytest.fixture(scope="module")
def table(classroom):
    gps = classroom.releases["gps"]
    settings = [Setting("none", "original", lambda r: r),
                Setting("snap_to_grid", "4000 m", lambda r: snap_to_grid(r, cell_m=4000),
                        adversary=lambda r: snap_to_grid(r, cell_m=4000))]
    return tradeoff(gps, settings=settings, targets=50, rng=0)


def test_tradeoff_rows_and_columns(table):
    """One row per setting with risk and utility columns, values in range."""
    assert list(table["mitigation"]) == ["none", "snap_to_grid"]
    for col in ("unicity_p2", "unicity_p4", "linkage_top1", "displacement_m", "heatmap_similarity", "on_frontier"):
        assert col in table.columns
    assert table[["unicity_p2", "unicity_p4", "linkage_top1"]].apply(lambda s: s.between(0, 1)).all().all()
    assert table.loc[0, "displacement_m"] == 0 and table.loc[1, "displacement_m"] > 500


def test_coarsening_lowers_unicity_less_than_utility(table):
    """Snapping to 4 km costs most of the heatmap yet leaves most pseudonyms unique at p = 4."""
    orig, snapped = table.iloc[0], table.iloc[1]
    assert snapped["heatmap_similarity"] < 0.3
    assert snapped["unicity_p4"] <= orig["unicity_p4"] and snapped["unicity_p4"] > 0.5


def test_plot_written(table, tmp_path):
    """The frontier plot is written as a non-empty PNG, atomically."""
    path = tradeoff_plot(table, tmp_path / "frontier.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["frontier.png"]


def test_aggregate_tradeoff_orders_risk_and_error(classroom):
    """Suppression and DP lower membership AUC below exact counts' and stronger DP costs more error."""
    from lab.metrics.tradeoff import aggregate_tradeoff

    t = aggregate_tradeoff(classroom.releases["gps"], bounds=tuple(classroom.districts.total_bounds), rng=0)
    assert list(t["mitigation"].unique()) == ["aggregate", "suppress_small_counts", "dp_counts"]
    exact = t.iloc[0]
    assert exact["count_mae"] == 0 and exact["membership_auc"] > 0.8
    dp = t[t["mitigation"] == "dp_counts"]
    assert dp["count_mae"].is_monotonic_increasing and dp["membership_auc"].iloc[-1] < exact["membership_auc"]
    assert t[t["mitigation"] == "suppress_small_counts"]["membership_auc"].min() <= 0.6
