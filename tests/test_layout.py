"""The tests mirror the library: lab/<path>/<module>.py is tested in tests/<path>/test_<module>.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Files of lab/ that are not modules of their own and so have no test file.
NOT_MODULES = {
    "__init__.py": "a package's docstring and re-exports, tested through the modules it re-exports",
    "__main__.py": "`python -m` entry point, a call of the command line tested in tests/test_cli.py",
}

#: Modules of lab/ tested elsewhere than their mirrored path, with the reason (none today).
UNMIRRORED: dict[str, str] = {}

#: Test files that check the package as a whole rather than one module, with the reason.
WHOLE_PACKAGE = {
    "test_layout.py": "this file: the mirroring itself",
    "test_layers.py": "the import rules between the pipeline's layers, over every module",
    "test_notebooks.py": "the notebooks, which live outside the package",
    "test_exercises.py": "the exercises, which live outside the package, graded end to end",
    "test_packaging.py": "the built wheel, installed without the source tree",
    "test_doctests.py": "the examples in every module's docstrings",
    "test_lint.py": "ruff's checks over the library, the tests and the benchmarks",
    "test_browser.py": "every kind of map opened in a real headless Chromium",
    "metrics/test_realism_town.py": "realism of the town-sized world, a slow run kept apart from test_realism.py",
}


def mirror(module: Path, lab: Path) -> Path:
    """The test file mirroring ``module`` (a path under ``lab``), relative to the tests folder."""
    rel = module.relative_to(lab)
    return rel.parent / f"test_{rel.name}"


def untested_modules(lab: Path, tests: Path) -> list[str]:
    """Modules under ``lab`` with no test file at the mirrored path under ``tests``, as 'module -> test file'."""
    missing = []
    for module in sorted(lab.rglob("*.py")):
        rel = module.relative_to(lab).as_posix()
        if module.name in NOT_MODULES or rel in UNMIRRORED:
            continue
        if not (tests / mirror(module, lab)).is_file():
            missing.append(f"lab/{rel} -> tests/{mirror(module, lab).as_posix()}")
    return missing


def orphan_tests(lab: Path, tests: Path) -> list[str]:
    """Test files under ``tests`` that mirror no module under ``lab`` and are not whole-package tests."""
    mirrored = {mirror(m, lab).as_posix() for m in lab.rglob("*.py")}
    found = (t.relative_to(tests).as_posix() for t in sorted(tests.rglob("test_*.py")))
    return [f"tests/{t}" for t in found if t not in mirrored and t not in WHOLE_PACKAGE]


def test_every_module_has_its_test_file():
    """Each lab/**/<module>.py has tests/**/test_<module>.py at the same path."""
    missing = untested_modules(ROOT / "lab", ROOT / "tests")
    assert not missing, "no test file: " + "; ".join(missing)


def test_every_test_file_has_its_module():
    """Each tests/**/test_<name>.py mirrors a module, or is a listed whole-package test (none left over)."""
    orphans = orphan_tests(ROOT / "lab", ROOT / "tests")
    assert not orphans, "no module of their own: " + "; ".join(orphans)


def test_exceptions_are_current():
    """Every listed exception still names a file that exists."""
    assert [m for m in UNMIRRORED if not (ROOT / "lab" / m).is_file()] == []
    assert [t for t in WHOLE_PACKAGE if not (ROOT / "tests" / t).is_file()] == []


def test_a_module_without_tests_is_caught(tmp_path):
    """In a planted layout, a module without its test file and a test file without its module are both reported."""
    lab, tests = tmp_path / "lab", tmp_path / "tests"
    for path in ("lab/__init__.py", "lab/grid.py", "lab/attacks/__init__.py", "lab/attacks/unicity.py",
                 "lab/attacks/linkage.py", "tests/test_grid.py", "tests/attacks/test_unicity.py",
                 "tests/attacks/test_link.py", "tests/test_layers.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()
    assert untested_modules(lab, tests) == ["lab/attacks/linkage.py -> tests/attacks/test_linkage.py"]
    assert orphan_tests(lab, tests) == ["tests/attacks/test_link.py"]
