"""Offline Leaflet maps (folium): the town, one person, a release as heat, the adversary's view.

Every function returns a :class:`folium.Map` (or a :class:`folium.plugins.DualMap`)
that displays inline in a notebook and is saved with :func:`write_map`. No page
loads anything from the network: no tile server, and Leaflet and each plugin are
inlined from the copies bundled under ``lab/_static`` (:mod:`lab.maps.assets`).
The maps sit at the top of the pipeline: they may read the truth, the releases
and the answer key, and run attacks and mitigations to show what they do.
"""

from lab.maps.adversary import adversary_map
from lab.maps.canvas import DISTRICT_COLOURS, SENSITIVE_OUTLINE, write_map
from lab.maps.heat import heat_comparison, heat_map
from lab.maps.person import person_map
from lab.maps.town import PLACE_COLOURS, town_map

__all__ = ["town_map", "person_map", "heat_map", "heat_comparison", "adversary_map", "write_map",
           "PLACE_COLOURS", "DISTRICT_COLOURS", "SENSITIVE_OUTLINE"]
