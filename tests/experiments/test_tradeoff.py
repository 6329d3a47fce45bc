"""Tests for lab.experiments.tradeoff."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.experiments.tradeoff import Setting, default_settings, pareto_frontier, tradeoff
from lab.mitigations.coarsen import snap_to_grid


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


def test_a_measure_that_cannot_be_taken_is_an_error_in_the_row(classroom):
    """A setting that leaves no trace with four points says so in the row's error, not in a silent NaN."""
    gps = classroom.releases["gps"]
    settings = [Setting("none", "original", lambda r: r),
                Setting("truncate", "first hour", lambda r: r[r["t"] < r["t"].min() + pd.Timedelta(minutes=20)]),
                Setting("truncate", "nothing", lambda r: r.iloc[:0])]
    table = tradeoff(gps, settings=settings, targets=20, origin=(-48.5, -123.0), rng=0)
    assert table.loc[0, "error"] == ""
    assert "unicity_p4: no pseudonym keeps 4 distinct points" in table.loc[1, "error"]
    assert table["unicity_p4"].isna().tolist() == [False, True, True]
    assert "the protected release is empty" in table.loc[2, "error"]


def test_tradeoff_table_has_no_clock(table):
    """Nothing in the table depends on wall-clock time, so reruns give the same bytes."""
    assert "seconds" not in table.columns


def test_tradeoff_is_deterministic(classroom):
    """The same release and seed give an identical table."""
    gps = classroom.releases["gps"]
    settings = [Setting("subsample", "50%", lambda r: r.sample(frac=0.5, random_state=1))]
    a = tradeoff(gps, settings=settings, targets=20, origin=(-48.5, -123.0), rng=3)
    b = tradeoff(gps, settings=settings, targets=20, origin=(-48.5, -123.0), rng=3)
    pd.testing.assert_frame_equal(a, b)


def test_progress_sees_every_setting(classroom):
    """A progress wrapper is handed every setting, in order, with the total."""
    seen = {}

    def progress(items, *, total, desc, unit, label):
        seen.update(total=total, desc=desc)
        for item in items:
            seen.setdefault("labels", []).append(label(item))
            yield item

    settings = [Setting("none", "original", lambda r: r), Setting("bin_time", "1 h", lambda r: r)]
    tradeoff(classroom.releases["gps"], settings=settings, targets=10, origin=(-48.5, -123.0), rng=0,
             progress=progress)
    assert seen == {"total": 2, "desc": "trade-off", "labels": ["none original", "bin_time 1 h"]}


def test_a_setting_the_release_cannot_take_is_reported_in_its_row(classroom):
    """A mitigation that refuses its setting on this release leaves a 'not applied' row, and the others run."""
    from lab.mitigations.kanon_traj import anonymise_trajectories

    gps = classroom.releases["gps"]
    few = gps[gps["pseudonym"].isin(gps["pseudonym"].unique()[:6])]
    settings = [Setting("none", "original", lambda r: r),
                Setting("kanon_trajectories", "k = 10", lambda r: anonymise_trajectories(r, k=10, delta_m=500))]
    table = tradeoff(few, settings=settings, targets=5, origin=(-48.5, -123.0), rng=0)
    assert table.loc[0, "error"] == "" and table.loc[0, "unicity_p2"] >= 0
    assert table.loc[1, "error"].startswith("not applied: k=10 is more than the 6 traces")
    assert pd.isna(table.loc[1, "unicity_p4"]) and not table.loc[1, "on_frontier"]


def test_risk_at_a_column_the_protection_dropped_is_reported(classroom):
    """Measuring at tower_id after a mitigation that publishes points without towers says so in the row."""
    cdr = classroom.releases["cdr"]
    settings = [Setting("resample", "no towers", lambda r: r.drop(columns=["tower_id"]))]
    table = tradeoff(cdr, settings=settings, targets=5, origin=(-48.5, -123.0), rng=0)
    assert "unicity: the protected release no longer has 'tower_id'" in table.loc[0, "error"]
    assert "linkage_top1: the protected release no longer has 'tower_id'" in table.loc[0, "error"]
