"""Tests for the privacy-lab command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lab.cli import main


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
    assert len(manifest["checksums"]) == 11


def test_realism_prints_table_and_exit_status(generated, capsys):
    """realism prints every statistic with PASS or FAIL and exits 1 when one is out of band."""
    status = main(["realism", str(generated)])
    out = capsys.readouterr().out
    for stat in ("trips_per_person_day", "home_time_share", "rank_exponent", "jump_length_exponent",
                 "location_entropy", "cdr_events_cv", "tower_spacing_centre_m", "sightings_per_person_day"):
        assert stat in out
    assert status == (1 if "FAIL" in out else 0)


def test_map_writes_offline_html(generated, tmp_path):
    """map writes a self-contained HTML file with the town's districts."""
    target = tmp_path / "town.html"
    assert main(["map", str(generated), "-o", str(target)]) == 0
    html = target.read_text()
    assert "leaflet" in html.lower() and 'src="http' not in html


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
        (["generate", "--seed", "-1", "--out", "{tmp}/g"], "--seed must be a non-negative"),
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
    """An output directory where the user may not write is refused with exit status 2."""
    import lab.store

    monkeypatch.setattr(lab.store.os, "access", lambda path, mode: False)
    assert main(["generate", "--out", str(tmp_path / "w"), "--quiet"]) == 2
    assert "is not writable" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()


def test_console_script_help():
    """The installed module runs and its help lists the three commands."""
    out = subprocess.run([sys.executable, "-m", "lab.cli", "--help"], capture_output=True, text=True, check=True).stdout
    assert all(cmd in out for cmd in ("generate", "realism", "map"))


def test_risk_report_and_json(generated, tmp_path, capsys):
    """risk prints unicity for p = 1..5 and writes JSON with unicity as a mapping from p to the share."""
    target = tmp_path / "risk.json"
    assert main(["risk", str(generated), "--release", "cdr", "--json", str(target)]) == 0
    out = capsys.readouterr().out
    assert "p=1" in out and "p=5" in out
    data = json.loads(target.read_text())
    assert set(data["unicity"]) <= {"1", "2", "3", "4", "5"} and "1" in data["unicity"]
    assert all(0.0 <= v <= 1.0 for v in data["unicity"].values())


def test_risk_on_a_csv_file(tmp_path, capsys):
    """risk reads a CSV with pseudonym, t, lat, lon; tz-naive times are refused with exit 2."""
    good = tmp_path / "rel.csv"
    good.write_text("pseudonym,t,lat,lon\na,2031-03-03T10:00:00+00:00,1.0,2.0\n"
                    "b,2031-03-03T11:00:00+00:00,1.5,2.5\n")
    assert main(["risk", str(good)]) == 0
    naive = tmp_path / "naive.csv"
    naive.write_text("pseudonym,t,lat,lon\na,2031-03-03T10:00:00,1.0,2.0\n")
    assert main(["risk", str(naive)]) == 2
    assert "timezone-aware" in capsys.readouterr().err


def test_risk_missing_release_named(generated, capsys):
    """A world directory without --release is refused, naming the option."""
    assert main(["risk", str(generated)]) == 2
    assert "--release is required" in capsys.readouterr().err


def test_tradeoff_writes_csv_and_plot(generated, tmp_path, capsys):
    """tradeoff writes a CSV with mitigation, setting, unicity_p4 and utility columns, and a PNG."""
    out, plot = tmp_path / "t.csv", tmp_path / "t.png"
    assert main(["tradeoff", str(generated), "--release", "gps", "--out", str(out), "--plot", str(plot),
                 "--targets", "20", "-q"]) == 0
    import pandas as pd

    table = pd.read_csv(out)
    assert {"mitigation", "setting", "unicity_p4", "heatmap_similarity", "displacement_m"} <= set(table.columns)
    assert (table.groupby("mitigation").size().drop(["none", "aggregate"]) == 3).all()
    assert {"membership_auc", "count_mae"} <= set(table.columns)
    assert plot.stat().st_size > 10_000


def test_tradeoff_bad_output_name(generated, tmp_path, capsys):
    """A CSV path without .csv is refused with exit 2 and nothing written."""
    assert main(["tradeoff", str(generated), "--release", "gps", "--out", str(tmp_path / "t.txt")]) == 2
    assert "must end in .csv" in capsys.readouterr().err and not any(tmp_path.iterdir())
