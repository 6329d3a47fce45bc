"""Reference answers, computed from each student's own world at grading time (the solution's computations)."""

import math

from lab.attacks.population import fit_population_decay, unicity_by_population
from lab.attacks.unicity import unicity
from lab.grading.exercise import per_world
from lab.metrics.utility import displacement_m
from lab.mitigations.coarsen import merge_towers

SAMPLE = 2000          # targets evaluated per measurement
REGISTRY = 2_570_000   # the 2019 registry's people


def _cdr(world):
    return world.releases["cdr"]


@per_world
def _by_size(world):
    cdr = _cdr(world)
    sizes = [2_000, 4_000, 8_000, cdr["pseudonym"].nunique()]
    return unicity_by_population(cdr, sizes=sizes, p=4, space="tower_id", hours=1.0, sample=SAMPLE, rng=0)


@per_world
def _decay(world):
    return fit_population_decay(_by_size(world))


@per_world
def _share(world, p, space="tower_id", hours=1.0):
    return unicity(_cdr(world), p=p, space=space, hours=hours, sample=SAMPLE, rng=0).share


def _odds(share):
    return share / (1 - share)


def eps_by_size(world):
    return [float(e) for e in _by_size(world)["share"]]


def slope(world):
    return float(_decay(world).slope)


def odds_per_tenfold(world):
    return float(_decay(world).odds_per_tenfold)


def eps4_registry(world):
    return float(_decay(world).predict(REGISTRY))


def eps4_city(world):
    return _share(world, 4)


def eps5_city(world):
    return _share(world, 5)


def eps4_coarse(world):
    return _share(world, 4, "merged:tower_id:4", 4)


def moved_m(world):
    cdr = _cdr(world)
    return float(displacement_m(cdr, merge_towers(cdr, factor=4)).mean())


def tenfolds(world):
    return math.log(_odds(eps4_city(world)) / _odds(eps4_coarse(world))) / math.log(odds_per_tenfold(world))
