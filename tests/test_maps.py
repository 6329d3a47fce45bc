"""Tests for :mod:`lab.maps`: offline town maps."""

from __future__ import annotations

import base64
import os
import re
from importlib.resources import files
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from lab import maps
from lab.maps import SENSITIVE_OUTLINE, town_map, write_map
from lab.output import OutputError

# Two 2 km x 2 km-ish squares side by side, just south of -48.5.
WEST = box(-123.03, -48.52, -123.00, -48.50)
EAST = box(-123.00, -48.52, -122.97, -48.50)


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "district_id": ["D01", "D02"],
            "name": ["Saltmarsh Quay", "Lanternhill"],
            "kind": ["harbour", "residential"],
        },
        geometry=[WEST, EAST],
        crs="EPSG:4326",
    )


@pytest.fixture
def places() -> pd.DataFrame:
    rows = [
        ("P01", "Home Alder", "home", "D02", -48.501, -122.99, False),
        ("P02", "Home Birch", "home", "D02", -48.503, -122.99, False),
        ("P03", "Home Cedar", "home", "D02", -48.505, -122.99, False),
        ("P04", "Home Dogwood", "home", "D02", -48.507, -122.99, False),
        ("P05", "Home Elm", "home", "D02", -48.509, -122.99, False),
        ("P06", "Gullwing Grocer", "shop", "D01", -48.510, -123.01, False),
        ("P07", "Tidewater Clinic", "clinic", "D01", -48.512, -123.02, True),
        ("P08", "Chapel of the Shoals", "worship", "D02", -48.514, -122.98, True),
        ("P09", "Breakwater School", "school", "D01", -48.516, -123.02, False),
        ("P10", "Byte Harbour Cafe", "internet_cafe", "D01", -48.518, -123.01, False),
    ]
    return pd.DataFrame(
        rows, columns=["place_id", "name", "kind", "district_id", "lat", "lon", "is_sensitive"]
    )


@pytest.fixture
def towers() -> pd.DataFrame:
    return pd.DataFrame({"tower_id": ["T01", "T02"], "lat": [-48.505, -48.515], "lon": [-123.02, -122.98]})


@pytest.fixture
def cameras() -> pd.DataFrame:
    return pd.DataFrame(
        {"camera_id": ["C01"], "place_id": ["P06"], "lat": [-48.510], "lon": [-123.01]}
    )


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def _overlays(html: str) -> dict[str, str]:
    """Layer-control overlay name -> JavaScript variable of the layer."""
    block = re.search(r"overlays\s*:\s*\{(.*?)\}", html, re.DOTALL)
    assert block is not None, "no layer control in the page"
    return dict(re.findall(r'"([^"]+)"\s*:\s*(\w+),', block.group(1)))


def _drawn_points(m: folium.Map) -> dict[str, folium.GeoJson]:
    """Drawn place name (as stored in the page) -> the GeoJson layer drawing it."""
    drawn: dict[str, folium.GeoJson] = {}
    for group in m._children.values():
        if not isinstance(group, folium.FeatureGroup):
            continue
        for layer in group._children.values():
            if isinstance(layer, folium.GeoJson):
                for feature in layer.data["features"]:
                    drawn[feature["properties"]["name"]] = layer
    return drawn


def _layer_for(overlays: dict[str, str], label: str) -> str:
    hits = [var for name, var in overlays.items() if name.startswith(label + " (")]
    assert len(hits) == 1, f"expected one {label!r} layer in {list(overlays)}"
    return hits[0]


def test_vendored_leaflet_present() -> None:
    """The vendored Leaflet 1.9.4 js, css and licence ship inside the package."""
    root = files("lab") / "_static" / "leaflet"
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    assert len(js) > 100_000
    assert 'version="1.9.4"' in js
    assert ".leaflet-container" in (root / "leaflet.css").read_text(encoding="utf-8")
    assert "Agafonkin" in (root / "LICENSE").read_text(encoding="utf-8")


def test_no_remote_assets(districts, places, towers, cameras) -> None:
    """Every src/href in the page is a data: URI; nothing is fetched over http(s)."""
    html = _html(town_map(districts, places, towers=towers, cameras=cameras))
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE)
    assert refs, "expected the embedded Leaflet assets"
    assert all(ref.startswith("data:") for ref in refs), [r[:60] for r in refs]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    for cdn in ("cdn.jsdelivr", "code.jquery", "bootstrapcdn", "cdnjs", "tile.openstreetmap"):
        assert cdn not in html
    assert "L.tileLayer" not in html


