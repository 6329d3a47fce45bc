"""Check-in release: public posts that name a place.

A share of people keep a public account and post from some of their visits to
public places (never from home or work). Many accounts show the owner's real
name, which is what makes check-ins the adversary's favourite auxiliary knowledge.

References
----------
.. [1] Cho, E., Myers, S. A., Leskovec, J. (2011). Friendship and mobility: user
   movement in location-based social networks. KDD '11, 1082–1090.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lab.observe.keys import keys_table, pseudonyms
from lab.synth.city import PLACE_KINDS, Town
from lab.synth.routines import Stays

__all__ = ["observe_checkins", "POSTED_KINDS"]

#: Kinds of place people post from.
POSTED_KINDS = ("shop", "restaurant", "hotel", "internet_cafe", "worship", "park", "transit")


def observe_checkins(
    stays: Stays, town: Town, *, lo: int, n: int, key: int, work: np.ndarray,
    names: pa.Array, person_ids: pa.Array, rng: np.random.Generator,
) -> tuple[pa.Table, pa.Table]:
    """Check-ins of the public-account holders among persons ``lo``..``lo + n``.

    Returns
    -------
    checkins : pyarrow.Table
        pseudonym, t, lat, lon, place_id, place_name, display_name.
    keys : pyarrow.Table
    """
    cfg = town.scenario.checkins
    users = np.flatnonzero(rng.random(n) < cfg.user_share)
    is_user = np.zeros(n, dtype=bool)
    is_user[users] = True
    keen = np.zeros(n)
    keen[users] = rng.beta(2.0, 2.0 / cfg.post_share - 2.0, len(users)) if 0 < cfg.post_share < 1 else cfg.post_share
    kinds = [PLACE_KINDS.index(k) for k in POSTED_KINDS]
    public = np.isin(town.place_kind[stays.place], kinds) & (stays.place != work[stays.person])
    cand = np.flatnonzero(public & is_user[stays.person])
    posted = cand[rng.random(len(cand)) < keen[stays.person[cand]]]
    dur = stays.end[posted] - stays.start[posted]
    t = stays.start[posted] + (rng.random(len(posted)) * np.minimum(dur, 3600)).astype(np.int64)
    person = stays.person[posted]
    place = stays.place[posted]
    named = rng.random(n) < cfg.named_share
    pseudo = pseudonyms("checkins", users + lo, key)
    display = pc.if_else(pa.array(named[person]), names.take(pa.array(person)), pa.nulls(len(person), pa.string()))
    table = pa.table({
        "pseudonym": pseudo.take(pa.array(np.searchsorted(users, person))),
        "t": pa.array(t * 1000, pa.int64()),
        "lat": town.places["lat"].to_numpy()[place], "lon": town.places["lon"].to_numpy()[place],
        "place_id": town.place_ids.take(pa.array(place)),
        "place_name": town.place_names.take(pa.array(place)),
        "display_name": display,
    })
    return table, keys_table("checkins", pseudo, person_ids.take(pa.array(users)))
