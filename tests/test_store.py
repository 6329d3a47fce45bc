"""Tests for :mod:`lab.store`: atomic output, table lookup, fingerprints and Parquet round trips."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lab.store import (
    OutputError,
    atomic_directory,
    check_output_dir,
    fingerprint,
    read_table,
    table_path,
    write_table,
)

TZ = "Etc/GMT+8"


def keys_arrow() -> pa.Table:
    """Three answer-key rows."""
    return pa.table({
        "release": ["gps", "gps", "cdr"],
        "pseudonym": ["ad-0000000000000001", "ad-00000000000000ff", "sub-0000000000000002"],
        "person_id": ["p00000000", "p00000001", "p00000000"],
    })


def test_atomic_directory_renames_on_success(tmp_path):
    """A completed block turns the temporary directory into the target, with its files."""
    out = tmp_path / "world"
    with atomic_directory(out) as tmp:
        assert tmp != out
        assert tmp.parent == tmp_path
        assert not out.exists()
        (tmp / "a.txt").write_text("hello")
    assert (out / "a.txt").read_text() == "hello"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world"]


def test_atomic_directory_replaces_an_empty_target(tmp_path):
    """An existing empty target is replaced by the finished directory."""
    out = tmp_path / "world"
    out.mkdir()
    with atomic_directory(out) as tmp:
        (tmp / "b.txt").write_text("x")
    assert [p.name for p in out.iterdir()] == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world"]


def test_atomic_directory_leaves_nothing_when_the_body_raises(tmp_path):
    """An error in the block leaves neither the target nor a temporary directory."""
    out = tmp_path / "world"
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_directory(out) as tmp:
            (tmp / "half.txt").write_text("half")
            raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_directory_creates_missing_parents(tmp_path):
    """A target under directories that do not exist yet is created with them."""
    out = tmp_path / "a" / "b" / "world"
    with atomic_directory(out) as tmp:
        (tmp / "c.txt").write_text("c")
    assert (out / "c.txt").read_text() == "c"


def test_check_output_dir_refuses_a_non_empty_directory(tmp_path):
    """A directory holding a file is refused and its file is left as it was."""
    out = tmp_path / "world"
    out.mkdir()
    keep = out / "precious.txt"
    keep.write_text("do not touch")
    with pytest.raises(OutputError, match="not empty"):
        check_output_dir(out)
    with pytest.raises(OutputError, match="not empty"):
        with atomic_directory(out):
            pass  # pragma: no cover - never entered
    assert keep.read_text() == "do not touch"
    assert [p.name for p in out.iterdir()] == ["precious.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world"]


def test_check_output_dir_refuses_a_file(tmp_path):
    """A path that is a regular file is refused and left as it was."""
    out = tmp_path / "world"
    out.write_text("a file")
    with pytest.raises(OutputError, match="not a directory"):
        check_output_dir(out)
    assert out.read_text() == "a file"


def test_check_output_dir_accepts_new_or_empty(tmp_path):
    """A path that does not exist yet, or an empty directory, is accepted."""
    check_output_dir(tmp_path / "new" / "world")
    (tmp_path / "empty").mkdir()
    check_output_dir(tmp_path / "empty")


def test_output_error_is_an_os_error():
    """OutputError can be caught as OSError."""
    assert issubclass(OutputError, OSError)


def test_table_path_finds_a_single_file(tmp_path):
    """``name.parquet`` is found as the table's path."""
    (tmp_path / "keys.parquet").write_bytes(b"")
    assert table_path(tmp_path, "keys") == tmp_path / "keys.parquet"


def test_table_path_finds_a_partitioned_directory(tmp_path):
    """A ``name/`` directory is found when there is no single file."""
    (tmp_path / "visits").mkdir()
    assert table_path(str(tmp_path), "visits") == tmp_path / "visits"


def test_table_path_missing_names_the_table(tmp_path):
    """A missing table raises FileNotFoundError naming it."""
    (tmp_path / "keys.parquet").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="no table 'gps'"):
        table_path(tmp_path, "gps")


def test_fingerprint_equal_frames_are_equal():
    """Two frames with the same content, built separately, have one fingerprint."""
    a = keys_arrow().to_pandas()
    b = keys_arrow().to_pandas()
    assert fingerprint(a) == fingerprint(b)
    assert len(fingerprint(a)) == 64


def test_fingerprint_changes_with_one_value():
    """Changing a single cell changes the fingerprint."""
    a = keys_arrow().to_pandas()
    b = a.copy()
    b.loc[2, "person_id"] = "p00000002"
    assert fingerprint(a) != fingerprint(b)


def test_fingerprint_depends_on_column_names():
    """Renaming a column changes the fingerprint."""
    a = keys_arrow().to_pandas()
    assert fingerprint(a) != fingerprint(a.rename(columns={"release": "source"}))


def test_write_and_read_keys_round_trip(tmp_path):
    """A keys table written then read back has the same rows, columns and fingerprint."""
    table = keys_arrow()
    path = write_table(table, tmp_path / "keys.parquet", "keys", tz=TZ)
    assert path == tmp_path / "keys.parquet"
    assert pq.read_schema(path).names == ["release", "pseudonym", "person_id"]
    back = read_table(tmp_path, "keys")
    pd.testing.assert_frame_equal(back, table.to_pandas())
    assert fingerprint(back) == fingerprint(table.to_pandas())


def test_write_table_casts_and_orders_columns(tmp_path):
    """Extra columns are dropped, declared order is restored, int epoch ms become zoned timestamps."""
    table = pa.table({
        "end": pa.array([7_200_000], pa.int64()),
        "extra": ["x"],
        "place_id": ["pl00000001"],
        "start": pa.array([3_600_000], pa.int64()),
        "person_id": ["p00000000"],
    })
    path = write_table(table, tmp_path / "visits" / "part-00000.parquet", "visits", tz=TZ)
    back = read_table(tmp_path, "visits")
    assert path.parent == tmp_path / "visits"
    assert list(back.columns) == ["person_id", "place_id", "start", "end"]
    assert str(back["start"].dt.tz) == TZ
    assert back["start"].iloc[0] == pd.Timestamp("1970-01-01 01:00", tz="UTC")
    assert back["end"].iloc[0] - back["start"].iloc[0] == pd.Timedelta(hours=1)


def test_read_table_selects_columns(tmp_path):
    """``columns=`` reads only those columns."""
    write_table(keys_arrow(), tmp_path / "keys.parquet", "keys", tz=TZ)
    back = read_table(Path(tmp_path), "keys", columns=["person_id"])
    assert list(back.columns) == ["person_id"]
    assert back["person_id"].tolist() == ["p00000000", "p00000001", "p00000000"]


def test_atomic_directory_is_not_private(tmp_path):
    """The finished directory has ordinary permissions, not the temporary directory's 0700."""
    import os

    from lab.store import atomic_directory

    with atomic_directory(tmp_path / "w") as tmp:
        (tmp / "a.txt").write_text("x")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "w").stat().st_mode & 0o777 == 0o777 & ~umask
