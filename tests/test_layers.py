"""The pipeline's import rules: data flows one way, and attacks and mitigations never see the truth.

The rules live in ``.importlinter`` at the repository root and are checked by
import-linter over the whole package, following every import: absolute,
relative, inside functions and through other modules. Dynamic imports
(``importlib``, ``__import__``, ``exec``) escape any static graph, so attacks
and mitigations may not use them at all. Each rule is also shown to fail on a
copy of the package with a violation planted in it.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"

#: Packages that must not reach the truth by any import, static or dynamic.
BLIND = ("attacks", "mitigations")
#: Names through which a module can import another at run time.
DYNAMIC = {"importlib", "__import__", "import_module", "exec", "eval", "runpy", "compile", "modules"}
#: Third-party libraries with one home each.
HOMES = {"faker": {"lab.synth.names"}, "folium": {"lab.maps"}}


def _lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the ``lab`` package found in ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    script = ("import sys; from importlinter.cli import lint_imports; "
              f"sys.exit(lint_imports(config_filename={str(CONFIG)!r}, no_cache=True))")
    return subprocess.run([sys.executable, "-c", script], cwd=package_parent, env=env, capture_output=True,
                          text=True, timeout=300)


def _dynamic_imports(package: Path) -> list[str]:
    """Every use of a dynamic-import name in the blind packages, as 'file:line name'."""
    found = []
    for name in BLIND:
        for path in sorted((package / name).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Name):
                    names = [node.id]
                elif isinstance(node, ast.Attribute):
                    names = [node.attr]
                elif isinstance(node, ast.Import):
                    names = [a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [(node.module or "").split(".")[0]] + [a.name for a in node.names]
                found += [f"{path.relative_to(package)}:{node.lineno} {n}" for n in names if n in DYNAMIC]
    return found


def test_layers_hold_over_the_whole_package():
    """import-linter finds every contract of .importlinter kept on the package as it is."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_attacks_and_mitigations_import_nothing_at_run_time():
    """No attack or mitigation uses importlib, __import__, exec or sys.modules, which no static check can follow."""
    assert _dynamic_imports(ROOT / "lab") == []


@pytest.mark.parametrize("name", sorted(HOMES))
def test_third_party_libraries_have_one_home_each(name):
    """Faker is imported only in lab.synth.names and folium only in lab.maps."""
    graph = grimp.build_graph("lab", include_external_packages=True, cache_dir=None)
    assert graph.find_modules_that_directly_import(name) == HOMES[name]


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """A copy of the package with three ways for an attack to reach the truth."""
    parent = tmp_path_factory.mktemp("planted")
    shutil.copytree(ROOT / "lab", parent / "lab", ignore=shutil.ignore_patterns("__pycache__", "_static"))
    (parent / "lab" / "attacks" / "cheat_absolute.py").write_text("from lab import world\n")
    (parent / "lab" / "attacks" / "cheat_relative.py").write_text("from ..observe import keys\n")
    (parent / "lab" / "mitigations" / "cheat_transitive.py").write_text("from lab.metrics import risk\n")
    (parent / "lab" / "attacks" / "cheat_dynamic.py").write_text(
        "import importlib\n\ndef peek():\n    return importlib.import_module('lab.world')\n")
    return parent


def test_planted_static_violations_are_caught(planted):
    """Absolute, relative and transitive imports of the truth from an attack or mitigation break the contracts."""
    result = _lint_imports(planted)
    assert result.returncode == 1
    for line in ("lab.attacks.cheat_absolute -> lab.world", "lab.attacks.cheat_relative -> lab.observe.keys",
                 "lab.mitigations.cheat_transitive -> lab.metrics.risk"):
        assert line in result.stdout, result.stdout


def test_planted_dynamic_import_is_caught(planted):
    """importlib.import_module('lab.world') inside an attack is found by the dynamic-import scan."""
    found = _dynamic_imports(planted / "lab")
    assert "attacks/cheat_dynamic.py:1 importlib" in found
    assert "attacks/cheat_dynamic.py:4 import_module" in found
