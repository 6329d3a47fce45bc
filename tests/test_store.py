"""Tests for :mod:`lab.store`: atomic output, table lookup, fingerprints and Parquet round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lab.store import (
    MANIFEST,
    IntegrityError,
    OutputError,
    atomic_directory,
    check_output_dir,
    file_checksums,
    file_sizes,
    fingerprint,
    read_manifest,
    read_table,
    table_path,
    verification,
    verify_table,
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

    def write_half_then_fail():
        with atomic_directory(out) as tmp:
            (tmp / "half.txt").write_text("half")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_half_then_fail()
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
    with pytest.raises(OutputError, match="not empty"), atomic_directory(out):
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


def test_output_error_is_bad_input():
    """OutputError is bad input (one line, exit 2 on the command line), whatever module it is imported from."""
    from lab.errors import InputError

    assert issubclass(OutputError, InputError)
    assert issubclass(IntegrityError, InputError)


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
    back = read_table(tmp_path, "keys", verify=False)  # a lone table: no manifest to check it against
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
    back = read_table(tmp_path, "visits", verify=False)
    assert path.parent == tmp_path / "visits"
    assert list(back.columns) == ["person_id", "place_id", "start", "end"]
    assert str(back["start"].dt.tz) == TZ
    assert back["start"].iloc[0] == pd.Timestamp("1970-01-01 01:00", tz="UTC")
    assert back["end"].iloc[0] - back["start"].iloc[0] == pd.Timedelta(hours=1)


def test_read_table_selects_columns(tmp_path):
    """``columns=`` reads only those columns."""
    write_table(keys_arrow(), tmp_path / "keys.parquet", "keys", tz=TZ)
    back = read_table(Path(tmp_path), "keys", columns=["person_id"], verify=False)
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


# --- verification against the manifest -------------------------------------------------------


def _world(root: Path) -> Path:
    """A two-table world as write_world lays it out: keys in two parts, one file of places, a manifest."""
    keys = keys_arrow()
    write_table(keys.slice(0, 2), root / "keys" / "part-00000.parquet", "keys", tz=TZ)
    write_table(keys.slice(2), root / "keys" / "part-00001.parquet", "keys", tz=TZ)
    write_table(keys, root / "other.parquet", "keys", tz=TZ)
    manifest = {"tables": ["keys", "other"], "rows": {"keys": 3, "other": 3},
                "checksums": file_checksums(root), "sizes": file_sizes(root)}
    (root / MANIFEST).write_text(json.dumps(manifest))
    return root


def test_verified_read_of_an_untouched_world(tmp_path):
    """Every table of an untouched world reads, parts together."""
    root = _world(tmp_path)
    assert read_table(root, "keys")["person_id"].tolist() == ["p00000000", "p00000001", "p00000000"]
    verify_table(root, "other")


def test_swapped_file_is_refused(tmp_path):
    """A table replaced by another valid Parquet file is refused, naming the file and the manifest."""
    root = _world(tmp_path)
    write_table(keys_arrow().slice(0, 1), root / "other.parquet", "keys", tz=TZ)
    with pytest.raises(IntegrityError, match=r"other\.parquet does not match manifest\.json \(size .*--no-verify"):
        read_table(root, "other")


def test_same_size_other_bytes_are_refused(tmp_path):
    """A file with the recorded size but other bytes fails on its checksum."""
    root = _world(tmp_path)
    path = root / "other.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="other.parquet does not match manifest.json .*SHA-256"):
        read_table(root, "other")


def test_truncated_file_is_refused(tmp_path):
    """A truncated part is refused on its size, naming the part."""
    root = _world(tmp_path)
    part = root / "keys" / "part-00001.parquet"
    part.write_bytes(part.read_bytes()[:100])
    with pytest.raises(IntegrityError, match=r"keys/part-00001\.parquet does not match .*size 100 bytes"):
        read_table(root, "keys")


def test_missing_file_is_refused(tmp_path):
    """A part listed in the manifest but gone is refused, naming it."""
    root = _world(tmp_path)
    (root / "keys" / "part-00000.parquet").unlink()
    with pytest.raises(IntegrityError, match="keys/part-00000.parquet does not match .*missing"):
        read_table(root, "keys")


def test_extra_part_is_refused(tmp_path):
    """A part the manifest does not list is refused, naming it (it would add rows in silence)."""
    root = _world(tmp_path)
    write_table(keys_arrow(), root / "keys" / "part-00002.parquet", "keys", tz=TZ)
    with pytest.raises(IntegrityError, match="keys/part-00002.parquet does not match .*does not list"):
        read_table(root, "keys")


def test_row_count_differing_from_manifest_is_refused(tmp_path):
    """A manifest whose row count disagrees with the files is refused."""
    root = _world(tmp_path)
    manifest = json.loads((root / MANIFEST).read_text())
    manifest["rows"]["other"] = 100
    (root / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IntegrityError, match="3 rows, the manifest says 100"):
        read_table(root, "other")


def test_opt_out_reads_an_edited_world(tmp_path):
    """verify=False, or a verification(False) block, reads a table edited on purpose."""
    root = _world(tmp_path)
    write_table(keys_arrow().slice(0, 1), root / "other.parquet", "keys", tz=TZ)
    assert len(read_table(root, "other", verify=False)) == 1
    with verification(False):
        assert len(read_table(root, "other")) == 1
    with pytest.raises(IntegrityError):
        read_table(root, "other")  # the block is over: verified again


def test_explicit_verify_wins_over_the_block(tmp_path):
    """verify=True inside a verification(False) block still verifies."""
    root = _world(tmp_path)
    write_table(keys_arrow().slice(0, 1), root / "other.parquet", "keys", tz=TZ)
    with verification(False), pytest.raises(IntegrityError):
        read_table(root, "other", verify=True)


def test_unverified_garbage_is_an_integrity_error(tmp_path):
    """Not verifying, a file that is not Parquet is still refused as bad input, naming the table."""
    root = _world(tmp_path)
    (root / "other.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(IntegrityError, match="table 'other' .* is not readable Parquet"):
        read_table(root, "other", verify=False)


def test_unreadable_manifest_names_it(tmp_path):
    """A manifest that is not JSON, or lacks its checksums, is refused naming manifest.json."""
    root = _world(tmp_path)
    (root / MANIFEST).write_text("{not json")
    with pytest.raises(IntegrityError, match="manifest.json of .* is not valid JSON"):
        read_manifest(root)
    (root / MANIFEST).write_text(json.dumps({"tables": [], "rows": {}}))
    with pytest.raises(IntegrityError, match="manifest.json of .* lacks checksums"):
        read_manifest(root)


def test_not_a_world_names_the_directory(tmp_path):
    """A directory without a manifest is not a generated world; the error carries the directory."""
    with pytest.raises(FileNotFoundError, match="not a generated world") as info:
        read_manifest(tmp_path)
    assert info.value.filename == str(tmp_path)
