"""Output files and directories the user names: checked before any work, written atomically.

Every command that writes checks each destination first
(:func:`check_destination`, :func:`check_output_dir`), so a bad ``--map`` or
``--plot`` is refused before minutes of work and before any other output is
written. Each output is then written by :func:`atomic_write` (a file) or
:func:`atomic_directory` (a generated world): to a temporary path beside the
target, moved into place only when complete, with the ordinary permissions
``0666 & ~umask`` (``0777 & ~umask`` for a directory), and removed on failure,
so a reader never sees a partial file and a failure leaves nothing behind.
Errors name the destination, never the temporary path.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     target = check_destination(pathlib.Path(d) / "risk.json", option="--json", suffixes=(".json",))
...     with atomic_write(target) as tmp:
...         _ = tmp.write_text("{}")
...     print(target.read_text(), sorted(p.name for p in pathlib.Path(d).iterdir()))
{} ['risk.json']
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from lab.errors import InputError

__all__ = ["OutputError", "check_destination", "check_output_dir", "atomic_write", "atomic_directory",
           "ordinary_mode"]


class OutputError(InputError):
    """An output file or directory that cannot be written."""


def ordinary_mode(*, directory: bool = False) -> int:
    """The permissions a new file (``0666``) or directory (``0777``) gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def _named(option: str | None, path: str | os.PathLike) -> str:
    return f"{option} {str(path)!r}" if option else repr(str(path))


def _check_creatable(path: Path, what: str) -> None:
    """Refuse ``path`` unless a file can be created in its nearest existing ancestor.

    A probe file is created and removed there: permission bits alone do not tell
    (root may write anywhere by them, yet not under ``/proc`` or on a read-only disk).
    """
    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{what} cannot be written: {str(ancestor)!r} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".privacy-lab-probe-", dir=ancestor)
    except OSError as exc:
        raise OutputError(f"{what} cannot be written: files cannot be created in {str(ancestor)!r} "
                          f"({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


def check_destination(path: str | os.PathLike, *, option: str | None = None,
                      suffixes: Sequence[str] = ()) -> Path:
    """Refuse an output file before any work: wrong suffix, a directory, or a place files cannot go.

    Parameters
    ----------
    path : str or os.PathLike
        The file to be written; it may exist (it will be replaced) and its
        directory need not exist yet (it will be created).
    option : str, optional
        The option that named it (``"--plot"``), for the message.
    suffixes : sequence of str
        Accepted suffixes, lower case with the dot (``(".png", ".svg")``); empty accepts any.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        Naming the option and the path.
    """
    target = Path(path)
    what = _named(option, path)
    if suffixes and target.suffix.lower() not in suffixes:
        raise OutputError(f"{what} must end in {', '.join(suffixes[:-1]) + ' or ' if len(suffixes) > 1 else ''}"
                          f"{suffixes[-1]}")
    if target.is_dir():
        raise OutputError(f"{what} is a directory; give a file name")
    if target.exists() and not target.is_file():
        raise OutputError(f"{what} exists and is not a regular file")
    _check_creatable(target, what)
    return target


def check_output_dir(out: str | os.PathLike, *, option: str | None = None) -> Path:
    """Refuse an output directory that exists and is not empty, or where nothing can be created."""
    out = Path(out)
    what = _named(option, out) if option else f"output directory {str(out)!r}"
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{what} exists and is not a directory")
        if any(out.iterdir()):
            raise OutputError(f"{what} is not empty; choose a new one or empty it first")
    _check_creatable(out, what)
    return out


def _make_parents(path: Path) -> list[Path]:
    """Create the missing directories above ``path``; return them, deepest first."""
    missing = []
    parent = path.absolute().parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    path.parent.mkdir(parents=True, exist_ok=True)
    return missing


def _remove_empty(directories: list[Path]) -> None:
    for d in directories:
        with contextlib.suppress(OSError):
            d.rmdir()


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, option: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` that becomes ``path`` when the block completes.

    Write the whole output to the yielded path (it keeps the target's suffix, so
    libraries that choose a format by extension still do). On success it is
    flushed to disk, given ordinary permissions and renamed over ``path``; on any
    error it is removed and ``path`` is left as it was. Missing parent
    directories are created.

    Raises
    ------
    OutputError
        When the file cannot be created or written, naming ``path`` (and ``option``).
    """
    target = Path(path)
    what = _named(option, path)
    made: list[Path] = []
    try:
        made = _make_parents(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        _remove_empty(made)
        raise OutputError(f"{what} could not be created ({exc.strerror or exc})") from None
    tmp = Path(name)
    try:
        try:
            yield tmp
        except OSError as exc:
            if exc.filename is not None and Path(os.fsdecode(exc.filename)) == tmp:
                raise OutputError(f"{what} could not be written ({exc.strerror or exc})") from None
            raise
        try:
            _sync(tmp)
            os.chmod(tmp, ordinary_mode())
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(f"{what} could not be written ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        _remove_empty(made)
        raise


@contextlib.contextmanager
def atomic_directory(out: str | os.PathLike, *, option: str | None = None) -> Iterator[Path]:
    """Yield a temporary directory that becomes ``out`` only if the block completes.

    An existing empty ``out`` is replaced; a non-empty one is refused and never touched.
    The result has the ordinary permissions of a new directory.
    """
    out = check_output_dir(out, option=option)
    what = _named(option, out) if option else f"output directory {str(out)!r}"
    made: list[Path] = []
    try:
        made = _make_parents(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        _remove_empty(made)
        raise OutputError(f"{what} could not be created ({exc.strerror or exc})") from None
    try:
        try:
            os.chmod(tmp, ordinary_mode(directory=True))  # mkdtemp makes it private
            yield tmp
            if out.exists():
                out.rmdir()  # empty, checked above
            os.replace(tmp, out)
        except OSError as exc:
            failed = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
            if failed is not None and (failed in (tmp, out) or failed.is_relative_to(tmp)):
                raise OutputError(f"{what} could not be written ({exc.strerror or exc})") from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_empty(made)
        raise
