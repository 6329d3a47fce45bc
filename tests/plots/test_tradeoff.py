"""Tests for lab.plots.tradeoff."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lab.plots import tradeoff_figure, tradeoff_plot

ROOT = Path(__file__).resolve().parents[2]

#: Four trace settings in three families, and one count release with no unicity or heatmap.
TABLE = pd.DataFrame({
    "mitigation": ["none", "snap_to_grid", "snap_to_grid", "subsample", "dp_counts"],
    "setting": ["original", "250 m", "4000 m", "50% of rows", "Laplace, ε = 1"],
    "unicity_p4": [0.9, 0.8, 0.3, 0.85, np.nan],
    "heatmap_similarity": [1.0, 0.9, 0.2, 0.7, np.nan],
    "displacement_m": [0.0, 120.0, 1500.0, 0.0, np.nan],
    "membership_auc": [np.nan, np.nan, np.nan, np.nan, 0.6],
    # Deliberately wrong: the figure judges the frontier on the axes it draws.
    "on_frontier": [False, False, False, True, False],
})


def _legend(fig: Figure) -> list[str]:
    """The legend's entries, top to bottom."""
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_figure_is_a_plain_figure():
    """tradeoff_figure returns a matplotlib Figure with one titled axes."""
    fig = tradeoff_figure(TABLE)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "What each protection buys and costs"


def test_legend_lists_only_plotted_families():
    """A family with no point on the axes (dp_counts) is left out of the legend and named in a note instead."""
    fig = tradeoff_figure(TABLE)
    assert _legend(fig) == ["none", "snap_to_grid", "subsample", "frontier"]
    notes = [t.get_text() for t in fig.texts]
    assert notes == ["Not plotted (no unicity_p4 or heatmap_similarity measured): dp_counts"]


def test_every_family_has_its_own_colour():
    """Twelve families (more than matplotlib's ten-colour cycle) get twelve different colours, one per family."""
    table = pd.DataFrame({"mitigation": [f"m{i:02d}" for i in range(12)] * 2,
                          "setting": ["weak"] * 12 + ["strong"] * 12,
                          "unicity_p4": np.linspace(0.05, 0.95, 24), "heatmap_similarity": np.linspace(0.1, 1, 24)})
    ax = tradeoff_figure(table).axes[0]
    colours = {c.get_label(): {to_hex(f, keep_alpha=False) for f in c.get_facecolor()} for c in ax.collections}
    assert sorted(colours) == [f"m{i:02d}" for i in range(12)]
    assert all(len(c) == 1 for c in colours.values())
    assert len({c.pop() for c in colours.values()}) == 12


def test_every_family_has_its_own_marker():
    """Each family's points carry one marker, different from every other family's, so the figure reads in grey."""
    ax = tradeoff_figure(TABLE).axes[0]
    shapes = [tuple(map(tuple, c.get_paths()[0].vertices.round(6))) for c in ax.collections]
    assert [c.get_label() for c in ax.collections] == ["none", "snap_to_grid", "subsample"]
    assert len(set(shapes)) == 3


def test_values_drawn_are_the_values_given():
    """Each family's points sit at its rows' (utility, risk)."""
    ax = tradeoff_figure(TABLE).axes[0]
    offsets = {c.get_label(): c.get_offsets().tolist() for c in ax.collections}
    assert offsets == {"none": [[1.0, 0.9]], "snap_to_grid": [[0.9, 0.8], [0.2, 0.3]], "subsample": [[0.7, 0.85]]}


def test_axes_are_labelled_with_units_and_direction():
    """Each axis names its column, its unit and which way is better."""
    ax = tradeoff_figure(TABLE).axes[0]
    assert ax.get_xlabel() == "heatmap_similarity (cosine similarity, 0 to 1; higher keeps more utility)"
    assert ax.get_ylabel() == "unicity_p4 (share of pseudonyms, 0 to 1; lower is safer)"
    ax = tradeoff_figure(TABLE, utility="displacement_m").axes[0]
    assert ax.get_xlabel() == "displacement_m (metres; lower keeps more utility)"


