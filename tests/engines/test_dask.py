"""The Dask engine writes the same world as the local process pool, byte for byte."""

from __future__ import annotations

import socket

from lab.cli import main
from lab.synth.scenario import load_scenario
from lab.world import write_world


def files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_dask_and_local_engines_write_identical_bytes(tmp_path):
    """Three blocks of people on a LocalCluster of two workers give the local engine's files, manifest included."""
    scenario = load_scenario("classroom", population=20_500, days=1)
    local = write_world(scenario, 5, tmp_path / "local", workers=2)
    dask = write_world(scenario, 5, tmp_path / "dask", workers=2, engine="dask")
    assert local == dask and local["blocks"] == 3
    a, b = files(tmp_path / "local"), files(tmp_path / "dask")
    assert list(a) == list(b) and all(a[k] == b[k] for k in a)
    assert any(k.startswith("gps/part-00002") for k in a)


def test_an_unreachable_scheduler_is_bad_input_and_nothing_is_written(tmp_path):
    """A scheduler nobody answers at: exit 2 naming it; no output folder."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status = main(["generate", "classroom", "--population", "50", "--days", "1", "--out", str(tmp_path / "w"),
                   "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", "--no-realism", "-q"])
    assert status == 2 and not (tmp_path / "w").exists()


def test_scheduler_without_dask_is_refused(tmp_path, capsys):
    """--scheduler with the local engine is refused before any work."""
    assert main(["generate", "classroom", "--out", str(tmp_path / "w"), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
