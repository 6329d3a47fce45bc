"""Offline Leaflet maps of the town.

:func:`town_map` draws districts, places, cell towers and cameras on a
:class:`folium.Map` that needs no network at all: there is no tile server (the
sea is a plain background colour and the land is the district polygons), and
Leaflet itself is embedded in the page from the copy vendored under
``lab/_static/leaflet`` as ``data:`` URIs. Folium's other default assets
(jQuery, Bootstrap, Font Awesome, awesome-markers) are dropped; nothing drawn
here needs them.

Points are drawn as one :class:`folium.GeoJson` layer per group, each with a
:class:`folium.CircleMarker` template, so a layer of thousands of places costs
one GeoJSON feature per place rather than one block of JavaScript per place.

This is the only module of the lab that imports :mod:`folium`.
"""

from __future__ import annotations

import base64
import html
import math
import os
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import pandas as pd

from lab.output import atomic_write

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["town_map", "write_map", "PLACE_COLOURS", "DISTRICT_COLOURS"]

#: Background colour of the map: everything that is not a district is sea.
OCEAN_COLOUR = "#a8cfe0"

#: Outline colour of sensitive places (clinics, places of worship, ...).
SENSITIVE_OUTLINE = "#d7191c"

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

#: Fill colour of each district kind; other kinds take colours from :data:`_EXTRA_LAND`.
DISTRICT_COLOURS: dict[str, str] = {
    "residential": "#f2ead3",
    "downtown": "#f6d5b8",
    "centre": "#f6d5b8",
    "center": "#f6d5b8",
    "commercial": "#f3cfc6",
    "mixed": "#efe0c9",
    "industrial": "#d9d4e7",
    "harbour": "#ddd5c7",
    "port": "#ddd5c7",
    "park": "#cfe8c0",
    "green": "#cfe8c0",
    "rural": "#e4efc9",
    "farmland": "#e4efc9",
    "campus": "#fbe3a6",
    "university": "#fbe3a6",
}
_EXTRA_LAND = ("#eadbc8", "#dde5b6", "#e6ccb2", "#d6e2e9", "#f0d9da", "#e2ece9")

#: Colours of the infrastructure layers.
TOWER_COLOUR = "#111111"
CAMERA_COLOUR = "#ff3d00"

#: Display order of place layers; kinds not listed follow in alphabetical order.
_KIND_ORDER = tuple(PLACE_COLOURS)

#: Decimal places kept for point coordinates (1e-6 degrees is about 0.1 m).
_COORD_DECIMALS = 6

_LEAFLET_DIR = ("_static", "leaflet")
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@] sourceMappingURL=.*?\*/", re.DOTALL)


# --------------------------------------------------------------------- assets


@lru_cache(maxsize=1)
def _leaflet_data_uris() -> tuple[str, str]:
    """Return ``(js_uri, css_uri)``: the vendored Leaflet as base64 ``data:`` URIs.

    Source-map comments are stripped, since a ``data:`` document has no base
    from which to resolve them.
    """
    root = files("lab").joinpath(*_LEAFLET_DIR)
    js = root.joinpath("leaflet.js").read_text(encoding="utf-8")
    css = root.joinpath("leaflet.css").read_text(encoding="utf-8")
    js = _SOURCE_MAP.sub("", js)
    css = _CSS_SOURCE_MAP.sub("", css)
    js_b64 = base64.b64encode(js.encode("utf-8")).decode("ascii")
    css_b64 = base64.b64encode(css.encode("utf-8")).decode("ascii")
    return (
        f"data:text/javascript;base64,{js_b64}",
        f"data:text/css;base64,{css_b64}",
    )


def _make_offline(m: folium.Map) -> None:
    """Replace the map's CDN assets with the embedded Leaflet, and nothing else.

    ``default_js`` / ``default_css`` are class attributes shared by every map
    (and mutated in place by folium's ``add_js_link``), so fresh lists are
    assigned on the instance.
    """
    js_uri, css_uri = _leaflet_data_uris()
    m.default_js = [("leaflet", js_uri)]
    m.default_css = [("leaflet_css", css_uri)]


# ------------------------------------------------------------------- helpers


def _place_colour(kind: str) -> str:
    return PLACE_COLOURS.get(kind, _FALLBACK_PLACE_COLOUR)