def test_leaflet_embedded_from_vendored_copy(districts, places) -> None:
    """The page's script and stylesheet decode to the vendored Leaflet files."""
    html = _html(town_map(districts, places))
    js_b64 = re.search(r'src="data:text/javascript;base64,([A-Za-z0-9+/=]+)"', html)
    css_b64 = re.search(r'href="data:text/css;base64,([A-Za-z0-9+/=]+)"', html)
    assert js_b64 is not None and css_b64 is not None
    js = base64.b64decode(js_b64.group(1)).decode("utf-8")
    css = base64.b64decode(css_b64.group(1)).decode("utf-8")
    root = files("lab") / "_static" / "leaflet"
    vendored = (root / "leaflet.js").read_text(encoding="utf-8")
    assert js.strip() == re.sub(r"//# sourceMappingURL=.*", "", vendored).strip()
    assert css == (root / "leaflet.css").read_text(encoding="utf-8")


def test_default_folium_assets_untouched(districts, places) -> None:
    """Making one map offline does not strip CDN assets from other folium maps."""
    town_map(districts, places)
    other = folium.Map()
    assert any(name == "jquery" for name, _ in other.default_js)
    assert any(url.startswith("https://") for _, url in folium.Map.default_js)


def test_district_names_and_bounds(districts, places) -> None:
    """The page names every district and fits the view to the districts' bounds."""
    html = _html(town_map(districts, places))
    assert "Saltmarsh Quay" in html
    assert "Lanternhill" in html
    fit = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.DOTALL)
    assert fit is not None
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", fit.group(1))]
    assert numbers == pytest.approx([-48.52, -123.03, -48.50, -122.97])


def test_one_layer_per_place_kind(districts, places) -> None:
    """There is exactly one overlay per place kind present, named with its count."""
    overlays = _overlays(_html(town_map(districts, places)))
    assert set(overlays) == {
        "districts",
        "home (5)",
        "shop (1)",
        "clinic (1)",
        "worship (1)",
        "school (1)",
        "internet cafe (1)",
    }


def test_homes_hidden_by_default(districts, places) -> None:
    """The homes layer is not added to the map on load; other place layers are."""
    html = _html(town_map(districts, places))
    overlays = _overlays(html)
    map_var = re.search(r'var (map_\w+) = L\.map\(', html).group(1)
    home = _layer_for(overlays, "home")
    shop = _layer_for(overlays, "shop")
    assert f"{home}.addTo({map_var})" not in html
    assert f"{shop}.addTo({map_var})" in html


def test_subset_caps_drawn_count(districts, places) -> None:
    """A kind over max_places draws the evenly spaced iloc[::step] subset and says so."""
    html = _html(town_map(districts, places, max_places=2))
    overlays = _overlays(html)
    # 5 homes, step = ceil(5 / 2) = 3 -> rows 0 and 3.
    assert "home (2 of 5 shown)" in overlays
    assert "Home Alder" in html and "Home Dogwood" in html
    for skipped in ("Home Birch", "Home Cedar", "Home Elm"):
        assert skipped not in html
    # Kinds under the cap are drawn in full.
    assert "shop (1)" in overlays
    assert "Gullwing Grocer" in html


def test_subset_rule_bounds() -> None:
    """The subset never exceeds the cap and keeps evenly spaced rows from the start."""
    frame = pd.DataFrame({"x": range(10)})
    for cap in range(1, 12):
        sub = maps._subset(frame, cap)
        assert 1 <= len(sub) <= cap
        if cap >= 10:
            assert list(sub["x"]) == list(range(10))
    assert list(maps._subset(frame, 4)["x"]) == [0, 3, 6, 9]
    assert list(maps._subset(frame, 3)["x"]) == [0, 4, 8]


def test_sensitive_places_outlined_red(districts, places) -> None:
    """Sensitive places are drawn with the red outline, ordinary ones are not."""
    drawn = _drawn_points(town_map(districts, places))
    outline = {name: layer.marker.options["color"] for name, layer in drawn.items()}
    assert outline["Tidewater Clinic"] == SENSITIVE_OUTLINE
    assert outline["Chapel of the Shoals"] == SENSITIVE_OUTLINE
    assert outline["Gullwing Grocer"] != SENSITIVE_OUTLINE
    assert outline["Home Alder"] != SENSITIVE_OUTLINE
    assert len(outline) == len(places)


def test_towers_and_cameras_layers(districts, places, towers, cameras) -> None:
    """Tower and camera layers appear only when their tables are given."""
    with_infra = _overlays(_html(town_map(districts, places, towers=towers, cameras=cameras)))
    assert "cell towers (2)" in with_infra
    assert "cameras (1)" in with_infra
    without = _overlays(_html(town_map(districts, places)))
    assert not any(k.startswith(("cell towers", "cameras")) for k in without)


def test_names_are_html_escaped(districts, places) -> None:
    """Markup in a place name reaches the tooltip escaped, not as live HTML."""
    places.loc[0, "name"] = "<b>Home</b> Alder"
    m = town_map(districts, places)
    assert "&lt;b&gt;Home&lt;/b&gt; Alder" in _drawn_points(m)
    html = _html(m)
    assert "<b>Home</b>" not in html


def test_invalid_max_places(districts, places) -> None:
    """A non-positive max_places is rejected."""
    with pytest.raises(ValueError, match="max_places"):
        town_map(districts, places, max_places=0)


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
