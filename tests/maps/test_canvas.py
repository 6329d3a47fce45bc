"""Tests for :mod:`lab.maps.canvas`: the blank map, point layers, legend, scale bar and write_map."""

from __future__ import annotations

import os
from pathlib import Path

import folium
import pandas as pd
import pytest

from lab.maps import town_map, write_map
from lab.maps.canvas import Legend, blank_map, layer_name, point_layer, subset
from lab.output import OutputError


def test_subset_rule_bounds() -> None:
    """The subset never exceeds the cap and keeps evenly spaced rows from the start."""
    frame = pd.DataFrame({"x": range(10)})
    for cap in range(1, 12):
        sub = subset(frame, cap)
        assert 1 <= len(sub) <= cap
        if cap >= 10:
            assert list(sub["x"]) == list(range(10))
    assert list(subset(frame, 4)["x"]) == [0, 3, 6, 9]
    assert list(subset(frame, 3)["x"]) == [0, 4, 8]



def test_write_map_atomic(tmp_path: Path, districts, places) -> None:
    """write_map writes the page, returns its path and leaves no temporary file."""
    target = tmp_path / "town.html"
    target.write_text("old", encoding="utf-8")
    out = write_map(town_map(districts, places), target)
    assert out == target
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert "Saltmarsh Quay" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["town.html"]



def test_write_map_failure_leaves_nothing(tmp_path: Path, districts, places, monkeypatch) -> None:
    """If the final rename fails, the old file is intact and no temporary file remains."""
    target = tmp_path / "town.html"
    target.write_text("old", encoding="utf-8")

    def boom(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="disk on fire"):
        write_map(town_map(districts, places), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["town.html"]


def test_layer_name_counts() -> None:
    """A layer name gives its count, and both counts when only part is drawn."""
    assert layer_name("shop", 3, 3) == "shop (3)"
    assert layer_name("home", 2, 5_000) == "home (2 of 5,000 shown)"


def test_point_layer_one_feature_per_row_escaped() -> None:
    """A point layer has one feature per row; properties are escaped unless declared raw."""
    frame = pd.DataFrame({"lat": [-48.5, -48.6], "lon": [-123.0, -123.1]})
    props = {"name": pd.Series(["<i>a</i>", "b"]), "times": pd.Series(["09:00<br>10:00", "11:00"])}
    layer = point_layer(frame, props, ["name", "times"], folium.CircleMarker(radius=3), popup=True, raw=("times",))
    features = layer.data["features"]
    assert len(features) == 2
    assert features[0]["properties"] == {"name": "&lt;i&gt;a&lt;/i&gt;", "times": "09:00<br>10:00"}
    assert features[1]["geometry"]["coordinates"] == [-123.1, -48.6]


def test_legend_is_a_map_control(districts) -> None:
    """A legend is a Leaflet control with its title and escaped entries, and no closing tag in the script."""
    m = blank_map(districts)
    Legend("Who <b>", [("a & b", "#123456", "#000000")]).add_to(m)
    html = m.get_root().render()
    assert "lab-legend-title" in html and "Who &lt;b&gt;" in html and "a &amp; b" in html
    assert "background:#123456" in html
    script = html[html.index("lab-legend\")"):]
    assert "</div>" not in script.split("</script>")[0]


def test_blank_map_fits_districts_and_has_no_tiles(districts) -> None:
    """The blank map has a scale bar, no tile layer and fits the districts' bounds."""
    html = blank_map(districts).get_root().render()
    assert "L.control.scale(" in html
    assert "L.tileLayer" not in html
    assert "fitBounds" in html


def test_write_map_dual(tmp_path: Path, districts, places) -> None:
    """write_map also writes a dual map (the figure holding both maps)."""
    from folium.plugins import DualMap

    dual = DualMap(tiles=None)
    out = write_map(dual, tmp_path / "dual.html")
    assert out.read_text(encoding="utf-8").count("L.map(") == 2
    assert town_map(districts, places) is not None


def test_fit_view_refits_at_load_from_a_script_of_its_own():
    """The page fits the bounds, and registers a load-time refit in a script placed before the map's own."""
    import folium

    from lab.maps.canvas import fit_view

    m = folium.Map(location=[0, 0], tiles=None, zoom_start=2)
    fit_view(m, [[-48.6, -123.2], [-48.4, -122.8]], padding=(30, 30), max_zoom=15)
    page = m.get_root().render()
    listener, creation = page.find('addEventListener("load"'), page.find("L.map(")
    assert 0 <= listener < creation
    assert "[[-48.6, -123.2], [-48.4, -122.8]]" in page[listener:creation]
    assert '"maxZoom": 15' in page and '"animate": false' in page
