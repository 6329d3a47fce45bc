"""The town map: districts, places by kind, cell towers and cameras.

:func:`town_map` draws the districts with their names, one layer per place kind
(with a legend of colour swatches), the cell towers and the cameras as layers
of their own, a metric scale bar and an expanded layer control. Dense layers
start switched off (homes always, any layer of more than ``show_max`` points)
and cameras are clustered, so the first view is the town, not a blob. Nothing
is fetched from the network (:mod:`lab.maps.assets`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import pandas as pd
from folium.plugins import MarkerCluster

from lab.maps.assets import make_offline
from lab.maps.canvas import (
    SENSITIVE_OUTLINE,
    Legend,
    add_districts,
    blank_map,
    layer_name,
    point_layer,
    require,
    subset,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["town_map", "PLACE_COLOURS", "TOWER_COLOUR", "CAMERA_COLOUR", "place_colour"]

#: Fill colour of each place kind; kinds not listed get :data:`_FALLBACK_PLACE_COLOUR`.
PLACE_COLOURS: dict[str, str] = {
    "home": "#9e9e9e",
    "work": "#1f77b4",
    "school": "#ff7f0e",
    "shop": "#2ca02c",
    "restaurant": "#bcbd22",
    "hotel": "#17becf",
    "internet_cafe": "#8c564b",
    "worship": "#9467bd",
    "clinic": "#e377c2",
    "park": "#5aae61",
    "transit": "#393b79",
}
_FALLBACK_PLACE_COLOUR = "#636363"

#: Colours of the infrastructure layers.
TOWER_COLOUR = "#111111"
CAMERA_COLOUR = "#ff3d00"

#: Display order of place layers; kinds not listed follow in alphabetical order.
_KIND_ORDER = tuple(PLACE_COLOURS)


def place_colour(kind: str) -> str:
    """Fill colour of a place kind."""
    return PLACE_COLOURS.get(kind, _FALLBACK_PLACE_COLOUR)


def _kind_sort_key(kind: str) -> tuple[int, str]:
    return (_KIND_ORDER.index(kind), kind) if kind in _KIND_ORDER else (len(_KIND_ORDER), kind)


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _add_places(m: folium.Map, places: pd.DataFrame, max_places: int, show_max: int) -> list[str]:
    require(places, ["place_id", "name", "kind", "lat", "lon", "is_sensitive"], "places")
    kinds = sorted(places["kind"].astype(str).unique(), key=_kind_sort_key)
    for kind in kinds:
        of_kind = places[places["kind"].astype(str) == kind]
        drawn = subset(of_kind, max_places)
        group = folium.FeatureGroup(
            name=layer_name(_label(kind), len(drawn), len(of_kind)),
            show=kind != "home" and len(drawn) <= show_max,
        )
        colour = place_colour(kind)
        sensitive = drawn["is_sensitive"].fillna(False).astype(bool).to_numpy()
        for flag, part in ((False, drawn[~sensitive]), (True, drawn[sensitive])):
            if part.empty:
                continue
            props = {"name": part["name"], "kind": part["kind"].map(_label)}
            aliases = ["name", "kind"]
            if flag:
                props["sensitive"] = pd.Series("yes", index=part.index)
                aliases.append("sensitive")
                marker = folium.CircleMarker(radius=5, color=SENSITIVE_OUTLINE, weight=2.5, fill=True,
                                             fill_color=colour, fill_opacity=0.95)
            else:
                marker = folium.CircleMarker(radius=3 if kind == "home" else 4, color="#333333", weight=0.5,
                                             fill=True, fill_color=colour, fill_opacity=0.9)
            point_layer(part, props, aliases, marker, control=False).add_to(group)
        group.add_to(m)
    return kinds


def _add_towers(m: folium.Map, towers: pd.DataFrame, show_max: int) -> None:
    require(towers, ["tower_id", "lat", "lon"], "towers")
    if towers.empty:
        return
    marker = folium.CircleMarker(radius=5, color=TOWER_COLOUR, weight=2, fill=True, fill_color="#ffffff",
                                 fill_opacity=0.8)
    point_layer(towers, {"tower_id": towers["tower_id"]}, ["tower"], marker,
                name=layer_name("cell towers", len(towers), len(towers)),
                show=len(towers) <= show_max).add_to(m)


def _add_cameras(m: folium.Map, cameras: pd.DataFrame, show_max: int) -> None:
    require(cameras, ["camera_id", "place_id", "lat", "lon"], "cameras")
    if cameras.empty:
        return
    marker = folium.CircleMarker(radius=3, color=CAMERA_COLOUR, weight=1, fill=True, fill_color=CAMERA_COLOUR,
                                 fill_opacity=1.0)
    cluster = MarkerCluster(name=layer_name("cameras", len(cameras), len(cameras)),
                            show=len(cameras) <= show_max,
                            options={"disableClusteringAtZoom": 17, "showCoverageOnHover": False})
    point_layer(cameras, {"camera_id": cameras["camera_id"], "place_id": cameras["place_id"]},
                ["camera", "at place"], marker, control=False).add_to(cluster)
    cluster.add_to(m)


def town_map(
    districts: gpd.GeoDataFrame,
    places: pd.DataFrame,
    *,
    towers: pd.DataFrame | None = None,
    cameras: pd.DataFrame | None = None,
    max_places: int = 20000,
    show_max: int = 200,
) -> folium.Map:
    """Draw the town on an offline Leaflet map.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        Columns ``district_id``, ``name``, ``kind`` and polygon ``geometry``,
        in EPSG:4326 (reprojected if another CRS is set).
    places : pandas.DataFrame
        Columns ``place_id``, ``name``, ``kind``, ``district_id``, ``lat``,
        ``lon`` (WGS84 degrees) and ``is_sensitive`` (bool).
    towers : pandas.DataFrame, optional
        Columns ``tower_id``, ``lat``, ``lon``; drawn as their own layer.
    cameras : pandas.DataFrame, optional
        Columns ``camera_id``, ``place_id``, ``lat``, ``lon``; drawn as their
        own layer, clustered.
    max_places : int, default 20000
        Most places drawn per kind. A kind with more places is drawn as the
        evenly spaced subset ``iloc[::ceil(n / max_places)]`` and its layer
        name says how many of how many are shown.
    show_max : int, default 200
        Layers with more points than this start switched off (tick them in the
        layer control); homes always start off.

    Returns
    -------
    folium.Map
        A map with no tile layer, an ocean-coloured background, the district
        polygons (filled by kind) and their names, one layer per place kind
        (sensitive places outlined in red), optional tower and camera layers, a
        legend of the place colours, a scale bar and an expanded layer control.
        Its page loads nothing from the network.

    Raises
    ------
    ValueError
        If ``districts`` is empty, ``max_places`` is not positive, or a
        required column is missing.

    Examples
    --------
    >>> m = town_map(districts, places, towers=towers)  # doctest: +SKIP
    >>> write_map(m, "town.html")  # doctest: +SKIP
    PosixPath('town.html')
    """
    if max_places < 1:
        raise ValueError(f"max_places must be positive, got {max_places!r}")
    m = blank_map(districts)
    add_districts(m, districts)
    kinds = _add_places(m, places, max_places, show_max)
    entries = [(_label(k), place_colour(k), "#333333") for k in kinds]
    if places["is_sensitive"].fillna(False).astype(bool).any():
        entries.append(("sensitive place (outline)", "#ffffff", SENSITIVE_OUTLINE))
    if towers is not None:
        _add_towers(m, towers, show_max)
        if len(towers):
            entries.append(("cell tower", "#ffffff", TOWER_COLOUR))
    if cameras is not None:
        _add_cameras(m, cameras, show_max)
        if len(cameras):
            entries.append(("camera", CAMERA_COLOUR, CAMERA_COLOUR))
    Legend("Places", entries).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    make_offline(m)
    return m
