"""GPS release: an app that logs location while it is open.

A share of people use the app. Each user opens it a few times a day (a
person-specific rate, so some are heavy users), and while open it records a
fix every ``interval_s`` seconds with a reported ``accuracy_m`` and matching
Gaussian error.

References
----------
.. [1] Zandbergen, P. A. (2009). Accuracy of iPhone locations: a comparison of
   assisted GPS, WiFi and cellular positioning. Transactions in GIS 13(s1), 5–25.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lab.geo import to_latlon
from lab.observe.keys import keys_table, pseudonyms
from lab.observe.trace import draw_times, locate
from lab.synth.city import Town
from lab.synth.routines import Stays

__all__ = ["observe_gps"]


def observe_gps(
    stays: Stays, town: Town, *, lo: int, n: int, day_starts: np.ndarray, key: int,
    person_ids: pa.Array, rng: np.random.Generator,
) -> tuple[pa.Table, pa.Table]:
    """GPS fixes of the app users among persons ``lo``..``lo + n``.

    Returns
    -------
    gps : pyarrow.Table
        pseudonym, t, lat, lon, accuracy_m.
    keys : pyarrow.Table
        The answer key for the users.
    """
    cfg = town.scenario.gps
    users = np.flatnonzero(rng.random(n) < cfg.user_share)
    rate = rng.gamma(2.0, cfg.sessions_per_day / 2.0, len(users))
    days = len(day_starts) - 1
    per_day = rng.poisson(np.repeat(rate, days))
    who = np.repeat(np.repeat(users, days), per_day)
    day = np.repeat(np.tile(np.arange(days), len(users)), per_day)
    start = draw_times(day_starts[day], rng)
    length = rng.exponential(cfg.session_minutes * 60.0, len(who))
    fixes = 1 + (length // cfg.interval_s).astype(np.int64)
    person = np.repeat(who, fixes)
    offset = np.arange(fixes.sum()) - np.repeat(np.cumsum(fixes) - fixes, fixes)
    t = np.repeat(start, fixes) + offset * int(cfg.interval_s)
    keep = t < day_starts[-1]
    person, t = person[keep], t[keep]
    order = np.lexsort((t, person))
    person, t = person[order], t[order]
    px, py, _ = locate(stays, person, t, town.place_x, town.place_y)
    accuracy = (cfg.accuracy_m * rng.lognormal(0.0, 0.5, len(t))).astype(np.float32)
    sigma = accuracy / 1.515  # a 68 % circle of radius ``accuracy`` is 1.515 sigma
    lat, lon = to_latlon(px + rng.normal(0, 1, len(t)) * sigma, py + rng.normal(0, 1, len(t)) * sigma,
                         origin=town.scenario.origin)
    pseudo = pseudonyms("gps", users + lo, key)
    gps = pa.table({
        "pseudonym": pseudo.take(pa.array(np.searchsorted(users, person))),
        "t": pa.array(t * 1000, pa.int64()),
        "lat": lat, "lon": lon, "accuracy_m": accuracy,
    })
    return gps, keys_table("gps", pseudo, person_ids.take(pa.array(users)))
