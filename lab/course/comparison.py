"""The table every lesson ends with: what the paper found, and what our town gives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["paper_vs_town", "COLUMNS"]

#: Columns of the comparison table, in reading order.
COLUMNS = ("result", "paper", "paper_n", "town", "town_n")


def paper_vs_town(rows: Iterable[Mapping]) -> pd.DataFrame:
    """One row per result: the paper's figure and population beside the town's.

    Parameters
    ----------
    rows : iterable of mapping
        Each with ``result`` (what is measured), ``paper`` (the published figure, as text),
        ``paper_n`` (the paper's population, as text), ``town`` (the value the lesson computed)
        and ``town_n`` (how many people or traces it was computed on).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``result``.

    Raises
    ------
    ValueError
        When a row lacks a column, or a town value or population is missing or NaN (a
        measurement that failed is an error, never a blank in the table).

    Examples
    --------
    >>> paper_vs_town([{"result": "ε₄", "paper": "95 %", "paper_n": "1.5 M",
    ...                 "town": "96 %", "town_n": 13665}]).loc["ε₄", "town_n"].item()
    13665
    """
    table = []
    for i, row in enumerate(rows):
        missing = [c for c in COLUMNS if c not in row]
        if missing:
            raise ValueError(f"paper_vs_town: row {i} lacks {', '.join(missing)}")
        for column in ("town", "town_n"):
            value = row[column]
            if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
                raise ValueError(f"paper_vs_town: row {i} ({row['result']}) has no {column}: the measurement failed")
        table.append({c: row[c] for c in COLUMNS})
    if not table:
        raise ValueError("paper_vs_town: no rows")
    return pd.DataFrame(table, columns=list(COLUMNS)).set_index("result")
