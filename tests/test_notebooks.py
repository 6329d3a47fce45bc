"""Every notebook's code cells run, in order, without error."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path):
    """The notebook's code cells execute top to bottom and leave the expected results."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "__notebook__"}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{path.name}", "exec"), namespace)
    if path.stem.startswith("01_"):
        table = namespace["unicity_table"]
        assert table["unique"].is_monotonic_increasing and table["unique"].iloc[-1] > 0.8


def test_notebooks_exist():
    """At least the first notebook ships."""
    assert any(p.name.startswith("01_") for p in NOTEBOOKS)
