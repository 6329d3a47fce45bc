"""The town: an island outline, districts, places, phone towers and cameras.

Everything is built in a local east/north frame in metres around the scenario's
origin (open ocean), then given WGS84 coordinates. Homes follow a population
density with one centre and a few satellite villages; shops and offices crowd
the centre; towers are dense where people are and sparse at the edge.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from scipy.cluster.vq import kmeans2
from scipy.spatial import cKDTree

from lab.geo import to_latlon
from lab.grid import grid_cell
from lab.ids import format_ids
from lab.synth.names import name_tables, sample
from lab.synth.scenario import Scenario

__all__ = ["Town", "PLACE_KINDS", "SENSITIVE_KINDS", "TOWER_ZONES", "tower_zones_m", "build_town"]

#: Every kind of place, in code order (a place's ``kind_code`` indexes this tuple).
PLACE_KINDS: tuple[str, ...] = (
    "home", "work", "school", "shop", "restaurant", "hotel",
    "internet_cafe", "worship", "clinic", "park", "transit",
)
#: Kinds whose visits reveal a special category of personal data (religion, health).
SENSITIVE_KINDS: frozenset[str] = frozenset({"worship", "clinic"})
#: Tower zones as shares of the town radius R: centre spacing within the first,
#: outskirts spacing beyond the second, the geometric mean of the two between.
TOWER_ZONES: tuple[float, float] = (0.25, 0.5)


def tower_zones_m(scenario: Scenario) -> tuple[float, float]:
    """Radii (metres) of ``scenario``'s tower zones: the centre within the first, the outskirts beyond the second.

    The one definition of the zones: the generator places towers by them and
    :mod:`lab.metrics.realism` measures tower spacing in them.

    Examples
    --------
    >>> from lab.synth.scenario import Scenario
    >>> tower_zones_m(Scenario(radius_km=12.0))
    (3000.0, 6000.0)
    """
    radius_m = scenario.radius_km * 1000.0
    return TOWER_ZONES[0] * radius_m, TOWER_ZONES[1] * radius_m

# People per place of each kind (homes come from households instead).
_PEOPLE_PER_PLACE = {
    "work": 70, "school": 700, "shop": 80, "restaurant": 110, "hotel": 1500,
    "internet_cafe": 2500, "worship": 1100, "clinic": 1500, "park": 700, "transit": 900,
}
# Places per square kilometre of island at least, so small towns still have shops
# within walking distance (the island's area, not its population, sets this floor).
_PER_KM2 = {"work": 1.5, "school": 0.15, "shop": 3.0, "restaurant": 2.0, "hotel": 0.1,
            "internet_cafe": 0.1, "worship": 0.3, "clinic": 0.2, "park": 0.6, "transit": 0.4}
_MIN_PLACES = {"work": 8, "school": 2, "shop": 6, "restaurant": 5, "hotel": 2,
               "internet_cafe": 2, "worship": 1, "clinic": 2, "park": 3, "transit": 3}
# How concentrated each kind is around the centre: the scale of its radial density,
# as a share of the town radius (homes 0.25; shops and offices tighter).
_CENTRALITY = {"home": 0.25, "work": 0.2, "school": 0.25, "shop": 0.25, "restaurant": 0.22,
               "hotel": 0.15, "internet_cafe": 0.22, "worship": 0.25, "clinic": 0.25,
               "park": 0.28, "transit": 0.25}
_NAME_PATTERNS = {
    "work": ("{} Works", "{} Holdings", "{} Logistics", "{} Studio", "{} & Partners"),
    "school": ("{} School", "{} Academy", "{} College"),
    "shop": ("{} Market", "{} Grocers", "{} Hardware", "{} Books", "{} Pharmacy"),
    "restaurant": ("{}'s Kitchen", "{} Diner", "{} Noodle Bar", "The {} Table", "{} Bakery"),
    "hotel": ("Hotel {}", "{} Inn", "{} Lodge"),
    "internet_cafe": ("{} Net Café", "{} Cyber Lounge"),
    "clinic": ("{} Clinic", "{} Health Centre", "{} Medical Practice"),
    "park": ("{} Park", "{} Gardens", "{} Green"),
    "transit": ("{} Station", "{} Ferry Terminal", "{} Bus Depot"),
}


@dataclasses.dataclass(frozen=True)
class Town:
    """The built town. Tables for the data contract plus arrays the generator uses.

    Attributes
    ----------
    scenario : Scenario
    outline : shapely.Polygon
        The island's coastline, local metres.
    districts : geopandas.GeoDataFrame
        district_id, name, kind, geometry (WGS84).
    places : pandas.DataFrame
        The places table (see :mod:`lab.schema`).
    place_x, place_y : numpy.ndarray
        Local metres of each place, aligned with ``places``.
    place_kind : numpy.ndarray
        Index into :data:`PLACE_KINDS` of each place.
    place_community : numpy.ndarray
        Community index of worship places, -1 elsewhere.
    towers, cameras : pandas.DataFrame
    tower_x, tower_y : numpy.ndarray
    camera_place : numpy.ndarray
        Place index of each camera.
    district_mix : numpy.ndarray
        Share of each community among the residents of each district.
    """

    scenario: Scenario
    outline: shapely.Polygon
    districts: gpd.GeoDataFrame
    places: pd.DataFrame
    place_x: np.ndarray
    place_y: np.ndarray
    place_kind: np.ndarray
    place_community: np.ndarray
    place_district: np.ndarray
    district_names: np.ndarray
    towers: pd.DataFrame
    tower_x: np.ndarray
    tower_y: np.ndarray
    cameras: pd.DataFrame
    camera_place: np.ndarray
    place_ids: pa.Array
    place_names: pa.Array
    addresses: pa.Array
    district_mix: np.ndarray

    @property
    def radius_m(self) -> float:
        return self.scenario.radius_km * 1000.0

    def kind_index(self, kind: str) -> np.ndarray:
        """Indices of the places of ``kind``."""
        return np.flatnonzero(self.place_kind == PLACE_KINDS.index(kind))

    @property
    def tower_zones_m(self) -> tuple[float, float]:
        """Radii (metres) inside which towers are at centre spacing, and beyond which at outskirts spacing."""
        return tower_zones_m(self.scenario)


def _outline(radius_m: float, rng: np.random.Generator) -> shapely.Polygon:
    """An island: a circle whose radius wobbles with a few low harmonics."""
    theta = np.linspace(0, 2 * np.pi, 361)[:-1]
    r = np.ones_like(theta)
    for k in range(2, 6):
        r += rng.uniform(0.02, 0.07) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    r *= radius_m
    return shapely.Polygon(np.c_[r * np.cos(theta), r * np.sin(theta)])


def _sample_density(
    n: int, centres: np.ndarray, scales: np.ndarray, weights: np.ndarray,
    outline: shapely.Polygon, rng: np.random.Generator,
) -> np.ndarray:
    """``n`` points from a mixture of radial exponential densities, kept inside ``outline``."""
    out = np.empty((0, 2))
    while len(out) < n:
        m = int((n - len(out)) * 1.3) + 16
        comp = rng.choice(len(weights), size=m, p=weights / weights.sum())
        # Areal density ∝ exp(-r/s) has radius ~ Gamma(2, s).
        r = rng.gamma(2.0, scales[comp])
        a = rng.uniform(0, 2 * np.pi, m)
        pts = centres[comp] + np.c_[r * np.cos(a), r * np.sin(a)]
        inside = shapely.contains_xy(outline, pts[:, 0], pts[:, 1])
        out = np.vstack([out, pts[inside]])
    return out[:n]


def _hex_lattice(spacing: float, extent: float, rng: np.random.Generator) -> np.ndarray:
    """A jittered hexagonal lattice covering [-extent, extent]² whose cells have area ``spacing**2``.

    ``spacing`` is the square root of the area each point serves, as tower spacing
    is measured; the distance between neighbours is ``spacing * sqrt(2 / sqrt(3))``,
    about 1.075 times more.
    """
    spacing = spacing * np.sqrt(2 / np.sqrt(3))
    dy = spacing * np.sqrt(3) / 2
    ys = np.arange(-extent, extent + dy, dy)
    xs = np.arange(-extent, extent + spacing, spacing)
    gx, gy = np.meshgrid(xs, ys)
    gx = gx + (np.arange(len(ys))[:, None] % 2) * spacing / 2
    pts = np.c_[gx.ravel(), gy.ravel()] + rng.uniform(-spacing, spacing, 2)
    return pts + rng.normal(0, 0.12 * spacing, pts.shape)


def _towers(outline: shapely.Polygon, radius_m: float, scenario: Scenario, rng) -> np.ndarray:
    """Towers at centre spacing in the centre zone, intermediate between, outskirts beyond (:func:`tower_zones_m`)."""
    c, o = scenario.cdr.centre_spacing_m, scenario.cdr.outskirts_spacing_m
    inner, outer = tower_zones_m(scenario)
    zones = [(0.0, inner, c), (inner, outer, np.sqrt(c * o)), (outer, 2.0 * radius_m, o)]
    parts = []
    for lo, hi, spacing in zones:
        pts = _hex_lattice(spacing, 1.3 * radius_m, rng)
        r = np.hypot(pts[:, 0], pts[:, 1])
        keep = (r >= lo) & (r < hi)
        keep &= shapely.contains_xy(outline.buffer(0.3 * spacing), pts[:, 0], pts[:, 1])
        parts.append(pts[keep])
    return np.vstack(parts)


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _place_names(kinds: np.ndarray, comm: np.ndarray, communities, rng) -> np.ndarray:
    names = name_tables()
    out = np.empty(len(kinds), dtype=object)
    for code, kind in enumerate(PLACE_KINDS):
        idx = np.flatnonzero(kinds == code)
        if kind == "home" or len(idx) == 0:
            continue
        if kind == "worship":
            number = pd.Series(comm[idx]).groupby(comm[idx]).cumcount().to_numpy() + 1
            out[idx] = [f"{communities[c]} House of Gathering {n}" for c, n in zip(comm[idx], number)]
            continue
        last = names.last[sample(names.last, names.last_p, len(idx), rng)].astype(str)
        choice = rng.integers(0, len(_NAME_PATTERNS[kind]), len(idx))
        # Each pattern is "<before>{}<after>": join the parts vectorised, no format call per place.
        before, after = np.array([pat.split("{}") for pat in _NAME_PATTERNS[kind]]).T
        out[idx] = np.char.add(np.char.add(before[choice], last), after[choice]).astype(object)
    return out


def build_town(scenario: Scenario, rng: np.random.Generator | int | None = None) -> Town:
    """Build the island town of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    rng : numpy.random.Generator, int or None
        Source of randomness, passed through :func:`numpy.random.default_rng`.

    Returns
    -------
    Town
    """
    rng = np.random.default_rng(rng)
    R = scenario.radius_km * 1000.0
    n_people = scenario.population
    outline = _outline(R, rng)
    names = name_tables()

    # Density: a main centre and four satellite villages.
    ang = rng.uniform(0, 2 * np.pi) + np.arange(4) * np.pi / 2 + rng.uniform(-0.4, 0.4, 4)
    dist = rng.uniform(0.45, 0.7, 4) * R
    centres = np.vstack([[0.0, 0.0], np.c_[dist * np.cos(ang), dist * np.sin(ang)]])
    weights = np.r_[0.72, np.full(4, 0.07)]

    # Households (sizes 1-5, mean about 2.4) decide the number of homes; some stay vacant.
    n_homes = max(1, int(np.ceil(n_people / 2.2)))
    counts = {"home": n_homes}
    area_km2 = outline.area / 1e6
    for kind, per in _PEOPLE_PER_PLACE.items():
        counts[kind] = max(_MIN_PLACES[kind], round(n_people / per), round(area_km2 * _PER_KM2[kind]))
    counts["worship"] = max(len(scenario.communities), counts["worship"])

    xs, kinds = [], []
    for code, kind in enumerate(PLACE_KINDS):
        scale = _CENTRALITY[kind] * R
        scales = np.r_[scale, np.full(4, 0.35 * scale)]
        pts = _sample_density(counts[kind], centres, scales, weights, outline, rng)
        xs.append(pts)
        kinds.append(np.full(len(pts), code, dtype=np.int8))
    xy = np.vstack(xs)
    kind = np.concatenate(kinds)
    n_places = len(kind)

    # Districts: k-means of home locations, so districts hold similar populations.
    homes_xy = xy[kind == 0]
    if len(homes_xy) >= 4 * scenario.districts:
        sample_xy = homes_xy[rng.choice(len(homes_xy), size=min(len(homes_xy), 20_000), replace=False)]
    else:  # a tiny population: shape districts on the density the homes were drawn from
        home_scale = _CENTRALITY["home"] * R
        sample_xy = _sample_density(40 * scenario.districts, centres, np.r_[home_scale, np.full(4, 0.35 * home_scale)],
                                    weights, outline, rng)
    k = scenario.districts
    seeds, _ = kmeans2(sample_xy, k, minit="++", seed=rng, iter=20)
    seeds = seeds[np.lexsort((seeds[:, 0], np.hypot(seeds[:, 0], seeds[:, 1])))]
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=outline.buffer(R))
    polys = [None] * k
    for cell in shapely.get_parts(cells):  # one per district: the cell holding its seed
        owner = int(np.flatnonzero(shapely.contains_xy(cell, seeds[:, 0], seeds[:, 1]))[0])
        polys[owner] = cell.intersection(outline)
    radial = np.hypot(seeds[:, 0], seeds[:, 1]) / R
    dkind = np.where(radial < 0.2, "residential", np.where(radial < 0.5, "residential", "suburb")).astype(object)
    dkind[0] = "centre"
    outer = np.flatnonzero(radial >= 0.35)
    if len(outer) >= 2:
        chosen = rng.choice(outer, size=2 if k >= 8 else 1, replace=False)
        dkind[chosen[0]] = "harbour"
        dkind[chosen[1:]] = "industrial"
    tree = cKDTree(seeds)
    _, place_district = tree.query(xy)
    dnames = [f"{p} {surname}" if i % 3 == 0 else f"{surname}{s}" for i, (p, surname, s) in enumerate(zip(
        names.city_prefixes[rng.integers(0, len(names.city_prefixes), k)],
        names.last[sample(names.last, names.last_p, k, rng)],
        names.city_suffixes[rng.integers(0, len(names.city_suffixes), k)]))]
    dnames = list(pd.Series(dnames).where(~pd.Series(dnames).duplicated(),
                                          pd.Series(dnames) + " " + pd.Series(range(k)).astype(str)))
    def lonlat(coords: np.ndarray) -> np.ndarray:
        lat, lon = to_latlon(coords[:, 0], coords[:, 1], origin=scenario.origin)
        return np.c_[lon, lat]

    geoms = shapely.transform(np.asarray(polys, dtype=object), lonlat)
    district_ids = format_ids("d", np.arange(k), width=3)
    districts = gpd.GeoDataFrame(
        {"district_id": district_ids.to_pandas(), "name": pd.Series(dnames, dtype="str"),
         "kind": pd.Series(dkind, dtype="str")},
        geometry=geoms, crs="EPSG:4326",
    )

    # Communities: each district has its own mix (residential clustering).
    n_comm = len(scenario.communities)
    district_mix = rng.dirichlet(np.full(n_comm, 0.8), size=k)
    place_comm = np.full(n_places, -1, dtype=np.int16)
    worship = np.flatnonzero(kind == PLACE_KINDS.index("worship"))
    wc = np.arange(len(worship)) % n_comm  # every community has at least one place
    place_comm[worship] = rng.permutation(wc)

    # Street addresses for homes: one street per 400 m cell, numbered along it.
    home_idx = np.flatnonzero(kind == 0)
    cell = grid_cell(xy[home_idx, 0], xy[home_idx, 1], cell_m=400.0)
    street_code, street_of = np.unique(cell, return_inverse=True)
    n_streets = len(street_code)
    street_names = np.char.add(
        np.char.add(names.last[sample(names.last, names.last_p, n_streets, rng)].astype(str), " "),
        names.street_suffixes[rng.integers(0, len(names.street_suffixes), n_streets)].astype(str),
    )
    order = np.lexsort((xy[home_idx, 0], street_of))
    number = np.empty(len(home_idx), dtype=np.int64)
    rank = np.arange(len(home_idx)) - np.searchsorted(street_of[order], street_of[order])
    number[order] = 2 * rank + 1 + (street_of[order] % 2)
    # "12 Oak Lane, Eastmere": number and street, then the district after a comma.
    home_addr = pc.binary_join_element_wise(
        pc.binary_join_element_wise(pc.cast(pa.array(number), pa.string()),
                                    pa.array(street_names).take(pa.array(street_of)), " "),
        pa.array(np.asarray(dnames, dtype=object), pa.string()).take(pa.array(place_district[home_idx])),
        ", ",
    )

    place_ids = format_ids("pl", np.arange(n_places), width=8)
    pname = _place_names(kind, place_comm, scenario.communities, rng)
    addresses = pa.concat_arrays([home_addr.cast(pa.string()), pa.nulls(n_places - len(home_idx), pa.string())])
    names_arr = pa.array(pname[len(home_idx):], type=pa.string())
    place_names = pa.concat_arrays([home_addr.cast(pa.string()), names_arr])
    lat, lon = to_latlon(xy[:, 0], xy[:, 1], origin=scenario.origin)
    comm_names = np.asarray(scenario.communities, dtype=object)
    places = pd.DataFrame({
        "place_id": place_ids.to_pandas(),
        "name": place_names.to_pandas(),
        "kind": pa.array(PLACE_KINDS, pa.string()).take(pa.array(kind)).to_pandas(),
        "district_id": district_ids.take(pa.array(place_district)).to_pandas(),
        "lat": lat,
        "lon": lon,
        "is_sensitive": np.isin(np.asarray(PLACE_KINDS)[kind], list(SENSITIVE_KINDS)),
        "community": pc.if_else(pa.array(place_comm >= 0), pa.array(comm_names, pa.string()).take(
            pa.array(np.maximum(place_comm, 0))), pa.nulls(n_places, pa.string())).to_pandas(),
    })

    txy = _towers(outline, R, scenario, rng)
    tlat, tlon = to_latlon(txy[:, 0], txy[:, 1], origin=scenario.origin)
    towers = pd.DataFrame({"tower_id": format_ids("tw", np.arange(len(txy)), width=5).to_pandas(),
                           "lat": tlat, "lon": tlon})

    cam_kinds = [PLACE_KINDS.index(k) for k in scenario.cameras.kinds if k in PLACE_KINDS]
    eligible = np.flatnonzero(np.isin(kind, cam_kinds))
    cam_place = eligible[rng.random(len(eligible)) < scenario.cameras.coverage]
    cameras = pd.DataFrame({
        "camera_id": format_ids("cam", np.arange(len(cam_place)), width=6).to_pandas(),
        "place_id": place_ids.take(pa.array(cam_place)).to_pandas(),
        "lat": lat[cam_place], "lon": lon[cam_place],
    })
    return Town(
        scenario=scenario, outline=outline, districts=districts, places=places,
        place_x=xy[:, 0].copy(), place_y=xy[:, 1].copy(), place_kind=kind,
        place_community=place_comm, place_district=place_district.astype(np.int32),
        district_names=np.asarray(dnames, dtype=object), towers=towers,
        tower_x=txy[:, 0].copy(), tower_y=txy[:, 1].copy(), cameras=cameras,
        camera_place=cam_place, place_ids=place_ids, place_names=place_names,
        addresses=addresses, district_mix=district_mix,
    )
