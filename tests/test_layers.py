"""The pipeline's import rules: attacks and mitigations never see the truth.

Data flows one way (synth -> observe -> mitigations -> attacks -> metrics). An
attack or mitigation sees what a real adversary or data holder would see, never
the World or the answer key; only lab.metrics compares results with the truth.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAB = Path(__file__).resolve().parents[1] / "lab"

#: package -> modules it must never import
FORBIDDEN = {
    "attacks": ("lab.synth", "lab.world", "lab.generate", "lab.metrics", "lab.observe", "lab.store"),
    "mitigations": ("lab.synth", "lab.world", "lab.generate", "lab.metrics", "lab.observe", "lab.store", "lab.attacks"),
    "observe": ("lab.metrics", "lab.attacks", "lab.mitigations", "lab.world"),
    "synth": ("lab.observe", "lab.metrics", "lab.attacks", "lab.mitigations", "lab.world", "lab.generate"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_the_pipeline(package):
    """No module of the package imports a later stage or the ground truth."""
    bad = []
    for path in sorted((LAB / package).glob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                bad.append(f"{path.name} imports {name}")
    assert not bad, "; ".join(bad)


def test_rule_detects_a_violation(tmp_path):
    """The import scan finds a forbidden import (so the rule can fail)."""
    bad = tmp_path / "cheat.py"
    bad.write_text("from lab.world import load_world\n")
    assert "lab.world" in _imports(bad)


def test_faker_and_folium_have_one_home_each():
    """Faker is imported only in lab.synth.names and folium only in lab.maps."""
    homes = {"faker": {"names.py"}, "folium": {"maps.py"}}
    for lib, allowed in homes.items():
        users = {p.name for p in LAB.rglob("*.py") if any(n.split(".")[0] == lib for n in _imports(p))}
        assert users == allowed, lib