def test_frontier_is_judged_on_the_plotted_axes():
    """The dashed line joins the settings no other beats on the drawn axes, whatever on_frontier says."""
    ax = tradeoff_figure(TABLE).axes[0]
    (line,) = ax.lines
    assert line.get_xdata().tolist() == [0.2, 0.9, 1.0]
    assert line.get_ydata().tolist() == [0.3, 0.8, 0.9]
    assert [t.get_text() for t in ax.texts] == ["snap_to_grid: 4000 m", "snap_to_grid: 250 m", "none: original"]


def test_frontier_of_a_distance_prefers_less_of_it():
    """Against displacement (less is better) subsample beats none, which moves nothing either but is riskier."""
    ax = tradeoff_figure(TABLE, utility="displacement_m").axes[0]
    (line,) = ax.lines
    assert line.get_xdata().tolist() == [0.0, 120.0, 1500.0]
    assert line.get_ydata().tolist() == [0.85, 0.8, 0.3]


def test_missing_column_is_named():
    """Asking for a column the table lacks is refused by its name."""
    with pytest.raises(ValueError, match="no column 'home_error_m'"):
        tradeoff_figure(TABLE, utility="home_error_m")


def test_plot_written(tmp_path):
    """The frontier plot is written as a non-empty PNG, atomically."""
    path = tradeoff_plot(TABLE, tmp_path / "frontier.png")
    assert path == tmp_path / "frontier.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["frontier.png"]


def test_import_and_drawing_leave_the_backend_alone(tmp_path):
    """In a fresh interpreter whose backend is already chosen, importing, drawing and saving never change it."""
    code = textwrap.dedent(f"""
        import sys
        import matplotlib
        matplotlib.use("svg")
        import pandas as pd
        import lab.plots
        after_import = matplotlib.get_backend()
        table = pd.DataFrame({{"mitigation": ["none"], "setting": ["original"], "unicity_p4": [0.9],
                               "heatmap_similarity": [1.0]}})
        lab.plots.tradeoff_plot(table, {str(tmp_path / "f.png")!r})
        print(after_import, matplotlib.get_backend(), "matplotlib.pyplot" in sys.modules)
    """)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.split() == ["svg", "svg", "False"]
    assert (tmp_path / "f.png").stat().st_size > 0


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_the_same_figure_gives_the_same_bytes(tmp_path, suffix):
    """Saving one table's figure twice gives identical files: no date, no random ids."""
    table = pd.DataFrame({"mitigation": ["none", "snap"], "setting": ["original", "1 km"], "unicity_p4": [1.0, 0.6],
                          "heatmap_similarity": [1.0, 0.4], "on_frontier": [True, True]})
    a = tradeoff_plot(table, tmp_path / f"a{suffix}").read_bytes()
    b = tradeoff_plot(table, tmp_path / f"b{suffix}").read_bytes()
    assert a == b and len(a) > 1000


def test_frontier_on_a_real_tradeoff(classroom):
    """On the classroom's CDR trade-off, each family with a measured point is in the legend, drawn where measured."""
    from lab.experiments.tradeoff import tradeoff

    table = tradeoff(classroom.releases["cdr"], origin=classroom.scenario.origin, places=classroom.places, targets=50,
                     rng=0)
    ax = tradeoff_figure(table).axes[0]
    r = pd.to_numeric(table["unicity_p4"], errors="coerce")
    u = pd.to_numeric(table["heatmap_similarity"], errors="coerce")
    measured = table[r.notna() & u.notna()]
    families = list(dict.fromkeys(measured["mitigation"]))
    assert len(families) > 5 and _legend(ax.figure) == [*families, "frontier"]
    for c in ax.collections:
        rows = measured[measured["mitigation"] == c.get_label()]
        assert c.get_offsets().tolist() == rows[["heatmap_similarity", "unicity_p4"]].astype(float).to_numpy().tolist()
