"""Tests for :mod:`lab.maps.assets`: Leaflet and its plugins bundled, inlined, and nothing from the network."""

from __future__ import annotations

import base64
import re
import tomllib
from importlib.resources import files
from pathlib import Path

import folium
import pytest
from folium.plugins import TimestampedGeoJson

from lab.maps import adversary_map, heat_comparison, heat_map, person_map, town_map
from lab.maps.assets import BUNDLED, data_uri, make_offline

ROOT = Path(__file__).resolve().parents[2]

#: npm package directory -> (files taken from it, a string its licence holds).
PACKAGES = {
    "leaflet": (("leaflet.js", "leaflet.css"), "Agafonkin"),
    "leaflet.markercluster": (("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
                              "David Leaver"),
    "leaflet.heat": (("leaflet-heat.js",), "Agafonkin"),
    "leaflet.sync": (("L.Map.Sync.js",), "Waagmeester"),
}


def _html(m) -> str:
    return m.get_root().render()


@pytest.fixture(scope="module")
def every_map(classroom) -> dict[str, str]:
    """The page of every kind of map, drawn on the classroom world."""
    w = classroom
    person = w.keys.loc[w.keys["release"] == "cdr", "person_id"].iloc[0]
    cdr = w.releases["cdr"]
    return {
        "town": _html(town_map(w.districts, w.places, towers=w.towers, cameras=w.cameras)),
        "person": _html(person_map(w, person)),
        "heat": _html(heat_map(cdr, districts=w.districts)),
        "dual": _html(heat_comparison(cdr, cdr.assign(lat=cdr["lat"].round(2)), districts=w.districts)),
        "adversary": _html(adversary_map(cdr, cdr["pseudonym"].iloc[0], districts=w.districts)),
    }


@pytest.mark.parametrize("kind", ["town", "person", "heat", "dual", "adversary"])
def test_no_url_anywhere(every_map, kind) -> None:
    """No http(s) or protocol-relative URL appears anywhere in the page: no script, stylesheet, tile or link."""
    html = every_map[kind]
    assert re.findall(r".{30}(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}.{0,30}", html, re.IGNORECASE) == []
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE)
    assert refs and all(ref.startswith("data:") for ref in refs), [r[:60] for r in refs]
    assert "L.tileLayer" not in html


@pytest.mark.parametrize(("kind", "plugins"), [
    ("town", {"markerclusterjs", "markerclustercss", "markerclusterdefaultcss"}),
    ("heat", {"leaflet-heat.js"}),
    ("dual", {"leaflet-heat.js", "Leaflet.Sync"}),
])
def test_plugins_inlined_from_their_packages(every_map, kind, plugins) -> None:
    """Each plugin a map uses is in its page, byte for byte the bundled copy."""
    for name in plugins | {"leaflet", "leaflet_css"}:
        assert data_uri(*BUNDLED[name]) in every_map[kind], name


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_bundled_packages_ship_with_licences(package) -> None:
    """Each npm package's files and its licence are in the package, and pyproject ships them."""
    names, author = PACKAGES[package]
    root = files("lab") / "_static" / package
    assert author in (root / "LICENSE").read_text(encoding="utf-8")
    for name in names:
        assert len((root / name).read_text(encoding="utf-8")) > 500
    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"_static/{package}/*" in shipped["tool"]["setuptools"]["package-data"]["lab"]


def test_data_uri_strips_source_maps() -> None:
    """A source-map comment (which a data: page cannot resolve) is removed."""
    js = base64.b64decode(data_uri("leaflet.markercluster", "leaflet.markercluster.js").split(",", 1)[1])
    assert b"sourceMappingURL" not in js
    assert b"MarkerClusterGroup" in js


def test_unbundled_plugin_is_refused() -> None:
    """A plugin whose assets are not bundled (TimestampedGeoJson's jQuery UI, moment...) is refused, naming it."""
    m = folium.Map(tiles=None)
    TimestampedGeoJson({"type": "FeatureCollection", "features": []}).add_to(m)
    with pytest.raises(ValueError, match="not bundled"):
        make_offline(m)


def test_vendored_leaflet_present() -> None:
    """The vendored Leaflet 1.9.4 js, css and licence ship inside the package."""
    root = files("lab") / "_static" / "leaflet"
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    assert len(js) > 100_000
    assert 'version="1.9.4"' in js
    assert ".leaflet-container" in (root / "leaflet.css").read_text(encoding="utf-8")
    assert "Agafonkin" in (root / "LICENSE").read_text(encoding="utf-8")



def test_leaflet_embedded_from_vendored_copy(districts, places, cameras) -> None:
    """The page's script and stylesheet decode to the vendored Leaflet files."""
    html = _html(town_map(districts, places, cameras=cameras))
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




def test_the_same_map_gives_the_same_page(classroom, every_map) -> None:
    """Elements are named by their place in the map, not at random: drawing again gives the same bytes."""
    w = classroom
    cdr = w.releases["cdr"]
    again = {
        "town": _html(town_map(w.districts, w.places, towers=w.towers, cameras=w.cameras)),
        "dual": _html(heat_comparison(cdr, cdr.assign(lat=cdr["lat"].round(2)), districts=w.districts)),
    }
    assert all(again[kind] == every_map[kind] for kind in again)
