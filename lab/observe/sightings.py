"""Sightings release: face-recognition cameras at labelled places.

This is the 2019 leak's case. Cameras hang at places of the scenario's camera
kinds (places of worship, hotels, restaurants, internet cafés…); a face is
matched to the registry, so each sighting carries the person's national id, not
a pseudonym. A visit is seen on arrival with chance ``detection`` and again at
``repeat_per_hour`` while the person stays.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lab.observe.keys import keys_table
from lab.synth.city import Town
from lab.synth.routines import Stays

__all__ = ["observe_sightings"]


def observe_sightings(
    stays: Stays, town: Town, *, national_ids: pa.Array, person_ids: pa.Array,
    rng: np.random.Generator,
) -> tuple[pa.Table, pa.Table]:
    """Camera sightings of a block of people, keyed by national id.

    ``national_ids`` and ``person_ids`` are indexed by the person numbers in ``stays``.

    Returns
    -------
    sightings : pyarrow.Table
        pseudonym (the national id), t, lat, lon, camera_id, place_id, score.
    keys : pyarrow.Table
    """
    cfg = town.scenario.cameras
    camera_of = np.full(len(town.place_x), -1, dtype=np.int64)
    camera_of[town.camera_place] = np.arange(len(town.camera_place))
    watched = np.flatnonzero(camera_of[stays.place] >= 0)
    hours = (stays.end[watched] - stays.start[watched]) / 3600.0
    arrival = (rng.random(len(watched)) < cfg.detection).astype(np.int64)
    repeats = rng.poisson(hours * cfg.repeat_per_hour * cfg.detection)
    count = arrival + repeats
    visit = np.repeat(watched, count)
    first = np.repeat(arrival, count).astype(bool) & (
        np.arange(count.sum()) == np.repeat(np.cumsum(count) - count, count))
    dur = stays.end[visit] - stays.start[visit]
    offset = np.where(first, rng.integers(0, 120, len(visit)), (rng.random(len(visit)) * dur).astype(np.int64))
    t = stays.start[visit] + np.minimum(offset, np.maximum(dur - 1, 0))
    person = stays.person[visit]
    order = np.lexsort((t, person))
    person, t, visit = person[order], t[order], visit[order]
    cam = camera_of[stays.place[visit]]
    cams = town.cameras
    seen = np.unique(person)
    table = pa.table({
        "pseudonym": national_ids.take(pa.array(person)),
        "t": pa.array(t * 1000, pa.int64()),
        "lat": cams["lat"].to_numpy()[cam], "lon": cams["lon"].to_numpy()[cam],
        "camera_id": pa.array(cams["camera_id"].to_numpy()[cam].astype(object), pa.string()),
        "place_id": town.place_ids.take(pa.array(stays.place[visit])),
        "score": rng.beta(12.0, 2.0, len(t)).astype(np.float32),
    })
    return table, keys_table("sightings", national_ids.take(pa.array(seen)), person_ids.take(pa.array(seen)))
