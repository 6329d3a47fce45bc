"""The adversary's view: a target's known points, and the crowd that shrinks as points are added.

An adversary who saw a target a few times (a photo, a receipt, a check-in)
knows a few spatio-temporal points: a spatial unit (a tower, a camera, a grid
cell) during an hour. The pseudonyms of a release still consistent with what
they know are those holding every known point, the intersection of the points'
posting lists that :mod:`lab.attacks.unicity` counts over everyone. After one
point the crowd is large; after two or three it is usually one pseudonym, which
is de Montjoye et al.'s "unique in the crowd" seen on a map.

:func:`narrowing` computes the candidates after each known point;
:func:`adversary_map` draws them, one layer per step, each candidate at the
place it is most often seen.

References
----------
.. [1] de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., & Blondel, V. D. (2013).
   Unique in the crowd: the privacy bounds of human mobility. *Scientific Reports* 3, 1376.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd

from lab.attacks.traces import encode
from lab.errors import InputError
from lab.grid import Space, cell_centres, grid_origin
from lab.maps.assets import make_offline
from lab.maps.canvas import Legend, add_districts, add_scale, fit_view, layer_name, point_layer, style_page, subset

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["default_space", "narrowing", "adversary_map", "STEP_COLOURS", "KNOWN_COLOUR"]

#: Colour of the candidates after 1, 2, … known points (paler = more candidates).
STEP_COLOURS = ("#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704")
#: Colour of the target's known points.
KNOWN_COLOUR = "#08519c"
#: Side of the cells on which a candidate's most frequent position is read, metres.
_HOME_CELL_M = 250.0


def _space_label(space: Space | str) -> str:
    """A resolution as people read it: 'tower_id', 'grid 500 m'."""
    return space.label() if isinstance(space, Space) else str(space)


def default_space(release: pd.DataFrame) -> str:
    """The release's own spatial unit: its tower, camera or place column, else a 250 m grid."""
    for column in ("tower_id", "camera_id", "place_id"):
        if column in release.columns:
            return column
    return "grid:250"


def narrowing(release: pd.DataFrame, pseudonym: str, *, k: int = 4, space: Space | str | None = None,
              hours: float | None = 1.0, rng: np.random.Generator | int | None = 0) -> tuple[pd.DataFrame, list]:
    """The pseudonyms still consistent with the first 1, 2, … k known points of a target.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon (plus the column ``space`` names).
    pseudonym : str
        The target.
    k : int, default 4
        Known points, drawn at random among the target's distinct points (all
        of them if it has fewer).
    space : Space or str, optional
        Spatial resolution of a point; default :func:`default_space`.
    hours : float or None, default 1
        Width of the time bins.
    rng : numpy.random.Generator, int or None, default 0
        Seeds the choice of points.

    Returns
    -------
    known : pandas.DataFrame
        One row per known point in the order learnt: step (1-based), t, lat,
        lon of the target's observation, and candidates (pseudonyms holding
        every point up to this one).
    candidates : list of numpy.ndarray
        The candidate pseudonyms after each step.

    Raises
    ------
    lab.errors.InputError
        When ``pseudonym`` is not in the release.
    """
    if not release["pseudonym"].eq(pseudonym).any():
        raise InputError(f"unknown pseudonym {pseudonym!r}: it is not in this release")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a whole number of known points of at least 1, got {k!r}")
    space = default_space(release) if space is None else space
    enc = encode(release, space=space, hours=hours)
    target = int(np.searchsorted(enc.pseudonyms, pseudonym))
    rows = np.flatnonzero(enc.user == target)
    items, first = np.unique(enc.item[rows], return_index=True)
    pick = np.random.default_rng(rng).permutation(len(items))[:k]
    chosen, at = items[pick], rows[first[pick]]
    candidates, alive = [], None
    for item in chosen:  # k posting lists, intersected in turn
        holders = np.unique(enc.user[enc.item == item])
        alive = holders if alive is None else np.intersect1d(alive, holders, assume_unique=True)
        candidates.append(enc.pseudonyms[alive])
    known = release.iloc[at][["t", "lat", "lon"]].reset_index(drop=True)
    known.insert(0, "step", np.arange(1, len(chosen) + 1))
    known["candidates"] = [len(c) for c in candidates]
    return known, candidates


