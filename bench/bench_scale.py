"""A country-scale city on Dask: generation, sampled ε₄, and ε₄ as the population grows.

Generates 10,000,000 people × 1 week (the CDR release only) with the Dask engine on a
LocalCluster started here, then measures on the same cluster with the Dask risk engine:

1. generation: seconds, person-days per second, rows written and rows per second;
2. sampled ε₄ on the whole CDR release (towers × hours, 10,000 targets): seconds and
   release rows per second;
3. ε₄ for N = 10⁴, 10⁵, 10⁶, 10⁷ people, each population drawn from the same release
   (a person has at most one pseudonym in it, so N people are round(N × pseudonyms / P)
   pseudonyms) and held on the workers; its seconds count the draw and ε₄. N = P is the
   whole release of step 2;
4. the peak memory (largest resident set) of every worker at the end of generation and,
   after the workers are restarted, at the end of the risk steps; and this process's own
   peak (it plans the town and hosts the scheduler).

The city keeps surveillance_day's density (2.5 M people in a radius of 30 km, 60
districts): radius 30 km × √(P / 2.5 M), districts 60 × P / 2.5 M, both within the
limits a scenario accepts (so 10 M people get 200 districts, not 240). The world takes
about 5 GB on disk at 10 M people (the CDR release 1.2 GB).

Targets on a 2-core machine: at most 8 GB per worker (GB = 10⁹ bytes, as Dask counts)
and the whole run, from starting the cluster to the last figure, under 30 minutes.
Progress goes to stderr, the figures to stdout, with the machine's load during the run:
other jobs on the machine slow every figure down.

    python bench/bench_scale.py [--population P] [--days D] [--workers N] [--memory-limit 8GB]
                                [--sample S] [--seed SEED] [--out DIR] [--keep]
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_WORKER_BYTES = 8e9
TARGET_SECONDS = 30 * 60
#: surveillance_day's density: 2.5 M people in a radius of 30 km, 60 districts.
BASE_POPULATION, BASE_RADIUS_KM, BASE_DISTRICTS = 2_500_000, 30.0, 60
#: What a scenario accepts (lab/synth/scenario.py, Scenario.__post_init__).
RADIUS_KM_RANGE, DISTRICTS_RANGE = (2.0, 100.0), (2, 200)
SIZES = (10_000, 100_000, 1_000_000, 10_000_000)


def _peak_rss() -> int:
    """This process's largest resident set so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB"


def city(population: int) -> tuple[float, int]:
    """Radius (km) and districts of a city of ``population`` at surveillance_day's density."""
    share = population / BASE_POPULATION
    radius = min(max(BASE_RADIUS_KM * math.sqrt(share), RADIUS_KM_RANGE[0]), RADIUS_KM_RANGE[1])
    districts = min(max(round(BASE_DISTRICTS * share), DISTRICTS_RANGE[0]), DISTRICTS_RANGE[1])
    return radius, districts


class Load:
    """Samples the machine while the benchmark runs: load average and CPU used by other processes."""

    def __init__(self, every: float = 2.0) -> None:
        import psutil

        self.every = every
        self.samples: list[tuple[float, float, float]] = []  # (1-min load, all CPUs busy, ours), in cores
        self._stop = threading.Event()
        self._me = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _ours(self) -> float:
        import psutil

        total = 0.0
        for proc in [self._me, *self._me.children(recursive=True)]:
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        import psutil

        psutil.cpu_percent()
        ours, t0 = self._ours(), time.monotonic()
        while not self._stop.wait(self.every):
            busy = psutil.cpu_percent() / 100 * (os.cpu_count() or 1)
            now_ours, t1 = self._ours(), time.monotonic()
            # Workers restarted between phases take their CPU time with them: never count that as negative.
            mine = max(0.0, (now_ours - ours) / (t1 - t0))
            ours, t0 = now_ours, t1
            self.samples.append((os.getloadavg()[0], busy, mine))

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return f"not sampled (the run was shorter than {self.every:g} s)"
        load = [s[0] for s in self.samples]
        others = [max(0.0, s[1] - s[2]) for s in self.samples]
        return (f"1-min load average mean {sum(load) / len(load):.2f}, max {max(load):.2f}; "
                f"CPU used by other processes mean {sum(others) / len(others):.2f}, "
                f"max {max(others):.2f} of {os.cpu_count()} cores")


