"""Reference answers, computed from each student's own world at grading time."""

from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.top_locations import top_n_uniqueness
from lab.grid import Space
from lab.mitigations.coarsen import snap_to_grid


def _pairs(world):
    """Homes and workplaces guessed from the GPS release snapped to 100 m cells on the town's origin."""
    origin = world.scenario.origin
    return infer_home_work(snap_to_grid(world.releases["gps"], cell_m=100, origin=origin))


def n_pairs(world):
    pairs = _pairs(world)
    return int(pairs[["home_lat", "home_lon", "work_lat", "work_lon"]].notna().all(axis=1).sum())


def share_unique(world):
    _, summary, _ = anonymity_sets(_pairs(world), origin=world.scenario.origin)
    return summary["share_unique"].tolist()


def share_small_district(world):
    sizes, _, _ = anonymity_sets(_pairs(world), origin=world.scenario.origin)
    return float((sizes["district"] <= 5).mean())


def top_unique(world):
    space = Space("grid", cell_m=2000, origin=world.scenario.origin)
    top = top_n_uniqueness(world.releases["cdr"], ns=(1, 2, 3), spaces=[space])
    return top["share_unique"].tolist()
