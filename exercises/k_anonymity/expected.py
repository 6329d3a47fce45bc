"""Reference answers, computed from each student's own world at grading time."""

import pandas as pd

from lab.attacks.unicity import unicity
from lab.grid import Space
from lab.metrics.utility import displacement_m
from lab.mitigations.kanon_qi import generalise_quasi_identifiers
from lab.mitigations.kanon_traj import anonymise_trajectories, resample_traces

PUBLISHED_QIS = ["home_cell", "work_cell", "birth_years", "sex"]


def _registry(world):
    """The registry without names or ID numbers: quasi-identifiers, district and home/work positions."""
    places = world.places.set_index("place_id")
    people = world.people
    return people[["person_id", "birth_date", "sex", "community", "home_id", "work_id"]].assign(
        district=places["district_id"].reindex(people["home_id"]).to_numpy(),
        home_lat=places["lat"].reindex(people["home_id"]).to_numpy(),
        home_lon=places["lon"].reindex(people["home_id"]).to_numpy(),
        work_lat=places["lat"].reindex(people["work_id"]).to_numpy(),
        work_lon=places["lon"].reindex(people["work_id"]).to_numpy(),
    )


def _share_unique(table, columns):
    size = table.groupby(columns, dropna=False)[columns[0]].transform("size")
    return float((size == 1).mean())


def _g5(world):
    qi_table = _registry(world)[["person_id", "birth_date", "sex", "community",
                                 "home_lat", "home_lon", "work_lat", "work_lon"]]
    return generalise_quasi_identifiers(qi_table, k=5, max_suppression=0.05, origin=world.scenario.origin)


def _nwa(world):
    return anonymise_trajectories(world.releases["gps"], k=5, delta_m=500, step_s=900, max_radius_m=3000,
                                  max_suppression=0.1, origin=world.scenario.origin)


def _resampled(world):
    return resample_traces(world.releases["gps"], step_s=900, origin=world.scenario.origin)


def _grid(world):
    return Space.parse("grid:100", origin=world.scenario.origin)


def unique_dob(world):
    return _share_unique(_registry(world), ["district", "sex", "birth_date"])


def unique_year(world):
    registry = _registry(world)
    with_year = registry.assign(birth_year=pd.to_datetime(registry["birth_date"]).dt.year)
    return _share_unique(with_year, ["district", "sex", "birth_year"])


def n_suppressed(world):
    return len(_g5(world).suppressed)


def smallest_class(world):
    return int(_g5(world).table.groupby(PUBLISHED_QIS).size().min())


def n_trashed(world):
    return len(_nwa(world).suppressed)


def mean_moved_m(world):
    before = _resampled(world).set_index(["pseudonym", "t"], drop=False)
    after = _nwa(world).release.set_index(["pseudonym", "t"], drop=False)
    return float(displacement_m(before, after).mean())


def eps4_before(world):
    return unicity(_resampled(world), p=4, space=_grid(world), hours=1, rng=0).share


def eps4_after(world):
    return unicity(_nwa(world).release, p=4, space=_grid(world), hours=1, rng=0).share
