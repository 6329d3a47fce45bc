"""k-anonymity of quasi-identifiers: full-domain generalisation and suppression.

A registry stripped of names still singles people out through its
quasi-identifiers: where they live, where they work, when they were born and
their sex (Sweeney found that 87 % of Americans are unique on ZIP code, birth
date and sex). k-anonymity publishes those columns coarsely enough that every
combination is shared by at least ``k`` records. Here each quasi-identifier
climbs its own hierarchy:

==========  =================================================================
attribute   levels (0 is the finest)
==========  =================================================================
``home``    200 m grid cell → 1 km cell → 5 km cell → ``*`` (the whole town)
``work``    the same nested cells; people with no workplace read ``none``
``birth``   birth year → 5-year band → 10-year band → ``*``
``sex``     as recorded → ``*``
==========  =================================================================

Full-domain generalisation (Samarati 2001) applies one level per attribute to
every record. The lattice of level combinations is small (4 × 4 × 4 × 2 = 128
nodes), so every node is checked with one vectorised group count: records in
classes of fewer than ``k`` are suppressed (deleted), and the node is feasible
if at most ``max_suppression`` of the records go. Among feasible nodes the one
with the least information loss wins.

References
----------
.. [1] Sweeney, L. (2002). k-anonymity: a model for protecting privacy.
   International Journal of Uncertainty, Fuzziness and Knowledge-Based Systems
   10(5), 557–570.
.. [2] Sweeney, L. (2002). Achieving k-anonymity privacy protection using
   generalization and suppression. IJUFKS 10(5), 571–588.
.. [3] Samarati, P. (2001). Protecting respondents' identities in microdata
   release. IEEE Transactions on Knowledge and Data Engineering 13(6), 1010–1027.
.. [4] Bayardo, R. J., Agrawal, R. (2005). Data privacy through optimal
   k-anonymization. ICDE 2005 (the discernibility metric).
.. [5] Xu, J., Wang, W., Pei, J., Wang, X., Shi, B., Fu, A. W.-C. (2006).
   Utility-based anonymization using local recoding. KDD 2006 (the normalised
   certainty penalty).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lab.errors import ParameterError
from lab.geo import to_local
from lab.grid import grid_cell, resolve_origin
from lab.params import check_k, check_share, warn_leak

__all__ = ["ATTRIBUTES", "Generalisation", "generalise_quasi_identifiers"]

#: The quasi-identifiers this module knows, and the input columns each reads.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "home": ("home_lat", "home_lon"),
    "work": ("work_lat", "work_lon"),
    "birth": ("birth_date",),  # or birth_year
    "sex": ("sex",),
}

#: Name of the generalised column each attribute publishes.
OUTPUT = {"home": "home_cell", "work": "work_cell", "birth": "birth_years", "sex": "sex"}

#: Above this share of suppressed records the remaining ones keep fine detail.
SUPPRESSION_WARNING = 0.2


@dataclasses.dataclass(frozen=True)
class Generalisation:
    """A k-anonymous table and how it was obtained.

    Attributes
    ----------
    table : pandas.DataFrame
        The surviving records, with their index labels. Each quasi-identifier's raw
        columns are replaced by one generalised column (``home_cell``,
        ``work_cell``, ``birth_years``, ``sex``); other columns pass unchanged.
    levels : dict of str to str
        The chosen level of each attribute, e.g. ``{"home": "1 km", "sex": "*"}``.
    suppressed : pandas.Index
        Index labels of the records deleted because their class had fewer than k.
    suppressed_share : float
        ``len(suppressed) / len(input)``.
    ncp : float
        Normalised certainty penalty in [0, 1], averaged over all input records
        (a suppressed record counts 1).
    discernibility : float
        Sum of squared class sizes plus n for every suppressed record.
    n_classes, smallest_class : int
        Equivalence classes in ``table`` and the size of the smallest.
    lattice : pandas.DataFrame
        Every node searched: one column per attribute (level name), then
        suppressed_share, ncp, discernibility and feasible.
    origin : (float, float) or None
        Anchor of the grid: a cell label ``"<side>m:<i>:<j>"`` is the square of
        ``side`` metres whose south-west corner lies ``i * side`` metres east and
        ``j * side`` metres north of it (None when no place was generalised).
    """

    table: pd.DataFrame
    levels: dict[str, str]
    suppressed: pd.Index
    suppressed_share: float
    ncp: float
    discernibility: float
    n_classes: int
    smallest_class: int
    lattice: pd.DataFrame
    origin: tuple[float, float] | None


def _check_nesting(sizes: Sequence[float], *, name: str, unit: str) -> tuple[float, ...]:
    values = tuple(float(s) for s in sizes)
    if not values or any(not (v > 0 and np.isfinite(v)) for v in values):
        raise ParameterError(f"{name} must list positive sizes in {unit}, got {sizes!r}")
    for a, b in itertools.pairwise(values):
        ratio = b / a
        if not (b > a and abs(ratio - round(ratio)) < 1e-9):
            raise ParameterError(f"{name} must grow and each size must be a whole multiple of the one before "
                             f"(so that the levels nest), got {sizes!r}")
    return values


def _raw_columns(table: pd.DataFrame, attribute: str) -> tuple[str, ...]:
    """The input columns one attribute reads (birth: birth_year if present, else birth_date)."""
    if attribute == "birth" and "birth_year" in table.columns:
        return ("birth_year",)
    return ATTRIBUTES[attribute]


def _check_table(table: pd.DataFrame, attributes: Sequence[str]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"the table must be a pandas DataFrame, got {type(table).__name__}")
    if len(table) == 0:
        raise ParameterError("the table is empty: there is nobody to protect")
    unknown = [a for a in attributes if a not in ATTRIBUTES]
    if unknown or not attributes or len(set(attributes)) != len(attributes):
        raise ParameterError(f"attributes must be distinct names among {', '.join(ATTRIBUTES)}, "
                             f"got {list(attributes)!r}")
    for a in attributes:
        cols = _raw_columns(table, a)
        missing = [c for c in cols if c not in table.columns]
        if missing:
            hint = " (or birth_year)" if a == "birth" else ""
            raise ParameterError(f"quasi-identifier {a!r} needs column(s) {', '.join(missing)}{hint}")
        if a == "work":
            lat_na, lon_na = table["work_lat"].isna(), table["work_lon"].isna()
            if (lat_na != lon_na).any():
                raise ParameterError("work_lat and work_lon must be missing together (a person with no workplace)")
        elif table[list(cols)].isna().any().any():
            raise ParameterError(f"quasi-identifier {a!r} has missing values in {', '.join(cols)}; "
                             "only work_lat/work_lon may be missing")


def _birth_years(table: pd.DataFrame) -> np.ndarray:
    if "birth_year" in table.columns:
        return table["birth_year"].to_numpy(dtype=np.int64)
    return pd.to_datetime(table["birth_date"]).dt.year.to_numpy(dtype=np.int64)


def _hierarchies(
    table: pd.DataFrame, attributes: Sequence[str], cells_m: tuple[float, ...], bands: tuple[float, ...],
    origin: tuple[float, float],
) -> dict[str, list[tuple[str, np.ndarray, np.ndarray, pd.Series | None]]]:
    """For each attribute, its levels as (name, class code, NCP per record, published label)."""
    n = len(table)
    spatial = [a for a in attributes if a in ("home", "work")]
    xy = {}
    for a in spatial:
        lat = table[f"{a}_lat"].to_numpy(dtype=float)
        lon = table[f"{a}_lon"].to_numpy(dtype=float)
        xy[a] = to_local(lat, lon, origin=origin)
    if spatial:
        # The domain: the bounding square of every home and workplace (at least one coarsest cell).
        xs = np.concatenate([xy[a][0] for a in spatial])
        ys = np.concatenate([xy[a][1] for a in spatial])
        xs, ys = xs[np.isfinite(xs)], ys[np.isfinite(ys)]
        side = max(float(np.ptp(xs)), float(np.ptp(ys)), cells_m[-1])
    out: dict[str, list] = {}
    for a in attributes:
        levels = []
        if a in ("home", "work"):
            x, y = xy[a]
            missing = ~np.isfinite(x)
            x0, y0 = np.where(missing, 0.0, x), np.where(missing, 0.0, y)
            for cell in cells_m:
                code = np.where(missing, -1, grid_cell(x0, y0, cell_m=cell))
                ncp = np.where(missing, 0.0, min(1.0, cell / side))
                ix = pd.Series(np.floor(x0 / cell).astype(np.int64)).astype(str)
                iy = pd.Series(np.floor(y0 / cell).astype(np.int64)).astype(str)
                label = (f"{cell:g}m:" + ix + ":" + iy).where(~missing, "none")
                levels.append((f"{cell / 1000:g} km" if cell >= 1000 else f"{cell:g} m", code, ncp, label))
        elif a == "birth":
            year = _birth_years(table)
            span = int(year.max() - year.min())
            for band in bands:
                b = int(band)
                low = (year // b) * b
                label = pd.Series(low).astype(str)
                if b > 1:
                    label = label + "-" + pd.Series(low + b - 1).astype(str)
                ncp = min(1.0, (b - 1) / span) if span else float(b > 1)
                levels.append(("year" if b == 1 else f"{b} years", low, np.full(n, ncp), label))
        else:
            code = pd.factorize(table["sex"], sort=True)[0].astype(np.int64)
            levels.append(("sex", code, np.zeros(n), pd.Series(table["sex"].to_numpy(dtype=object))))
        levels.append(("*", np.zeros(n, dtype=np.int64), np.ones(n), None))
        out[a] = [(name, pd.factorize(code)[0].astype(np.int64), ncp, label) for name, code, ncp, label in levels]
    return out


def _class_of(codes: Sequence[np.ndarray]) -> np.ndarray:
    """One integer class per record from per-attribute codes (0..m-1 each)."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:
        m = int(c.max()) + 1
        if (int(key.max()) + 1) * m >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * m + c
    return pd.factorize(key)[0].astype(np.int64)


