"""Membership inference on aggregate footfall: AUC against group size, with and without defences.

Generates the town scenario with 3,000 people over 7 days in memory, aggregates its
phone-network (cdr) release on a 1 km grid in 4-hour slots, picks 20 target
subscribers at random, and plays the distinguishability game of Pyrgelis et al.
(NDSS 2018) for each: 400 training and 200 test aggregates per target, groups of
5, 20 and 100 subscribers, for the correlation test and the logistic regression
on raw counts, with no defence, differentially private counts (ε = 1, each
subscriber bounded to 2 cell-slots: Laplace noise of scale 2) and suppression
of counts below 3 — each defence being the library's own mechanism, run on
every group's traces. Prints the mean and median AUC over the targets,
the share of targets with AUC at least 0.9, and the seconds each row took.
Meant to finish in a few minutes on a 2-core machine.

    python bench/bench_membership.py [--seed N] [--targets K]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lab.attacks.membership import membership_auc, user_series
from lab.grid import grid_origin
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.dp import dp_counts, grid_domain
from lab.mitigations.suppress import suppress_small_counts
from lab.synth.scenario import load_scenario
from lab.world import generate_world

GROUP_SIZES = (5, 20, 100)
METHODS = ("correlation", "logistic")
CELL_M, SLOT_S = 1000.0, 4 * 3600


def defences(world, cdr) -> dict:
    """Each defence as the mechanism a data holder runs on a group's traces, and the noise scale it announces."""
    origin = grid_origin(cdr["lat"], cdr["lon"])
    start = cdr["t"].min().normalize()
    end = cdr["t"].max().normalize() + np.timedelta64(1, "D")
    domain = grid_domain(bounds=tuple(world.districts.total_bounds), start=start, end=end, cell_m=CELL_M,
                         slot_s=SLOT_S, origin=origin)
    grid = {"cell_m": CELL_M, "slot_s": SLOT_S, "origin": origin, "start": start}
    noise = np.random.default_rng(0)
    return {
        "none": {"origin": origin, "start": start},
        "dp ε=1, L=2": {"origin": origin, "start": start, "noise_scale": 2.0,
                            "mechanism": lambda g: dp_counts(g, cell_m=CELL_M, slot_s=SLOT_S, epsilon=1.0,
                                                          max_cells_per_user=2, domain=domain, rng=noise)},
        "suppress <3": {"origin": origin, "start": start,
                            "mechanism": lambda g: suppress_small_counts(count_by_cell(g, **grid), k=3)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--targets", type=int, default=20)
    args = parser.parse_args()

    t0 = time.perf_counter()
    world = generate_world(load_scenario("town", population=3000, days=7), args.seed)
    cdr = world.releases["cdr"]
    print(f"town, 3,000 people, 7 days, seed {args.seed}: generated in {time.perf_counter() - t0:.1f} s")

    series = user_series(cdr, cell_m=CELL_M, slot_s=SLOT_S, origin=grid_origin(cdr["lat"], cdr["lon"]))
    rng = np.random.default_rng(args.seed)
    targets = list(rng.choice(series.pseudonyms, size=args.targets, replace=False))
    active = np.diff(series.matrix.indptr)
    target_active = active[np.searchsorted(series.pseudonyms, targets)]
    print(f"cdr: {len(cdr):,} records, {series.n_users:,} subscribers, {series.n_cells} cells × "
          f"{series.n_slots} slots of {SLOT_S // 3600} h ({series.matrix.shape[1]:,} columns)")
    print(f"non-empty cell-slots per subscriber: median {np.median(active):.0f}; "
          f"the {args.targets} targets: median {np.median(target_active):.0f}, "
          f"range {target_active.min()}–{target_active.max()}")
    print("400 training and 200 test aggregates per target\n")

    print(f"{'defence':<13}{'m':>5}  {'method':<12}{'mean AUC':>9}{'median':>8}{'≥0.9':>7}{'seconds':>9}")
    total = time.perf_counter()
    for name, defence in defences(world, cdr).items():
        for m in GROUP_SIZES:
            for method in METHODS:
                t1 = time.perf_counter()
                result = membership_auc(cdr, targets=targets, group_size=m, cell_m=CELL_M, slot_s=SLOT_S,
                                        method=method, rng=args.seed, **defence)
                seconds = time.perf_counter() - t1
                a = result["auc"]
                print(f"{name:<13}{m:>5}  {method:<12}{a.mean():>9.3f}{a.median():>8.3f}"
                      f"{(a >= 0.9).mean():>7.0%}{seconds:>9.1f}")
    print(f"\nattack total: {time.perf_counter() - total:.1f} s")


if __name__ == "__main__":
    main()
