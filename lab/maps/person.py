"""One fictional person, every view: where they really were beside what each release recorded.

:func:`person_map` draws the ground-truth stays of one person (their visits
joined to the places) and, through the answer key, the rows each release holds
about them: GPS fixes, the cell towers of their call records with each tower's
Voronoi cell (the area the operator's record narrows them to), camera
sightings and check-ins. Each is a layer of its own, every marker's popup gives
the times, and sensitive places (clinics, places of worship...) are outlined in
red. It is the lesson of the whole lab on one screen: each release is a partial,
noisy copy of the same life.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import Voronoi
from shapely.geometry import MultiPoint

from lab.errors import InputError
from lab.geo import to_latlon, to_local
from lab.maps.assets import make_offline
from lab.maps.canvas import SENSITIVE_OUTLINE, Legend, add_districts, blank_map, fit_view, point_layer, subset
from lab.schema import RELEASES
from lab.store import read_manifest, read_table

__all__ = ["person_map", "voronoi_cells", "RELEASE_COLOURS", "STAY_COLOUR", "Source"]

#: A world in memory (:class:`lab.world.World`), its tables by name, or the directory of a generated world.
Source = Any

#: Colour of each release's layer.
RELEASE_COLOURS: dict[str, str] = {
    "gps": "#1f78b4",
    "cdr": "#6a3d9a",
    "sightings": "#ff7f00",
    "checkins": "#33a02c",
}
#: Colour of the ground-truth stays.
STAY_COLOUR = "#222222"
#: Times listed in one popup; the rest are counted.
_MAX_TIMES = 12
_TIME = "%a %d %b %H:%M"


def table(source: Source, name: str) -> pd.DataFrame | None:
    """Table ``name`` of a world, a mapping of tables or a world's directory; None when it has none."""
    if isinstance(source, (str, os.PathLike)):
        if name not in read_manifest(source)["tables"]:
            return None
        return read_table(Path(source), name)
    if isinstance(source, Mapping):
        return source.get(name)
    if name in RELEASES:
        return source.releases.get(name)
    return getattr(source, name, None)


def _need(source: Source, name: str) -> pd.DataFrame:
    frame = table(source, name)
    if frame is None:
        raise InputError(f"the world has no {name!r} table")
    return frame


def _times(start: pd.Series, end: pd.Series | None = None) -> pd.Series:
    text = start.dt.strftime(_TIME)
    if end is not None:
        text = text + "–" + end.dt.strftime("%H:%M")
    return text


def _listing(frame: pd.DataFrame, by: str, text: pd.Series) -> pd.DataFrame:
    """Per value of ``by``: the number of rows and the first times joined for a popup, in time order."""
    parts = frame.assign(_text=text.to_numpy())
    head = parts.groupby(by, sort=False).head(_MAX_TIMES)
    joined = head.groupby(by, sort=False)["_text"].agg("<br>".join)
    count = parts.groupby(by, sort=False).size()
    more = np.where(count > _MAX_TIMES, "<br>… and " + (count - _MAX_TIMES).astype(str) + " more", "")
    return pd.DataFrame({"count": count, "times": joined.reindex(count.index) + more})


def voronoi_cells(sites: pd.DataFrame, outline: shapely.Geometry | None = None, *, column: str = "tower_id"
                  ) -> gpd.GeoDataFrame:
    """The Voronoi cell of each site (a tower), in the local metric frame of :mod:`lab.geo`, clipped to ``outline``.

    Parameters
    ----------
    sites : pandas.DataFrame
        ``column``, lat, lon; sites sharing a position share its cell.
    outline : shapely geometry, optional
        The land (for instance the union of the districts) in WGS84 lon/lat.

    Returns
    -------
    geopandas.GeoDataFrame
        ``column`` and the cell polygon in EPSG:4326, one row per site.
    """
    sites = sites.reset_index(drop=True)
    unique = sites.drop_duplicates(["lat", "lon"])
    positions = pd.MultiIndex.from_frame(unique[["lat", "lon"]])
    which = positions.get_indexer(pd.MultiIndex.from_frame(sites[["lat", "lon"]]))  # each site's position
    lat, lon = unique["lat"].to_numpy(float), unique["lon"].to_numpy(float)
    origin = (float(lat.mean()), float(lon.mean()))
    x, y = to_local(lat, lon, origin=origin)
    if len(unique) == 1:
        cells = [shapely.box(-1e6, -1e6, 1e6, 1e6)]
    else:
        span = 10.0 * float(max(np.ptp(x), np.ptp(y))) + 1e5  # four far corners close every real cell
        far = np.array([[-span, -span], [span, -span], [-span, span], [span, span]])
        vor = Voronoi(np.r_[np.c_[x, y], far])
        cells = [MultiPoint(vor.vertices[vor.regions[vor.point_region[i]]]).convex_hull for i in range(len(unique))]
    local = gpd.GeoSeries(cells)
    if outline is not None:
        land = shapely.transform(outline, lambda c: np.column_stack(to_local(c[:, 1], c[:, 0], origin=origin)))
        local = local.intersection(land)

    def back(c: np.ndarray) -> np.ndarray:
        la, lo = to_latlon(c[:, 0], c[:, 1], origin=origin)
        return np.column_stack([lo, la])

    geometry = shapely.transform(local.to_numpy(), back)[which]  # every site gets its position's cell
    return gpd.GeoDataFrame({column: sites[column].to_numpy()}, geometry=geometry, crs="EPSG:4326")


