"""The parts every map shares: a blank offline map of the town, point layers, a legend, a scale bar.

A map has no tile server: the sea is a plain background colour and the land is
the district polygons, so nothing is fetched to draw it. Points are drawn as one
:class:`folium.GeoJson` layer per group with a :class:`folium.CircleMarker`
template, so a layer of thousands of points costs one GeoJSON feature per point
rather than one block of JavaScript per point.
"""

from __future__ import annotations

import html
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from lab.output import atomic_write

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "fit_view",
    "OCEAN_COLOUR", "SENSITIVE_OUTLINE", "DISTRICT_COLOURS", "blank_map", "add_districts", "point_layer",
    "points_geojson", "Legend", "add_scale", "layer_name", "subset", "require", "write_map",
]

#: Background colour of the map: everything that is not a district is sea.
OCEAN_COLOUR = "#a8cfe0"

#: Outline colour of sensitive places (clinics, places of worship, ...).
SENSITIVE_OUTLINE = "#d7191c"

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

#: Decimal places kept for point coordinates (1e-6 degrees is about 0.1 m).
_COORD_DECIMALS = 6

_STYLE = """<style>
html body .leaflet-container { background: OCEAN; }
.lab-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px; font: 12px/1.4 sans-serif;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 260px; }
.lab-legend-title { font-weight: bold; margin-bottom: 3px; }
.lab-swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; vertical-align: -1px;
  border: 1px solid #333; border-radius: 50%; }
.lab-district-label { font: bold 11px sans-serif; color: #4a4031; white-space: nowrap; text-align: center;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
</style>""".replace("OCEAN", OCEAN_COLOUR)


def require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Refuse a table missing a column a map draws."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}")


def subset(frame: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """Evenly spaced, deterministic subset of at most ``max_rows`` rows.

    Keeps every ``step``-th row with ``step = ceil(len(frame) / max_rows)``, so
    the result has ``ceil(len(frame) / step) <= max_rows`` rows.
    """
    n = len(frame)
    if n <= max_rows:
        return frame
    step = math.ceil(n / max_rows)
    return frame.iloc[::step]


def layer_name(label: str, shown: int, total: int) -> str:
    """``"label (n)"``, or ``"label (n of N shown)"`` when only part is drawn."""
    if shown == total:
        return f"{label} ({total:,})"
    return f"{label} ({shown:,} of {total:,} shown)"


def _district_palette(kinds: list[str]) -> dict[str, str]:
    """Colour per district kind: known kinds fixed, the rest deterministic by name."""
    unknown = sorted(k for k in set(kinds) if k not in DISTRICT_COLOURS)
    palette = {k: DISTRICT_COLOURS[k] for k in set(kinds) if k in DISTRICT_COLOURS}
    palette.update({k: _EXTRA_LAND[i % len(_EXTRA_LAND)] for i, k in enumerate(unknown)})
    return palette


def _wgs84(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    require(districts, ["district_id", "name", "kind", "geometry"], "districts")
    if len(districts) == 0:
        raise ValueError("districts is empty; nothing to fit the map to")
    if districts.crs is not None and not districts.crs.equals("EPSG:4326"):
        districts = districts.to_crs("EPSG:4326")
    return districts


def blank_map(districts: gpd.GeoDataFrame, *, fit: bool = True, **kwargs: Any) -> folium.Map:
    """An empty map fitted to the districts: no tiles, a sea-coloured background, a metric scale bar.

    With ``fit=False`` the caller fits the view once itself (a second fit
    animates, and a page captured mid-animation shows the first view). Other
    keyword arguments go to :class:`folium.Map`.
    """
    districts = _wgs84(districts)
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in districts.total_bounds)
    m = folium.Map(location=[(min_lat + max_lat) / 2.0, (min_lon + max_lon) / 2.0], tiles=None, zoom_start=13,
                   prefer_canvas=True, **kwargs)
    style_page(m)
    add_scale(m)
    if fit:
        fit_view(m, [[min_lat, min_lon], [max_lat, max_lon]])
    return m


class _Refit(MacroElement):
    """Fit the map to its bounds once its box has a size.

    A map drawn inside a frame (the risk report's) may run its script while its box is still empty;
    Leaflet then fits the bounds to nothing and the town shows at world scale. The view is fitted
    again when the box first gets a size (and never after, so it does not undo the reader's panning).
    """

    # In a script tag of its own, registered before the map's script runs: if that script stops
    # early (a heat layer drawn into an empty box throws), the view is still fitted at load.
    _template = Template("""
        {% macro html(this, kwargs) %}
        <script>
        window.addEventListener("load", function () {
            var map = window["{{ this._parent.get_name() }}"];
            if (!map) { return; }
            var box = map.getContainer(), fitted = false;
            function refit() {
                if (fitted || !box.clientWidth || !box.clientHeight) { return; }
                fitted = true;
                map.invalidateSize(false);
                map.fitBounds({{ this.bounds }}, {{ this.options }});
            }
            refit();
            if (!fitted && window.ResizeObserver) { new ResizeObserver(refit).observe(box); }
        });
        </script>
        {% endmacro %}
    """)

    def __init__(self, bounds: list, options: dict) -> None:
        super().__init__()
        self._name = "Refit"
        self.bounds = json.dumps(bounds)
        self.options = json.dumps({**options, "animate": False})


def fit_view(m: folium.Map, bounds: list, *, padding: tuple[int, int] | None = None,
             max_zoom: int | None = None) -> None:
    """Fit ``m`` to ``bounds`` (``[[south, west], [north, east]]``), now and once its box has a size."""
    options: dict[str, Any] = {}
    if padding is not None:
        options["padding"] = list(padding)
    if max_zoom is not None:
        options["maxZoom"] = max_zoom
    m.fit_bounds(bounds, padding=padding, max_zoom=max_zoom)
    m.add_child(_Refit([[float(v) for v in corner] for corner in bounds], options))


def style_page(m: folium.Map) -> None:
    """Add the lab's stylesheet (sea colour, legend, labels) to the page of ``m``."""
    m.get_root().header.add_child(folium.Element(_STYLE), name="lab_style")


def add_districts(m: folium.Map | folium.FeatureGroup, districts: gpd.GeoDataFrame, *, labels: bool = True,
                  fill: bool = True) -> None:
    """Draw the district polygons (filled by kind, name and kind on hover) and, optionally, their names.

    The names are permanent labels (one :class:`folium.DivIcon` per district at
    a point inside it) in their own layer, ``district names``.
    """
    gdf = _wgs84(districts)[["district_id", "name", "kind", "geometry"]].copy()
    gdf["district_id"] = gdf["district_id"].astype(str)
    gdf["name"] = gdf["name"].astype(str).map(html.escape)
    gdf["kind"] = gdf["kind"].astype(str)
    gdf = gdf.reset_index(drop=True)
    gdf.index = gdf["district_id"]
    palette = _district_palette(gdf["kind"].tolist())

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        return {
            "fillColor": palette.get(feature["properties"]["kind"], _EXTRA_LAND[0]),
            "fillOpacity": 1.0 if fill else 0.0,
            "color": "#7a6f5a",
            "weight": 1,
        }

    folium.GeoJson(
        gdf,
        name="districts",
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["name", "kind"], aliases=["district", "kind"], sticky=False),
    ).add_to(m)
    if labels:
        names = folium.FeatureGroup(name="district names")
        anchor = gdf.geometry.representative_point()
        for name, point in zip(gdf["name"], anchor):
            folium.Marker(
                [point.y, point.x],
                icon=folium.DivIcon(html=f'<div class="lab-district-label">{name}</div>',
                                    icon_size=(160, 16), icon_anchor=(80, 8), class_name="lab-label"),
                interactive=False,
            ).add_to(names)
        names.add_to(m)


