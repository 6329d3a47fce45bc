"""Reference answers, computed from each student's own world at grading time (the solution's computations)."""

import numpy as np
import pandas as pd

from lab.attacks.linkage import link_releases, link_to_auxiliary, sample_known_points
from lab.geo import to_latlon, to_local
from lab.grading.exercise import per_world
from lab.metrics.linkage_score import pairs_between, pairs_by_name, reidentification_rate, top_k_accuracy

SPACE = "grid:250"
WIDTHS = (1, 2, 4, 6, 24)


def _releases(world):
    gps, checkins = world.releases["gps"], world.releases["checkins"]
    return gps, checkins, checkins[checkins["display_name"].notna()]


@per_world
def _name_truth(world):
    gps, _, named = _releases(world)
    truth = pairs_by_name(world.people, world.keys, "gps")
    keep = truth["identity"].isin(named["display_name"].unique()) & truth["pseudonym"].isin(gps["pseudonym"].unique())
    return truth[keep]


@per_world
def _name_matches(world):
    gps, _, named = _releases(world)
    return link_to_auxiliary(gps, named, space=SPACE, hours=1, identity="display_name", top=5)


def n_names(world):
    return int(_name_truth(world)["identity"].nunique())


def top1_names(world):
    return top_k_accuracy(_name_matches(world), _name_truth(world), 1)


def top5_names(world):
    return top_k_accuracy(_name_matches(world), _name_truth(world), 5)


@per_world
def reid_by_width(world):
    gps, checkins, _ = _releases(world)
    truth = pairs_between(world.keys, "checkins", "gps")
    truth = truth[truth["pseudonym_a"].isin(checkins["pseudonym"].unique())
                  & truth["pseudonym_b"].isin(gps["pseudonym"].unique())]
    return [reidentification_rate(link_releases(checkins, gps, cell_m=250, hours=h, top=1), truth) for h in WIDTHS]


def best_width(world):
    rates = reid_by_width(world)
    return WIDTHS[int(np.argmax(rates))]


KS = (1, 2, 4)


@per_world
def _known(world, k):
    return sample_known_points(world.releases["gps"], k=k, n_targets=200, space=SPACE, hours=1, rng=0)


def _self_truth(known):
    targets = known["identity"].unique()
    return pd.DataFrame({"identity": targets, "pseudonym": targets})


def _accuracy(world, known, hours=1):
    found = link_to_auxiliary(world.releases["gps"], known, space=SPACE, hours=hours, top=1)
    return top_k_accuracy(found, _self_truth(known), 1)


def _unique_share(world, known, k):
    found = link_to_auxiliary(world.releases["gps"], known, space=SPACE, hours=1, top=2)
    holders = found[found["matched"] == k].groupby("identity").size()
    return float((holders.reindex(known["identity"].unique(), fill_value=0) == 1).mean())


def ideal_by_k(world):
    return [_unique_share(world, _known(world, k), k) for k in KS]


def top1_by_k(world):
    return [_accuracy(world, _known(world, k)) for k in KS]


def shift_times(known, minutes, *, rng):
    off = np.random.default_rng(rng).uniform(-minutes, minutes, len(known))
    return known.assign(t=known["t"] + pd.to_timedelta(off, unit="min"))


def move_points(known, metres, *, rng, origin):
    angle = np.random.default_rng(rng).uniform(0, 2 * np.pi, len(known))
    x, y = to_local(known["lat"], known["lon"], origin=origin)
    lat, lon = to_latlon(x + metres * np.cos(angle), y + metres * np.sin(angle), origin=origin)
    return known.assign(lat=lat, lon=lon)


def shifted_1h(world):
    return _accuracy(world, shift_times(_known(world, 4), 120, rng=0), hours=1)


def shifted_4h(world):
    return _accuracy(world, shift_times(_known(world, 4), 120, rng=0), hours=4)


def moved_400(world):
    return _accuracy(world, move_points(_known(world, 4), 400, rng=0, origin=world.scenario.origin))
