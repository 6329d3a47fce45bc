"""Tests for :mod:`lab.maps.town`: the offline town map (fixtures in conftest.py)."""

from __future__ import annotations

import re

import folium
import pytest

from lab.maps import SENSITIVE_OUTLINE, town_map
from lab.maps.town import CAMERA_COLOUR, PLACE_COLOURS


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
        "district names",
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




def test_legend_has_a_swatch_per_kind(districts, places, towers, cameras) -> None:
    """The legend names every place kind drawn, with its colour, plus the sensitive outline, towers and cameras."""
    html = _html(town_map(districts, places, towers=towers, cameras=cameras))
    assert html.count("L.DomUtil.create(\"div\", \"lab-legend\")") == 1
    entries = re.findall(r'lab-swatch\\" style=\\"background:(#\w+);border-color:#\w+\\"><\\/span>([^<]+)<', html)
    assert ("#e377c2", "clinic") in entries
    assert (PLACE_COLOURS["internet_cafe"], "internet cafe") in entries
    assert (CAMERA_COLOUR, "camera") in entries
    labels = [label for _, label in entries]
    assert labels == ["home", "school", "shop", "internet cafe", "worship", "clinic", "sensitive place (outline)",
                      "cell tower", "camera"]


def test_scale_bar_and_district_labels(districts, places) -> None:
    """A metric scale bar and one permanent label per district are on the map."""
    m = town_map(districts, places)
    html = _html(m)
    assert "L.control.scale({metric: true, imperial: false" in html
    labels = re.findall(r'class=\\"lab-district-label\\"\\u003e(.*?)\\u003c/div', html)
    assert sorted(labels) == ["Lanternhill", "Saltmarsh Quay"]


def test_dense_layers_start_off(districts, places, towers, cameras) -> None:
    """Layers with more points than show_max start off; cameras are clustered and off when dense."""
    html = _html(town_map(districts, places, towers=towers, cameras=cameras, show_max=1))
    overlays = _overlays(html)
    map_var = re.search(r"var (map_\w+) = L\.map\(", html).group(1)
    assert f"{_layer_for(overlays, 'cell towers')}.addTo({map_var})" not in html  # 2 towers > 1
    assert f"{_layer_for(overlays, 'shop')}.addTo({map_var})" in html
    camera = _layer_for(overlays, "cameras")
    assert camera.startswith("marker_cluster_")
    assert f"{camera}.addTo({map_var})" in html  # 1 camera <= 1
    assert "L.markerClusterGroup(" in html


def test_cameras_drawn_once_each(districts, places, cameras) -> None:
    """The camera layer holds one point per camera row."""
    m = town_map(districts, places, cameras=cameras)
    clusters = [c for c in m._children.values() if type(c).__name__ == "MarkerCluster"]
    assert len(clusters) == 1
    (layer,) = [c for c in clusters[0]._children.values() if isinstance(c, folium.GeoJson)]
    assert [f["properties"]["camera_id"] for f in layer.data["features"]] == ["C01"]


def test_classroom_town_counts(classroom) -> None:
    """On the classroom world every place is drawn once and every layer counts its rows."""
    m = town_map(classroom.districts, classroom.places, towers=classroom.towers, cameras=classroom.cameras)
    overlays = _overlays(_html(m))
    assert len(_drawn_points(m)) == classroom.places["name"].nunique()
    for kind, n in classroom.places["kind"].value_counts().items():
        assert f"{kind.replace('_', ' ')} ({n:,})" in overlays
    assert f"cell towers ({len(classroom.towers):,})" in overlays
    assert f"cameras ({len(classroom.cameras):,})" in overlays

