"""Data of one's own: each student's seed from the course key, the exercise and their id.

seed = the first 8 bytes of HMAC-SHA256(key, exercise + NUL + normalised id). Without the key no
student can compute a classmate's seed, so a copied answer is wrong for the copier; the key stays
with the instructor (a file, never the repository, the released notebook or the kernel).

References
----------
.. [1] Krawczyk, Bellare & Canetti (1997), "HMAC: Keyed-Hashing for Message Authentication", RFC 2104.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import stat
import unicodedata
from pathlib import Path

from lab.errors import InputError

__all__ = ["CourseKeyError", "normalise_id", "student_seed", "read_key", "read_roster", "MIN_KEY_BYTES"]

#: The shortest course key accepted (128 bits); `head -c 32 /dev/urandom > course.key` makes a good one.
MIN_KEY_BYTES = 16


class CourseKeyError(InputError):
    """A course key file that cannot be used."""


def normalise_id(student_id: str) -> str:
    """The form of a student id that seeds, folders and the gradebook agree on.

    Unicode NFKC, surrounding white space removed, case folded: ``" Ada.L "`` and ``"ada.l"`` are
    one student.

    Examples
    --------
    >>> normalise_id("  S042-Ünal ")
    's042-ünal'
    """
    return unicodedata.normalize("NFKC", str(student_id)).strip().casefold()


def student_seed(key: bytes, exercise: str, student_id: str) -> int:
    """The seed of one student's data for one exercise.

    Parameters
    ----------
    key : bytes
        The course key.
    exercise : str
        The exercise's name (each exercise gives each student other data).
    student_id : str
        As in the roster; normalised first.

    Returns
    -------
    int
        A 63-bit seed for :func:`numpy.random.default_rng` and the world generator.

    Examples
    --------
    >>> a = student_seed(b"k" * 16, "unicity", "S1")
    >>> a == student_seed(b"k" * 16, "unicity", " s1 ") != student_seed(b"k" * 16, "unicity", "S2")
    True
    """
    if len(key) < MIN_KEY_BYTES:
        raise CourseKeyError(f"the course key has {len(key)} bytes; it needs at least {MIN_KEY_BYTES}")
    message = exercise.encode() + b"\x00" + normalise_id(student_id).encode()
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:8], "big") >> 1


def read_key(path: str | os.PathLike) -> bytes:
    """Read the course key from ``path``, refusing a missing, short or shared file.

    Raises
    ------
    CourseKeyError
        The file is missing, not a regular file, shorter than :data:`MIN_KEY_BYTES`, or readable by
        other users (make it private: ``chmod 600 KEY``).
    """
    path = Path(path)
    if not path.is_file():
        raise CourseKeyError(f"--key-file {str(path)!r}: no such file (make one: head -c 32 /dev/urandom > {path})")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CourseKeyError(f"--key-file {str(path)!r} is readable by other users; make it private: chmod 600 {path}")
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise CourseKeyError(f"--key-file {str(path)!r} holds {len(key)} bytes; a course key needs at least "
                        f"{MIN_KEY_BYTES} (head -c 32 /dev/urandom > {path})")
    return key


def read_roster(path: str | os.PathLike) -> list[str]:
    """The student ids of a roster CSV (a ``student_id`` column; other columns are ignored).

    Returns
    -------
    list of str
        Normalised ids, in the roster's order.

    Raises
    ------
    InputError
        The file is missing or unreadable, has no ``student_id`` column, an empty id, an id that
        cannot name a folder, two rows naming the same student, or no student at all.
    """
    path = Path(path)
    what = f"--roster {str(path)!r}"
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if "student_id" not in (reader.fieldnames or []):
                raise InputError(f"{what} has no student_id column (columns: {', '.join(reader.fieldnames or [])})")
            ids = [(row.get("student_id") or "", reader.line_num) for row in reader]
    except OSError as exc:
        raise InputError(f"{what} cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{what} is not a UTF-8 CSV file ({exc})") from None
    seen: dict[str, int] = {}
    for raw, line in ids:
        student = normalise_id(raw)
        if not student:
            raise InputError(f"{what}, line {line}: empty student_id")
        if student in {".", ".."} or any(c in student for c in "/\\\x00") or not student.isprintable():
            raise InputError(f"{what}, line {line}: student_id {raw!r} cannot name a folder")
        if student in seen:
            raise InputError(f"{what}, line {line}: student_id {raw!r} repeats line {seen[student]}")
        seen[student] = line
    if not seen:
        raise InputError(f"{what} lists no student")
    return list(seen)
