"""Linkage and sensitive-attribute attacks on the town scenario: seconds and accuracies.

Generates the town (20,000 people, 28 days, seed 1) in memory, then prints:

- named check-ins -> GPS: top-1 and top-5 accuracy of putting a registry name on
  an advertising id (grid 100 m, daily bins);
- GPS <-> CDR co-location at 500 m and 1 h: top-1 and top-5, plain and with the
  GPS fixes snapped to the towers the CDR release shows;
- k = 1..5 known points -> re-identification rate (GPS at 250 m x 1 h, CDR at
  tower x 1 h), 1,000 random targets each;
- community inferred from visits to places of worship (sightings, GPS, CDR):
  coverage, accuracy, base rate and lift.

Chance is 1 / the number of candidate pseudonyms. Takes a few minutes on 2 cores.

    python bench/bench_linkage.py [--scenario town] [--seed 1] [--targets 1000]
"""

from __future__ import annotations

import argparse
import resource
import time

import pandas as pd

from lab.attacks.linkage import link_releases, link_to_auxiliary, sample_known_points, snap_to_sites
from lab.attacks.sensitive import infer_attribute
from lab.metrics.inference_score import attribute_accuracy, attribute_truth
from lab.metrics.linkage_score import pairs_between, pairs_by_name, top_k_accuracy
from lab.synth.scenario import load_scenario
from lab.world import generate_world


def _present(pairs: pd.DataFrame, query: pd.Series, candidate: pd.Series) -> pd.DataFrame:
    """Truth pairs whose query and candidate both appear in the data."""
    q, c = pairs.columns[:2]
    return pairs[pairs[q].isin(query.unique()) & pairs[c].isin(candidate.unique())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="town")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--targets", type=int, default=1000)
    args = parser.parse_args()

    t0 = time.perf_counter()
    world = generate_world(load_scenario(args.scenario), args.seed)
    gps, cdr = world.releases["gps"], world.releases["cdr"]
    checkins = world.releases["checkins"]
    print(f"{args.scenario} seed {args.seed}: generated in {time.perf_counter() - t0:.1f} s; "
          f"gps {len(gps):,} rows / {gps['pseudonym'].nunique():,} pseudonyms, "
          f"cdr {len(cdr):,} / {cdr['pseudonym'].nunique():,}, "
          f"checkins {len(checkins):,} / {checkins['pseudonym'].nunique():,}")

    print("\nlinkage                                   seconds  queries   top-1   top-5   chance")
    named = checkins[checkins["display_name"].notna()]
    truth = _present(pairs_by_name(world.people, world.keys, "gps"), named["display_name"], gps["pseudonym"])
    t0 = time.perf_counter()
    m = link_to_auxiliary(gps, named, space="grid:100", hours=24, identity="display_name")
    sec = time.perf_counter() - t0
    chance = 1 / gps["pseudonym"].nunique()
    print(f"{'named check-ins -> gps (100 m, 24 h)':<40}{sec:>9.1f}{truth['identity'].nunique():>9,}"
          f"{top_k_accuracy(m, truth, 1):>8.3f}{top_k_accuracy(m, truth, 5):>8.3f}{chance:>9.1e}")

    truth = _present(pairs_between(world.keys, "gps", "cdr"), gps["pseudonym"], cdr["pseudonym"])
    chance = 1 / cdr["pseudonym"].nunique()
    for label, left in (("gps <-> cdr (500 m, 1 h)", None), ("gps snapped to towers <-> cdr", "snap")):
        t0 = time.perf_counter()
        a = snap_to_sites(gps, cdr) if left else gps
        m = link_releases(a, cdr, cell_m=500, hours=1)
        sec = time.perf_counter() - t0
        print(f"{label:<40}{sec:>9.1f}{truth['pseudonym_a'].nunique():>9,}"
              f"{top_k_accuracy(m, truth, 1):>8.3f}{top_k_accuracy(m, truth, 5):>8.3f}{chance:>9.1e}")

    print(f"\nk known points -> re-identification rate ({args.targets:,} targets)")
    print(f"{'release (resolution)':<28}" + "".join(f"{'k=' + str(k):>8}" for k in range(1, 6)) + "  seconds")
    for name, release, space in (("gps (250 m, 1 h)", gps, "grid:250"), ("cdr (tower, 1 h)", cdr, "tower_id")):
        t0 = time.perf_counter()
        rates = []
        for k in range(1, 6):
            aux = sample_known_points(release, k=k, n_targets=args.targets, space=space, hours=1, rng=k)
            m = link_to_auxiliary(release, aux, space=space, hours=1, top=1)
            ids = aux["identity"].unique()
            rates.append(top_k_accuracy(m, pd.DataFrame({"identity": ids, "pseudonym": ids}), 1))
        print(f"{name:<28}" + "".join(f"{r:>8.3f}" for r in rates) + f"{time.perf_counter() - t0:>9.1f}")

    print("\ncommunity from places of worship        seconds  pseudonyms coverage accuracy base rate  lift")
    for name, radius in (("sightings", 50.0), ("gps", 50.0), ("cdr", 600.0)):
        release = world.releases[name]
        t0 = time.perf_counter()
        pred = infer_attribute(release, world.places, radius_m=radius)
        sec = time.perf_counter() - t0
        r = attribute_accuracy(pred, attribute_truth(world.people, world.keys, name))
        label = f"{name} (radius {radius:g} m)"
        print(f"{label:<40}{sec:>8.1f}{r['n']:>12,}{r['coverage']:>9.3f}{r['accuracy']:>9.3f}"
              f"{r['base_rate']:>10.3f}{r['lift']:>6.2f}")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f"\npeak memory {peak:.2f} GB")


if __name__ == "__main__":
    main()