def points_geojson(frame: pd.DataFrame, properties: dict[str, pd.Series]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the rows' points, with HTML-escaped string properties."""
    lats = frame["lat"].to_numpy(dtype=float).round(_COORD_DECIMALS).tolist()
    lons = frame["lon"].to_numpy(dtype=float).round(_COORD_DECIMALS).tolist()
    columns = {key: pd.Series(values).astype(str).map(html.escape).tolist() for key, values in properties.items()}
    rows = zip(lons, lats, *columns.values())
    keys = list(columns)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row[0], row[1]]},
         "properties": dict(zip(keys, row[2:]))}
        for row in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def point_layer(
    frame: pd.DataFrame,
    properties: dict[str, pd.Series],
    aliases: list[str],
    marker: folium.CircleMarker,
    *,
    name: str | None = None,
    control: bool = True,
    show: bool = True,
    popup: bool = False,
    raw: tuple[str, ...] = (),
) -> folium.GeoJson:
    """One GeoJson layer drawing every row of ``frame`` with the ``marker`` template.

    The properties show in a tooltip, or in a popup on click when ``popup``;
    the values of the properties named in ``raw`` are trusted HTML (built by
    the lab from escaped parts) and are not escaped again.
    """
    escaped = {k: v for k, v in properties.items() if k not in raw}
    data = points_geojson(frame, escaped)
    for key in raw:
        for feature, value in zip(data["features"], properties[key].astype(str).tolist()):
            feature["properties"][key] = value
    box = (folium.GeoJsonPopup(fields=list(properties), aliases=aliases) if popup
           else folium.GeoJsonTooltip(fields=list(properties), aliases=aliases, sticky=False))
    kwargs = {"popup": box} if popup else {"tooltip": box}
    return folium.GeoJson(data, name=name, control=control, show=show, marker=marker, **kwargs)


class Legend(MacroElement):
    """A small legend in a corner of the map: a title and one colour swatch per entry.

    Parameters
    ----------
    title : str
    entries : list of (label, fill colour, outline colour)
    position : str, default "bottomright"
        A Leaflet control position.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "lab-legend");
                div.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, entries: list[tuple[str, str, str]], *, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.entries = list(entries)
        self.position = position
        rows = "".join(
            f'<div class="lab-legend-entry"><span class="lab-swatch" style="background:{fill};'
            f'border-color:{outline}"></span>{html.escape(label)}</div>'
            for label, fill, outline in self.entries
        )
        body = f'<div class="lab-legend-title">{html.escape(title)}</div>{rows}'
        self.html = json.dumps(body).replace("</", "<\\/")


class _Scale(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "ScaleBar"


def add_scale(m: folium.Map) -> None:
    """Add Leaflet's metric scale bar (``L.control.scale``) to the map."""
    _Scale().add_to(m)


def write_map(m: folium.Map, path: str | os.PathLike[str], *, option: str | None = None) -> Path:
    """Save a map (or a dual map) as a standalone HTML page, atomically.

    The page is written with :func:`lab.output.atomic_write`: to a temporary
    file beside the destination, moved into place only when complete, with
    ordinary permissions, so readers never see a partial file and a failed
    write leaves nothing behind.

    Parameters
    ----------
    m : folium.Map or folium.plugins.DualMap
        The map, e.g. from :func:`lab.maps.town_map`.
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
