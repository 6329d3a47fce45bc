"""Tests for lab.report: the self-contained HTML risk report."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from lab.attacks.report import risk_report
from lab.report import CAVEATS, report_html, write_report


@pytest.fixture(scope="module")
def report(classroom) -> dict:
    return risk_report(classroom.releases["cdr"], name="cdr", ps=(1, 2, 3, 4), rng=0)


@pytest.fixture(scope="module")
def page(report) -> str:
    return report_html(report)


def test_page_states_the_measured_numbers(report, page):
    """Every unicity share, its interval and N, and each anonymity median appear as computed."""
    for p, share in report["unicity"].items():
        low, high = report["unicity_ci"][p]
        assert f"{share:.1%}" in page and f"{low:.1%} – {high:.1%}" in page
        assert f"{report['unicity_n'][p]:,}" in page
    for row in report["home_work"].values():
        assert f"{row['median']:,.0f}" in page and f"{row['share_unique']:.1%}" in page
    assert f"{report['n_pseudonyms']:,} pseudonyms" in page


def test_page_states_the_location_attack(report, page):
    """The location attack's mean risk and share singled out appear as computed, and vanish when not measured."""
    loc = report["location"]
    assert f"Knowing {loc['k']} places" in page
    assert f"{loc['mean']:.1%}" in page and f"{loc['share_unique']:.1%}" in page
    assert "Knowing 2 places" not in report_html({**report, "location": {}})


def test_page_is_self_contained(page):
    """Figures are inline SVG and nothing is loaded from elsewhere: no src or href to a URL or file."""
    assert page.count("<svg") >= 3
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#|data:)""", page)


def test_page_lists_what_was_not_measured(report):
    """A section that could not be measured is named with its reason."""
    broken = {**report, "errors": {"unicity p=9": "no pseudonym has 9 distinct points"}}
    assert "Not measured" in report_html(broken) and "no pseudonym has 9 distinct points" in report_html(broken)
    assert ("Not measured" in report_html(report)) == bool(report["errors"])


def test_page_carries_the_caveats_and_the_map(report):
    """The caveats are spelled out and a given map page is embedded whole, escaped in an iframe."""
    page = report_html(report, map_html="<html><body><div class='leaflet-container'>m</div></body></html>")
    assert all(html.escape(c) in page for c in CAVEATS)
    assert "<iframe" in page and "&lt;div class=&#x27;leaflet-container&#x27;&gt;" in page


def test_mitigations_on_the_frontier_are_listed(report):
    """With a trade-off table, the settings on its frontier are listed, and only those."""
    table = pd.DataFrame({"kind": ["traces"] * 3, "mitigation": ["none", "snap_to_grid", "bin_time"],
                          "setting": ["original", "4000 m", "1 h"], "unicity_p4": [1.0, 0.59, 1.0],
                          "heatmap_similarity": [1.0, 0.08, 1.0], "on_frontier": [False, True, False]})
    page = report_html(report, tradeoff=table)
    assert "What protection would cost" in page and "4000 m" in page and ">1 h<" not in page


def test_the_same_report_gives_the_same_page(report):
    """The page has no date and no random ids: one report, one text."""
    assert report_html(report) == report_html(report)


def test_write_report_is_atomic_and_ordinary(page, tmp_path):
    """The page is written whole, with ordinary permissions, and nothing else is left."""
    target = write_report(page, tmp_path / "risk.html")
    assert target.read_text(encoding="utf-8") == page
    assert [p.name for p in tmp_path.iterdir()] == ["risk.html"]
