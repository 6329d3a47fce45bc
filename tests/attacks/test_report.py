"""Tests for lab.attacks.report."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.attacks.report import format_risk_report, native_space, risk_report


def test_native_spaces():
    """Each release is compared at its published resolution."""
    import pandas as pd

    assert native_space(pd.DataFrame(columns=["tower_id"]), "cdr") == "tower_id"
    assert native_space(pd.DataFrame(columns=["camera_id"])) == "camera_id"
    assert native_space(pd.DataFrame(columns=["x"])) == "grid:100"


def test_report_on_classroom_cdr(classroom):
    """The report holds unicity for p = 1..5 rising with p, three geographies and nine top-N rows."""
    report = risk_report(classroom.releases["cdr"], name="cdr", rng=0)
    uni = report["unicity"]
    assert list(uni) == ["1", "2", "3", "4", "5"]
    assert uni["1"] < uni["2"] < uni["4"]
    assert set(report["home_work"]) == {"block", "tract", "district"}
    assert len(report["top_n"]) == 9
    text = format_risk_report(report)
    assert "p=4" in text and "tract" in text and "top-3" in text


def _short_traces():
    """Three pseudonyms with one or two distinct points each, all by night (no work location)."""
    import pandas as pd

    t = pd.to_datetime(["2031-03-03 01:10", "2031-03-03 02:10", "2031-03-03 01:20", "2031-03-03 03:30",
                        "2031-03-03 01:40"]).tz_localize("Etc/GMT+8")
    return pd.DataFrame({"pseudonym": ["a", "a", "b", "b", "c"], "t": t,
                         "lat": [-48.5, -48.51, -48.5, -48.52, -48.53],
                         "lon": [-123.0, -123.01, -123.0, -123.02, -123.03],
                         "tower_id": ["t1", "t2", "t1", "t3", "t4"]})


def test_unreachable_p_is_reported_with_its_reason():
    """A p no pseudonym reaches is in the report with no share, n = 0 and why, never left out."""
    report = risk_report(_short_traces(), name="cdr", rng=0)
    assert list(report["unicity"]) == ["1", "2", "3", "4", "5"]
    assert report["unicity"]["2"] is not None and report["unicity_n"]["2"] == 2
    assert report["unicity"]["3"] is None and report["unicity_n"]["3"] == 0 and report["unicity_ci"]["3"] is None
    assert report["errors"]["unicity p=3"].startswith("no pseudonym has 3 distinct points")
    assert "longest trace has 2" in report["errors"]["unicity p=5"]
    text = format_risk_report(report)
    assert "p=3  not measured: no pseudonym has 3 distinct points" in text


def test_missing_home_work_is_reported():
    """A release where no pseudonym has both a home and a work location says so instead of an empty section."""
    report = risk_report(_short_traces(), name="cdr", rng=0)
    assert report["home_work"] == {}
    assert "no pseudonym has both a home" in report["errors"]["home_work"]
    assert "not measured: no pseudonym has both a home" in format_risk_report(report)


def test_complete_report_has_no_errors(classroom):
    """Every measurement of the classroom CDR is made: the errors section is empty and the report is valid JSON."""
    import json

    report = risk_report(classroom.releases["cdr"], name="cdr", rng=0)
    assert report["errors"] == {}
    assert json.loads(json.dumps(report, allow_nan=False))["unicity_n"]["4"] > 0


def test_genuine_failure_propagates(monkeypatch):
    """A ValueError other than "every trace is shorter than p" is raised, not reported as a gap."""
    import lab.attacks.report as report_module

    def broken(*args, **kwargs):
        raise ValueError("an internal failure")

    monkeypatch.setattr(report_module, "unicity", broken)
    with pytest.raises(ValueError, match="an internal failure"):
        risk_report(_short_traces(), name="cdr", ps=(1,), rng=0)


@pytest.mark.parametrize("hours", [0, -1, float("nan"), float("inf")])
def test_bad_hours_are_refused(hours):
    """Time bins must be a positive finite number of hours; the error names hours."""
    with pytest.raises(ValueError, match="hours must be a positive number"):
        risk_report(_short_traces(), name="cdr", hours=hours)


def test_progress_sees_every_step():
    """The progress function is given the ten steps: five unicity p, the location attack, home/work, three top-N."""
    seen = {}

    def record(iterable, *, total=None, desc="", unit="step", label=None):
        items = list(iterable)
        seen.update(total=total, desc=desc, labels=[label(i) for i in items])
        yield from items

    risk_report(_short_traces(), name="cdr", rng=0, progress=record)
    assert seen["total"] == 10 and seen["desc"] == "risk cdr"
    assert seen["labels"][:2] == ["unicity p=1", "unicity p=2"] and seen["labels"][5:7] == ["location attack k=2",
                                                                                              "home/work"]
    assert seen["labels"][7:] == ["top-N at tower_id", "top-N at grid:1000", "top-N at grid:5000"]


def test_anonymity_set_cdf_is_in_the_report(classroom):
    """The report carries each geography's anonymity-set CDF, rising to 1, and survives a JSON round trip."""
    import json

    report = risk_report(classroom.releases["cdr"], name="cdr", ps=(2,), rng=0)
    cdf = pd.DataFrame(json.loads(json.dumps(report["home_work_cdf"])))
    assert set(cdf["geography"]) == set(report["home_work"])
    last = cdf.groupby("geography")["share"].max()
    assert last.tolist() == pytest.approx([1.0] * len(last))
    assert all(g["share"].is_monotonic_increasing for _, g in cdf.groupby("geography"))


def test_the_dask_engine_reports_the_same_unicity_and_location_risks(classroom, tmp_path):
    """On Dask: the in-memory report's unicity, intervals and location attack, and a word on what it skips."""
    from lab.engines.cluster import dask_client

    cdr = classroom.table("cdr")
    cdr.to_parquet(tmp_path / "cdr.parquet", index=False)
    local = risk_report(cdr, name="cdr", rng=5)
    with dask_client(workers=2):
        remote = risk_report(tmp_path / "cdr.parquet", name="cdr", rng=5, engine="dask")
    for key in ("space", "n_pseudonyms", "n_rows", "unicity", "unicity_ci", "unicity_n", "location", "errors"):
        assert remote[key] == local[key], key
    assert remote["engine"] == "dask" and set(remote["not_measured"]) == {"home_work", "top_n"}
    assert 0 < local["location"]["mean"] <= 1 and local["location"]["n"] == local["n_pseudonyms"]


def test_a_sampled_report_is_the_same_on_both_engines(classroom, tmp_path):
    """With 50 drawn targets both engines give the same unicity and location risks, each measured on 50."""
    from lab.engines.cluster import dask_client

    cdr = classroom.table("cdr")
    cdr.to_parquet(tmp_path / "cdr.parquet", index=False)
    local = risk_report(cdr, name="cdr", rng=2, sample=50, ps=(2, 4))
    with dask_client(workers=2):
        remote = risk_report(tmp_path / "cdr.parquet", name="cdr", rng=2, sample=50, ps=(2, 4), engine="dask")
    assert all(remote[key] == local[key] for key in ("unicity", "unicity_ci", "unicity_n", "location"))
    assert local["location"]["n"] == 50 and set(local["unicity_n"].values()) == {50}
    assert "50 targets drawn at random" in format_risk_report(local)
