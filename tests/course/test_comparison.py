"""The paper-vs-town table: complete rows only, never a blank for a failed measurement."""

from __future__ import annotations

import math

import pytest

from lab.course.comparison import COLUMNS, paper_vs_town

ROW = {"result": "ε₄", "paper": "95 %", "paper_n": "1.5 M", "town": "96 %", "town_n": 13665}


def test_rows_become_a_table_indexed_by_result():
    """Each row keeps its values, indexed by the result's name, columns in reading order."""
    table = paper_vs_town([ROW, {**ROW, "result": "ε₂", "town": 0.69}])
    assert list(table.index) == ["ε₄", "ε₂"]
    assert list(table.columns) == list(COLUMNS[1:])
    assert table.loc["ε₂", "town"] == 0.69 and table.loc["ε₄", "town_n"] == 13665


@pytest.mark.parametrize("column", ["town", "town_n"])
def test_a_missing_measurement_is_an_error(column):
    """A NaN or None town value or population raises, naming the row."""
    for bad in (math.nan, None):
        with pytest.raises(ValueError, match=f"ε₄.*no {column}"):
            paper_vs_town([{**ROW, column: bad}])


def test_a_row_without_a_column_is_an_error():
    """A row lacking the paper's population is refused, naming the column."""
    with pytest.raises(ValueError, match="lacks paper_n"):
        paper_vs_town([{k: v for k, v in ROW.items() if k != "paper_n"}])


def test_an_empty_table_is_an_error():
    """No rows at all is refused."""
    with pytest.raises(ValueError, match="no rows"):
        paper_vs_town([])
