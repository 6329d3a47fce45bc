"""Tests for the privacy-lab command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lab.cli import main


@pytest.fixture
def umask_022():
    """Run the test under umask 022, the usual default, and restore the caller's."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "world"
    assert main(["generate", "classroom", "--seed", "7", "--out", str(out), "--quiet", "--no-realism",
                 "--population", "120", "--days", "3"]) == 0
    return out


def test_generate_writes_every_table(generated):
    """generate writes one Parquet file per table and a manifest with row counts and checksums."""
    for name in ("districts", "places", "people", "visits", "towers", "cameras",
                 "gps", "cdr", "sightings", "checkins", "keys"):
        assert (generated / f"{name}.parquet").is_file(), name
    manifest = json.loads((generated / "manifest.json").read_text())
    assert manifest["rows"]["people"] == 120 and manifest["seed"] == 7
    assert len(manifest["checksums"]) == 11 and len(manifest["sizes"]) == 11
    assert "seconds" not in manifest


def test_realism_prints_table_and_exit_status(generated, capsys):
    """realism prints every statistic with PASS or FAIL and exits 1 when one is out of band."""
    status = main(["realism", str(generated)])
    out = capsys.readouterr().out
    for stat in ("trips_per_person_day", "home_time_share", "rank_exponent", "jump_length_exponent",
                 "location_entropy", "cdr_events_cv", "tower_spacing_centre_m", "sightings_per_person_day"):
        assert stat in out
    assert status == (1 if "FAIL" in out else 0)


def test_map_writes_offline_html(generated, tmp_path, umask_022):
    """map writes a self-contained HTML file with the town's districts, with ordinary permissions."""
    target = tmp_path / "town.html"
    assert main(["map", str(generated), "-o", str(target)]) == 0
    html = target.read_text()
    assert "leaflet" in html.lower() and 'src="http' not in html
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "atlantis", "--out", "{tmp}/a"], "unknown scenario 'atlantis'"),
        (["generate", "--population", "-3", "--out", "{tmp}/b"], "population must be between"),
        (["generate", "--population", "999999999999", "--out", "{tmp}/c"], "population must be between"),
        (["generate", "--days", "0", "--out", "{tmp}/d"], "days must be a whole number"),
        (["generate", "{tmp}/bad.toml", "--out", "{tmp}/e"], "unknown key(s) colour"),
        (["generate", "{tmp}/backwards.toml", "--out", "{tmp}/f"], "is not after start"),
        (["generate", "--out", "{tmp}/full"], "is not empty"),
        (["generate", "--seed", "-1", "--out", "{tmp}/g"], "--seed must be a whole number >= 0, got -1"),
        (["generate", "--workers", "0", "--out", "{tmp}/h"], "--workers must be at least 1, got 0"),
        (["generate", "--out", "{tmp}/i", "--map", "/proc/x.html"], "--map '/proc/x.html' cannot be written"),
        (["generate", "--out", "{tmp}/j", "--map", "{tmp}/m.png"], "must end in .html or .htm"),
        (["generate", "--out", "{tmp}/k", "--map", "{tmp}/k/m.html"], "lies inside --out"),
        (["generate", "--out", "/proc/w"], "--out '/proc/w' cannot be written"),
        (["realism", "{tmp}/nothing"], "not a generated world"),
    ],
)
def test_bad_input_one_line_exit_2(argv, message, tmp_path, capsys):
    """Bad input gets one clear line naming the problem, exit status 2, and nothing written."""
    (tmp_path / "bad.toml").write_text('colour = "blue"\n')
    (tmp_path / "backwards.toml").write_text('start = 2031-03-10\nend = 2031-03-01\n')
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("keep me")
    before = sorted(p.name for p in tmp_path.iterdir())
    status = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "full" / "notes.txt").read_text() == "keep me"


def test_unwritable_output_refused(tmp_path, capsys, monkeypatch):
    """An output directory where no file can be created is refused with exit status 2, naming --out."""
    import errno

    import lab.output

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(lab.output.tempfile, "mkstemp", refuse)
    assert main(["generate", "--out", str(tmp_path / "w"), "--quiet"]) == 2
    assert "--out" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()


