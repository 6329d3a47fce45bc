"""Tests for packaging: a clone carries every file its tests need, and a built wheel runs on its own.

A clone must pass its suite with nothing beside the checkout, and a wheel installed without the
source tree must find its scenarios, its map assets and its licence.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: Folders whose code and configuration must not read outside the checkout (every file of .ci/).
SOURCE_DIRS = ("lab", "tests", "bench", "notebooks")
SOURCE_SUFFIXES = {".py", ".ipynb", ".toml", ".cfg", ".ini", ".sh"}

#: Ways the code once found files in a folder beside the checkout, each with a plain name. (Patterns and
#: samples are written in pieces, so a plain text search of the repository for them finds real reads only.)
BESIDE_CHECKOUT = {
    "an environment variable naming the shared folder": re.compile(r"LAB_" r"SHARED"),
    "a relative path up to a sibling shared folder": re.compile(r"\.\.[/\\]+" r"shared\b"),
    "a shared/fixtures path": re.compile(r"\bshared[/\\]+fixtures\b"),
    "a path joined with 'shared'": re.compile(
        r"""(?:/|joinpath\(|join\([^)\n]*,)\s*["']shared["']|["']shared["']\s*/"""
    ),
    "a search of the parent folders": re.compile(r"\bin\s+[\w.()]*\.parents\b(?!\s*\[)"),
    "a file looked for beside the checkout": re.compile(r"beside the checkout", re.IGNORECASE),
}

#: ``Path(__file__)`` followed by ``.parents[N]`` or a chain of ``.parent``.
CLIMB = re.compile(r"__file__\)?(?:\.resolve\(\))?(?:\.parents\[(\d+)\]|((?:\.parent\b)+))")

WHEEL_SCENARIOS = {f"lab/synth/scenarios/{name}.toml" for name in ("classroom", "town", "surveillance_day")}
WHEEL_LEAFLET = {f"lab/_static/leaflet/{name}" for name in ("leaflet.js", "leaflet.css", "LICENSE")}

#: What a build copies from the checkout: everything but generated, cached and installed files.
BUILD_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "out", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
    ".pytest_cache", ".ipynb_checkpoints", "*.pyc",
)


def _source_files() -> list[Path]:
    """Code and configuration files of the checkout, this file excluded (it holds the patterns)."""
    files = [p for p in (ROOT / ".ci").rglob("*") if p.is_file()]
    for folder in SOURCE_DIRS:
        files.extend(path for path in (ROOT / folder).rglob("*")
                     if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts)
    return sorted(p for p in files if p != Path(__file__).resolve())


def find_reads_beside_checkout(text: str) -> list[str]:
    """Plain names of the patterns in ``text`` that read a folder beside the checkout."""
    return [name for name, pattern in BESIDE_CHECKOUT.items() if pattern.search(text)]


def find_climbs(text: str) -> list[int]:
    """How many folders up each ``Path(__file__)`` climb in ``text`` goes (the file itself is 0)."""
    return [int(n) + 1 if n else chain.count(".parent") for n, chain in CLIMB.findall(text)]


def _setuptools_major() -> int:
    try:
        return int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return 0


