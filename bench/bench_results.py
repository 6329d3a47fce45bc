"""The reported re-identification results: the coarsening law and (home, work) anonymity sets.

Town scenario, seed 1: unicity swept over towers merged ×1, 2, 4, 8 and time bins of
1, 2, 4, 8 hours for p = 2..5, with the coarsening law fitted per p; (home, work)
anonymity sets at block, tract and district scale from the GPS release, the CDR
release and the true homes and workplaces. ``--city`` repeats the sweep on 1M people
× 1 week (20,000 pseudonyms sampled per point, as the paper sampled).

    python bench/bench_results.py [--city]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.unicity import fit_coarsening_law, unicity
from lab.grid import Space, grid_origin
from lab.mitigations.coarsen import snap_to_grid
from lab.store import read_table
from lab.synth.scenario import load_scenario
from lab.world import write_world

SPACES = ("tower_id", "merged:tower_id:2", "merged:tower_id:4", "merged:tower_id:8")
HOURS = (1, 2, 4, 8)


def _sweep(cdr: pd.DataFrame, *, sample: int | None) -> pd.DataFrame:
    rows = []
    for sp in SPACES:
        space = Space.parse(sp)
        for h in HOURS:
            for p in (2, 3, 4, 5):
                r = unicity(cdr, p=p, space=space, hours=h, sample=sample, rng=0, n_boot=100)
                rows.append({"p": p, "space": space.label(), "hours": h, "scale": space.scale * h,
                             "share": r.share, "n": r.n})
    return pd.DataFrame(rows)


def _report_law(label: str, sweep: pd.DataFrame) -> None:
    table = sweep.pivot_table(index=["space", "hours"], columns="p", values="share", sort=False)
    print(f"\n{label}: unicity by resolution (columns p)")
    print(table.round(3).to_string())
    print(fit_coarsening_law(sweep).round(3).to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--city", action="store_true", help="also sweep 1M people × 1 week (about 20 minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "town"
        t0 = time.perf_counter()
        write_world(load_scenario("town"), 1, root)
        print(f"town, seed 1: generated in {time.perf_counter() - t0:.1f} s")
        cdr, gps = read_table(root, "cdr"), read_table(root, "gps")
        _report_law("town CDR", _sweep(cdr, sample=None))

        print("\n(home, work) anonymity sets: median / share unique")
        people, places = read_table(root, "people"), read_table(root, "places").set_index("place_id")
        worker = people.dropna(subset=["work_id"])
        truth = pd.DataFrame({
            "home_lat": places["lat"].reindex(worker["home_id"]).to_numpy(),
            "home_lon": places["lon"].reindex(worker["home_id"]).to_numpy(),
            "work_lat": places["lat"].reindex(worker["work_id"]).to_numpy(),
            "work_lon": places["lon"].reindex(worker["work_id"]).to_numpy(),
        })
        # The analyst's grid, anchored by lab.grid's one rule (what snap_to_grid would read off the data).
        snapped = snap_to_grid(gps, cell_m=100, origin=grid_origin(gps["lat"], gps["lon"]))
        for label, pairs in (("gps (fixes on a 100 m grid)", infer_home_work(snapped)),
                             ("cdr (tower positions)", infer_home_work(cdr)), ("true homes and workplaces", truth)):
            _, summary, _ = anonymity_sets(pairs)
            cells = ", ".join(f"{g} {row['median']:,.0f} / {row['share_unique']:.1%}" for g, row in summary.iterrows())
            print(f"  {label:<32}{cells}   (n = {int(summary['n'].iloc[0]):,})")

        if args.city:
            sc = load_scenario("surveillance_day", releases=["cdr"], population=1_000_000, days=7)
            write_world(sc, 1, Path(tmp) / "city")
            _report_law("city CDR, 1M people × 1 week, 20,000 sampled", _sweep(read_table(Path(tmp) / "city", "cdr"),
                                                                          sample=20_000))


if __name__ == "__main__":
    main()