def _worker_peaks(client) -> dict[str, int]:
    """Largest resident set of every worker process so far, in bytes, by worker address."""

    def peak() -> int:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    return client.run(peak)


def _interval(r) -> str:
    return f"[{r.low:.3f}, {r.high:.3f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (one thread each)")
    parser.add_argument("--memory-limit", default="8GB", help="Dask memory limit per worker")
    parser.add_argument("--sample", type=int, default=10_000, help="targets per ε₄")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None,
                        help="where the world goes (default: a temporary folder, removed at the end)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (a world written to --out is always kept)")
    args = parser.parse_args()

    from lab.synth.scenario import load_scenario

    P = args.population
    radius, districts = city(P)
    sc = load_scenario("surveillance_day", releases=["cdr"], population=P, days=args.days, radius_km=radius,
                       districts=districts)
    wanted = round(BASE_DISTRICTS * P / BASE_POPULATION)
    print(f"cpus: {os.cpu_count()}, Dask workers: {args.workers} × 1 thread, memory limit {args.memory_limit} "
          f"each; load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"city: {P:,} people × {sc.days} days, CDR only, radius {radius:.1f} km, {districts} districts"
          + (f" (density asks for {wanted}; a scenario takes {DISTRICTS_RANGE[0]}–{DISTRICTS_RANGE[1]})"
             if wanted != districts else "") + f", seed {args.seed}")

    root = args.out or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    out_dir = root / "world" if args.out is None else root
    try:
        passed = _run(args, sc, out_dir)
    finally:
        if args.keep:
            print(f"world kept in {out_dir}")
        elif args.out is None:
            shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if passed else 1)


