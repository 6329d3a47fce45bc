"""Small-count suppression: never publish a count of 1 to k-1 people.

The oldest rule of statistical disclosure control: a table cell that counts
fewer than ``k`` people is withheld, because a count of one *is* a person
("the only phone in this cell at 3 a.m."). Here a suppressed (cell, slot) is
removed from the table, so it looks exactly like a cell nobody visited: the
published table says nothing about whether a missing key held 0 or 1 to k-1
people. (Marking it instead, with a NaN and a flag, would itself disclose that
somebody was there.)

Suppression alone does not survive a second release. If the same cells and
slots are published twice, over populations that differ by a few people (a
week later, after a few users left the app; for a district and for the same
district minus one street), subtracting one table from the other isolates the
people in the difference, however large each count is: the *tracker* or
*differencing* attack of Denning, Denning and Schwartz. :func:`differencing_risk`
finds such pairs of published counts and warns. Noise (:mod:`lab.mitigations.dp`)
is the protection that composes; suppression does not.

References
----------
.. [1] Denning, D. E., Denning, P. J., Schwartz, M. D. (1979). The tracker: a
   threat to statistical database security. ACM Transactions on Database
   Systems 4(1), 76-96.
.. [2] Denning, D. E., Schlörer, J. (1983). Inference controls for statistical
   databases. IEEE Computer 16(7), 69-82.
.. [3] Cox, L. H. (1980). Suppression methodology and statistical disclosure
   control. Journal of the American Statistical Association 75(370), 377-385.
.. [4] Duncan, G. T., Elliot, M., Salazar-González, J.-J. (2011). Statistical
   Confidentiality: Principles and Practice. Springer, ch. 6.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import pandas as pd

from lab.errors import ParameterError
from lab.grid import resolve_origin
from lab.mitigations.aggregate import count_by_cell
from lab.params import check_k, warn_leak

__all__ = ["suppress_small_counts", "differencing_risk", "aggregate_release"]


def _check_counts(counts: pd.DataFrame, *, name: str = "counts") -> None:
    if not isinstance(counts, pd.DataFrame) or "count" not in counts.columns:
        raise ParameterError(f"{name} must be a table with a 'count' column (as count_by_cell returns)")
    if not pd.api.types.is_numeric_dtype(counts["count"]):
        raise ParameterError(f"{name}['count'] must hold numbers, got {counts['count'].dtype}")


def suppress_small_counts(counts: pd.DataFrame, *, k: int) -> pd.DataFrame:
    """Remove every row whose count is below ``k``.

    Parameters
    ----------
    counts : pandas.DataFrame
        A table with a ``count`` column, such as ``cell, slot, count`` from
        :func:`lab.mitigations.aggregate.count_by_cell`. Other columns are kept.
    k : int
        Smallest count that may be published (``k=1`` suppresses nothing and
        draws a :class:`~lab.params.LeakWarning`).

    Returns
    -------
    pandas.DataFrame
        The rows with ``count >= k``, with their index labels; a missing count
        (NaN) is treated as suppressed. A removed row is indistinguishable from
        a cell nobody visited. ``counts`` is not modified.

    Notes
    -----
    One table suppressed this way never shows a count of 1 to k-1. Two tables
    over overlapping populations can still be subtracted: check them with
    :func:`differencing_risk`.

    References
    ----------
    .. [1] Denning, D. E., Schlörer, J. (1983). Inference controls for
       statistical databases. IEEE Computer 16(7), 69-82.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"cell": [1, 2, 3], "slot": [0, 0, 0], "count": [12, 2, 5]})
    >>> suppress_small_counts(t, k=5)["count"].tolist()
    [12, 5]
    """
    _check_counts(counts)
    k = check_k(k)
    return counts[(counts["count"] >= k).to_numpy()].copy()


def differencing_risk(
    releases: Sequence[pd.DataFrame], *, k: int, keys: Sequence[str] = ("cell", "slot")
) -> pd.DataFrame:
    """Counts published in two releases whose difference singles out fewer than ``k`` people.

    For every pair of releases, the keys (by default ``(cell, slot)``) that both
    publish are compared; a pair of counts that differ by 1 to k-1 reveals,
    by subtraction, a group smaller than the threshold each release respects
    on its own. A :class:`~lab.params.LeakWarning` explains the
    attack when any such key exists.

    Parameters
    ----------
    releases : sequence of pandas.DataFrame
        Count tables as published (after suppression), each with the ``keys``
        columns and ``count``. Typically the same grid over two populations (two
        weeks of one app, an area and the same area less a street) or two nested
        time windows re-keyed to common keys.
    k : int
        The threshold the releases claim to respect.
    keys : sequence of str, default ("cell", "slot")
        Columns that name a published count; two releases must share them.

    Returns
    -------
    pandas.DataFrame
        One row per risky key and pair of releases: ``first``, ``second`` (the
        positions of the two releases in ``releases``), the key columns,
        ``count_first``, ``count_second`` and ``difference`` (first minus
        second), sorted by pair then key. Empty when no subtraction isolates
        fewer than ``k`` people.

    Notes
    -----
    Only keys published in both releases are compared. A key published in one
    release and suppressed in the other leaks too (the difference pushed it
    across the threshold), but a suppressed key cannot be told from an empty
    one, so it is not reported here. The check is exact-key: a count for a
    1 km cell and counts for the four 500 m cells inside it must first be
    summed to common keys by the caller.

    References
    ----------
    .. [1] Denning, D. E., Denning, P. J., Schwartz, M. D. (1979). The tracker:
       a threat to statistical database security. ACM Transactions on Database
       Systems 4(1), 76-96.
    .. [2] Duncan, G. T., Elliot, M., Salazar-González, J.-J. (2011).
       Statistical Confidentiality: Principles and Practice. Springer, ch. 6.
    """
    k = check_k(k)
    keys = list(keys)
    if not keys:
        raise ParameterError("keys must name at least one column that identifies a published count")
    if isinstance(releases, pd.DataFrame) or len(releases) < 2:
        raise ParameterError("releases must be a list of at least two count tables to compare")
    for i, table in enumerate(releases):
        _check_counts(table, name=f"releases[{i}]")
        missing = [c for c in keys if c not in table.columns]
        if missing:
            raise ParameterError(f"releases[{i}] has no column {missing[0]!r}: every release needs the keys {keys}")
        if table.duplicated(keys).any():
            raise ParameterError(f"releases[{i}] publishes the same key twice; aggregate it first")

    found = []
    for i, j in combinations(range(len(releases)), 2):
        a = releases[i][[*keys, "count"]].dropna(subset=["count"])
        b = releases[j][[*keys, "count"]].dropna(subset=["count"])
        both = a.merge(b, on=keys, suffixes=("_first", "_second"))
        diff = both["count_first"] - both["count_second"]
        risky = ((diff.abs() > 0) & (diff.abs() < k)).to_numpy()
        found.append(both[risky].assign(first=i, second=j, difference=diff[risky]))
    columns = ["first", "second", *keys, "count_first", "count_second", "difference"]
    out = pd.concat(found, ignore_index=True)[columns]
    out = out.sort_values(["first", "second", *keys], kind="stable").reset_index(drop=True)
    if out.empty:
        return out
    pairs = out[["first", "second"]].drop_duplicates()
    smallest = out["difference"].abs().min()
    warn_leak(
        f"{len(out)} published count(s) in {len(pairs)} pair(s) of releases (first: releases "
        f"{pairs.iloc[0, 0]} and {pairs.iloc[0, 1]}) differ by fewer than k={k} people, the smallest by "
        f"{smallest:g}: subtracting one table from the other reveals where and when those few people were, "
        f"although each table alone respects the threshold (the differencing or tracker attack). "
        f"Publish one table from a fixed population, or add noise (lab.mitigations.dp)",
    )
    return out


def aggregate_release(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, k: int, origin: tuple[float, float] | None = None,
    start: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Distinct pseudonyms per (cell, slot), with counts below ``k`` suppressed.

    :func:`lab.mitigations.aggregate.count_by_cell` followed by
    :func:`suppress_small_counts`.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square cells in metres.
    slot_s : int
        Length of the time slots in seconds.
    k : int
        Smallest count that may be published.
    origin : (float, float), optional
        Grid anchor. Without it the anchor is read off the release (its median
        point), with a LeakWarning: pass the town's map origin.
    start : pandas.Timestamp, optional
        Start of slot 0, as in :func:`lab.grid.cell_slots`.

    Returns
    -------
    pandas.DataFrame
        cell, slot, count, every count at least ``k``, sorted by slot then cell.

    References
    ----------
    .. [1] Denning, D. E., Schlörer, J. (1983). Inference controls for
       statistical databases. IEEE Computer 16(7), 69-82.
    """
    k = check_k(k)
    if len(release):
        origin = resolve_origin(origin, release["lat"].to_numpy(dtype=float), release["lon"].to_numpy(dtype=float),
                                protection="aggregate_release")
    counts = count_by_cell(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    return counts[(counts["count"] >= k).to_numpy()].reset_index(drop=True)