def test_console_script_help():
    """The installed module runs and its help lists the three commands."""
    out = subprocess.run([sys.executable, "-m", "lab.cli", "--help"], capture_output=True, text=True, check=True).stdout
    assert all(cmd in out for cmd in ("generate", "realism", "map"))


def test_risk_report_and_json(generated, tmp_path, capsys, umask_022):
    """risk prints unicity for p = 1..5 and writes JSON (mode 0o644) with unicity as a mapping from p to the share."""
    target = tmp_path / "risk.json"
    assert main(["risk", str(generated), "--release", "cdr", "--json", str(target), "-q"]) == 0
    out = capsys.readouterr().out
    assert "p=1" in out and "p=5" in out
    data = json.loads(target.read_text())
    assert list(data["unicity"]) == ["1", "2", "3", "4", "5"] and data["errors"] == {}
    assert all(0.0 <= v <= 1.0 for v in data["unicity"].values())
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["risk.json"]


def test_risk_on_a_csv_file(tmp_path, capsys):
    """risk reads a CSV with pseudonym, t, lat, lon; tz-naive times are refused with exit 2."""
    good = tmp_path / "rel.csv"
    good.write_text("pseudonym,t,lat,lon\na,2031-03-03T10:00:00+00:00,1.0,2.0\n"
                    "b,2031-03-03T11:00:00+00:00,1.5,2.5\n")
    assert main(["risk", str(good), "-q"]) == 1  # one point each: p = 2..5 cannot be measured
    captured = capsys.readouterr()
    assert "p=1" in captured.out and "p=2  not measured: no pseudonym has 2 distinct points" in captured.out
    assert "measurement(s) could not be made" in captured.err
    naive = tmp_path / "naive.csv"
    naive.write_text("pseudonym,t,lat,lon\na,2031-03-03T10:00:00,1.0,2.0\n")
    assert main(["risk", str(naive)]) == 2
    assert "timezone-aware" in capsys.readouterr().err


def test_risk_missing_release_named(generated, capsys):
    """A world directory without --release is refused, naming the option."""
    assert main(["risk", str(generated)]) == 2
    assert "--release is required" in capsys.readouterr().err


def test_tradeoff_writes_csv_and_plot(generated, tmp_path, capsys, umask_022):
    """tradeoff writes a CSV with mitigation, setting, unicity_p4 and utility columns, and a PNG, both 0o644."""
    out, plot = tmp_path / "t.csv", tmp_path / "t.png"
    assert main(["tradeoff", str(generated), "--release", "gps", "--out", str(out), "--plot", str(plot),
                 "--targets", "20", "-q"]) == 0
    assert out.stat().st_mode & 0o777 == 0o644 and plot.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.png"]
    import pandas as pd

    table = pd.read_csv(out)
    assert {"mitigation", "setting", "unicity_p4", "heatmap_similarity", "displacement_m"} <= set(table.columns)
    assert (table.groupby("mitigation").size().drop(["none", "aggregate"]) == 3).all()
    assert {"membership_auc", "count_mae"} <= set(table.columns)
    assert plot.stat().st_size > 10_000


