"""Differentially private footfall on the town: seconds and count error against epsilon; suppression speed.

Generates the town scenario (20,000 people, 28 days) in memory, takes its gps
release, and publishes the number of distinct advertising ids per cell and
slot with :func:`lab.mitigations.dp.dp_counts` over a public domain (every
cell of the district map's bounding box, every slot of the 28 days), on two
grids: 500 m cells and 1-hour slots, each id bounded to L = 100 (cell, hour)
pairs, and 1 km cells and 1-day slots with L = 30. (L sits near the median id's
number of pairs; a real data holder would take it from the app's logging
policy, not from the data.) For epsilon 0.1, 1 and 10 with Laplace noise, and
epsilon 1, delta 1e-6 with Gaussian noise, prints the seconds taken and the
error against the true, unbounded counts: mean absolute error over every key of
the domain and, over the keys with a true count of at least 20, the mean
absolute error and the median and mean relative error. For comparison, prints
how long numpy takes to draw Laplace noise for the same number of keys (the lab
uses OpenDP's exact, cryptographically secure samplers instead). Then prints
rows per second of small-count suppression, on the count table and from the raw
gps records. Takes about four minutes on a 2-core machine.

    python bench/bench_dp.py [--seed N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.dp import PrivacyLedger, bound_contributions, dp_counts, grid_domain, noise_scale
from lab.mitigations.suppress import aggregate_release, suppress_small_counts
from lab.synth.scenario import load_scenario
from lab.world import World, generate_world

#: (cell_m, slot_s, L) of each grid.
GRIDS = [(500.0, 3600, 100), (1000.0, 86400, 30)]
RUNS = [("laplace", 0.1, None), ("laplace", 1.0, None), ("laplace", 10.0, None), ("gaussian", 1.0, 1e-6)]
K = 5


def _best(fn, repeat: int = 3) -> float:
    """Fastest of ``repeat`` timed calls, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run_grid(gps: pd.DataFrame, world: World, *, cell_m: float, slot_s: int, limit: int, seed: int) -> pd.DataFrame:
    """Print the error table of one grid; return its true counts."""
    scenario = world.scenario
    start = pd.Timestamp(scenario.start).tz_localize(scenario.timezone)
    domain = grid_domain(bounds=tuple(world.districts.total_bounds), start=start,
                         end=start + pd.Timedelta(days=scenario.days), cell_m=cell_m, slot_s=slot_s,
                         origin=scenario.origin)
    grid = {"cell_m": cell_m, "slot_s": slot_s, "origin": domain.origin, "start": domain.start}
    counts = count_by_cell(gps, **grid)
    true = domain.keys().merge(counts, on=["cell", "slot"], how="left")["count"].fillna(0).to_numpy()
    busy = true >= 20
    bounded = count_by_cell(bound_contributions(gps, max_cells_per_user=limit, rng=seed, **grid), **grid)
    n = domain.size
    numpy_s = _best(lambda: np.random.default_rng(0).laplace(0.0, 1.0, n))
    print(f"\n{cell_m:,.0f} m cells x {slot_s // 3600} h slots: {len(domain.cells):,} cells x {domain.n_slots} slots "
          f"= {n:,} keys; {len(counts):,} non-empty, {busy.sum():,} with a count of 20 or more")
    only_bounded = domain.keys().merge(bounded, on=["cell", "slot"], how="left")["count"].fillna(0).to_numpy()
    bias = np.abs(only_bounded - true)[busy]
    print(f"L={limit} keeps {bounded['count'].sum() / counts['count'].sum():.1%} of (id, cell, slot) pairs "
          f"(bounding alone, no noise: MAE >=20 {bias.mean() if busy.any() else np.nan:.2f}); "
          f"numpy Laplace noise for {n:,} keys takes {numpy_s:.3f} s")
    print(f"{'mechanism':<10}{'epsilon':>8}{'delta':>7}{'scale':>8}{'seconds':>9}{'MAE all':>9}"
          f"{'MAE >=20':>10}{'median rel >=20':>17}{'mean rel >=20':>15}")
    for mechanism, eps, delta in RUNS:
        scale = noise_scale(epsilon=eps, delta=delta, mechanism=mechanism, max_cells_per_user=limit)
        t1 = time.perf_counter()
        out = dp_counts(gps, cell_m=cell_m, slot_s=slot_s, epsilon=eps, delta=delta, mechanism=mechanism,
                        max_cells_per_user=limit, domain=domain, ledger=PrivacyLedger(eps, delta or 0.0), rng=seed)
        seconds = time.perf_counter() - t1
        err = np.abs(out["count"].to_numpy() - true)
        rel = err[busy] / true[busy]
        print(f"{mechanism:<10}{eps:>8g}{delta or 0:>7g}{scale:>8.1f}{seconds:>9.2f}{err.mean():>9.2f}"
              f"{err[busy].mean():>10.2f}{np.median(rel):>17.1%}{rel.mean():>15.1%}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    world = generate_world(load_scenario("town"), args.seed)
    gps = world.releases["gps"]
    print(f"town, {world.scenario.population:,} people, {world.scenario.days} days, seed {args.seed}: generated in "
          f"{time.perf_counter() - t0:.1f} s; gps: {len(gps):,} records, {gps['pseudonym'].nunique():,} ids")
    tables = [run_grid(gps, world, cell_m=c, slot_s=s, limit=limit, seed=args.seed) for c, s, limit in GRIDS]
    print("(errors against the true, unbounded counts; negative noisy counts clamped to 0)\n")

    counts = tables[0]
    cell_m, slot_s, _ = GRIDS[0]
    start = pd.Timestamp(world.scenario.start).tz_localize(world.scenario.timezone)
    grid = {"cell_m": cell_m, "slot_s": slot_s, "origin": world.scenario.origin, "start": start}
    table_s = _best(lambda: suppress_small_counts(counts, k=K))
    release_s = _best(lambda: aggregate_release(gps, k=K, **grid), repeat=1)
    print(f"suppress_small_counts, k={K}: {len(counts):,} count rows ({cell_m:.0f} m, {slot_s // 3600} h) in "
          f"{table_s * 1000:.1f} ms = {len(counts) / table_s:,.0f} rows/s")
    print(f"aggregate_release (count + suppress), k={K}: {len(gps):,} gps records in {release_s:.2f} s = "
          f"{len(gps) / release_s:,.0f} records/s")


if __name__ == "__main__":
    main()
