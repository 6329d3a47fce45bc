"""CDR release: an operator's call detail records.

Records are event-driven and bursty: a subscriber's activity rate varies from
person to person (lognormal, heavy-tailed), events come in bursts (a call, then a reply),
and most happen in the day. Each record names the serving tower, normally the
nearest one; with chance ``ping_pong`` the network hands the phone to the second
nearest, the oscillation seen in real traces.

References
----------
.. [1] González, M. C., Hidalgo, C. A., Barabási, A.-L. (2008). Understanding
   individual human mobility patterns. Nature 453, 779–782.
.. [2] Iovan, C., Olteanu-Raimond, A.-M., Couronné, T., Smoreda, Z. (2013). Moving
   and calling: mobile phone data quality measurements and spatiotemporal uncertainty
   in human mobility studies. Geographic Information Science at the Heart of Europe, 247–265.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from scipy.spatial import cKDTree

from lab.observe.keys import keys_table, pseudonyms
from lab.observe.trace import draw_times, locate
from lab.synth.city import Town
from lab.synth.routines import Stays

__all__ = ["observe_cdr", "EVENTS"]

EVENTS = ("call", "sms", "data")
_EVENT_P = np.array([0.45, 0.40, 0.15])


def observe_cdr(
    stays: Stays, town: Town, *, lo: int, n: int, day_starts: np.ndarray, key: int,
    person_ids: pa.Array, rng: np.random.Generator, towers: cKDTree | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Call detail records of the subscribers among persons ``lo``..``lo + n``.

    Returns
    -------
    cdr : pyarrow.Table
        pseudonym, t, lat, lon, tower_id, event, duration_s.
    keys : pyarrow.Table
    """
    cfg = town.scenario.cdr
    subs = np.flatnonzero(rng.random(n) < cfg.subscriber_share)
    days = len(day_starts) - 1
    # Bursts per day: a lognormal-mixed Poisson; events per burst: geometric with the configured mean.
    sigma = cfg.activity_sigma
    rate = cfg.events_per_day / cfg.burst_size * rng.lognormal(-sigma**2 / 2, sigma, len(subs))
    bursts = rng.poisson(np.repeat(rate, days))
    who = np.repeat(np.repeat(subs, days), bursts)
    day = np.repeat(np.tile(np.arange(days), len(subs)), bursts)
    start = draw_times(day_starts[day], rng)
    size = rng.geometric(1.0 / cfg.burst_size, len(who))
    person = np.repeat(who, size)
    within = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
    # Seconds since the burst's first event: a running sum of gaps, restarted per burst.
    total = np.cumsum(np.where(within > 0, rng.exponential(240.0, len(person)), 0.0))
    first = np.cumsum(size) - size
    elapsed = total - np.repeat(total[first], size) if len(total) else total
    t = np.repeat(start, size) + elapsed.astype(np.int64)
    keep = t < day_starts[-1]
    person, t = person[keep], t[keep]
    order = np.lexsort((t, person))
    person, t = person[order], t[order]
    px, py, _ = locate(stays, person, t, town.place_x, town.place_y)
    tree = towers if towers is not None else cKDTree(np.c_[town.tower_x, town.tower_y])
    _, near = tree.query(np.c_[px, py], k=2)
    near = np.atleast_2d(near)
    pong = rng.random(len(t)) < cfg.ping_pong
    tower = np.where(pong, near[:, 1], near[:, 0])
    event = np.searchsorted(np.cumsum(_EVENT_P), rng.random(len(t)), side="right").clip(0, 2)
    duration = np.where(event == 0, rng.lognormal(4.5, 1.0, len(t)), 0).astype(np.int32)
    pseudo = pseudonyms("cdr", subs + lo, key)
    tw = town.towers
    cdr = pa.table({
        "pseudonym": pseudo.take(pa.array(np.searchsorted(subs, person))),
        "t": pa.array(t * 1000, pa.int64()),
        "lat": tw["lat"].to_numpy()[tower], "lon": tw["lon"].to_numpy()[tower],
        "tower_id": pa.array(tw["tower_id"].to_numpy()[tower].astype(object), pa.string()),
        "event": pa.array(np.asarray(EVENTS, dtype=object)[event], pa.string()),
        "duration_s": duration,
    })
    return cdr, keys_table("cdr", pseudo, person_ids.take(pa.array(subs)))
