"""Generation speed and memory, per scenario.

Prints person-days per second and peak memory (the largest process, parent or
worker) for classroom, town and surveillance_day, generated to a temporary
directory, and the time to verify every table of the world against its manifest
(what reading a world costs before any work: sizes, SHA-256, row counts).
Targets on a 2-core machine: classroom under 3 s, town under 20 s,
surveillance_day under 30 s with peak memory under 8 GB.

    python bench/bench_generate.py [SCENARIO ...] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_S = {"classroom": 3.0, "town": 20.0, "surveillance_day": 30.0}


def _one(scenario: str, workers: int | None) -> None:
    """Child process: generate once and print wall time, person-days and peak memory."""
    from lab.store import verify_table
    from lab.synth.scenario import load_scenario
    from lab.world import write_world

    sc = load_scenario(scenario)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        manifest = write_world(sc, 1, Path(tmp) / "w", workers=workers)
        seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        for table in manifest["tables"]:
            verify_table(Path(tmp) / "w", table, manifest=manifest)
        verify = time.perf_counter() - t1
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{seconds:.3f} {sc.person_days} {max(own, kids) / 1024 ** 2:.3f} {sum(manifest['rows'].values())} "
          f"{verify:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", default=list(TARGETS_S))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _one(args.scenarios[0], args.workers)
        return
    print(f"cpus: {os.cpu_count()}, workers: {args.workers or os.cpu_count()}")
    print(f"{'scenario':<18}{'seconds':>9}{'target':>8}{'person-days':>13}{'person-days/s':>15}"
          f"{'peak GB/proc':>14}{'rows':>13}{'verify s':>10}")
    for name in args.scenarios:
        # A fresh interpreter per scenario, so peak memory is that scenario's own (imports included).
        cmd = [sys.executable, __file__, name, "--child"] + (["--workers", str(args.workers)] if args.workers else [])
        seconds, pdays, peak, rows, verify = subprocess.run(cmd, capture_output=True, text=True,
                                                            check=True).stdout.split()
        seconds, pdays = float(seconds), int(pdays)
        target = TARGETS_S.get(name, float("nan"))
        print(f"{name:<18}{seconds:>9.2f}{target:>8.0f}{pdays:>13,}{pdays / seconds:>15,.0f}"
              f"{float(peak):>14.2f}{int(rows):>13,}{float(verify):>10.2f}")


if __name__ == "__main__":
    main()
