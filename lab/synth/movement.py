"""Where people go: power-law jumps to real places, and exploration or return.

A destination is chosen the way González et al. (2008) and Song et al. (2010)
describe human movement: a jump of power-law length in a random direction,
landing on the nearest place of the wanted kind; and for leisure, either a new
place (exploration, chance ``rho * S**-gamma``: the nearest place to the landing
point that the person does not know yet) or a known one picked in proportion to
past visits (preferential return).
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

from lab.synth.city import Town

__all__ = ["PlaceIndex", "truncated_power_law", "jump_to_places", "Explorer"]


def truncated_power_law(size: int, *, beta: float, low, high: float, rng: np.random.Generator) -> np.ndarray:
    """Draw lengths with density ∝ ``d**-beta`` on ``[low, high]`` (inverse CDF; ``low`` may be an array)."""
    u = rng.random(size)
    low = np.minimum(low, 0.5 * high)
    if np.isclose(beta, 1.0):
        return low * (high / low) ** u
    a, b = low ** (1 - beta), high ** (1 - beta)
    return (a - u * (a - b)) ** (1 / (1 - beta))


class PlaceIndex:
    """Nearest-place look-ups, one KD-tree per group of kinds, built on first use."""

    def __init__(self, town: Town) -> None:
        self.town = town
        self._trees: dict[tuple, tuple[cKDTree, np.ndarray]] = {}

    def tree(self, kinds: tuple[int, ...]) -> tuple[cKDTree, np.ndarray]:
        if kinds not in self._trees:
            idx = np.flatnonzero(np.isin(self.town.place_kind, kinds))
            self._trees[kinds] = (cKDTree(np.c_[self.town.place_x[idx], self.town.place_y[idx]]), idx)
        return self._trees[kinds]

    def nearest_of(self, x: np.ndarray, y: np.ndarray, candidates: np.ndarray, *, k: int,
                   rng: np.random.Generator) -> np.ndarray:
        """One of the ``k`` places of ``candidates`` (place indices) nearest each point, at random."""
        key = ("set", candidates.tobytes())
        if key not in self._trees:
            xy = np.c_[self.town.place_x[candidates], self.town.place_y[candidates]]
            self._trees[key] = (cKDTree(xy), candidates)
        tree, idx = self._trees[key]
        k = min(k, len(idx))
        _, j = tree.query(np.c_[x, y], k=list(range(1, k + 1)))
        return idx[j[np.arange(len(x)), rng.integers(0, k, len(x))]]

    def nearest(self, x: np.ndarray, y: np.ndarray, kinds: tuple[int, ...]) -> np.ndarray:
        """Index of the nearest place of one of ``kinds`` to each point."""
        tree, idx = self.tree(kinds)
        if len(x) == 0:
            return np.empty(0, dtype=np.int64)
        _, j = tree.query(np.c_[x, y])
        return idx[j]

    def nearest_unknown(self, x: np.ndarray, y: np.ndarray, kinds: tuple[int, ...], known: np.ndarray,
                        *, k: int = 8) -> np.ndarray:
        """Nearest place of one of ``kinds`` to each point that is not in that point's row of ``known``.

        ``known`` holds place indices, one row per point (-1 pads). Of the ``k`` nearest
        places, the first one not known is taken; if all ``k`` are known, the ``k``-th.
        """
        tree, idx = self.tree(kinds)
        n = len(x)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        known = known[:, (known >= 0).any(axis=0)]  # drop columns that are padding for everyone
        out = self.nearest(x, y, kinds)
        clash = np.flatnonzero((out[:, None] == known).any(axis=1))  # usually few: only those look further
        k = min(k, len(idx))
        if len(clash) and k > 1:
            _, j = tree.query(np.c_[x[clash], y[clash]], k=k)
            candidates = idx[np.asarray(j).reshape(len(clash), k)]
            seen = (candidates[:, :, None] == known[clash][:, None, :]).any(axis=2)
            pick = np.where(seen.all(axis=1), k - 1, np.argmax(~seen, axis=1))
            out[clash] = candidates[np.arange(len(clash)), pick]
        return out


def jump_to_places(
    ox: np.ndarray, oy: np.ndarray, kinds: tuple[int, ...], index: PlaceIndex,
    *, beta: float, low: float, rng: np.random.Generator, tries: int = 6, known: np.ndarray | None = None,
) -> np.ndarray:
    """From each origin, jump a power-law distance and land on the nearest place of ``kinds``.

    Jumps that land in the sea are redrawn (up to ``tries`` times), which gives the
    distribution its natural cut-off at the scale of the town. With ``known`` (place
    indices, one row per origin, -1 pads) the landing is the nearest place not yet
    known (:meth:`PlaceIndex.nearest_unknown`): an exploration finds a new place.
    """
    n = len(ox)
    high = 2.2 * index.town.radius_m
    tx = np.empty(n)
    ty = np.empty(n)
    todo = np.arange(n)
    low = np.broadcast_to(np.asarray(low, dtype=float), (n,))
    for attempt in range(tries):
        d = truncated_power_law(len(todo), beta=beta, low=low[todo], high=high, rng=rng)
        a = rng.uniform(0, 2 * np.pi, len(todo))
        tx[todo] = ox[todo] + d * np.cos(a)
        ty[todo] = oy[todo] + d * np.sin(a)
        if attempt == tries - 1:
            break
        wet = ~shapely.contains_xy(index.town.outline, tx[todo], ty[todo])
        todo = todo[wet]
        if len(todo) == 0:
            break
    if known is not None:
        return index.nearest_unknown(tx, ty, kinds, known)
    return index.nearest(tx, ty, kinds)


class Explorer:
    """Per-person memory of leisure places for exploration and preferential return.

    Parameters
    ----------
    n : int
        Number of people.
    memory : int
        Places remembered per person; when full, the least-visited is forgotten.

    References
    ----------
    .. [1] Song, C., Koren, T., Wang, P., Barabási, A.-L. (2010). Modelling the scaling
       properties of human mobility. Nature Physics 6, 818–823.
    """

    def __init__(self, n: int, *, memory: int = 48) -> None:
        self.places = np.full((n, memory), -1, dtype=np.int64)
        self.counts = np.zeros((n, memory), dtype=np.float64)
        self.known = np.zeros(n, dtype=np.int64)  # distinct places ever explored

    def choose(
        self, people: np.ndarray, ox: np.ndarray, oy: np.ndarray, kinds: np.ndarray,
        kind_groups: list[tuple[int, ...]], index: PlaceIndex, *,
        rho: float, gamma: float, beta: float, low: float, base: np.ndarray, rng: np.random.Generator,
        anchors: np.ndarray | None = None,
    ) -> np.ndarray:
        """Pick one leisure place for each entry of ``people`` (each person at most once).

        ``kinds`` indexes ``kind_groups``: the kinds an exploration may land on.
        ``base`` counts the anchor places each person already knows (home, work).
        An exploration lands on the nearest place not yet in the person's memory nor
        their ``anchors`` entry (workplace, school or regular place): exploring means
        finding a new place, as in Song et al. (2010), also for people whose short
        jumps keep landing near the same few places.
        """
        s = self.known[people] + base
        explore = (rng.random(len(people)) < rho * np.maximum(s, 1) ** -gamma) | (self.known[people] == 0)
        out = np.empty(len(people), dtype=np.int64)
        # Preferential return: a known place with probability proportional to its visits.
        ret = np.flatnonzero(~explore)
        if len(ret):
            c = self.counts[people[ret]]
            cdf = np.cumsum(c, axis=1)
            u = rng.random(len(ret)) * cdf[:, -1]
            slot = (cdf <= u[:, None]).sum(axis=1)
            out[ret] = self.places[people[ret], slot]
            self.counts[people[ret], slot] += 1
        exp = np.flatnonzero(explore)
        low = np.broadcast_to(np.asarray(low, dtype=float), (len(people),))
        for g, group in enumerate(kind_groups):
            sel = exp[kinds[exp] == g]
            if len(sel):
                known = self.places[people[sel]]
                if anchors is not None:
                    known = np.c_[known, anchors[sel]]
                out[sel] = jump_to_places(ox[sel], oy[sel], group, index, beta=beta, low=low[sel], rng=rng,
                                          known=known)
        if len(exp):
            who = people[exp]
            # A new place replaces the least-visited memory slot (an empty one first).
            known_row = self.places[who]
            dup = (known_row == out[exp][:, None]).any(axis=1)
            slot = np.argmin(np.where(known_row < 0, -1.0, self.counts[who]), axis=1)
            hit = np.argmax(known_row == out[exp][:, None], axis=1)
            slot = np.where(dup, hit, slot)
            fresh = ~dup
            self.places[who[fresh], slot[fresh]] = out[exp][fresh]
            self.counts[who[fresh], slot[fresh]] = 1.0
            self.counts[who[dup], slot[dup]] += 1.0
            self.known[who[fresh]] += 1
        return out
