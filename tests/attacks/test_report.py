"""Tests for lab.attacks.report."""

from __future__ import annotations

from lab.attacks.report import format_risk_report, native_space, risk_report


def test_native_spaces():
    """Each release is compared at its published resolution."""
    import pandas as pd

    assert native_space(pd.DataFrame(columns=["tower_id"]), "cdr") == "tower_id"
    assert native_space(pd.DataFrame(columns=["camera_id"])) == "camera_id"
    assert native_space(pd.DataFrame(columns=["x"])) == "grid:100"


def test_report_on_classroom_cdr(classroom):
    """The report holds unicity for p = 1..5 rising with p, three geographies and nine top-N rows."""
    report = risk_report(classroom.releases["cdr"], name="cdr", rng=0)
    uni = report["unicity"]
    assert list(uni) == ["1", "2", "3", "4", "5"]
    assert uni["1"] < uni["2"] < uni["4"]
    assert set(report["home_work"]) == {"block", "tract", "district"}
    assert len(report["top_n"]) == 9
    text = format_risk_report(report)
    assert "p=4" in text and "tract" in text and "top-3" in text
