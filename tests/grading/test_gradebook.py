"""The gradebook CSV: fixed columns, one column per question, nothing a spreadsheet would run."""

from __future__ import annotations

import csv

from lab.grading.grade import StudentResult
from lab.grading.gradebook import COLUMNS, cell_text, write_gradebook


def results():
    return [StudentResult("s01", "graded", 3.0, 3.0, {"q1": 1.0, "q2": 2.0}, ["renamed to x.ipynb"], 4.21,
                          "x.ipynb", "ab" * 32),
            StudentResult("=cmd|' /c calc'!A1", "missing", 0.0, 3.0, {"q1": 0.0, "q2": 0.0}, ["-1+1", "no folder"])]


def test_rows_have_the_fixed_columns_then_the_questions(tmp_path, tiny):
    """Header: the nine fixed columns, then q1 and q2; values as the results say."""
    path = write_gradebook(tmp_path / "gb.csv", tiny, results())
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0]) == [*COLUMNS, "q1", "q2"]
    assert rows[0] | {"lab_version": ""} == {
        "student_id": "s01", "exercise": "tiny", "score": "3", "max_score": "3", "status": "graded",
        "flags": "renamed to x.ipynb", "runtime_s": "4.2", "notebook_sha256": "ab" * 32, "lab_version": "",
        "q1": "1", "q2": "2"}


def test_formula_like_text_is_defused(tmp_path, tiny):
    """Text that a spreadsheet would evaluate is prefixed with a quote."""
    path = write_gradebook(tmp_path / "gb.csv", tiny, results())
    row = list(csv.DictReader(path.open(encoding="utf-8")))[1]
    assert row["student_id"] == "'=cmd|' /c calc'!A1" and row["flags"] == "'-1+1; no folder"
    assert cell_text("a\nb") == "a b"


def test_the_file_is_replaced_whole_with_ordinary_permissions(tmp_path, tiny):
    """An existing gradebook is replaced in one step; the new file is readable by its owner and group."""
    target = tmp_path / "gb.csv"
    target.write_text("old")
    write_gradebook(target, tiny, results())
    assert target.read_text(encoding="utf-8").startswith("student_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["gb.csv"] and target.stat().st_mode & 0o640 == 0o640
