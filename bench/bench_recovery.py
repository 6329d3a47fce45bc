"""Trajectory recovery from aggregates (Xu et al. 2017): speed and accuracy.

Generates the town scenario for 2,500 people over one week in memory, keeps a
random sample of a release's pseudonyms, gives each one cell per slot (last
observation, gaps filled forward), publishes the counts per cell and slot, runs
the attack on the counts alone and scores it against the per-slot truth. It
prints, for N in {100, 300, 1000} people, cells of 500, 1,000 and 2,000 m and
slots of 1 and 2 hours, the attack's seconds and its accuracy (overall, share of
people with at least 80 % of points right, within-day tracking, cross-day
linking, chance = 1/N), first on the raw counts and then with small-count
suppression (cells with fewer than 5 people dropped before publication).
Target: 1,000 people × 168 hourly slots in under 60 s on 2 cores.

    python bench/bench_recovery.py [--release cdr] [--sizes 100 300 1000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from lab.attacks.recovery import count_locations, one_location_per_slot, recover_trajectories
from lab.metrics.recovery_score import score_recovery
from lab.synth.scenario import load_scenario
from lab.world import generate_world

DAYS = 7
CELLS_M = (500, 1000, 2000)
SLOTS_S = (3600, 7200)
MIN_COUNT = 5


def run(release: pd.DataFrame, *, origin: tuple[float, float], start: pd.Timestamp, cell_m: float,
        slot_s: int, min_count: int = 0) -> dict[str, float]:
    """Aggregate ``release``, optionally suppress small counts, attack and score."""
    truth = one_location_per_slot(release, cell_m=cell_m, slot_s=slot_s, n_slots=DAYS * 86400 // slot_s,
                                  origin=origin, start=start)
    counts = count_locations(truth)
    published = counts.loc[counts["count"] >= min_count]
    t0 = time.perf_counter()
    recovered = recover_trajectories(published, cell_m=cell_m, slot_s=slot_s)
    seconds = time.perf_counter() - t0
    score = score_recovery(recovered, truth)
    score["seconds"] = seconds
    score["published"] = published["count"].sum() / counts["count"].sum()
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", default="cdr", choices=("cdr", "gps"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    scenario = load_scenario("town", population=2500, days=DAYS)
    world = generate_world(scenario, args.seed)
    release = world.releases[args.release]
    pseudonyms = release["pseudonym"].drop_duplicates().sort_values().to_numpy()
    order = np.random.default_rng(args.seed).permutation(pseudonyms)
    origin = (scenario.origin_lat, scenario.origin_lon)
    start = release["t"].min().normalize()
    print(f"cpus: {os.cpu_count()}; town, 2,500 people, {DAYS} days, seed {args.seed}: "
          f"{len(pseudonyms):,} {args.release} pseudonyms ({time.perf_counter() - t0:.1f} s to generate)")
    head = (f"{'defence':<12}{'N':>6}{'cell m':>8}{'slot h':>8}{'published':>11}{'seconds':>9}"
            f"{'accuracy':>10}{'>=80%':>8}{'within-day':>12}{'cross-day':>11}{'chance':>9}")
    print(head)
    for min_count, label in ((0, "none"), (MIN_COUNT, f"suppress<{MIN_COUNT}")):
        for n in args.sizes:
            if n > len(order):
                print(f"(only {len(order)} pseudonyms: N = {n} skipped)")
                continue
            sample = release.loc[release["pseudonym"].isin(order[:n])]
            for cell_m in CELLS_M:
                for slot_s in SLOTS_S:
                    s = run(sample, origin=origin, start=start, cell_m=cell_m, slot_s=slot_s, min_count=min_count)
                    print(f"{label:<12}{n:>6}{cell_m:>8}{slot_s / 3600:>8.0f}{s['published']:>11.3f}"
                          f"{s['seconds']:>9.2f}{s['accuracy']:>10.3f}{s['recovered_share']:>8.3f}"
                          f"{s['within_day']:>12.3f}{s['cross_day']:>11.3f}{s['chance']:>9.4f}", flush=True)
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