def generalise_quasi_identifiers(
    table: pd.DataFrame,
    *,
    k: int,
    max_suppression: float = 0.05,
    attributes: Sequence[str] = ("home", "work", "birth", "sex"),
    loss: str = "ncp",
    cells_m: Sequence[float] = (200.0, 1000.0, 5000.0),
    bands_years: Sequence[int] = (1, 5, 10),
    origin: tuple[float, float] | None = None,
) -> Generalisation:
    """Make a table k-anonymous on its quasi-identifiers by full-domain generalisation.

    Every node of the lattice of generalisation levels is evaluated: records in
    equivalence classes of fewer than ``k`` are suppressed, a node is feasible when
    at most ``max_suppression`` of the records are, and the feasible node of least
    ``loss`` is applied (ties: less suppression, then finer levels). The input is
    not modified.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per person. ``home``: home_lat, home_lon; ``work``: work_lat,
        work_lon (both NaN for someone with no workplace); ``birth``: birth_date
        (dates) or birth_year (integers); ``sex``: sex. Other columns (for example
        the sensitive attribute) pass through; drop direct identifiers yourself.
    k : int
        Smallest class size allowed.
    max_suppression : float
        Largest share of records that may be deleted as outliers, in [0, 1].
        Above 0.2 a :class:`~lab.params.LeakWarning` fires.
    attributes : sequence of str
        The quasi-identifiers to generalise, among ``home``, ``work``, ``birth``
        and ``sex``.
    loss : {"ncp", "discernibility"}
        The information loss minimised: the normalised certainty penalty (Xu et al.
        2006) or the discernibility metric (Bayardo & Agrawal 2005).
    cells_m : sequence of float
        Sides of the nested grid cells, finest first; each a whole multiple of the
        one before. The level above the last is the whole town.
    bands_years : sequence of int
        Widths of the birth-year bands, finest first (1 is the year itself); each
        a whole multiple of the one before.
    origin : (float, float), optional
        Anchor of the grid, ``(lat, lon)``: pass the town's map origin. Without
        it the anchor is read off the table (the median home, or without
        ``home`` the median workplace, rounded to 0.01°), with a
        :class:`~lab.params.LeakWarning`: the published cells are then placed by
        the people they protect.

    Returns
    -------
    Generalisation
        The generalised table (index labels of surviving rows kept), the chosen
        levels, what was suppressed and the information loss.

    Raises
    ------
    ValueError
        In plain words, for a missing column, missing values, an unknown attribute
        or loss, non-nesting levels, or a table of fewer than ``k`` records.

    Notes
    -----
    The normalised certainty penalty of a record is the mean over attributes of
    the width of its generalised value divided by the width of the domain: a cell
    side over the side of the square bounding every home and workplace; for a band
    of b years, (b - 1) over the span of birth years (the year itself counts as
    exact); 1 for ``*``; 0 for a recorded sex or a recorded absence of workplace.

    Full-domain generalisation can over-generalise where a local or
    multidimensional recoding (LeFevre et al. 2006, "Mondrian") would keep more
    detail; its merit is that every record of the release reads at one resolution.

    References
    ----------
    .. [1] Samarati, P. (2001). Protecting respondents' identities in microdata
       release. IEEE TKDE 13(6), 1010–1027.
    .. [2] Sweeney, L. (2002). Achieving k-anonymity privacy protection using
       generalization and suppression. IJUFKS 10(5), 571–588.
    .. [3] LeFevre, K., DeWitt, D. J., Ramakrishnan, R. (2006). Mondrian
       multidimensional k-anonymity. ICDE 2006.

    Examples
    --------
    >>> people = pd.DataFrame({"home_lat": [-48.5] * 4, "home_lon": [-123.0] * 4,
    ...                        "birth_year": [1980] * 4, "sex": ["F", "F", "M", "M"]})
    >>> g = generalise_quasi_identifiers(people, k=4, attributes=("home", "birth", "sex"))
    >>> g.levels
    {'home': '200 m', 'birth': 'year', 'sex': '*'}
    """
    k = check_k(k)
    share = check_share(max_suppression, name="max_suppression")
    if loss not in ("ncp", "discernibility"):
        raise ParameterError(f"loss must be 'ncp' or 'discernibility', got {loss!r}")
    attributes = tuple(attributes)
    _check_table(table, attributes)
    cells = _check_nesting(cells_m, name="cells_m", unit="metres")
    bands = _check_nesting(bands_years, name="bands_years", unit="whole years")
    if any(b != int(b) for b in bands):
        raise ParameterError(f"bands_years must be whole numbers of years, got {bands_years!r}")
    n = len(table)
    if k > n:
        raise ParameterError(f"k={k} is more than the {n} records in the table: no class can be that large")
    if share > SUPPRESSION_WARNING:
        warn_leak(f"max_suppression={share:g} lets up to {share:.0%} of the people be deleted to reach k: "
                  "the rest keep fine-grained quasi-identifiers, and being left out marks someone as unusual")
    spatial = [a for a in attributes if a in ("home", "work")]
    if origin is None and spatial:
        lat = table[f"{spatial[0]}_lat"].to_numpy(dtype=float)
        lon = table[f"{spatial[0]}_lon"].to_numpy(dtype=float)
        if np.isnan(lat).all():
            raise ParameterError(f"{spatial[0]}_lat has no values: nobody to place on the grid")
        origin = resolve_origin(None, lat, lon, protection="k-anonymity of quasi-identifiers")

    hier = _hierarchies(table, attributes, cells, bands, origin)
    rows = []
    best = None
    for node in itertools.product(*(range(len(hier[a])) for a in attributes)):
        cls = _class_of([hier[a][lv][1] for a, lv in zip(attributes, node)])
        size = np.bincount(cls)
        small = size[cls] < k
        n_out = int(small.sum())
        kept_sizes = size[size >= k]
        ncp_rec = np.mean([hier[a][lv][2] for a, lv in zip(attributes, node)], axis=0)
        ncp = float((ncp_rec[~small].sum() + n_out) / n)
        dm = float((kept_sizes.astype(float) ** 2).sum() + n_out * n)
        feasible = n_out <= share * n + 1e-9
        rows.append((*(hier[a][lv][0] for a, lv in zip(attributes, node)), n_out / n, ncp, dm, feasible))
        if feasible:
            rank = ((ncp if loss == "ncp" else dm), n_out, sum(node))
            if best is None or rank < best[0]:
                best = (rank, node, small, kept_sizes, ncp, dm)
    lattice = pd.DataFrame(rows, columns=[*attributes, "suppressed_share", "ncp", "discernibility", "feasible"])

    _, node, small, kept_sizes, ncp, dm = best  # the top node (all "*") is always feasible when k <= n
    keep = ~small
    raw = [c for a in attributes for c in _raw_columns(table, a)]
    published = {}
    for a, lv in zip(attributes, node):
        label = hier[a][lv][3]
        values = np.full(n, "*", dtype=object) if label is None else label.to_numpy(dtype=object)
        published[OUTPUT[a]] = values[keep]
    out = table.loc[keep].drop(columns=[c for c in raw if c != "sex"]).assign(**published)
    return Generalisation(
        table=out,
        levels={a: hier[a][lv][0] for a, lv in zip(attributes, node)},
        suppressed=table.index[small],
        suppressed_share=float(small.sum() / n),
        ncp=ncp,
        discernibility=dm,
        n_classes=len(kept_sizes),
        smallest_class=int(kept_sizes.min()) if len(kept_sizes) else 0,
        lattice=lattice,
        origin=origin,
    )
