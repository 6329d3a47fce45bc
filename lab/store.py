"""Reading and writing generated worlds: Parquet tables and a manifest.

Each table is one Parquet file named after it (``visits.parquet``); a table built
block by block in a multi-block world is a directory of that name with one part
per block (``visits/part-00000.parquet``), which pandas and pyarrow read as one.
Districts are GeoParquet. Writing goes to a temporary directory beside the
target, renamed into place only when complete (:func:`lab.output.atomic_directory`),
so an interrupted run leaves nothing half-written.

The manifest records every file's size and SHA-256. Reading a table checks its
files against it first (:func:`verify_table`; over a gigabyte a second), so a
swapped, truncated, missing or extra file raises :class:`IntegrityError` naming
the table instead of giving other numbers in silence. Someone who edits a world
on purpose passes ``verify=False``, or reads inside ``with verification(False):``
(what ``--no-verify`` does).
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lab.errors import InputError
from lab.output import OutputError, atomic_directory, check_output_dir
from lab.schema import arrow_schema

__all__ = [
    "OutputError",
    "IntegrityError",
    "check_output_dir",
    "atomic_directory",
    "write_table",
    "table_path",
    "read_table",
    "read_manifest",
    "verify_table",
    "verification",
    "file_checksums",
    "file_sizes",
    "fingerprint",
]

MANIFEST = "manifest.json"


class IntegrityError(InputError):
    """A world whose files no longer match its manifest, or whose manifest cannot be read."""


def write_table(table: pa.Table, path: Path, name: str, *, tz: str) -> Path:
    """Write ``table`` as Parquet at ``path``, cast to table ``name``'s declared schema."""
    schema = arrow_schema(name, tz=tz)
    table = table.select(schema.names).cast(schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", write_statistics=True)
    return path


def table_path(root: str | os.PathLike, name: str) -> Path:
    """Where table ``name`` of the world in ``root`` lives (file or partitioned directory)."""
    root = Path(root)
    single = root / f"{name}.parquet"
    if single.is_file():
        return single
    if (root / name).is_dir():
        return root / name
    raise FileNotFoundError(errno.ENOENT, f"no table {name!r} (looked for {name}.parquet and {name}/)", str(root))


_VERIFY: contextvars.ContextVar[bool] = contextvars.ContextVar("lab_store_verify", default=True)


@contextlib.contextmanager
def verification(enabled: bool) -> Iterator[None]:
    """Within the block, reads that are not told otherwise verify (or not) against the manifest.

    ``with verification(False):`` is what ``--no-verify`` does: for a world edited
    on purpose, every reader below it (realism, the risk report...) reads as is.
    """
    token = _VERIFY.set(bool(enabled))
    try:
        yield
    finally:
        _VERIFY.reset(token)


def _verifying(verify: bool | None) -> bool:
    return _VERIFY.get() if verify is None else bool(verify)


def read_table(root: str | os.PathLike, name: str, *, columns: list[str] | None = None,
               verify: bool | None = None) -> pd.DataFrame:
    """Read table ``name`` of a generated world as a DataFrame (GeoDataFrame for districts).

    Parameters
    ----------
    root : path
        The world's directory.
    name : str
        The table.
    columns : list of str, optional
        Read only these columns.
    verify : bool, optional
        Check the table's files against the manifest first (:func:`verify_table`).
        Default: yes, unless inside ``with verification(False):``.

    Raises
    ------
    IntegrityError
        When verifying and a file of the table differs from what the manifest
        records, or, not verifying, when a file is not readable Parquet.
    """
    verify = _verifying(verify)
    if verify:
        verify_table(root, name)
    path = table_path(root, name)
    try:
        if name == "districts":
            return gpd.read_parquet(path, columns=columns)
        return pq.read_table(path, columns=columns).to_pandas()
    except pa.ArrowInvalid as exc:
        if verify:
            raise  # the bytes are those written: a failure here is the reader's, not the file's
        raise IntegrityError(f"table {name!r} of {str(root)!r} is not readable Parquet ({exc})") from None


def read_manifest(root: str | os.PathLike) -> dict:
    """The manifest of the world in ``root``.

    Raises
    ------
    FileNotFoundError
        When ``root`` holds no manifest (it is not a generated world).
    IntegrityError
        When the manifest is not valid JSON or lacks its tables, rows or checksums.
    """
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(errno.ENOENT, f"not a generated world (no {MANIFEST}); run `privacy-lab generate` "
                                "first", str(root))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntegrityError(f"{MANIFEST} of {str(root)!r} is not valid JSON ({exc})") from None
    missing = [k for k in ("tables", "rows", "checksums") if not isinstance(manifest, dict) or k not in manifest]
    if missing:
        raise IntegrityError(f"{MANIFEST} of {str(root)!r} lacks {', '.join(missing)}: it was not written by "
                             "`privacy-lab generate`, or was edited")
    return manifest


def _files_on_disk(root: Path, name: str) -> set[str]:
    """The files that hold table ``name``, as paths relative to ``root`` (hidden files aside, as Parquet does)."""
    files = set()
    if (root / f"{name}.parquet").is_file():
        files.add(f"{name}.parquet")
    if (root / name).is_dir():
        files.update(p.relative_to(root).as_posix() for p in (root / name).rglob("*")
                     if p.is_file() and not p.name.startswith((".", "_")))
    return files


def verify_table(root: str | os.PathLike, name: str, *, manifest: dict | None = None) -> None:
    """Check that the files of table ``name`` are exactly those the manifest records.

    Every file of the table (one, or one per block) must be listed, none listed
    may be missing, and each must have the recorded size and SHA-256; the rows
    in the Parquet footers must add up to the recorded count.

    Raises
    ------
    IntegrityError
        Naming the file and what differs.
    """
    root = Path(root)
    manifest = manifest if manifest is not None else read_manifest(root)
    checksums = manifest["checksums"]
    listed = {p for p in checksums if p == f"{name}.parquet" or p.startswith(f"{name}/")}
    on_disk = _files_on_disk(root, name)
    if not listed and not on_disk:
        return  # no such table: reading it says so
    advice = (f"the world in {str(root)!r} was changed after it was written; "
              "pass --no-verify (verify=False) to read it anyway")

    def mismatch(path: str, detail: str) -> IntegrityError:
        return IntegrityError(f"{path} does not match {MANIFEST} ({detail}): {advice}")

    extra, missing = sorted(on_disk - listed), sorted(listed - on_disk)
    if extra:
        raise mismatch(extra[0], f"table {name!r} has a file the manifest does not list")
    if missing:
        raise mismatch(missing[0], "the file is missing")
    sizes = manifest.get("sizes", {})
    for path in sorted(listed):
        size = (root / path).stat().st_size
        if path in sizes and size != sizes[path]:
            raise mismatch(path, f"size {size:,} bytes, the manifest says {sizes[path]:,}")
    for path in sorted(listed):
        if _sha256(root / path) != checksums[path]:
            raise mismatch(path, "same size, different SHA-256" if path in sizes else "different SHA-256")
    expected = manifest["rows"].get(name)
    if expected is not None:
        rows = sum(pq.ParquetFile(root / p).metadata.num_rows for p in listed if p.endswith(".parquet"))
        if rows != expected:
            raise mismatch(f"{name}.parquet" if f"{name}.parquet" in listed else f"{name}/",
                           f"{rows:,} rows, the manifest says {expected:,}")


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _data_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def file_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` but the manifest, by relative path."""
    return {p.relative_to(root).as_posix(): _sha256(p) for p in _data_files(root)}


def file_sizes(root: Path) -> dict[str, int]:
    """Size in bytes of every file under ``root`` but the manifest, by relative path."""
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in _data_files(root)}


def fingerprint(frame: pd.DataFrame) -> str:
    """A content hash of a table that does not depend on the Parquet writer's version."""
    frame = pd.DataFrame(frame)
    if "geometry" in frame:
        frame = frame.assign(geometry=gpd.GeoSeries(frame["geometry"]).to_wkb(hex=True))
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    h = hashlib.sha256(values.tobytes())
    h.update(",".join(map(str, frame.columns)).encode())
    return h.hexdigest()
