"""A release as a heat map, and the same release before and after a mitigation, side by side.

An analyst given a release sees where people are; an aggregate or a coarsened
release is published so that this picture survives while individuals do not.
:func:`heat_map` draws a release's observations as heat (counted on a fine grid
first, so a town-sized release stays a small page); :func:`heat_comparison`
puts the release and its mitigated copy on a synchronised dual map, both drawn
on the same grid and the same intensity scale, so "what the analyst still sees"
is visible at a glance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd
from folium.plugins import DualMap, HeatMap

from lab.grid import Origin, cell_centres, grid_origin
from lab.maps.assets import make_offline
from lab.maps.canvas import Legend, add_districts, add_scale, fit_view, require, style_page

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["heat_cells", "heat_map", "heat_comparison", "GRADIENT"]

#: Colour ramp of the heat, from few observations to many.
GRADIENT = {0.2: "#2c7bb6", 0.4: "#abd9e9", 0.6: "#ffffbf", 0.8: "#fdae61", 1.0: "#d7191c"}


def heat_cells(release: pd.DataFrame, *, cell_m: float = 100.0, origin: Origin | None = None) -> pd.DataFrame:
    """Observations counted per grid cell: lat, lon (the cell's centre) and count.

    Parameters
    ----------
    release : pandas.DataFrame
        Any table with lat and lon.
    cell_m : float, default 100
        Side of the cells in metres (:mod:`lab.grid`).
    origin : (float, float), optional
        Anchor of the grid; default :func:`lab.grid.grid_origin` of the release.

    Examples
    --------
    >>> import pandas as pd
    >>> heat_cells(pd.DataFrame({"lat": [-48.5, -48.5, -48.6], "lon": [-123.0, -123.0, -123.0]}))["count"].tolist()
    [1, 2]
    """
    require(release, ["lat", "lon"], "release")
    lat = release["lat"].to_numpy(dtype=float)
    lon = release["lon"].to_numpy(dtype=float)
    if len(lat) == 0:
        return pd.DataFrame({"lat": [], "lon": [], "count": np.zeros(0, dtype=np.int64)})
    origin = grid_origin(lat, lon) if origin is None else origin
    cell, c_lat, c_lon = cell_centres(lat, lon, cell_m=cell_m, origin=origin)
    _, first, counts = np.unique(cell, return_index=True, return_counts=True)
    return pd.DataFrame({"lat": c_lat[first], "lon": c_lon[first], "count": counts.astype(np.int64)})


def _heat_layer(cells: pd.DataFrame, *, name: str, peak: float, radius: int) -> HeatMap:
    weight = np.round(cells["count"].to_numpy(dtype=float) / max(peak, 1.0), 4)
    data = np.column_stack([cells["lat"].to_numpy().round(6), cells["lon"].to_numpy().round(6), weight]).tolist()
    # leaflet.heat dims points below max_zoom; a low max_zoom keeps one intensity scale at town zooms.
    return HeatMap(data, name=name, radius=radius, blur=radius * 0.8, min_opacity=0.3, max_zoom=10,
                   gradient=GRADIENT)


def _legend(title: str, peak: float, cell_m: float) -> Legend:
    stops = sorted(GRADIENT.items())
    # The top stop is the 99th percentile: busier cells are drawn at full intensity too.
    return Legend(title, [(f"{'≥' if q == stops[-1][0] else '≈'} {q * peak:,.0f} per {cell_m:g} m cell", colour, colour)
                          for q, colour in stops])


def _bounds(*frames: pd.DataFrame) -> list[list[float]]:
    lat = np.concatenate([f["lat"].to_numpy(dtype=float) for f in frames])
    lon = np.concatenate([f["lon"].to_numpy(dtype=float) for f in frames])
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def _peak(cells: pd.DataFrame) -> float:
    # The 99th percentile, so one crowded cell does not wash out the rest of the town.
    return float(np.quantile(cells["count"], 0.99)) if len(cells) else 1.0


def _draw(m: folium.Map, cells: pd.DataFrame, districts: gpd.GeoDataFrame | None, *, name: str, peak: float,
          radius: int, cell_m: float) -> None:
    if districts is not None:
        add_districts(m, districts, labels=True)
    _heat_layer(cells, name=name, peak=peak, radius=radius).add_to(m)
    _legend(name, peak, cell_m).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)


def heat_map(release: pd.DataFrame, *, districts: gpd.GeoDataFrame | None = None, name: str = "release",
             cell_m: float = 100.0, origin: Origin | None = None, radius: int = 12) -> folium.Map:
    """A release drawn as heat.

    Parameters
    ----------
    release : pandas.DataFrame
        Any table with lat and lon (a release, a mitigated release, visits joined to places).
    districts : geopandas.GeoDataFrame, optional
        Drawn underneath for context.
    name : str
        Name of the heat layer (shown in the layer control and the legend).
    cell_m : float, default 100
        Observations are counted on a grid of this many metres first (:func:`heat_cells`).
    origin : (float, float), optional
        Anchor of that grid.
    radius : int, default 12
        Radius of each cell's blob, in pixels.

    Returns
    -------
    folium.Map
        A heat layer named ``"{name}: {n} observations"`` over the districts, a
        legend of the colour ramp in observations per cell, a scale bar.
    """
    cells = heat_cells(release, cell_m=cell_m, origin=origin)
    m = folium.Map(tiles=None, prefer_canvas=True)
    style_page(m)
    add_scale(m)
    _draw(m, cells, districts, name=f"{name}: {len(release):,} observations", peak=_peak(cells), radius=radius,
          cell_m=cell_m)
    if len(release):
        fit_view(m, _bounds(*(d for d in (release, _district_points(districts)) if d is not None)))
    make_offline(m)
    return m


def _district_points(districts: gpd.GeoDataFrame | None) -> pd.DataFrame | None:
    if districts is None:
        return None
    if districts.crs is not None and not districts.crs.equals("EPSG:4326"):
        districts = districts.to_crs("EPSG:4326")
    x0, y0, x1, y1 = districts.total_bounds
    return pd.DataFrame({"lat": [y0, y1], "lon": [x0, x1]})


def heat_comparison(before: pd.DataFrame, after: pd.DataFrame, *, districts: gpd.GeoDataFrame | None = None,
                    names: tuple[str, str] = ("original", "mitigated"), cell_m: float = 100.0,
                    radius: int = 12) -> DualMap:
    """A release and its mitigated copy as heat, side by side on two synchronised maps.

    Both are counted on the same grid (anchored on the original release) and
    drawn on the same intensity scale, so a difference in colour is a
    difference in the data.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Tables with lat and lon: the release and the release after a mitigation.
    districts : geopandas.GeoDataFrame, optional
        Drawn under both.
    names : (str, str)
        Names of the two heat layers.
    cell_m, radius
        As for :func:`heat_map`.

    Returns
    -------
    folium.plugins.DualMap
        ``m1`` shows ``before``, ``m2`` shows ``after``; panning or zooming one
        moves the other (Leaflet.Sync).
    """
    require(before, ["lat", "lon"], "before")
    origin = grid_origin(before["lat"], before["lon"]) if len(before) else None
    cells = [heat_cells(frame, cell_m=cell_m, origin=origin) for frame in (before, after)]
    peak = max(_peak(c) for c in cells)
    dual = DualMap(tiles=None, prefer_canvas=True)
    for m, frame, c, name in zip((dual.m1, dual.m2), (before, after), cells, names):
        style_page(m)
        add_scale(m)
        _draw(m, c, districts, name=f"{name}: {len(frame):,} observations", peak=peak, radius=radius,
              cell_m=cell_m)
    frames = [f for f in (before, after, _district_points(districts)) if f is not None and len(f)]
    if frames:
        dual.fit_bounds(_bounds(*frames))
    make_offline(dual)
    return dual