def test_fixture_matches_its_provenance():
    """privacy_toy.csv is in the repository with the SHA-256 its README states."""
    data = (ROOT / "tests" / "fixtures" / "privacy_toy.csv").read_bytes()
    readme = (ROOT / "tests" / "fixtures" / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme
    assert data.startswith(b"lat,lng,datetime,uid\n") and data.count(b"\n") == 24


def test_scan_catches_the_old_lookups():
    """The scan flags each way of reading beside the checkout, and not a column named 'shared'."""
    old = (
        'roots = [Path(os.environ["LAB_' 'SHARED"])]\n'
        'roots += [parent / "shared" for parent in Path(__file__).resolve().parents]\n'
        'pytest.fail("shared/fixtures/privacy_toy.csv not found beside the checkout")\n'
        'os.path.join(here, "..", "shared")  # ..' '/shared/fixtures\n'
    )
    assert find_reads_beside_checkout(old) == list(BESIDE_CHECKOUT)
    assert find_reads_beside_checkout('m[["pseudonym_a", "shared"]]; {"shared": n}; df["shared"]') == []
    assert find_reads_beside_checkout('TOY = Path(__file__).resolve().parents[1] / "fixtures"') == []


def test_nothing_reads_a_folder_beside_the_checkout():
    """No code, test, benchmark, notebook or CI file looks for files beside the checkout."""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _source_files()
        for name in find_reads_beside_checkout(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert found == []


def test_climb_counts_folders():
    """The climb count reads parents[N] and .parent chains."""
    text = "a = Path(__file__).resolve().parents[2]\nb = Path(__file__).parent.parent / 'x'\n"
    assert find_climbs(text) == [3, 2]


def test_paths_from_file_stay_in_the_checkout_and_the_package():
    """No ``Path(__file__)`` climb leaves the checkout, and none in lab/ leaves the package."""
    escapes = []
    for path in _source_files():
        depth = len(path.relative_to(ROOT).parts)
        top = 1 if path.relative_to(ROOT).parts[0] == "lab" else 0
        escapes.extend(f"{path.relative_to(ROOT)} climbs {climb} folders"
                       for climb in find_climbs(path.read_text(encoding="utf-8", errors="replace"))
                       if depth - climb < top)
    assert escapes == []


def test_build_system_reads_the_spdx_licence():
    """The build asks for setuptools >= 77, the first to read ``license = "BSD-3-Clause"``."""
    assert PYPROJECT["project"]["license"] == "BSD-3-Clause"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert int(re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", setuptools).group(1)) >= 77


def test_faker_is_bounded_to_one_major():
    """Faker, whose name tables the golden fingerprints depend on, has an upper bound one major up."""
    (faker,) = [r for r in PYPROJECT["project"]["dependencies"] if r.lower().startswith("faker")]
    low, high = re.fullmatch(r"faker>=(\d+)(?:\.\d+)*,<(\d+)", faker).groups()
    assert int(high) == int(low) + 1
    assert int(low) == int(importlib.metadata.version("faker").split(".")[0])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout, offline and without build isolation."""
    if _setuptools_major() < 77:
        message = "building the wheel needs setuptools >= 77 (pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, tmp / "src", ignore=BUILD_IGNORE)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", str(tmp / "dist"), str(tmp / "src")],
        capture_output=True, text=True,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (path,) = (tmp / "dist").glob("location_privacy_lab-*.whl")
    return path


def test_wheel_holds_scenarios_map_assets_and_licence(wheel):
    """The wheel carries the three scenario files, the Leaflet assets and the licence."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert zf.read(licence) == (ROOT / "LICENSE").read_bytes()
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert names >= WHEEL_SCENARIOS
    assert names >= WHEEL_LEAFLET
    assert "License-Expression: BSD-3-Clause" in metadata.splitlines()


def test_installed_wheel_runs_outside_the_source_tree(wheel, tmp_path):
    """Installed without the source tree, the package lists and generates its scenarios from any folder."""
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(site),
         str(wheel)],
        capture_output=True, text=True,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    script = (
        "import json, lab\n"
        "from lab.cli import main\n"
        "from lab.synth.scenario import available_scenarios, load_scenario\n"
        "status = main(['generate', 'classroom', '--seed', '1', '--out', 'classroom', '--no-realism', '-q'])\n"
        "print(json.dumps({'lab': lab.__file__, 'names': available_scenarios(),\n"
        "                  'town': load_scenario('town').population, 'status': status}))\n"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(got["lab"]).is_relative_to(site)
    assert got["names"] == ["classroom", "surveillance_day", "town"]
    assert (got["town"], got["status"]) == (20_000, 0)
    assert (work / "classroom" / "manifest.json").is_file()
