"""Tests for :mod:`lab.maps.adversary`: known points and the candidates left after each."""

from __future__ import annotations

import re

import folium
import pandas as pd
import pytest

from lab.errors import InputError
from lab.maps import adversary_map
from lab.maps.adversary import default_space, narrowing

T0 = pd.Timestamp("2031-03-03 00:00", tz="Etc/GMT+8")


@pytest.fixture
def release() -> pd.DataFrame:
    """Three subscribers: a at towers A, B, C; b at A and B at the same hours; c only at A."""
    rows = [("a", 9, "A"), ("a", 12, "B"), ("a", 18, "C"), ("b", 9, "A"), ("b", 12, "B"), ("b", 20, "C"),
            ("c", 9, "A"), ("c", 15, "B")]
    where = {"A": (-48.50, -123.00), "B": (-48.51, -123.02), "C": (-48.52, -123.04)}
    return pd.DataFrame({
        "pseudonym": [r[0] for r in rows],
        "t": [T0 + pd.Timedelta(hours=r[1], minutes=5) for r in rows],
        "lat": [where[r[2]][0] for r in rows],
        "lon": [where[r[2]][1] for r in rows],
        "tower_id": [r[2] for r in rows],
    })


def _overlays(m: folium.Map) -> list[str]:
    block = re.search(r"overlays\s*:\s*\{(.*?)\}", m.get_root().render(), re.DOTALL)
    return re.findall(r'"([^"]+)"\s*:\s*\w+,', block.group(1))


def _brute_force(release: pd.DataFrame, target: str, known: pd.DataFrame, column: str) -> list[int]:
    """Pseudonyms holding every known (unit, hour) so far, by plain set logic."""
    key = release[column].astype(str) + "@" + release["t"].dt.floor("h").astype(str)
    held = key.groupby(release["pseudonym"]).agg(set)
    own = release[release["pseudonym"] == target].merge(known, on=["t", "lat", "lon"]).drop_duplicates("step")
    own = own.sort_values("step")
    points = own[column].astype(str).to_numpy() + "@" + own["t"].dt.floor("h").astype(str).to_numpy()
    return [int(held.map(lambda s, p=set(points[:j]): p <= s).sum()) for j in range(1, len(points) + 1)]


def test_narrowing_shrinks_to_the_target(release) -> None:
    """All three points of a leave a alone; the counts never grow and always hold a."""
    known, candidates = narrowing(release, "a", k=3)
    assert list(known["step"]) == [1, 2, 3]
    assert list(known["candidates"]) == [len(c) for c in candidates]
    assert list(candidates[-1]) == ["a"]
    assert all("a" in c for c in candidates)
    assert list(known["candidates"]) == sorted(known["candidates"], reverse=True)
    assert list(known["candidates"]) == _brute_force(release, "a", known, "tower_id")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_counts_match_set_logic_on_the_classroom(classroom, seed) -> None:
    """On the classroom's CDR, the counts equal a plain set computation."""
    cdr = classroom.releases["cdr"]
    target = cdr["pseudonym"].drop_duplicates().iloc[seed * 7]
    known, _ = narrowing(cdr, target, k=4, rng=seed)
    assert list(known["candidates"]) == _brute_force(cdr, target, known, "tower_id")


def test_map_layers_legend_and_markers(release) -> None:
    """A layer per step named with its count, one marker per candidate, the known points numbered."""
    m = adversary_map(release, "a", k=3)
    _, candidates = narrowing(release, "a", k=3)
    names = _overlays(m)
    for step, c in enumerate(candidates, start=1):
        noun = "candidate" if len(c) == 1 else "candidates"
        label = f"after {step} known point{'s' if step > 1 else ''}: {len(c)} {noun}"
        assert label in names
        layer = next(x for x in m._children.values() if getattr(x, "layer_name", None) == label)
        assert sorted(f["properties"]["pseudonym"] for f in layer.data["features"]) == sorted(c)
    assert "known points of the target (3)" in names
    html = m.get_root().render()
    assert html.count('lab-legend-entry') == len(candidates) + 1


def test_unknown_pseudonym(release) -> None:
    """A pseudonym absent from the release is an InputError naming it."""
    with pytest.raises(InputError, match="unknown pseudonym 'zz'"):
        adversary_map(release, "zz")


def test_default_space() -> None:
    """Each release's own unit: its tower, camera or place; a grid for GPS."""
    assert default_space(pd.DataFrame(columns=["tower_id"])) == "tower_id"
    assert default_space(pd.DataFrame(columns=["camera_id", "place_id"])) == "camera_id"
    assert default_space(pd.DataFrame(columns=["accuracy_m"])) == "grid:250"
