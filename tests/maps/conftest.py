"""Tiny literal tables shared by the map tests: two districts, ten places, two towers, one camera."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

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