def _marker(colour: str, *, sensitive: bool = False, radius: float = 5) -> folium.CircleMarker:
    if sensitive:
        return folium.CircleMarker(radius=radius + 2, color=SENSITIVE_OUTLINE, weight=3, fill=True,
                                   fill_color=colour, fill_opacity=0.9)
    return folium.CircleMarker(radius=radius, color="#ffffff", weight=1, fill=True, fill_color=colour,
                               fill_opacity=0.85)


def _add_split(group: folium.FeatureGroup, frame: pd.DataFrame, props: dict[str, pd.Series], aliases: list[str],
               colour: str, sensitive: np.ndarray, *, radius: float = 5) -> None:
    """Draw ``frame`` into ``group``: ordinary rows, then sensitive ones outlined in red on top."""
    for flag in (False, True):
        keep = sensitive == flag
        if keep.any():
            part = frame[keep]
            point_layer(part, {k: v[keep] for k, v in props.items()}, aliases,
                        _marker(colour, sensitive=flag, radius=radius), control=False, popup=True,
                        raw=("times",) if "times" in props else ()).add_to(group)


def _sensitive_ids(places: pd.DataFrame | None) -> set[str]:
    if places is None:
        return set()
    return set(places.loc[places["is_sensitive"].fillna(False).astype(bool), "place_id"].astype(str))


def _stays(m: folium.Map, visits: pd.DataFrame, places: pd.DataFrame) -> tuple[int, int]:
    stays = visits.merge(places[["place_id", "name", "kind", "lat", "lon", "is_sensitive"]], on="place_id",
                         how="inner").sort_values("start", kind="stable")
    listing = _listing(stays, "place_id", _times(stays["start"], stays["end"]))
    at = places.set_index("place_id").loc[listing.index].reset_index()
    group = folium.FeatureGroup(name=f"stays (truth): {len(stays):,} stays at {len(at):,} places")
    props = {"name": at["name"], "kind": at["kind"].str.replace("_", " "),
             "stays": listing["count"].astype(str).reset_index(drop=True),
             "times": pd.Series(listing["times"].to_numpy())}
    _add_split(group, at, props, ["place", "kind", "stays", "times"], STAY_COLOUR,
               at["is_sensitive"].fillna(False).astype(bool).to_numpy(), radius=7)
    group.add_to(m)
    return len(stays), len(at)


def _points(m: folium.Map, name: str, rows: pd.DataFrame, label: str, extra: dict[str, pd.Series],
            sensitive: set[str], max_points: int) -> int:
    """One marker per row (an evenly spaced subset past ``max_points``), the time in its popup."""
    drawn = subset(rows.sort_values("t", kind="stable"), max_points).reset_index(drop=True)
    shown = f"{len(drawn):,}" if len(drawn) == len(rows) else f"{len(drawn):,} of {len(rows):,}"
    group = folium.FeatureGroup(name=f"{name}: {shown} {label}", show=name != "gps")
    props = {"time": _times(drawn["t"]), "pseudonym": drawn["pseudonym"]}
    props.update({k: drawn[v] for k, v in extra.items() if v in drawn.columns})
    flags = (drawn["place_id"].astype(str).isin(sensitive).to_numpy() if "place_id" in drawn.columns
             else np.zeros(len(drawn), dtype=bool))
    _add_split(group, drawn, props, list(props), RELEASE_COLOURS[name], flags, radius=4)
    group.add_to(m)
    return len(drawn)


