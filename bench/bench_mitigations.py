"""Rows per second of the trace mitigations (target: linear in rows, coarsening ≥ 1M rows/s).

Runs on the town scenario's GPS and CDR releases (generated here, seed 1).

    python bench/bench_mitigations.py
"""

from __future__ import annotations

import time
import warnings

from lab.mitigations import coarsen, minimise
from lab.params import LeakWarning
from lab.synth.scenario import load_scenario
from lab.world import generate_world


def _rate(label: str, frame, fn, repeat: int = 2) -> None:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(frame)
        best = min(best, time.perf_counter() - t0)
    print(f"  {label:<38}{len(frame):>12,} rows {best:>8.2f} s {len(frame) / best / 1e6:>8.2f} M rows/s")


def main() -> None:
    t0 = time.perf_counter()
    world = generate_world(load_scenario("town"), 1)
    gps, cdr, places = world.releases["gps"], world.releases["cdr"], world.places
    print(f"town seed 1 generated in {time.perf_counter() - t0:.1f} s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeakWarning)
        _rate("snap_to_grid 500 m", gps, lambda r: coarsen.snap_to_grid(r, cell_m=500))
        _rate("bin_time 1 h", gps, lambda r: coarsen.bin_time(r, minutes=60))
        _rate("merge_towers ×4", cdr, lambda r: coarsen.merge_towers(r, factor=4, rng=0))
        _rate("rotate_pseudonyms daily", gps, lambda r: minimise.rotate_pseudonyms(r, period_hours=24, rng=0))
        _rate("subsample 20 % of rows", gps, lambda r: minimise.subsample(r, fraction=0.2, rng=0))
        _rate("truncate to 7 days", gps, lambda r: minimise.truncate(r, max_days=7))
        _rate("drop_sensitive 100 m", gps, lambda r: minimise.drop_sensitive(r, places, radius_m=100))


if __name__ == "__main__":
    main()
