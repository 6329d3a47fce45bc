"""Speed of the risk engine, printed as figures.

Town scale: the town scenario's CDR release (about 20,000 subscribers × 4 weeks):
exact unicity at p = 4 on towers × hours for every pseudonym (target < 2 s),
the exact location attack at k = 2 (< 10 s) and k = 4 (< 60 s).
City scale: a CDR release of 1M people × 1 week, generated here: unicity at p = 4
and the k = 2 location attack (< 60 s each).

    python bench/bench_attacks.py [--skip-city] [--city-population N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from lab.attacks.prudence import location_attack
from lab.attacks.unicity import unicity
from lab.store import read_table
from lab.synth.scenario import load_scenario
from lab.world import write_world


def _timed(label: str, target: float, fn):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"  {label:<44}{dt:>8.2f} s   target < {target:g} s   {'ok' if dt < target else 'SLOW'}")
    return out


def _cdr(scenario: str, tmp: Path, **overrides):
    sc = load_scenario(scenario, releases=["cdr"], **overrides)
    t0 = time.perf_counter()
    write_world(sc, 1, tmp / sc.name)
    cdr = read_table(tmp / sc.name, "cdr")
    print(f"{sc.name}: {sc.population:,} people × {sc.days} days → {len(cdr):,} CDR rows, "
          f"{cdr['pseudonym'].nunique():,} pseudonyms (generated in {time.perf_counter() - t0:.1f} s)")
    return cdr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-city", action="store_true", help="only the town-scale figures")
    parser.add_argument("--city-population", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cdr = _cdr("town", tmp)
        r = _timed("unicity p=4, towers × hours, every pseudonym", 2,
                   lambda: unicity(cdr, p=4, space="tower_id", hours=1, rng=0))
        print(f"    ε4 = {r.share:.3f} [{r.low:.3f}, {r.high:.3f}], N = {r.n:,}")
        for k, target in ((2, 10), (4, 60)):
            risk = _timed(f"location attack k={k} (towers), exact", target,
                          lambda k=k: location_attack(cdr, k=k, space="tower_id"))
            print(f"    share with risk 1 = {(risk == 1).mean():.3f}, mean risk = {risk.mean():.3f}")
        if args.skip_city:
            return
        big = _cdr("surveillance_day", tmp, population=args.city_population, days=7)
        r = _timed("unicity p=4, towers × hours, every pseudonym", 60,
                   lambda: unicity(big, p=4, space="tower_id", hours=1, rng=0))
        print(f"    ε4 = {r.share:.3f}, N = {r.n:,}")
        risk = _timed("location attack k=2 (towers), exact", 60,
                      lambda: location_attack(big, k=2, space="tower_id"))
        print(f"    share with risk 1 = {(risk == 1).mean():.3f}")


if __name__ == "__main__":
    main()
