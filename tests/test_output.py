"""Tests for lab.output: destinations checked up front, atomic writes with ordinary permissions."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import lab.output
from lab.errors import InputError
from lab.output import OutputError, atomic_directory, atomic_write, check_destination, check_output_dir


@pytest.fixture
def umask_022():
    """Run the test under umask 022, the usual default, and restore the caller's."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _refuse_probes(monkeypatch):
    """Make every probe file fail as on a read-only disk."""
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(lab.output.tempfile, "mkstemp", refuse)


def test_output_error_is_input_error():
    """An unusable output is bad input (exit 2 on the command line), not an internal error."""
    assert issubclass(OutputError, InputError) and issubclass(OutputError, ValueError)


def test_check_destination_wrong_suffix_names_the_option(tmp_path):
    """A file without an accepted suffix is refused, naming the option and the suffixes."""
    with pytest.raises(OutputError, match=r"--plot '.*p\.txt' must end in \.png, \.svg or \.pdf"):
        check_destination(tmp_path / "p.txt", option="--plot", suffixes=(".png", ".svg", ".pdf"))
    with pytest.raises(OutputError, match=r"--json '.*r\.csv' must end in \.json$"):
        check_destination(tmp_path / "r.csv", option="--json", suffixes=(".json",))


def test_check_destination_suffix_case_does_not_matter(tmp_path):
    """FIGURE.PNG is a PNG."""
    assert check_destination(tmp_path / "FIGURE.PNG", option="--plot", suffixes=(".png",)) == tmp_path / "FIGURE.PNG"


def test_check_destination_refuses_a_directory(tmp_path):
    """An existing directory is not a file name."""
    (tmp_path / "d.html").mkdir()
    with pytest.raises(OutputError, match="--map .* is a directory"):
        check_destination(tmp_path / "d.html", option="--map", suffixes=(".html",))


def test_check_destination_refuses_a_file_for_a_parent(tmp_path):
    """A path whose parent is a regular file cannot be created."""
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="is not a directory"):
        check_destination(tmp_path / "f" / "r.json", option="--json")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_check_destination_refuses_proc():
    """/proc accepts no new files, even for root whose permission bits say yes."""
    with pytest.raises(OutputError, match=r"--map '/proc/x\.html' cannot be written"):
        check_destination("/proc/x.html", option="--map", suffixes=(".html",))


def test_check_destination_refuses_an_unwritable_place(tmp_path, monkeypatch):
    """Where no file can be created, the destination is refused naming the option and the directory."""
    _refuse_probes(monkeypatch)
    with pytest.raises(OutputError,
                       match=r"--out .* cannot be written: files cannot be created in .*Permission denied"):
        check_destination(tmp_path / "t.csv", option="--out", suffixes=(".csv",))


def test_check_destination_leaves_nothing(tmp_path):
    """Checking creates no file and no directory: the probe is removed and missing parents stay missing."""
    check_destination(tmp_path / "a" / "b" / "r.json", option="--json", suffixes=(".json",))
    assert list(tmp_path.iterdir()) == []


def test_check_output_dir_refuses_an_unwritable_place(tmp_path, monkeypatch):
    """An output directory where nothing can be created is refused, naming the option."""
    _refuse_probes(monkeypatch)
    with pytest.raises(OutputError, match="--out .* cannot be written"):
        check_output_dir(tmp_path / "w", option="--out")


def test_atomic_write_gives_ordinary_permissions(tmp_path, umask_022):
    """The file written has 0666 & ~umask (0o644 under umask 022), not the temporary file's 0600."""
    target = tmp_path / "r.json"
    with atomic_write(target) as tmp:
        tmp.write_text("{}")
    assert target.read_text() == "{}"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_atomic_write_keeps_the_suffix_for_format_detection(tmp_path):
    """The temporary path ends like the target, so writers that pick a format by extension still do."""
    with atomic_write(tmp_path / "t.png") as tmp:
        assert tmp.suffix == ".png" and tmp.parent == tmp_path
        tmp.write_bytes(b"png")


def test_atomic_write_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    """An error in the block leaves an existing target as it was and removes the temporary file."""
    target = tmp_path / "t.csv"
    target.write_text("old")

    def write_half_then_fail():
        with atomic_write(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_half_then_fail()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_write_failure_removes_the_directories_it_made(tmp_path):
    """Directories created for the target are removed again when the write fails."""
    with pytest.raises(RuntimeError), atomic_write(tmp_path / "a" / "b" / "t.csv"):
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_error_names_the_target_not_the_temporary(tmp_path):
    """A write error on the temporary file is reported against the target, never the temporary name."""
    target = tmp_path / "t.csv"
    with pytest.raises(OutputError) as info, atomic_write(target, option="--out") as tmp:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp))
    message = str(info.value)
    assert "--out" in message and "t.csv" in message and "No space left" in message
    assert ".tmp" not in message
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_leaves_other_os_errors_alone(tmp_path):
    """An OSError about another file (an input, say) is not disguised as an output error."""
    with pytest.raises(FileNotFoundError), atomic_write(tmp_path / "t.csv"):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(tmp_path / "input.csv"))


def test_atomic_directory_gives_ordinary_permissions(tmp_path, umask_022):
    """The finished directory has 0777 & ~umask (0o755 under umask 022), not mkdtemp's 0700."""
    with atomic_directory(tmp_path / "w") as tmp:
        (tmp / "a.txt").write_text("x")
    assert (tmp_path / "w").stat().st_mode & 0o777 == 0o755


def test_atomic_directory_failure_removes_the_directories_it_made(tmp_path):
    """A failed world leaves neither itself nor the parent directories made for it."""
    def write_half_then_fail():
        with atomic_directory(tmp_path / "a" / "w") as tmp:
            (tmp / "half").write_text("x")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_half_then_fail()
    assert list(tmp_path.iterdir()) == []


def test_atomic_directory_error_names_the_directory_not_the_temporary(tmp_path):
    """A write error inside the temporary world is reported against --out, never the temporary name."""
    with pytest.raises(OutputError) as info, atomic_directory(tmp_path / "w", option="--out") as tmp:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp / "visits" / "part-00000.parquet"))
    message = str(info.value)
    assert message.startswith("--out") and "No space left" in message and ".tmp" not in message
    assert list(tmp_path.iterdir()) == []
