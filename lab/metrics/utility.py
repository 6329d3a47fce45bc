"""What a mitigation costs: utility of a protected release compared with the original.

Mitigations keep the index labels of the rows they keep, so a protected
release lines up with the original row by row. Each function here compares the
two the way a legitimate analyst's result would change: where points are,
how many remain, what heatmaps and flows look like, how far people range, and
where an analyst would place their homes.

References
----------
.. [1] Primault, V., Boutet, A., Ben Mokhtar, S., Brunie, L. (2019). The long road
   to computational location privacy: a survey. IEEE Communications Surveys &
   Tutorials 21(3), 2772–2793.
.. [2] Bindschaedler, V., Shokri, R. (2016). Synthesizing plausible
   privacy-preserving location traces. IEEE S&P 2016 (utility metrics).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from lab.attacks.home_work import infer_home_work
from lab.geo import haversine_m, to_local
from lab.grid import Origin, cell_ids, grid_origin
from lab.mitigations.coarsen import snap_to_grid

__all__ = [
    "displacement_m",
    "retention",
    "count_error",
    "heatmap_similarity",
    "od_similarity",
    "gyration_distance",
    "trip_length_distance",
    "home_detection_error_m",
    "utility_summary",
]


def displacement_m(before: pd.DataFrame, after: pd.DataFrame) -> pd.Series:
    """Distance in metres each kept row moved (aligned on index labels)."""
    b = before.loc[after.index]
    d = haversine_m(b["lat"].to_numpy(float), b["lon"].to_numpy(float),
                    after["lat"].to_numpy(float), after["lon"].to_numpy(float))
    return pd.Series(d, index=after.index, name="displacement_m")


def retention(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, float]:
    """Share of rows kept, and share of original pseudonyms with at least one kept row."""
    kept = before.loc[before.index.intersection(after.index), "pseudonym"]
    return {"rows": len(after) / len(before) if len(before) else float("nan"),
            "pseudonyms": kept.nunique() / before["pseudonym"].nunique() if len(before) else float("nan")}


def count_error(true: pd.DataFrame, published: pd.DataFrame, *, large: int = 20) -> dict[str, float]:
    """Errors of published counts per (cell, slot) against the true counts, over every cell either holds.

    A key missing from ``published`` (suppressed, or never in the table) reads as
    a published 0; a key missing from ``true`` is a truly empty cell. Errors are
    taken over the union of the truly non-empty keys and the published keys, so
    noise published on truly empty cells (as differential privacy must publish
    every key of its domain) counts in full.

    Parameters
    ----------
    true : pandas.DataFrame
        cell, slot, count: the exact counts (non-empty keys).
    published : pandas.DataFrame
        cell, slot, count: what was published.
    large : int
        Threshold of true count for the relative error.

    Returns
    -------
    dict
        mae (mean absolute error over the union of keys), relative_large (mean
        relative error on keys with a true count of at least ``large``; NaN when
        ``large_cells`` is 0), large_cells (how many such keys), cells_published (number of published keys),
        true_cells_published (share of truly non-empty keys present in the
        publication), mass_on_empty (share of the published total that sits on
        truly empty keys).
    """
    for name, table in (("true", true), ("published", published)):
        missing = {"cell", "slot", "count"} - set(table.columns)
        if missing:
            raise ValueError(f"{name} counts lack column(s) {', '.join(sorted(missing))}")
    t = true.set_index(["cell", "slot"])["count"].astype(float)
    r = published.set_index(["cell", "slot"])["count"].astype(float)
    if not t.index.is_unique or not r.index.is_unique:
        raise ValueError("each (cell, slot) may appear once in a table of counts")
    keys = t.index.union(r.index)
    tt, rr = t.reindex(keys, fill_value=0.0), r.reindex(keys, fill_value=0.0)
    err = (rr - tt).abs()
    big = tt >= large
    total = float(r.sum())
    on_empty = float(r[~r.index.isin(t.index[t > 0])].sum())
    return {"mae": float(err.mean()) if len(keys) else 0.0,
            "relative_large": float((err[big] / tt[big]).mean()) if big.any() else float("nan"),
            "large_cells": float(big.sum()),
            "cells_published": float(len(r)),
            "true_cells_published": float(t.index.isin(r.index).mean()) if len(t) else float("nan"),
            "mass_on_empty": on_empty / total if total > 0 else 0.0}


def _cells(frame: pd.DataFrame, cell_m: float, origin) -> np.ndarray:
    return cell_ids(frame["lat"], frame["lon"], cell_m=cell_m, origin=origin)


def _origin(frame: pd.DataFrame) -> tuple[float, float]:
    return grid_origin(frame["lat"], frame["lon"])


def _cosine(a: pd.Series, b: pd.Series) -> float:
    a, b = a.align(b, fill_value=0)
    denom = np.sqrt((a.to_numpy(float) ** 2).sum() * (b.to_numpy(float) ** 2).sum())
    return float((a.to_numpy(float) * b.to_numpy(float)).sum() / denom) if denom else float("nan")


def heatmap_similarity(before: pd.DataFrame, after: pd.DataFrame, *, cell_m: float = 500.0,
                       origin: Origin | None = None) -> float:
    """Cosine similarity of the point-count heatmaps on a grid (1 = identical shape)."""
    origin = origin or _origin(before)
    hb = pd.Series(_cells(before, cell_m, origin)).value_counts()
    ha = pd.Series(_cells(after, cell_m, origin)).value_counts()
    return _cosine(hb, ha)


def _od(frame: pd.DataFrame, cell_m: float, origin) -> pd.Series:
    """Counts of moves between different cells by consecutive points of one pseudonym."""
    f = frame.assign(cell=_cells(frame, cell_m, origin))
    f = f.iloc[np.lexsort((f["t"].array.asi8, pd.factorize(f["pseudonym"])[0]))]
    same_user = f["pseudonym"].to_numpy()[1:] == f["pseudonym"].to_numpy()[:-1]
    c = f["cell"].to_numpy()
    move = same_user & (c[1:] != c[:-1])
    pairs = pd.MultiIndex.from_arrays([c[:-1][move], c[1:][move]])
    return pd.Series(1, index=pairs).groupby(level=[0, 1]).sum()


def od_similarity(before: pd.DataFrame, after: pd.DataFrame, *, cell_m: float = 1000.0,
                  origin: Origin | None = None) -> float:
    """Cosine similarity of origin-destination flow counts between grid cells."""
    origin = origin or _origin(before)
    return _cosine(_od(before, cell_m, origin), _od(after, cell_m, origin))


def _gyration(frame: pd.DataFrame, origin) -> np.ndarray:
    x, y = to_local(frame["lat"], frame["lon"], origin=origin)
    g = pd.DataFrame({"u": frame["pseudonym"].to_numpy(), "x": x, "y": y}).groupby("u")
    cx, cy = g["x"].transform("mean").to_numpy(), g["y"].transform("mean").to_numpy()
    d2 = (x - cx) ** 2 + (y - cy) ** 2
    return np.sqrt(pd.Series(d2).groupby(frame["pseudonym"].to_numpy()).mean().to_numpy())


def gyration_distance(before: pd.DataFrame, after: pd.DataFrame, *, origin: Origin | None = None) -> float:
    """Kolmogorov–Smirnov distance between the radius-of-gyration distributions (0 = same)."""
    origin = origin or _origin(before)
    a, b = _gyration(before, origin), _gyration(after, origin)
    return float(ks_2samp(a, b).statistic) if len(a) and len(b) else float("nan")


def _jumps(frame: pd.DataFrame, origin) -> np.ndarray:
    f = frame.iloc[np.lexsort((frame["t"].array.asi8, pd.factorize(frame["pseudonym"])[0]))]
    x, y = to_local(f["lat"], f["lon"], origin=origin)
    same = f["pseudonym"].to_numpy()[1:] == f["pseudonym"].to_numpy()[:-1]
    d = np.hypot(np.diff(x), np.diff(y))[same]
    return d[d > 1.0]


def trip_length_distance(before: pd.DataFrame, after: pd.DataFrame, *, origin: Origin | None = None) -> float:
    """Kolmogorov–Smirnov distance between the distributions of moves between consecutive points."""
    origin = origin or _origin(before)
    a, b = _jumps(before, origin), _jumps(after, origin)
    return float(ks_2samp(a, b).statistic) if len(a) and len(b) else float("nan")


def home_detection_error_m(before: pd.DataFrame, after: pd.DataFrame, *, aligned: bool = True,
                           cell_m: float = 100.0, origin: Origin | None = None) -> float:
    """Median distance between homes an analyst infers from the protected and from the original release.

    The analyst takes each pseudonym's most frequent night-time cell of a
    ``cell_m`` grid (raw fixes never repeat exactly). With ``aligned`` (rows kept
    their index labels), each protected pseudonym is compared with the original
    pseudonym most of its rows came from; otherwise (a mitigation that publishes
    new points under the same pseudonyms) by name.
    """
    origin = origin or _origin(before)
    home_b = infer_home_work(snap_to_grid(before, cell_m=cell_m, origin=origin))[["home_lat", "home_lon"]]
    home_a = infer_home_work(snap_to_grid(after, cell_m=cell_m, origin=origin))[["home_lat", "home_lon"]].dropna()
    if home_a.empty:
        return float("nan")
    if aligned:
        # The original pseudonym behind most of each protected pseudonym's rows.
        pairs = pd.DataFrame({"new": after["pseudonym"].to_numpy(),
                              "old": before.loc[after.index, "pseudonym"].to_numpy()})
        counts = pairs.value_counts(sort=False).reset_index(name="n")
        main = counts.sort_values(["new", "n", "old"], ascending=[True, False, True]).drop_duplicates("new")
        ref = home_b.reindex(main.set_index("new")["old"].reindex(home_a.index).to_numpy())
    else:
        ref = home_b.reindex(home_a.index)
    d = haversine_m(home_a["home_lat"].to_numpy(), home_a["home_lon"].to_numpy(),
                    ref["home_lat"].to_numpy(), ref["home_lon"].to_numpy())
    return float(np.nanmedian(d))


def utility_summary(before: pd.DataFrame, after: pd.DataFrame, *, aligned: bool = True,
                    origin: Origin | None = None) -> dict[str, float]:
    """Every trace-level utility measure of ``after`` against ``before``, as one flat dict.

    ``aligned=False`` is for mitigations that publish new points (resampled
    trajectories) under the original pseudonyms: row-level measures then come
    from ``after.attrs`` (``rows_kept``, ``displacement_m``) when the mitigation
    records them, else NaN. ``origin`` anchors every grid and frame (default:
    :func:`lab.grid.grid_origin` of ``before``); give the one the mitigations used.
    """
    if aligned:
        moved = displacement_m(before, after)
        kept = retention(before, after)
        rows_kept, mean_moved = kept["rows"], float(moved.mean()) if len(moved) else float("nan")
        people_kept = kept["pseudonyms"]
    else:
        rows_kept = float(after.attrs.get("rows_kept", float("nan")))
        mean_moved = float(after.attrs.get("displacement_m", float("nan")))
        people_kept = after["pseudonym"].nunique() / before["pseudonym"].nunique()
    return {
        "rows_kept": rows_kept,
        "pseudonyms_kept": people_kept,
        "displacement_m": mean_moved,
        "heatmap_similarity": heatmap_similarity(before, after, origin=origin),
        "od_similarity": od_similarity(before, after, origin=origin),
        "gyration_ks": gyration_distance(before, after, origin=origin),
        "trip_length_ks": trip_length_distance(before, after, origin=origin),
        "home_error_m": home_detection_error_m(before, after, aligned=aligned, origin=origin),
    }