def _usual_places(release: pd.DataFrame, pseudonyms: np.ndarray) -> pd.DataFrame:
    """Each pseudonym's most frequent position: the centre of its busiest 250 m cell."""
    rows = release[release["pseudonym"].isin(pseudonyms)]
    lat, lon = rows["lat"].to_numpy(float), rows["lon"].to_numpy(float)
    cell, c_lat, c_lon = cell_centres(lat, lon, cell_m=_HOME_CELL_M, origin=grid_origin(lat, lon))
    frame = pd.DataFrame({"pseudonym": rows["pseudonym"].to_numpy(), "cell": cell, "lat": c_lat, "lon": c_lon})
    counts = frame.groupby(["pseudonym", "cell"], sort=False).agg(lat=("lat", "first"), lon=("lon", "first"),
                                                                  n=("lat", "size")).reset_index()
    top = counts.sort_values(["pseudonym", "n", "cell"], ascending=[True, False, True], kind="stable")
    return top.drop_duplicates("pseudonym").set_index("pseudonym")[["lat", "lon", "n"]]


def adversary_map(release: pd.DataFrame, pseudonym: str, *, k: int = 4, space: Space | str | None = None,
                  hours: float | None = 1.0, rng: np.random.Generator | int | None = 0,
                  districts: gpd.GeoDataFrame | None = None, max_candidates: int = 5000) -> folium.Map:
    """The adversary's view of one target: the known points and the candidates left after each.

    Parameters
    ----------
    release, pseudonym, k, space, hours, rng
        As for :func:`narrowing`.
    districts : geopandas.GeoDataFrame, optional
        Drawn underneath for context.
    max_candidates : int, default 5000
        Most candidates drawn per step (an evenly spaced subset past it; the
        layer name gives both numbers).

    Returns
    -------
    folium.Map
        A layer ``known points of the target (k)`` (order and time in the popup) and
        one layer per step, ``after j known point(s): n candidates``, each
        candidate at its most frequent 250 m cell (earlier, larger crowds in
        larger, paler circles underneath); the legend lists the counts shrinking.
    """
    known, candidates = narrowing(release, pseudonym, k=k, space=space, hours=hours, rng=rng)
    usual = _usual_places(release, candidates[0])
    m = folium.Map(tiles=None, prefer_canvas=True)
    style_page(m)
    add_scale(m)
    if districts is not None:
        add_districts(m, districts)
    entries = []
    for step, names in enumerate(candidates, start=1):
        colour = STEP_COLOURS[min(step, len(STEP_COLOURS)) - 1]
        where = usual.loc[names].reset_index()
        drawn = subset(where, max_candidates)
        noun = "candidate" if len(names) == 1 else "candidates"
        label = f"after {step} known point{'s' if step > 1 else ''}: {len(names):,} {noun}"
        name = label if len(drawn) == len(where) else f"{label} ({len(drawn):,} shown)"
        marker = folium.CircleMarker(radius=3 + 2 * (len(candidates) - step + 1), color="#ffffff", weight=1,
                                     fill=True, fill_color=colour, fill_opacity=0.9)
        point_layer(drawn, {"pseudonym": drawn["pseudonym"], "records": drawn["n"].astype(str) + " in this cell"},
                    ["pseudonym", "most often seen"], marker, name=name).add_to(m)
        entries.append((label, colour, "#ffffff"))
    times = known["t"].dt.strftime("%a %d %b %H:%M")
    marker = folium.CircleMarker(radius=9, color="#ffffff", weight=3, fill=True, fill_color=KNOWN_COLOUR,
                                 fill_opacity=1.0)
    point_layer(known, {"point": known["step"].astype(str), "time": times,
                        "candidates": known["candidates"].astype(str)},
                ["known point", "seen at", "candidates left"], marker, popup=True,
                name=layer_name("known points of the target", len(known), len(known))).add_to(m)
    entries.append((f"known point of {pseudonym}", KNOWN_COLOUR, "#ffffff"))
    where = _space_label(space or default_space(release))
    Legend(f"Who could it be? ({where}, {hours:g} h)" if hours else "Who could it be?", entries).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    pts = pd.concat([known[["lat", "lon"]], usual[["lat", "lon"]]])
    fit_view(m, [[pts["lat"].min(), pts["lon"].min()], [pts["lat"].max(), pts["lon"].max()]], padding=(40, 40),
             max_zoom=13)
    make_offline(m)
    return m
