"""Seeds from the course key: one per student and exercise, out of reach without the key."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from lab.errors import InputError
from lab.grading.seeds import CourseKeyError, normalise_id, read_key, read_roster, student_seed

KEY = b"0123456789abcdef0123456789abcdef"


def test_seed_is_hmac_of_exercise_and_normalised_id():
    """The seed is the first 8 bytes of HMAC-SHA256(key, exercise NUL id), shifted to 63 bits."""
    digest = hmac.new(KEY, b"unicity\x00s001", hashlib.sha256).digest()
    assert student_seed(KEY, "unicity", " S001 ") == int.from_bytes(digest[:8], "big") >> 1


def test_seeds_differ_by_student_exercise_and_key():
    """Another student, another exercise or another key gives another seed."""
    base = student_seed(KEY, "unicity", "s001")
    others = {student_seed(KEY, "unicity", "s002"), student_seed(KEY, "linkage", "s001"),
              student_seed(KEY[::-1], "unicity", "s001")}
    assert base not in others and len(others) == 3


def test_ids_normalise_case_space_and_unicode():
    """Case, surrounding space and Unicode compatibility forms do not make another student."""
    assert normalise_id("  ＳＴ-7 ") == normalise_id("st-7") == "st-7"


def test_a_short_key_is_refused():
    """A key under 16 bytes cannot seed anything."""
    with pytest.raises(CourseKeyError, match="at least 16"):
        student_seed(b"short", "unicity", "s001")


def test_key_file_must_exist_be_private_and_long(tmp_path):
    """A missing, shared or short key file is refused with the fix in the message."""
    path = tmp_path / "key"
    with pytest.raises(CourseKeyError, match="no such file"):
        read_key(path)
    path.write_bytes(KEY)
    path.chmod(0o644)
    with pytest.raises(CourseKeyError, match="chmod 600"):
        read_key(path)
    path.chmod(0o600)
    assert read_key(path) == KEY
    path.write_bytes(b"tiny")
    with pytest.raises(CourseKeyError, match="holds 4 bytes"):
        read_key(path)


def test_roster_gives_normalised_ids_in_order(tmp_path):
    """The student_id column, normalised, in the file's order; other columns ignored."""
    path = tmp_path / "roster.csv"
    path.write_text("name,student_id\nAda,S002\nBo, s001 \n", encoding="utf-8")
    assert read_roster(path) == ["s002", "s001"]


@pytest.mark.parametrize(("text", "message"), [
    ("name\nAda\n", "no student_id column"),
    ("student_id\ns1\nS1\n", "repeats line 2"),
    ("student_id\n\n", "lists no student"),
    ("student_id,x\n,1\n", "empty student_id"),
    ("student_id\n../evil\n", "cannot name a folder"),
])
def test_bad_rosters_are_refused_naming_the_problem(tmp_path, text, message):
    """A roster without ids, with a repeat, an empty id or a path-like id is refused."""
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_roster(path)