def _cdr(m: folium.Map, rows: pd.DataFrame, towers: pd.DataFrame | None, outline: shapely.Geometry) -> int:
    rows = rows.sort_values("t", kind="stable")
    listing = _listing(rows, "tower_id", _times(rows["t"]) + " " + rows["event"].astype(str))
    sites = rows.drop_duplicates("tower_id").set_index("tower_id").loc[listing.index, ["lat", "lon"]].reset_index()
    group = folium.FeatureGroup(name=f"cdr: {len(rows):,} records at {len(sites):,} towers")
    props = {"tower": sites["tower_id"], "records": listing["count"].astype(str).reset_index(drop=True),
             "times": pd.Series(listing["times"].to_numpy())}
    _add_split(group, sites, props, list(props), RELEASE_COLOURS["cdr"], np.zeros(len(sites), dtype=bool), radius=7)
    group.add_to(m)
    every = towers if towers is not None else rows.drop_duplicates("tower_id")[["tower_id", "lat", "lon"]]
    cells = voronoi_cells(every, outline)
    cells = cells[cells["tower_id"].isin(sites["tower_id"])]
    folium.GeoJson(
        cells, name=f"cdr: Voronoi cells of {len(cells):,} towers",
        style_function=lambda _: {"color": RELEASE_COLOURS["cdr"], "weight": 2, "fillOpacity": 0.12,
                                  "fillColor": RELEASE_COLOURS["cdr"], "dashArray": "4 4"},
        tooltip=folium.GeoJsonTooltip(fields=["tower_id"], aliases=["Voronoi cell of tower"]),
    ).add_to(m)
    return len(sites)


def person_map(source: Source, person_id: str, *, max_points: int = 5000) -> folium.Map:
    """One person's ground-truth stays beside what every release recorded about them.

    Parameters
    ----------
    source : lab.world.World, mapping of str to DataFrame, or path
        A world in memory, its tables by name (districts, places, people,
        visits, towers, keys and the releases), or a generated world's
        directory (tables read with :func:`lab.store.read_table`).
    person_id : str
        The person to draw.
    max_points : int, default 5000
        Most markers per release layer (an evenly spaced subset in time order past it).

    Returns
    -------
    folium.Map
        Layers: ``stays (truth): … stays at … places`` (one marker per place,
        every stay's times in its popup), then per release holding the person
        ``gps: … points``, ``cdr: … records at … towers`` with ``cdr: Voronoi
        cells of … towers``, ``sightings: … sightings``, ``checkins: …
        check-ins`` (one marker per row, its time in the popup). Sensitive
        places are outlined in red. GPS starts switched off (it is dense).

    Raises
    ------
    lab.errors.InputError
        When ``person_id`` is not a person of the world.
    """
    people = _need(source, "people")
    if not people["person_id"].astype(str).eq(person_id).any():
        raise InputError(f"unknown person {person_id!r}: the world's people run from "
                         f"{people['person_id'].min()!r} to {people['person_id'].max()!r}")
    districts = _need(source, "districts")
    places = _need(source, "places")
    visits = _need(source, "visits")
    keys = _need(source, "keys")
    sensitive = _sensitive_ids(places)

    m = blank_map(districts, fit=False)
    add_districts(m, districts)
    outline = shapely.union_all(districts.to_crs("EPSG:4326").geometry.to_numpy()
                                if districts.crs is not None else districts.geometry.to_numpy())
    own = visits[visits["person_id"] == person_id]
    n_stays, _ = _stays(m, own, places)
    seen = [places.loc[places["place_id"].isin(own["place_id"]), ["lat", "lon"]]]
    entries = [(f"stays (truth): {n_stays:,}", STAY_COLOUR, "#ffffff")]
    mine = keys[keys["person_id"] == person_id]
    place_names = places.set_index("place_id")["name"]
    for name in RELEASES:
        pseudonyms = mine.loc[mine["release"] == name, "pseudonym"]
        release = table(source, name) if len(pseudonyms) else None
        if release is None:
            continue
        rows = release[release["pseudonym"].isin(pseudonyms)]
        if rows.empty:
            continue
        seen.append(rows[["lat", "lon"]])
        if name == "cdr":
            _cdr(m, rows, table(source, "towers"), outline)
            label = "cdr towers and their Voronoi cells"
        elif name == "gps":
            _points(m, name, rows, "points", {"accuracy (m)": "accuracy_m"}, sensitive, max_points)
            label = "gps points"
        elif name == "sightings":
            rows = rows.assign(place=rows["place_id"].map(place_names))
            _points(m, name, rows, "sightings", {"camera": "camera_id", "place": "place"}, sensitive, max_points)
            label = "camera sightings"
        else:
            _points(m, name, rows, "check-ins", {"place": "place_name"}, sensitive, max_points)
            label = "check-ins"
        entries.append((label, RELEASE_COLOURS[name], "#ffffff"))
    entries.append(("sensitive place (outline)", "#ffffff", SENSITIVE_OUTLINE))
    points = pd.concat(seen)
    if len(points) == 0:  # nothing to show but the town
        x0, y0, x1, y1 = districts.to_crs("EPSG:4326").total_bounds if districts.crs else districts.total_bounds
        points = pd.DataFrame({"lat": [y0, y1], "lon": [x0, x1]})
    fit_view(m, [[points["lat"].min(), points["lon"].min()], [points["lat"].max(), points["lon"].max()]],
             padding=(30, 30), max_zoom=15)  # the person's own places and records
    who = people.loc[people["person_id"] == person_id, "name"].iloc[0]
    Legend(f"{who} ({person_id})", entries).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    make_offline(m)
    return m