def _run(args: argparse.Namespace, sc, out_dir: Path) -> bool:
    """Generate, measure, print; True when every target is met."""
    import distributed

    from lab.attacks.on_dask.release import read_release, sample_pseudonyms, scan
    from lab.attacks.on_dask.unicity import unicity
    from lab.progress import steps
    from lab.world import write_world

    P = sc.population
    t_start = time.perf_counter()
    peaks: dict[str, dict[str, int]] = {}
    with Load() as load, \
            distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                     memory_limit=args.memory_limit, dashboard_address=":0",
                                     silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster.scheduler_address) as client:
        # 1. Generation.
        print("\n1. generation (Dask)")
        t0 = time.perf_counter()
        manifest = write_world(sc, args.seed, out_dir, engine="dask", scheduler=cluster.scheduler_address,
                               progress=steps)
        gen_s = time.perf_counter() - t0
        peaks["generation"] = _worker_peaks(client)
        rows = sum(manifest["rows"].values())
        cdr_rows = manifest["rows"]["cdr"]
        size = sum(manifest["sizes"].values())
        cdr_size = sum(v for k, v in manifest["sizes"].items() if k.startswith("cdr"))
        print(f"  {'seconds':<34}{gen_s:>14,.1f}")
        print(f"  {'person-days':<34}{sc.person_days:>14,}")
        print(f"  {'person-days per second':<34}{sc.person_days / gen_s:>14,.0f}")
        print(f"  {'rows written (all tables)':<34}{rows:>14,}")
        print(f"  {'rows per second':<34}{rows / gen_s:>14,.0f}")
        print(f"  {'CDR rows':<34}{cdr_rows:>14,}")
        print(f"  {'blocks (part files per table)':<34}{manifest['blocks']:>14,}")
        print(f"  {'towers':<34}{manifest['rows']['towers']:>14,}")
        print(f"  {'bytes on disk (all tables)':<34}{_gb(size):>14}")
        print(f"  {'bytes on disk (CDR)':<34}{_gb(cdr_size):>14}")
        print("  rows by table: " + ", ".join(f"{k} {v:,}" for k, v in manifest["rows"].items()))

        # The risk steps start on fresh workers, so their peaks are their own.
        client.restart()

        # 2. Sampled ε₄ on the whole release.
        print(f"\n2. sampled ε₄ on the whole CDR release (towers × 1 h, {args.sample:,} targets, Dask)")
        with distributed.Client(cluster.scheduler_address):
            t0 = time.perf_counter()
            whole = unicity(out_dir / "cdr", p=4, space="tower_id", hours=1.0, sample=args.sample, rng=0)
            eps_s = time.perf_counter() - t0
            print(f"  {'seconds':<34}{eps_s:>14,.1f}")
            print(f"  {'release rows per second':<34}{cdr_rows / eps_s:>14,.0f}")
            print(f"  {'ε₄ [95 % interval]':<34}{whole.share:>14.3f} {_interval(whole)}, {whole.n:,} targets")

            # 3. ε₄ as the population grows.
            frame = read_release(out_dir / "cdr", space="tower_id")
            t0 = time.perf_counter()
            pseudonyms = scan(frame, space="tower_id", hours=1.0).pseudonyms
            scan_s = time.perf_counter() - t0
            print(f"\n3. ε₄ by population size (pseudonyms drawn from the same release; {pseudonyms:,} "
                  f"pseudonyms for {P:,} people, counted in {scan_s:.1f} s)")
            results = []
            todo = [n for n in SIZES if n < P] + [P]
            for n in steps(todo, desc="ε₄ by population", unit="size", label=lambda n: f"N = {n:,}"):
                if n == P:
                    results.append((n, pseudonyms, whole, eps_s))
                    continue
                n_ps = round(n * pseudonyms / P)
                t0 = time.perf_counter()
                # Held on the workers: unicity reads its release twice (scan, then pairs), and each read of a
                # drawn frame is a pass over the whole release.
                drawn = sample_pseudonyms(frame, n_ps, rng=0).persist()
                distributed.wait(drawn)
                r = unicity(drawn, p=4, space="tower_id", hours=1.0, sample=args.sample, rng=0)
                results.append((n, n_ps, r, time.perf_counter() - t0))
                del drawn
            print(f"  {'N people':>12}{'pseudonyms':>12}{'ε₄':>8}{'95 % interval':>17}{'targets':>10}{'seconds':>10}")
            for n, n_ps, r, s in results:
                note = "   (whole release: step 2)" if n == P else ""
                print(f"  {n:>12,}{n_ps:>12,}{r.share:>8.3f}{_interval(r):>17}{r.n:>10,}{s:>10.1f}{note}")
        peaks["risk"] = _worker_peaks(client)
    total_s = time.perf_counter() - t_start
    client_peak = _peak_rss()

    # 4. Memory and targets.
    print("\n4. peak memory (largest resident set)")
    worst = 0
    for phase, by_worker in peaks.items():
        for i, (addr, rss) in enumerate(sorted(by_worker.items())):
            worst = max(worst, rss)
            print(f"  {phase + ', worker ' + str(i):<22}{_gb(rss):>10}   ({addr})")
    print(f"  {'client (this process)':<22}{_gb(client_peak):>10}   (plans the town, hosts the scheduler)")
    print(f"\nmachine during the run: {load.summary()}")
    ok_mem, ok_time = worst <= TARGET_WORKER_BYTES, total_s < TARGET_SECONDS
    print(f"  {'peak per worker':<22}{_gb(worst):>10}       target ≤ {_gb(TARGET_WORKER_BYTES):<9}"
          f"{'PASS' if ok_mem else 'FAIL'}")
    print(f"  {'whole run':<22}{total_s / 60:>7.1f} min       target < {TARGET_SECONDS / 60:.0f} min   "
          f"{'PASS' if ok_time else 'FAIL'}   ({total_s:,.0f} s)")
    return ok_mem and ok_time


if __name__ == "__main__":
    main()