def test_tradeoff_bad_output_name(generated, tmp_path, capsys):
    """A CSV path without .csv is refused with exit 2 and nothing written."""
    assert main(["tradeoff", str(generated), "--release", "gps", "--out", str(tmp_path / "t.txt")]) == 2
    assert "--out" in capsys.readouterr().err and not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["risk", "{world}", "--release", "cdr", "--json", "/proc/r.json"], "--json '/proc/r.json' cannot be written"),
        (["risk", "{world}", "--release", "cdr", "--json", "{tmp}/r.txt"], "--json '{tmp}/r.txt' must end in .json"),
        (["risk", "{world}", "--release", "cdr", "--json", "{tmp}"], "--json '{tmp}' must end in .json"),
        (["risk", "{world}", "--release", "cdr", "--hours", "0"],
         "--hours must be a positive number of hours, got 0.0"),
        (["risk", "{world}", "--release", "cdr", "--hours", "-1"], "--hours must be a positive number of hours"),
        (["risk", "{world}", "--release", "cdr", "--hours", "nan"], "--hours must be a positive number of hours"),
        (["risk", "{world}", "--release", "cdr", "--hours", "inf"], "--hours must be a positive number of hours"),
        (["risk", "{world}", "--release", "cdr", "--seed", "-2"], "--seed must be a whole number >= 0"),
        (["risk", "{tmp}/absent.csv"], "No such file or directory"),
        (["map", "{world}", "-o", "/proc/m.html"], "--output '/proc/m.html' cannot be written"),
        (["map", "{world}", "-o", "{tmp}/m.png"], "--output '{tmp}/m.png' must end in .html or .htm"),
        (["tradeoff", "{world}", "--release", "gps", "--out", "{tmp}/t.csv", "--plot", "/proc/p.png"],
         "--plot '/proc/p.png' cannot be written"),
        (["tradeoff", "{world}", "--release", "gps", "--out", "{tmp}/t.csv", "--plot", "{tmp}/p.gif"],
         "--plot '{tmp}/p.gif' must end in .png, .svg or .pdf"),
        (["tradeoff", "{world}", "--release", "gps", "--out", "/proc/t.csv"], "--out '/proc/t.csv' cannot be written"),
        (["tradeoff", "{world}", "--release", "gps", "--out", "{tmp}/t.csv", "--targets", "0"],
         "--targets must be at least 1, got 0"),
        (["tradeoff", "{world}", "--release", "gps", "--out", "{tmp}/t.csv", "--pseudonyms", "0"],
         "--pseudonyms must be at least 1, got 0"),
        (["tradeoff", "{world}", "--release", "gps", "--out", "{tmp}/t.csv", "--seed", "-1"],
         "--seed must be a whole number >= 0"),
    ],
)
def test_bad_destination_or_number_refused_before_work(argv, message, generated, tmp_path, capsys):
    """Each bad destination or numeric option: exit 2, one line naming the option, nothing written anywhere."""
    before = sorted(p.name for p in generated.iterdir())
    fill = {"{world}": str(generated), "{tmp}": str(tmp_path)}
    status = main([fill.get(a, a.replace("{tmp}", str(tmp_path))) for a in argv])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and message.replace("{tmp}", str(tmp_path)) in err
    assert ".tmp" not in err
    assert list(tmp_path.iterdir()) == []
    assert sorted(p.name for p in generated.iterdir()) == before


def test_tradeoff_refuses_to_overwrite_its_input(tmp_path, capsys):
    """--out naming the release being read is refused before it is read."""
    source = tmp_path / "rel.csv"
    source.write_text("pseudonym,t,lat,lon\na,2031-03-03T10:00:00+00:00,1.0,2.0\n")
    assert main(["tradeoff", str(source), "--out", str(source), "-q"]) == 2
    assert "is the release being read" in capsys.readouterr().err
    assert source.read_text().startswith("pseudonym,t,lat,lon")


def _fast_tradeoff(monkeypatch):
    """Replace the trade-off runners by instant ones returning a two-row table."""
    import pandas as pd

    import lab.experiments.counts
    import lab.experiments.tradeoff

    def table(*args, **kwargs):
        return pd.DataFrame({"mitigation": ["none", "subsample"], "setting": ["original", "50%"],
                             "unicity_p4": [1.0, 0.5], "heatmap_similarity": [1.0, 0.9], "error": ["", ""],
                             "on_frontier": [True, True]})

    monkeypatch.setattr(lab.experiments.tradeoff, "tradeoff", table)
    monkeypatch.setattr(lab.experiments.counts, "counts_tradeoff", lambda *a, **k: table().iloc[:0])


