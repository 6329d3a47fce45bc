"""k-anonymity on the town scenario: trajectories (Never Walk Alone) and the registry's quasi-identifiers.

Trajectories: the GPS release of the town at 4,000 people over one week (seed 1),
its first 1,000 pseudonyms, (k, δ)-anonymised for k in {2, 5, 10} with δ = 500 m,
common instants every 15 minutes, pivots wider than 3 km trashed within a 10 %
budget. Target: under 60 s per run on 2 cores. Prints seconds, share of traces
and of fixes suppressed, mean displacement of the translation, mean distance
from each observed fix to its published position, and the temporal stretch
(mean time from a fix to its instant).

Quasi-identifiers: the town registry (20,000 people) joined with the places
table for home and work coordinates, generalised by full-domain search for k in
{2, 5, 10, 50} with at most 5 % suppressed. Prints the chosen levels, share
suppressed, normalised certainty penalty, discernibility and seconds. The
registry does not depend on the number of days, so the town is generated for
one day.

    python bench/bench_kanon.py [--seed 1] [--traces 1000] [--delta 500]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from lab.grid import grid_origin
from lab.mitigations.kanon_qi import generalise_quasi_identifiers
from lab.mitigations.kanon_traj import anonymise_trajectories
from lab.synth.scenario import load_scenario
from lab.world import generate_world


def registry_with_places(people: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """birth_date, sex, community and home/work coordinates for each person."""
    at = places.set_index("place_id")
    return people[["person_id", "birth_date", "sex", "community"]].assign(
        home_lat=at["lat"].reindex(people["home_id"]).to_numpy(),
        home_lon=at["lon"].reindex(people["home_id"]).to_numpy(),
        work_lat=at["lat"].reindex(people["work_id"]).to_numpy(),
        work_lon=at["lon"].reindex(people["work_id"]).to_numpy(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--traces", type=int, default=1000)
    parser.add_argument("--delta", type=float, default=500.0)
    args = parser.parse_args()

    t0 = time.perf_counter()
    world = generate_world(load_scenario("town", population=4000, days=7), args.seed)
    gps = world.releases["gps"]
    chosen = pd.Index(gps["pseudonym"].unique()).sort_values()[: args.traces]
    gps = gps[gps["pseudonym"].isin(chosen)]
    print(f"town (4,000 people, 7 days) seed {args.seed}: generated in {time.perf_counter() - t0:.1f} s; "
          f"gps {len(gps):,} fixes / {gps['pseudonym'].nunique():,} traces")

    print(f"\ntrajectories: Never Walk Alone, delta {args.delta:g} m, step 900 s, max radius 3 km, budget 10 %")
    print(f"{'k':>4}{'seconds':>9}{'groups':>8}{'traces cut':>12}{'fixes cut':>11}"
          f"{'displacement m':>16}{'error m':>9}{'stretch s':>11}")
    for k in (2, 5, 10):
        t0 = time.perf_counter()
        r = anonymise_trajectories(gps, k=k, delta_m=args.delta, step_s=900, max_radius_m=3000, max_suppression=0.1)
        sec = time.perf_counter() - t0
        print(f"{k:>4}{sec:>9.2f}{r.groups.nunique():>8,}{r.share_traces_suppressed:>12.3f}"
              f"{r.share_points_suppressed:>11.3f}{r.mean_displacement_m:>16.0f}{r.mean_error_m:>9.0f}"
              f"{r.temporal_stretch_s:>11.0f}")

    t0 = time.perf_counter()
    town = generate_world(load_scenario("town", days=1), args.seed)
    table = registry_with_places(town.people, town.places)
    print(f"\ntown registry seed {args.seed}: {len(table):,} people (generated in {time.perf_counter() - t0:.1f} s)")
    print("quasi-identifiers: full-domain generalisation, at most 5 % suppressed, least NCP")
    print(f"{'k':>4}  {'home':<7}{'work':<7}{'birth':<10}{'sex':<5}{'suppressed':>11}{'NCP':>8}"
          f"{'discernibility':>16}{'classes':>9}{'seconds':>9}")
    for k in (2, 5, 10, 50):
        t0 = time.perf_counter()
        g = generalise_quasi_identifiers(table, k=k, max_suppression=0.05,
                                         origin=grid_origin(table["home_lat"], table["home_lon"]))
        sec = time.perf_counter() - t0
        lv = g.levels
        print(f"{k:>4}  {lv['home']:<7}{lv['work']:<7}{lv['birth']:<10}{lv['sex']:<5}{g.suppressed_share:>11.4f}"
              f"{g.ncp:>8.3f}{g.discernibility:>16.3e}{g.n_classes:>9,}{sec:>9.2f}")


if __name__ == "__main__":
    main()
