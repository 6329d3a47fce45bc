"""Reference answers, computed from each student's own world at grading time."""

import math

from lab.metrics.risk import home_error_m
from lab.mitigations.geoind import averaging_attack, measure_displacement, planar_laplace, radius_quantile

EPSILON = math.log(4) / 200  # ℓ = ln 4 within r = 200 m, per metre
SNAP_M = 300


def _noisy(world):
    return planar_laplace(world.releases["gps"], epsilon=EPSILON, rng=0)


def _moved(world):
    return measure_displacement(world.releases["gps"], _noisy(world))


def _night_index(world):
    gps = world.releases["gps"]
    hour = gps["t"].dt.hour
    return gps.index[(hour >= 1) & (hour < 5)]


def _home_error(world, release):
    estimate = averaging_attack(release.loc[_night_index(world)])
    inferred = estimate.set_index("pseudonym").rename(columns={"lat": "home_lat", "lon": "home_lon"})
    return home_error_m(inferred, keys=world.keys, release="gps", people=world.people,
                        places=world.places).mean()


def _cached(world):
    return planar_laplace(world.releases["gps"], epsilon=EPSILON, rng=0, cache=True, snap_m=SNAP_M,
                          origin=world.scenario.origin)


def n_fixes(world):
    return len(world.releases["gps"])


def mean_move(world):
    return _moved(world).mean()


def r90(world):
    return float(radius_quantile(EPSILON, 0.9))


def n_beyond_r90(world):
    return int((_moved(world) > r90(world)).sum())


def n_night_phones(world):
    return world.releases["gps"].loc[_night_index(world), "pseudonym"].nunique()


def attack_error_m(world):
    return _home_error(world, _noisy(world))


def cached_error_m(world):
    return _home_error(world, _cached(world))


def one_point_share(world):
    night = _cached(world).loc[_night_index(world)]
    return (night.groupby("pseudonym")[["lat", "lon"]].nunique().max(axis=1) == 1).mean()
