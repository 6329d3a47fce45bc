"""Where a person is at a given instant: at a place, or on the way between two.

Travel between consecutive stays is a straight line at constant speed, which is
all a sensor with tens of metres of error can tell apart.
"""

from __future__ import annotations

import numpy as np

from lab.synth.routines import Stays

__all__ = ["locate", "hour_profile", "draw_times"]

# Relative activity of phones and apps by local hour (quiet at night).
_HOURLY = np.array([0.6, 0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 1.6, 2.2, 2.0, 1.9, 2.0,
                    2.3, 2.1, 1.9, 1.9, 2.0, 2.3, 2.4, 2.3, 2.1, 1.8, 1.4, 1.0])


def hour_profile() -> np.ndarray:
    """Probability of each local hour for a phone or app event."""
    return _HOURLY / _HOURLY.sum()


def draw_times(day_start: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One instant (epoch seconds) per entry of ``day_start``, following :func:`hour_profile`."""
    cdf = np.cumsum(hour_profile())
    hour = np.searchsorted(cdf, rng.random(len(day_start)) * cdf[-1], side="right").clip(0, 23)
    return day_start + hour * 3600 + rng.integers(0, 3600, len(day_start))


def locate(
    stays: Stays, person: np.ndarray, t: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Position of ``person`` at instant ``t`` (vectorised).

    Parameters
    ----------
    stays : Stays
        Sorted by person then start; every person's first stay begins at the period's start.
    person, t : numpy.ndarray
        Person numbers (as in ``stays``) and epoch seconds.
    x, y : numpy.ndarray
        Local metres of every place.

    Returns
    -------
    px, py : numpy.ndarray
        Local metres. Instants before a person's first stay or after their last are
        placed at that stay.
    stay : numpy.ndarray
        Index of the stay in progress, or of the stay just left when travelling.
    """
    t0 = int(stays.start.min()) if len(stays) else 0
    t1 = int(stays.end.max()) if len(stays) else 0
    span = np.int64(t1 - t0 + 1)
    # Instants outside the stays' span are read at its edges, so keys never spill into another person's range.
    t = np.clip(np.asarray(t, dtype=np.int64), t0, t1)
    stay_key = stays.person.astype(np.int64) * span + (stays.start - t0)
    key = person.astype(np.int64) * span + (t - t0)
    i = np.searchsorted(stay_key, key, side="right") - 1
    i = np.clip(i, 0, len(stays) - 1)
    here = stays.place[i]
    inside = t < stays.end[i]
    nxt = np.minimum(i + 1, len(stays) - 1)
    moving = ~inside & (stays.person[nxt] == person) & (nxt != i)
    gap = np.maximum(stays.start[nxt] - stays.end[i], 1)
    frac = np.where(moving, np.clip((t - stays.end[i]) / gap, 0.0, 1.0), 0.0)
    there = stays.place[nxt]
    px = x[here] + frac * (x[there] - x[here])
    py = y[here] + frac * (y[there] - y[here])
    return px, py, i
