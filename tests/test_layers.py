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
DYNAMIC = {"__import__", "import_module", "exec", "eval", "runpy", "import_from_path"}
#: Parts of importlib that read package data or metadata, and import nothing.
HARMLESS = {"importlib.resources", "importlib.metadata"}
#: Third-party libraries with one home each.
HOMES = {"faker": {"lab.synth.names"},
         "folium": {f"lab.maps.{m}" for m in ("canvas", "town", "person", "heat", "adversary")}}


def _lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the ``lab`` package found in ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    script = ("import sys; from importlinter.cli import lint_imports; "
              f"sys.exit(lint_imports(config_filename={str(CONFIG)!r}, no_cache=True))")
    return subprocess.run([sys.executable, "-c", script], cwd=package_parent, env=env, capture_output=True,
                          text=True, timeout=300)


def _reachable(package: Path) -> list[Path]:
    """The blind packages' files and every module of the package they import, directly or not."""
    graph = grimp.build_graph("lab", cache_dir=None)
    names = set()
    for blind in BLIND:
        inside = {f"lab.{blind}"} | graph.find_descendants(f"lab.{blind}")
        names |= inside
        for module in inside:
            names |= graph.find_upstream_modules(module)
    paths = []
    for name in sorted(names):
        base = package.parent / Path(*name.split("."))
        paths.append(base / "__init__.py" if base.is_dir() else base.with_suffix(".py"))
    return paths


def _dynamic_imports(paths: list[Path], root: Path) -> list[str]:
    """Every run-time import in ``paths``, as 'file:line name'."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Name):
                names = [node.id]
            elif isinstance(node, ast.Attribute):
                is_sys = isinstance(node.value, ast.Name) and node.value.id == "sys"
                names = ["sys.modules"] if is_sys and node.attr == "modules" else [node.attr]
            elif isinstance(node, ast.Import):
                names = ["importlib" for a in node.names if a.name.startswith("importlib") and a.name not in HARMLESS]
                names += [a.name for a in node.names if a.name == "runpy"]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if module == "importlib":
                    names = [a.name for a in node.names if f"importlib.{a.name}" not in HARMLESS]
                elif module.startswith("importlib") and module not in HARMLESS:
                    names = [module]
            found += [f"{path.relative_to(root)}:{node.lineno} {n}" for n in names
                      if n in DYNAMIC or n in ("importlib", "sys.modules") or n.startswith("importlib.")]
    return sorted(set(found))


def test_layers_hold_over_the_whole_package():
    """import-linter finds every contract of .importlinter kept on the package as it is."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_attacks_and_mitigations_import_nothing_at_run_time():
    """Nothing an attack or mitigation runs (its own modules and all they import) imports at run time."""
    paths = _reachable(ROOT / "lab")
    assert any(p.name == "grid.py" for p in paths) and not any(p.parent.name == "synth" for p in paths)
    assert _dynamic_imports(paths, ROOT / "lab") == []


@pytest.mark.parametrize("name", sorted(HOMES))
def test_third_party_libraries_have_one_home_each(name):
    """Faker is imported only in lab.synth.names and folium only in the modules of lab.maps."""
    graph = grimp.build_graph("lab", include_external_packages=True, cache_dir=None)
    assert graph.find_modules_that_directly_import(name) == HOMES[name]


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """A copy of the package with three ways for an attack to reach the truth."""
    parent = tmp_path_factory.mktemp("planted")
    shutil.copytree(ROOT / "lab", parent / "lab", ignore=shutil.ignore_patterns("__pycache__", "_static"))
    (parent / "lab" / "attacks" / "cheat_absolute.py").write_text("from lab import world\n")
    (parent / "lab" / "attacks" / "cheat_relative.py").write_text("from ..observe import keys\n")
    (parent / "lab" / "mitigations" / "cheat_direct.py").write_text("from lab.metrics import risk\n")
    with (parent / "lab" / "geo.py").open("a") as shared:  # a module every attack imports, importing the truth
        shared.write("\nfrom lab.store import read_table  # planted\n")
    (parent / "lab" / "attacks" / "cheat_dynamic.py").write_text(
        "import importlib\n\ndef peek():\n    return importlib.import_module('lab.world')\n")
    with (parent / "lab" / "params.py").open("a") as shared:  # a run-time import hidden in a shared module
        shared.write("\n\ndef _peek():\n    return __import__('lab.world')\n")
    return parent


def test_planted_static_violations_are_caught(planted):
    """Absolute, relative, direct and indirect imports of the truth from an attack or mitigation are caught."""
    result = _lint_imports(planted)
    assert result.returncode == 1
    for line in ("lab.attacks.cheat_absolute -> lab.world", "lab.attacks.cheat_relative -> lab.observe.keys",
                 "lab.mitigations.cheat_direct -> lab.metrics.risk", "lab.geo -> lab.store"):
        assert line in result.stdout, result.stdout


def test_planted_dynamic_import_is_caught(planted):
    """import_module in an attack and __import__ in a module attacks import are found by the scan."""
    found = _dynamic_imports(sorted((planted / "lab").rglob("*.py")), planted / "lab")
    assert "attacks/cheat_dynamic.py:1 importlib" in found
    assert "attacks/cheat_dynamic.py:4 import_module" in found
    assert any(f.startswith("params.py:") and f.endswith(" __import__") for f in found)
