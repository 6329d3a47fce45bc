"""Reference answers, computed from each student's own world at grading time (the solution's computations)."""

from lab.attacks.home_work import infer_home_work
from lab.attacks.sensitive import infer_attribute, regular_visitors, snap_to_places
from lab.metrics.inference_score import attribute_accuracy, attribute_truth
from lab.metrics.risk import home_error_m
from lab.mitigations.coarsen import snap_to_grid
from lab.mitigations.minimise import drop_sensitive


def _gps(world):
    return world.releases["gps"]


def n_sensitive_fixes(world):
    place = snap_to_places(_gps(world), world.places, kinds=("worship", "clinic"), radius_m=50)
    return int(place.notna().sum())


def clinic_regulars(world):
    regulars = regular_visitors(_gps(world), world.places, radius_m=50, min_visits=3, min_weeks=2)
    return set(regulars.loc[regulars["regular"] & (regulars["kind"] == "clinic"), "pseudonym"])


def _score(world, release, radius_m):
    predictions = infer_attribute(release, world.places, radius_m=radius_m)
    return attribute_accuracy(predictions, attribute_truth(world.people, world.keys, "gps"))


def gps_covered(world):
    return int(_score(world, _gps(world), 50)["covered"])


def gps_accuracy(world):
    return float(_score(world, _gps(world), 50)["accuracy"])


def gps_base_rate(world):
    return float(_score(world, _gps(world), 50)["base_rate"])


def _home_error(world):
    homes = infer_home_work(snap_to_grid(_gps(world), cell_m=100, origin=world.scenario.origin))
    return home_error_m(homes, keys=world.keys, release="gps", people=world.people, places=world.places)


def median_home_error_m(world):
    return float(_home_error(world).median())


def homes_within_100m(world):
    return int((_home_error(world) <= 100).sum())


def _protected(world):
    return drop_sensitive(_gps(world), world.places, kinds=("worship", "clinic"), radius_m=100)


def rows_kept(world):
    return len(_protected(world)) / len(_gps(world))


def dropped_accuracy(world):
    return float(_score(world, _protected(world), 200)["accuracy"])


def dropped_base_rate(world):
    return float(_score(world, _protected(world), 200)["base_rate"])