def _district_palette(kinds: list[str]) -> dict[str, str]:
    """Colour per district kind: known kinds fixed, the rest deterministic by name."""
    palette: dict[str, str] = {}
    unknown = sorted(k for k in set(kinds) if k not in DISTRICT_COLOURS)
    for kind in set(kinds):
        if kind in DISTRICT_COLOURS:
            palette[kind] = DISTRICT_COLOURS[kind]
    for i, kind in enumerate(unknown):
        palette[kind] = _EXTRA_LAND[i % len(_EXTRA_LAND)]
    return palette


def _kind_sort_key(kind: str) -> tuple[int, str]:
    try:
        return (_KIND_ORDER.index(kind), kind)
    except ValueError:
        return (len(_KIND_ORDER), kind)


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _subset(frame: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """Evenly spaced, deterministic subset of at most ``max_rows`` rows.

    Keeps every ``step``-th row with ``step = ceil(len(frame) / max_rows)``, so
    the result has ``ceil(len(frame) / step) <= max_rows`` rows.
    """
    n = len(frame)
    if n <= max_rows:
        return frame
    step = math.ceil(n / max_rows)
    return frame.iloc[::step]


def _layer_name(label: str, shown: int, total: int) -> str:
    if shown == total:
        return f"{label} ({total:,})"
    return f"{label} ({shown:,} of {total:,} shown)"


def _points_geojson(
    frame: pd.DataFrame, properties: dict[str, pd.Series]
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of points with string properties."""
    lats = frame["lat"].to_numpy(dtype=float).round(_COORD_DECIMALS)
    lons = frame["lon"].to_numpy(dtype=float).round(_COORD_DECIMALS)
    columns = {key: [html.escape(str(v)) for v in values] for key, values in properties.items()}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lons[i]), float(lats[i])]},
            "properties": {key: col[i] for key, col in columns.items()},
        }
        for i in range(len(frame))
    ]
    return {"type": "FeatureCollection", "features": features}


def _point_layer(
    frame: pd.DataFrame,
    properties: dict[str, pd.Series],
    aliases: list[str],
    marker: folium.CircleMarker,
    *,
    name: str | None = None,
    control: bool = True,
    show: bool = True,
) -> folium.GeoJson:
    """One GeoJson layer drawing every row of ``frame`` with the ``marker`` template."""
    return folium.GeoJson(
        _points_geojson(frame, properties),
        name=name,
        control=control,
        show=show,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(fields=list(properties), aliases=aliases, sticky=False),
    )


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}")


# ------------------------------------------------------------------- layers


def _add_districts(m: folium.Map, districts: gpd.GeoDataFrame) -> None:
    gdf = districts[["district_id", "name", "kind", "geometry"]].copy()
    gdf["district_id"] = gdf["district_id"].astype(str)
    gdf["name"] = gdf["name"].astype(str).map(html.escape)
    gdf["kind"] = gdf["kind"].astype(str)
    gdf = gdf.reset_index(drop=True)
    gdf.index = gdf["district_id"]
    palette = _district_palette(gdf["kind"].tolist())

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        kind = feature["properties"]["kind"]
        return {
            "fillColor": palette.get(kind, _EXTRA_LAND[0]),
            "fillOpacity": 1.0,
            "color": "#7a6f5a",
            "weight": 1,
        }

    folium.GeoJson(
        gdf,
        name="districts",
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "kind"], aliases=["district", "kind"], sticky=False
        ),
    ).add_to(m)


def _add_places(m: folium.Map, places: pd.DataFrame, max_places: int) -> None:
    _require(places, ["place_id", "name", "kind", "lat", "lon", "is_sensitive"], "places")
    kinds = sorted(places["kind"].astype(str).unique(), key=_kind_sort_key)
    for kind in kinds:
        of_kind = places[places["kind"].astype(str) == kind]
        drawn = _subset(of_kind, max_places)
        group = folium.FeatureGroup(
            name=_layer_name(_label(kind), len(drawn), len(of_kind)),
            show=kind != "home",
        )
        colour = _place_colour(kind)
        sensitive = drawn["is_sensitive"].fillna(False).astype(bool).to_numpy()
        for flag, part in ((False, drawn[~sensitive]), (True, drawn[sensitive])):
            if part.empty:
                continue
            props = {"name": part["name"], "kind": part["kind"]}
            aliases = ["name", "kind"]
            if flag:
                props["sensitive"] = pd.Series(["yes"] * len(part), index=part.index)
                aliases.append("sensitive")
                marker = folium.CircleMarker(
                    radius=5,
                    color=SENSITIVE_OUTLINE,
                    weight=2.5,
                    fill=True,
                    fill_color=colour,
                    fill_opacity=0.95,
                )
            else:
                marker = folium.CircleMarker(
                    radius=3 if kind == "home" else 4,
                    color="#333333",
                    weight=0.5,
                    fill=True,
                    fill_color=colour,
                    fill_opacity=0.9,
                )
            _point_layer(part, props, aliases, marker, control=False).add_to(group)
        group.add_to(m)


def _add_towers(m: folium.Map, towers: pd.DataFrame) -> None:
    _require(towers, ["tower_id", "lat", "lon"], "towers")
    if towers.empty:
        return
    marker = folium.CircleMarker(
        radius=6, color=TOWER_COLOUR, weight=2, fill=True, fill_color="#ffffff", fill_opacity=0.8
    )
    _point_layer(
        towers,
        {"tower_id": towers["tower_id"]},
        ["tower"],
        marker,
        name=_layer_name("cell towers", len(towers), len(towers)),
    ).add_to(m)


def _add_cameras(m: folium.Map, cameras: pd.DataFrame) -> None:
    _require(cameras, ["camera_id", "place_id", "lat", "lon"], "cameras")
    if cameras.empty:
        return
    marker = folium.CircleMarker(
        radius=3, color=CAMERA_COLOUR, weight=1, fill=True, fill_color=CAMERA_COLOUR, fill_opacity=1.0
    )
    _point_layer(
        cameras,
        {"camera_id": cameras["camera_id"], "place_id": cameras["place_id"]},
        ["camera", "at place"],
        marker,
        name=_layer_name("cameras", len(cameras), len(cameras)),
    ).add_to(m)


# --------------------------------------------------------------------- public


def town_map(
    districts: gpd.GeoDataFrame,
    places: pd.DataFrame,
    *,
    towers: pd.DataFrame | None = None,
    cameras: pd.DataFrame | None = None,
    max_places: int = 20000,
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
        own layer.
    max_places : int, default 20000
        Most places drawn per kind. A kind with more places is drawn as the
        evenly spaced subset ``iloc[::ceil(n / max_places)]`` and its layer
        name says how many of how many are shown.

    Returns
    -------
    folium.Map
        A map with no tile layer, an ocean-coloured background, the district
        polygons (filled by kind), one layer per place kind (sensitive places
        outlined in red; homes hidden until ticked), optional tower and
        camera layers, and an expanded layer control. Its page loads nothing
        from the network: Leaflet is embedded as ``data:`` URIs.

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
    _require(districts, ["district_id", "name", "kind", "geometry"], "districts")
    if len(districts) == 0:
        raise ValueError("districts is empty; nothing to fit the map to")
    if districts.crs is not None and not districts.crs.equals("EPSG:4326"):
        districts = districts.to_crs("EPSG:4326")

    min_lon, min_lat, max_lon, max_lat = (float(v) for v in districts.total_bounds)
    centre = [(min_lat + max_lat) / 2.0, (min_lon + max_lon) / 2.0]

    m = folium.Map(location=centre, tiles=None, zoom_start=13, prefer_canvas=True)
    _make_offline(m)
    m.get_root().header.add_child(
        folium.Element(
            "<style>"
            f"#{m.get_name()}, .leaflet-container {{ background: {OCEAN_COLOUR}; }}"
            "</style>"
        ),
        name="ocean_background",
    )

    _add_districts(m, districts)
    _add_places(m, places, max_places)
    if towers is not None:
        _add_towers(m, towers)
    if cameras is not None:
        _add_cameras(m, cameras)

    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]])
    return m


def write_map(m: folium.Map, path: str | os.PathLike[str], *, option: str | None = None) -> Path:
    """Save a map as a standalone HTML page, atomically.

    The page is written with :func:`lab.output.atomic_write`: to a temporary
    file beside the destination, moved into place only when complete, with
    ordinary permissions, so readers never see a partial file and a failed
    write leaves nothing behind.

    Parameters
    ----------
    m : folium.Map
        The map, e.g. from :func:`town_map`.
    path : str or os.PathLike
        Destination ``.html`` file; missing directories are created.
    option : str, optional
        The command-line option that named ``path``, for error messages.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    page = m.get_root().render()
    with atomic_write(path, option=option) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
