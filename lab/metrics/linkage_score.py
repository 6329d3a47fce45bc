"""How well a linkage attack did: top-k accuracy against the answer key.

An attack (:mod:`lab.attacks.linkage`) returns ranked candidates per query: a
named identity, a handle or a pseudonym of another release. This module
compares them with the truth, which only the metrics stage may read: the keys
table maps each release's pseudonyms to people, and the registry maps names to
people. The functions take plain DataFrames of (query, candidate) truth pairs,
so they serve any linkage.

A query counts only when it has at least one true candidate (a check-in
account whose owner is not in the GPS release cannot be found, and is not a
miss); a query with several true candidates (two people with one name) is hit
when any of them ranks within k; a query the attack gave no candidate is a miss.

References
----------
.. [1] Narayanan, A., & Shmatikov, V. (2008). Robust de-anonymization of large
   sparse datasets. *IEEE Symposium on Security and Privacy*, 111–125.
.. [2] Wang, H., Gao, C., Li, Y., Wang, G., Jin, D., & Sun, J. (2018).
   De-anonymization of mobility trajectories: dissecting the gaps between
   theory and practice. *NDSS*.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "top_k_accuracy",
    "reidentification_rate",
    "pairs_between",
    "pairs_by_name",
]


def top_k_accuracy(matches: pd.DataFrame, truth_pairs: pd.DataFrame, k: int) -> float:
    """Share of queries whose true candidate is ranked within the first ``k``.

    Parameters
    ----------
    matches : pandas.DataFrame
        Ranked candidates: a query column, ``rank`` (1 = best) and a candidate
        column, for instance the output of
        :func:`lab.attacks.linkage.link_to_auxiliary` (identity, pseudonym) or
        :func:`lab.attacks.linkage.link_releases` (pseudonym_a, pseudonym_b).
    truth_pairs : pandas.DataFrame
        The true (query, candidate) pairs; its first column names the query
        column of ``matches`` and its second the candidate column.
    k : int
        Ranks that count as a hit (at least 1).

    Returns
    -------
    float
        Hits over the distinct queries of ``truth_pairs``.

    Examples
    --------
    >>> import pandas as pd
    >>> matches = pd.DataFrame({"identity": ["Ann", "Ann", "Bob"], "rank": [1, 2, 1],
    ...                         "pseudonym": ["ad-1", "ad-2", "ad-1"]})
    >>> truth = pd.DataFrame({"identity": ["Ann", "Bob"], "pseudonym": ["ad-2", "ad-3"]})
    >>> top_k_accuracy(matches, truth, 1), top_k_accuracy(matches, truth, 2)
    (0.0, 0.5)
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a whole number of ranks of at least 1, got {k!r}")
    if not isinstance(truth_pairs, pd.DataFrame) or truth_pairs.shape[1] < 2:
        raise ValueError("truth_pairs must be a DataFrame whose first two columns are the query and the candidate")
    query, candidate = truth_pairs.columns[:2]
    missing = [c for c in (query, "rank", candidate) if c not in matches.columns]
    if missing:
        raise ValueError(f"matches is missing column(s) {', '.join(map(str, missing))} "
                         f"(the truth pairs name {query!r} and {candidate!r})")
    truth = truth_pairs[[query, candidate]].dropna().drop_duplicates()
    if len(truth) == 0:
        raise ValueError("no query has a true candidate, so the accuracy is undefined")
    top = matches.loc[matches["rank"] <= k, [query, candidate]]
    hit = top.merge(truth, on=[query, candidate], how="inner")[query].unique()
    queries = truth[query].unique()
    return float(np.isin(queries, hit).mean())


def reidentification_rate(matches: pd.DataFrame, truth_pairs: pd.DataFrame) -> float:
    """Share of queries whose best-ranked candidate is a true one (top-1 accuracy)."""
    return top_k_accuracy(matches, truth_pairs, 1)


def pairs_between(
    keys: pd.DataFrame,
    query_release: str,
    candidate_release: str,
    *,
    columns: tuple[str, str] = ("pseudonym_a", "pseudonym_b"),
) -> pd.DataFrame:
    """True pairs of pseudonyms of two releases: those the keys give to one person.

    Parameters
    ----------
    keys : pandas.DataFrame
        release, pseudonym, person_id (the answer key).
    query_release, candidate_release : str
        Release names, e.g. ``"gps"`` and ``"cdr"``.
    columns : (str, str)
        Names of the two output columns, matching the linkage's output.

    Returns
    -------
    pandas.DataFrame
        Two columns named by ``columns``, one row per pair.
    """
    for name in (query_release, candidate_release):
        if not (keys["release"] == name).any():
            raise ValueError(f"the keys have no release named {name!r}")
    a = keys.loc[keys["release"] == query_release, ["pseudonym", "person_id"]]
    b = keys.loc[keys["release"] == candidate_release, ["pseudonym", "person_id"]]
    both = a.merge(b, on="person_id", suffixes=("_q", "_c"))
    return pd.DataFrame({columns[0]: both["pseudonym_q"].to_numpy(), columns[1]: both["pseudonym_c"].to_numpy()})


def pairs_by_name(
    people: pd.DataFrame,
    keys: pd.DataFrame,
    candidate_release: str,
    *,
    columns: tuple[str, str] = ("identity", "pseudonym"),
) -> pd.DataFrame:
    """True pairs of a registry name and a release's pseudonyms (every person bearing that name).

    Parameters
    ----------
    people : pandas.DataFrame
        person_id, name (the registry).
    keys : pandas.DataFrame
        release, pseudonym, person_id.
    candidate_release : str
        Release whose pseudonyms are the candidates.
    columns : (str, str)
        Names of the two output columns.
    """
    if not (keys["release"] == candidate_release).any():
        raise ValueError(f"the keys have no release named {candidate_release!r}")
    b = keys.loc[keys["release"] == candidate_release, ["pseudonym", "person_id"]]
    both = people[["person_id", "name"]].merge(b, on="person_id")
    return pd.DataFrame({columns[0]: both["name"].to_numpy(), columns[1]: both["pseudonym"].to_numpy()})