def test_failed_plot_leaves_no_csv(generated, tmp_path, monkeypatch):
    """When drawing the plot fails after the table is computed, neither the CSV nor the plot is left."""
    import lab.plots

    _fast_tradeoff(monkeypatch)

    def broken(table, path, **kwargs):
        raise RuntimeError("the figure could not be drawn")

    monkeypatch.setattr(lab.plots, "tradeoff_plot", broken)
    with pytest.raises(RuntimeError, match="could not be drawn"):
        main(["tradeoff", str(generated), "--release", "gps", "--out", str(tmp_path / "t.csv"),
              "--plot", str(tmp_path / "t.png"), "-q"])
    assert list(tmp_path.iterdir()) == []


def test_tradeoff_row_error_exits_1(generated, tmp_path, monkeypatch, capsys):
    """A setting whose measurement failed is written with its message and the command exits 1 naming it."""
    import pandas as pd

    import lab.experiments.tradeoff

    _fast_tradeoff(monkeypatch)
    monkeypatch.setattr(lab.experiments.tradeoff, "tradeoff", lambda *a, **k: pd.DataFrame({
        "mitigation": ["subsample"], "setting": ["5%"], "unicity_p4": [float("nan")], "heatmap_similarity": [0.5],
        "error": ["unicity p=4: no pseudonym has 4 distinct points"], "on_frontier": [False]}))
    out = tmp_path / "t.csv"
    assert main(["tradeoff", str(generated), "--release", "gps", "--out", str(out), "-q"]) == 1
    assert "subsample 5%: unicity p=4: no pseudonym has 4 distinct points" in capsys.readouterr().err
    assert pd.read_csv(out)["error"].tolist() == ["unicity p=4: no pseudonym has 4 distinct points"]


def test_tradeoff_csv_is_the_same_bytes_on_a_rerun(generated, tmp_path):
    """Two runs of the trade-off with one seed write byte-identical CSVs (no timing, no unseeded draw)."""
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for out in outs:
        assert main(["tradeoff", str(generated), "--release", "checkins", "--out", str(out), "--targets", "5",
                     "--no-aggregates", "-q"]) in (0, 1)
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert "seconds" not in outs[0].read_text().splitlines()[0]


def test_failed_map_leaves_no_world(tmp_path, monkeypatch):
    """When the map cannot be drawn, the world generated before it is not left behind either."""
    import lab.maps

    def broken(*args, **kwargs):
        raise RuntimeError("the map could not be drawn")

    monkeypatch.setattr(lab.maps, "town_map", broken)
    with pytest.raises(RuntimeError, match="could not be drawn"):
        main(["generate", "--population", "20", "--days", "1", "--out", str(tmp_path / "w"),
              "--map", str(tmp_path / "m.html"), "-q", "--no-realism"])
    assert list(tmp_path.iterdir()) == []


def test_generate_writes_world_and_map_with_ordinary_permissions(tmp_path, umask_022, capsys):
    """generate --map writes the world and the map, 0o755 and 0o644, and prints the time instead of storing it."""
    out, page = tmp_path / "w", tmp_path / "maps" / "town.html"
    assert main(["generate", "--population", "20", "--days", "1", "--out", str(out), "--map", str(page),
                 "-q", "--no-realism"]) == 0
    assert out.stat().st_mode & 0o777 == 0o755 and page.stat().st_mode & 0o777 == 0o644
    assert (out / "cdr.parquet").stat().st_mode & 0o777 == 0o644
    assert " s: " in capsys.readouterr().out


def test_same_files_whatever_the_workers(tmp_path):
    """generate with --workers 1 and 2 writes byte-identical files, manifest.json included."""
    for workers in ("1", "2"):
        assert main(["generate", "--seed", "3", "--population", "10100", "--days", "1", "--workers", workers,
                     "--out", str(tmp_path / workers), "-q", "--no-realism"]) == 0
    one = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*") if p.is_file())
    assert one == sorted(p.relative_to(tmp_path / "2") for p in (tmp_path / "2").rglob("*") if p.is_file())
    assert Path("manifest.json") in one and Path("cdr/part-00001.parquet") in one
    for f in one:
        assert (tmp_path / "1" / f).read_bytes() == (tmp_path / "2" / f).read_bytes(), f


