"""Every script and stylesheet a map needs, bundled in the package and inlined in the page.

Folium links Leaflet and its plugins from content delivery networks. A map of
the lab must open with no network at all, so each of those links is replaced by
a ``data:`` URI holding the file copied from the plugin's npm package into
``lab/_static/<package>/`` (beside its licence):

=====================  ============================  ===========================================
folium asset name      npm package                    used by
=====================  ============================  ===========================================
leaflet, leaflet_css   leaflet 1.9.4                  every map
markercluster*         leaflet.markercluster 1.5.3    :class:`folium.plugins.MarkerCluster`
leaflet-heat.js        leaflet.heat 0.2.0             :class:`folium.plugins.HeatMap`
Leaflet.Sync           leaflet.sync 0.2.4             :class:`folium.plugins.DualMap`
=====================  ============================  ===========================================

Folium's other defaults (jQuery, Bootstrap, Font Awesome, awesome-markers) are
dropped: nothing drawn here needs them. Any other asset, such as those of
:class:`folium.plugins.TimestampedGeoJson` (jQuery UI, moment, Leaflet.TimeDimension),
is refused by :func:`make_offline` rather than left pointing at a CDN.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files

import branca.element

__all__ = ["BUNDLED", "DROPPED", "data_uri", "make_offline"]

#: folium's name of an asset -> (package directory under lab/_static, file).
BUNDLED: dict[str, tuple[str, str]] = {
    "leaflet": ("leaflet", "leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "markerclusterjs": ("leaflet.markercluster", "leaflet.markercluster.js"),
    "markerclustercss": ("leaflet.markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet.markercluster", "MarkerCluster.Default.css"),
    "leaflet-heat.js": ("leaflet.heat", "leaflet-heat.js"),
    "Leaflet.Sync": ("leaflet.sync", "L.Map.Sync.js"),
}

#: folium's default assets that no map of the lab needs.
DROPPED = frozenset({
    "jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css",
})

_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@] sourceMappingURL=.*?\*/", re.DOTALL)
_MIME = {".js": "text/javascript", ".css": "text/css"}


@cache
def data_uri(package: str, name: str) -> str:
    """The bundled file ``lab/_static/<package>/<name>`` as a base64 ``data:`` URI.

    Source-map comments are stripped, since a ``data:`` document has no base
    from which to resolve them.

    Examples
    --------
    >>> data_uri("leaflet.sync", "L.Map.Sync.js")[:30]
    'data:text/javascript;base64,Ly'
    """
    text = files("lab").joinpath("_static", package, name).read_text(encoding="utf-8")
    suffix = name[name.rfind("."):]
    text = _SOURCE_MAP.sub("", text) if suffix == ".js" else _CSS_SOURCE_MAP.sub("", text)
    return f"data:{_MIME[suffix]};base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _inlined(assets: list[tuple[str, str]], owner: object) -> list[tuple[str, str]]:
    out = []
    for name, url in assets:
        if name in DROPPED:
            continue
        if name not in BUNDLED:
            raise ValueError(f"{type(owner).__name__} needs {name!r} ({url}), which is not bundled with the lab; "
                             "a map must load nothing from the network")
        out.append((name, data_uri(*BUNDLED[name])))
    return out


def _elements(element: branca.element.Element):
    yield element
    for attr in ("m1", "m2"):  # the two maps of a DualMap
        if hasattr(element, attr):
            yield from _elements(getattr(element, attr))
    for child in list(element._children.values()):
        yield from _elements(child)


def make_offline(element: branca.element.Element) -> None:
    """Point every asset of ``element`` and its descendants at the bundled copies.

    ``default_js`` and ``default_css`` are class attributes shared by every
    instance (and mutated in place by folium's ``add_js_link``), so fresh lists
    are assigned on each instance: other folium maps keep their CDN links.
    Call it once the map is complete. It also gives every element a name from
    its place in the map instead of branca's random one, so a map renders to the
    same page every time.

    Raises
    ------
    ValueError
        When an element needs an asset that is not bundled.
    """
    for el in _elements(element):
        if hasattr(el, "default_js"):
            el.default_js = _inlined(el.default_js, el)
        if hasattr(el, "default_css"):
            el.default_css = _inlined(el.default_css, el)
    # branca names every element with random bytes; number them in drawing order instead, so the
    # same map gives the same page (names are read at render time, so renaming is safe here).
    seen: set[int] = set()
    for i, el in enumerate(e for e in _elements(element.get_root()) if not (id(e) in seen or seen.add(id(e)))):
        el._id = f"{i:08x}"
