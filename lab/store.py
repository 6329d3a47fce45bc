"""Reading and writing generated worlds: Parquet tables and a manifest.

Each table is one Parquet file named after it (``visits.parquet``); a table built
block by block in a multi-block world is a directory of that name with one part
per block (``visits/part-00000.parquet``), which pandas and pyarrow read as one.
Districts are GeoParquet. Writing goes to a temporary directory beside the
target, renamed into place only when complete, so an interrupted run leaves
nothing half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lab.schema import arrow_schema

__all__ = [
    "OutputError",
    "check_output_dir",
    "atomic_directory",
    "write_table",
    "table_path",
    "read_table",
    "read_manifest",
    "file_checksums",
    "fingerprint",
]

MANIFEST = "manifest.json"


class OutputError(OSError):
    """The output directory cannot be used."""


def check_output_dir(out: Path) -> None:
    """Refuse a target that exists and is not empty, or whose parent is not writable."""
    out = Path(out)
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"output {str(out)!r} exists and is not a directory")
        if any(out.iterdir()):
            raise OutputError(f"output directory {str(out)!r} is not empty; choose a new one or empty it first")
    parent = out.resolve().parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"output directory {str(out)!r} is not writable")


@contextlib.contextmanager
def atomic_directory(out: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary directory that becomes ``out`` only if the block completes.

    An existing empty ``out`` is replaced; a non-empty one is never touched.
    """
    out = Path(out)
    check_output_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the result is an ordinary directory
    try:
        yield tmp
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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
    raise FileNotFoundError(f"{str(root)!r} has no table {name!r} (looked for {name}.parquet and {name}/)")


def read_table(root: str | os.PathLike, name: str, *, columns: list[str] | None = None) -> pd.DataFrame:
    """Read table ``name`` of a generated world as a DataFrame (GeoDataFrame for districts)."""
    path = table_path(root, name)
    if name == "districts":
        return gpd.read_parquet(path, columns=columns)
    return pq.read_table(path, columns=columns).to_pandas()


def read_manifest(root: str | os.PathLike) -> dict:
    """The manifest of the world in ``root``."""
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{str(root)!r} is not a generated world (no {MANIFEST}); run `privacy-lab generate` first")
    return json.loads(path.read_text(encoding="utf-8"))


def file_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` but the manifest, by relative path."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        out[path.relative_to(root).as_posix()] = h.hexdigest()
    return out


def fingerprint(frame: pd.DataFrame) -> str:
    """A content hash of a table that does not depend on the Parquet writer's version."""
    frame = pd.DataFrame(frame)
    if "geometry" in frame:
        frame = frame.assign(geometry=gpd.GeoSeries(frame["geometry"]).to_wkb(hex=True))
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    h = hashlib.sha256(values.tobytes())
    h.update(",".join(map(str, frame.columns)).encode())
    return h.hexdigest()