@pytest.fixture
def swapped(generated, tmp_path) -> Path:
    """A copy of the generated world whose cdr.parquet was replaced by its first 100 rows."""
    import pyarrow.parquet as pq

    root = tmp_path / "swapped"
    shutil.copytree(generated, root)
    pq.write_table(pq.read_table(root / "cdr.parquet").slice(0, 100), root / "cdr.parquet")
    return root


@pytest.mark.parametrize("argv", [["risk", "{w}", "--release", "cdr", "-q"], ["realism", "{w}"],
                                  ["tradeoff", "{w}", "--release", "cdr", "--out", "{w}.csv", "-q"]])
def test_changed_world_refused(argv, swapped, capsys):
    """Every command reading a world whose cdr.parquet was swapped exits 2, naming the file and the opt-out."""
    assert main([a.replace("{w}", str(swapped)) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "cdr.parquet does not match manifest.json (size" in err and "--no-verify" in err
    assert not Path(f"{swapped}.csv").exists()


def test_no_verify_reads_a_changed_world(swapped, capsys):
    """--no-verify reads the world as it is: the risk report counts the 100 rows now there."""
    assert main(["risk", str(swapped), "--release", "cdr", "--no-verify", "-q"]) in (0, 1)
    assert "100 rows" in capsys.readouterr().out
    assert main(["realism", str(swapped), "--no-verify"]) in (0, 1)
    assert main(["map", str(swapped), "-o", str(swapped.parent / "m.html"), "--no-verify"]) == 0


def test_risk_progress_on_stderr_only(generated, capsys):
    """risk shows its steps (10 of them) on stderr, none with -q, and stdout holds the report alone."""
    assert main(["risk", str(generated), "--release", "cdr"]) == 0
    captured = capsys.readouterr()
    assert "risk cdr" in captured.err and "10/10" in captured.err
    assert "risk cdr" not in captured.out and captured.out.startswith("release cdr")
    assert main(["risk", str(generated), "--release", "cdr", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_risk_on_dask_prints_the_local_engine_s_unicity_and_location_lines(generated, tmp_path, capsys):
    """risk --engine dask on a LocalCluster: the same unicity and location numbers, JSON included."""
    assert main(["risk", str(generated), "--release", "cdr", "-q", "--json", str(tmp_path / "l.json")]) == 0
    local = capsys.readouterr().out.splitlines()
    assert main(["risk", str(generated), "--release", "cdr", "-q", "--engine", "dask", "--workers", "2",
                 "--json", str(tmp_path / "d.json")]) == 0
    remote = capsys.readouterr().out.splitlines()
    head = next(i for i, line in enumerate(local) if line.startswith("(home, work)"))
    assert remote[:head] == local[:head] and "not measured on the dask engine" in remote[head + 1]
    a, b = (json.loads((tmp_path / f).read_text()) for f in ("l.json", "d.json"))
    assert all(a[k] == b[k] for k in ("unicity", "unicity_ci", "unicity_n", "location"))


def test_risk_runs_on_an_existing_scheduler(generated, capsys):
    """--scheduler sends the work to a cluster already running; the numbers are the LocalCluster's."""
    from distributed import LocalCluster

    assert main(["risk", str(generated), "--release", "cdr", "-q"]) == 0
    local = capsys.readouterr().out.splitlines()[:7]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        assert main(["risk", str(generated), "--release", "cdr", "-q", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert capsys.readouterr().out.splitlines()[:7] == local


@pytest.mark.parametrize(("extra", "message"), [
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["--engine", "dask", "--scheduler", "nohost"], "--scheduler 'nohost'"),
])
def test_risk_engine_options_are_checked_before_any_work(generated, capsys, extra, message):
    """A scheduler without the Dask engine, or a malformed address: exit 2 naming the option."""
    assert main(["risk", str(generated), "--release", "cdr", "-q", *extra]) == 2
    assert message in capsys.readouterr().err


def test_risk_sample_draws_targets_and_zero_is_refused(generated, capsys):
    """--sample 30 measures 30 drawn targets (the same on Dask); --sample 0 exits 2 naming the option."""
    assert main(["risk", str(generated), "--release", "cdr", "-q", "--sample", "30"]) == 0
    out = capsys.readouterr().out
    assert "30 targets drawn at random" in out and "n=30" in out
    assert main(["risk", str(generated), "--release", "cdr", "-q", "--sample", "0"]) == 2
    assert "--sample" in capsys.readouterr().err


def test_risk_on_dask_refuses_a_csv(tmp_path, capsys):
    """The Dask engine reads Parquet: a CSV release is refused naming the file."""
    (tmp_path / "r.csv").write_text("pseudonym,t,lat,lon\na,2031-01-01T00:00:00+00:00,0,0\n")
    assert main(["risk", str(tmp_path / "r.csv"), "--engine", "dask", "-q"]) == 2
    assert "r.csv" in capsys.readouterr().err


def test_internal_error_is_not_bad_input(generated, monkeypatch):
    """A ValueError from inside the lab is a bug: it propagates with its traceback instead of exit 2."""
    import lab.attacks.report

    def broken(*args, **kwargs):
        raise ValueError("an internal inconsistency")

    monkeypatch.setattr(lab.attacks.report, "risk_report", broken)
    with pytest.raises(ValueError, match="an internal inconsistency"):
        main(["risk", str(generated), "--release", "cdr", "-q"])


def test_internal_missing_file_is_not_bad_input(generated, tmp_path, monkeypatch):
    """A missing file that the user did not name (one of the lab's own) is a bug, not bad input."""
    import lab.attacks.report

    def broken(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "/nonexistent/lab/_static/leaflet.js")

    monkeypatch.setattr(lab.attacks.report, "risk_report", broken)
    with pytest.raises(FileNotFoundError):
        main(["risk", str(generated), "--release", "cdr", "-q"])


def test_input_error_from_inside_is_bad_input(generated, monkeypatch, capsys):
    """An InputError raised anywhere below the command is reported in one line with exit 2."""
    import lab.attacks.report
    from lab.attacks.traces import ReleaseError

    def refuse(*args, **kwargs):
        raise ReleaseError("column 'lat' has values outside [-90, 90] degrees")

    monkeypatch.setattr(lab.attacks.report, "risk_report", refuse)
    assert main(["risk", str(generated), "--release", "cdr", "-q"]) == 2
    assert capsys.readouterr().err.strip() == "privacy-lab: error: column 'lat' has values outside [-90, 90] degrees"


def test_internal_error_exits_1_with_traceback(tmp_path):
    """Run as a program, an internal error ends with its traceback and exit status 1, not 2."""
    code = ("import sys, lab.cli\n"
            "def broken(args):\n    raise ValueError('an internal inconsistency')\n"
            "lab.cli.check_numbers = broken\n"
            f"sys.exit(lab.cli.main(['realism', {str(tmp_path)!r}]))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" in run.stderr and "an internal inconsistency" in run.stderr


def test_report_writes_one_self_contained_page(generated, tmp_path, umask_022):
    """report writes one HTML page with the release's numbers, its figures inline and the town map embedded."""
    out = tmp_path / "risk.html"
    code = main(["report", str(generated), "--release", "cdr", "-o", str(out), "-q"])
    assert code in (0, 1)  # 1 only when a section could not be measured on this tiny world
    page = out.read_text(encoding="utf-8")
    assert "Re-identification risk of the cdr release" in page and page.count("<svg") >= 1
    assert "<iframe" in page and out.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["risk.html"]


def test_report_refuses_a_missing_tradeoff_file(generated, tmp_path, capsys):
    """A --tradeoff file that does not exist is refused by name, before any work, and nothing is written."""
    code = main(["report", str(generated), "--release", "cdr", "-o", str(tmp_path / "r.html"),
                 "--tradeoff", str(tmp_path / "none.csv")])
    assert code == 2 and "--tradeoff" in capsys.readouterr().err and not any(tmp_path.iterdir())


def _map_overlays(page: Path) -> list[str]:
    import re

    block = re.search(r"overlays\s*:\s*\{(.*?)\}", page.read_text(encoding="utf-8"), re.DOTALL)
    return re.findall(r'"([^"]+)"\s*:\s*\w+,', block.group(1))


def test_map_person_heat_and_adversary(generated, tmp_path, capsys):
    """map draws one person, a release as heat (alone or before/after a mitigation) and the adversary's view."""
    import pandas as pd

    keys = pd.read_parquet(generated / "keys.parquet")
    person = keys.loc[keys["release"] == "cdr", "person_id"].iloc[0]
    pseudonym = pd.read_parquet(generated / "cdr.parquet")["pseudonym"].iloc[0]
    runs = {
        "person.html": ["--person", person],
        "heat.html": ["--release", "gps", "--heat"],
        "dual.html": ["--release", "gps", "--heat", "--mitigation", "snap_to_grid:1000"],
        "adversary.html": ["--release", "cdr", "--adversary", pseudonym],
    }
    for name, options in runs.items():
        assert main(["map", str(generated), "-o", str(tmp_path / name), *options]) == 0, name
        assert f"wrote map {tmp_path / name}" in capsys.readouterr().out
    assert any(n.startswith("stays (truth): ") for n in _map_overlays(tmp_path / "person.html"))
    assert any(n.startswith("gps: ") for n in _map_overlays(tmp_path / "heat.html"))
    dual = (tmp_path / "dual.html").read_text(encoding="utf-8")
    assert "gps after snap_to_grid 1000 m: " in dual and dual.count("L.map(") == 2
    assert any(n.startswith("after 1 known point: ") for n in _map_overlays(tmp_path / "adversary.html"))
    assert "https://" not in dual


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--person", "p99999999"], "unknown person 'p99999999'"),
        (["--release", "radar", "--heat"], "unknown release 'radar'"),
        (["--release", "cdr", "--adversary", "nobody"], "unknown pseudonym 'nobody'"),
        (["--heat"], "--heat needs --release"),
        (["--release", "gps"], "--release needs --heat or --adversary"),
        (["--release", "gps", "--heat", "--mitigation", "blur:3"], "--mitigation must be snap_to_grid:CELL_M"),
        (["--release", "gps", "--heat", "--mitigation", "snap_to_grid:-5"], "--mitigation must be snap_to_grid"),
        (["--release", "gps", "--mitigation", "snap_to_grid:500"], "--mitigation needs --heat"),
        (["--person", "p00000001", "--release", "gps", "--heat"], "does not combine"),
    ],
)
def test_map_bad_choice_one_line_exit_2(options, message, generated, tmp_path, capsys):
    """An unknown person, release or pseudonym, or options that do not go together: one line, exit 2, no file."""
    assert main(["map", str(generated), "-o", str(tmp_path / "m.html"), *options]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(("extra", "message"), [
    (["--release", "people", "--heat"], "unknown release 'people'"),
    (["--release", "cdr", "--heat", "--adversary", "x"], "choose one"),
])
def test_map_refuses_what_it_cannot_draw(generated, tmp_path, capsys, extra, message):
    """A table that is no release, or two maps asked at once, exits 2 naming the problem; nothing is written."""
    assert main(["map", str(generated), "-o", str(tmp_path / "m.html"), *extra]) == 2
    assert message in capsys.readouterr().err and not any(tmp_path.iterdir())


def test_report_refuses_a_tradeoff_file_that_is_no_table(generated, tmp_path, capsys):
    """An empty --tradeoff file is refused as bad input (exit 2), not with a traceback."""
    bad = tmp_path / "t.csv"
    bad.write_text("")
    code = main(["report", str(generated), "--release", "cdr", "-o", str(tmp_path / "r.html"), "--tradeoff", str(bad)])
    assert code == 2 and "is not a CSV table" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]
