"""The ``privacy-lab`` command.

::

    privacy-lab generate [SCENARIO] --seed N --out DIR [--map FILE.html] [--engine dask [--scheduler ADDRESS]] [-q]
    privacy-lab realism DIR [--no-verify]
    privacy-lab map DIR -o FILE.html [--person ID | --release NAME (--heat [--mitigation snap_to_grid:M]
                                      | --adversary PSEUDONYM)] [--no-verify]
    privacy-lab risk DIR --release cdr [--json FILE.json] [--sample N] [--engine dask [--scheduler ADDRESS]] [-q]
    privacy-lab tradeoff DIR --release gps --out FILE.csv [--plot FILE.png] [-q] [--no-verify]
    privacy-lab report DIR --release cdr -o FILE.html [--tradeoff FILE.csv] [-q] [--no-verify]

Bad input (an unknown scenario or key, an impossible value, an output that
cannot be written, a world that no longer matches its manifest) gets one line
naming the option, file or column and exit status 2, before any work starts;
every output is written only when all the work is done, each atomically, so
nothing is left half-written. Exit status 1 means a check failed or a
measurement could not be made (the output says which); an internal error keeps
its traceback. Progress goes to stderr; results go to stdout and the files.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from pathlib import Path

from lab.engines import ENGINES
from lab.errors import InputError

__all__ = ["main", "build_parser"]

EXIT_FAILED = 1
EXIT_USAGE = 2

#: Numeric options, checked before any work: attribute -> (option, test, what the value must be).
NUMBERS = {
    "seed": ("--seed", lambda v: v >= 0, "a whole number >= 0"),
    "workers": ("--workers", lambda v: v >= 1, "at least 1"),
    "hours": ("--hours", lambda v: math.isfinite(v) and v > 0, "a positive number of hours"),
    "pseudonyms": ("--pseudonyms", lambda v: v >= 1, "at least 1"),
    "targets": ("--targets", lambda v: v >= 1, "at least 1"),
    "sample": ("--sample", lambda v: v >= 1, "at least 1"),
}

#: Attributes holding paths the user named: an OSError on one of them is bad input, not a bug.
PATH_ARGUMENTS = ("scenario", "dir", "out", "map", "output", "json", "plot", "tradeoff", "roster", "key_file",
                  "submissions", "feedback", "exercises", "world", "state")

HTML = (".html", ".htm")


def check_numbers(args: argparse.Namespace) -> None:
    """Refuse a numeric option out of its range, naming it."""
    for attr, (option, ok, what) in NUMBERS.items():
        value = getattr(args, attr, None)
        if value is not None and not ok(value):
            raise InputError(f"{option} must be {what}, got {value!r}")


def _progress(args: argparse.Namespace):
    """The progress display for a command: a bar on stderr, or none with -q."""
    from lab.progress import steps

    return None if args.quiet else steps


def _realism(root: Path):
    from lab.metrics.realism import realism_for_world

    return realism_for_world(root)


def _inside(path: Path, directory: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(directory))


def _cmd_generate(args: argparse.Namespace) -> int:
    from lab.output import OutputError, atomic_write, check_destination, check_output_dir
    from lab.synth.scenario import load_scenario
    from lab.world import write_world

    overrides = {k: v for k, v in (("population", args.population), ("days", args.days)) if v is not None}
    scenario = load_scenario(args.scenario, **overrides)
    out = check_output_dir(args.out, option="--out")
    target = None
    if args.map is not None:
        target = check_destination(args.map, option="--map", suffixes=HTML)
        if _inside(target, out):
            raise OutputError(f"--map {args.map!r} lies inside --out {args.out!r}, which must hold the world only; "
                              "write the map beside it")
    t0 = time.perf_counter()
    with contextlib.ExitStack() as stack:
        # The map goes to a temporary file while the world is written; both are renamed into place only
        # when both are complete, so a failure of either leaves neither behind.
        map_tmp = stack.enter_context(atomic_write(target, option="--map")) if target else None

        def draw_map(world: Path) -> None:  # called before the world is moved into place
            from lab.maps import write_map

            write_map(_town_map(world), map_tmp, option="--map")

        manifest = write_world(scenario, args.seed, out, workers=args.workers, progress=_progress(args),
                               finish=draw_map if target else None, engine=args.engine, scheduler=args.scheduler)
    seconds = time.perf_counter() - t0  # printed, never stored: the files stay reproducible
    rows = manifest["rows"]
    print(f"wrote {out} in {seconds:.1f} s: " + ", ".join(f"{name} {rows[name]:,}" for name in manifest["tables"]))
    if target is not None:
        print(f"wrote map {target}")
    if not args.no_realism:
        from lab.metrics.realism import format_realism_table

        table = _realism(out)
        print(format_realism_table(table))
        if not bool(table["ok"].all()):
            print("note: the bands are set for a town-sized world over a few weeks (the `town` scenario); "
                  "a smaller or shorter world can miss some of them")
    return 0


def _town_origin(manifest: dict) -> tuple[float, float]:
    """The town's public grid origin, from its manifest's scenario (the same for every release of it)."""
    town = manifest["scenario"]
    return float(town["origin_lat"]), float(town["origin_lon"])


def _town_map(root: Path):
    from lab.maps import town_map
    from lab.store import read_table

    return town_map(read_table(root, "districts"), read_table(root, "places"),
                    towers=read_table(root, "towers"), cameras=read_table(root, "cameras"))


def _write_map(m, target: Path, option: str = "--map") -> None:
    from lab.maps import write_map

    write_map(m, target, option=option)
    print(f"wrote map {target}")


def _cmd_realism(args: argparse.Namespace) -> int:
    from lab.metrics.realism import format_realism_table

    table = _realism(Path(args.dir))
    print(format_realism_table(table))
    return 0 if bool(table["ok"].all()) else EXIT_FAILED


def _cmd_map(args: argparse.Namespace) -> int:
    from lab.output import check_destination
    from lab.schema import RELEASES
    from lab.store import read_manifest, read_table

    target = check_destination(args.output, option="--output", suffixes=HTML)
    root = Path(args.dir)
    if args.person is not None and (args.release or args.heat or args.adversary or args.mitigation):
        raise InputError("--person draws one person; it does not combine with --release, --heat, --mitigation "
                         "or --adversary")
    if args.mitigation is not None and not args.heat:
        raise InputError("--mitigation needs --heat (the release before and after, side by side)")
    if (args.heat or args.adversary is not None) and args.release is None:
        raise InputError(f"{'--heat' if args.heat else '--adversary'} needs --release NAME (one of "
                         f"{', '.join(RELEASES)})")
    if args.release is not None and not (args.heat or args.adversary is not None):
        raise InputError("--release needs --heat or --adversary PSEUDONYM: say what to draw")
    if args.heat and args.adversary is not None:
        raise InputError("--heat and --adversary draw different maps; choose one")
    cell_m = None
    if args.mitigation is not None:
        name, _, value = args.mitigation.partition(":")
        try:
            cell_m = float(value)
        except ValueError:
            cell_m = None
        if name != "snap_to_grid" or cell_m is None or not math.isfinite(cell_m) or cell_m <= 0:
            raise InputError(f"--mitigation must be snap_to_grid:CELL_M with CELL_M a positive number of metres, "
                             f"got {args.mitigation!r}")
    manifest = read_manifest(root)
    if args.release is not None and (args.release not in RELEASES or args.release not in manifest["tables"]):
        known = [r for r in RELEASES if r in manifest["tables"]]
        raise InputError(f"unknown release {args.release!r}: this world has {', '.join(known)}")

    if args.person is not None:
        from lab.maps import person_map

        m = person_map(root, args.person)
    elif args.heat:
        from lab.maps import heat_comparison, heat_map

        release = read_table(root, args.release, columns=["lat", "lon"])
        districts = read_table(root, "districts")
        origin = _town_origin(manifest)  # public: the grid does not depend on the data
        if cell_m is None:
            m = heat_map(release, districts=districts, name=args.release, origin=origin)
        else:
            from lab.mitigations.coarsen import snap_to_grid

            m = heat_comparison(release, snap_to_grid(release, cell_m=cell_m, origin=origin), districts=districts,
                                names=(args.release, f"{args.release} after snap_to_grid {cell_m:g} m"))
    elif args.adversary is not None:
        from lab.maps import adversary_map

        m = adversary_map(read_table(root, args.release), args.adversary, districts=read_table(root, "districts"))
    else:
        m = _town_map(root)
    _write_map(m, target, option="--output")
    return 0


def _check_world_release(source: Path, release: str | None) -> None:
    """A world directory must be given with the name of one of its releases."""
    from lab.store import read_manifest

    if release is None:
        raise InputError("--release is required with a world directory (gps, cdr, sightings or checkins)")
    manifest = read_manifest(source)
    if release not in manifest["tables"]:
        present = [t for t in manifest["tables"] if t in ("gps", "cdr", "sightings", "checkins")]
        raise InputError(f"{str(source)!r} has no {release!r} release; it has {', '.join(present)}")


def _release_path(source: Path, release: str | None, *, verify: bool) -> tuple[Path, str]:
    """Where a release's Parquet lies, checked against the world's manifest, for the Dask engine."""
    from lab.store import table_path, verify_table

    if source.is_dir():
        _check_world_release(source, release)
        if verify:
            verify_table(source, release)
        return table_path(source, release), release
    if not source.exists():
        raise FileNotFoundError(2, "No such file or directory", str(source))
    if source.suffix != ".parquet":
        raise InputError(f"{source.name}: the Dask engine reads a world directory or a .parquet file")
    return source, source.stem


def _read_release(source: Path, release: str | None):
    """A release from a generated world (DIR + name) or from one Parquet/CSV file."""
    import pandas as pd
    import pyarrow as pa

    from lab.store import read_table

    if source.is_dir():
        _check_world_release(source, release)
        return read_table(source, release), release
    if not source.exists():
        raise FileNotFoundError(2, "No such file or directory", str(source))
    if source.suffix == ".parquet":
        try:
            frame = pd.read_parquet(source)
        except pa.ArrowInvalid as exc:
            raise InputError(f"{source.name} is not a readable Parquet file ({exc})") from None
    elif source.suffix == ".csv":
        try:
            frame = pd.read_csv(source)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(f"{source.name} is not a readable CSV file ({exc})") from None
        if "t" in frame.columns:
            try:
                frame["t"] = pd.to_datetime(frame["t"], format="ISO8601")
            except (ValueError, TypeError) as exc:
                raise InputError(f"column 't' of {source.name} does not hold timestamps ({exc})") from None
    else:
        raise InputError(f"{source.name}: expected a world directory, a .parquet or a .csv file")
    return frame, release or source.stem


def _status(report: dict) -> int:
    """Exit status of a risk report: 1, with each reason on stderr, when a section could not be measured."""
    if not report["errors"]:
        return 0
    print(f"privacy-lab: {len(report['errors'])} measurement(s) could not be made: "
          f"{'; '.join(f'{k}: {v}' for k, v in report['errors'].items())}", file=sys.stderr)
    return EXIT_FAILED


def _cmd_risk(args: argparse.Namespace) -> int:
    import json

    from lab.attacks.report import format_risk_report, risk_report
    from lab.output import atomic_write, check_destination

    target = check_destination(args.json, option="--json", suffixes=(".json",)) if args.json else None
    if args.engine == "dask":
        from lab.engines.cluster import check_scheduler, dask_client

        check_scheduler(args.scheduler)
        path, name = _release_path(Path(args.dir), args.release, verify=not args.no_verify)
        with dask_client(args.scheduler, workers=args.workers):
            report = risk_report(path, name=name, hours=args.hours, rng=args.seed, sample=args.sample,
                                 progress=_progress(args), engine="dask")
    else:
        if args.scheduler is not None:
            raise InputError("--scheduler needs --engine dask")
        frame, name = _read_release(Path(args.dir), args.release)
        report = risk_report(frame, name=name, hours=args.hours, rng=args.seed, sample=args.sample,
                             progress=_progress(args))
    text = json.dumps(report, indent=2, allow_nan=False) + "\n"
    print(format_risk_report(report))
    if target is not None:
        with atomic_write(target, option="--json") as tmp:
            tmp.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    return _status(report)


def _cmd_report(args: argparse.Namespace) -> int:
    import pandas as pd

    from lab.attacks.report import risk_report
    from lab.output import check_destination
    from lab.report import report_html, write_report

    target = check_destination(args.output, option="-o", suffixes=HTML)
    tradeoff = None
    if args.tradeoff is not None:
        path = Path(args.tradeoff)
        if not path.is_file():
            raise InputError(f"--tradeoff {args.tradeoff!r}: no such file (write one with `privacy-lab tradeoff`)")
        try:
            tradeoff = pd.read_csv(path, keep_default_na=False, na_values=[""])
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(f"--tradeoff {args.tradeoff!r} is not a CSV table ({exc})") from None
        missing = {"mitigation", "setting", "unicity_p4", "heatmap_similarity", "on_frontier"} - set(tradeoff.columns)
        if missing:
            raise InputError(f"--tradeoff {args.tradeoff!r} lacks column(s) {', '.join(sorted(missing))}")
    source = Path(args.dir)
    frame, name = _read_release(source, args.release)
    report = risk_report(frame, name=name, hours=args.hours, rng=args.seed, progress=_progress(args))
    from lab.maps import heat_map
    from lab.store import read_manifest, read_table

    districts = origin = None
    if source.is_dir():  # the town's own map and grid origin
        districts = read_table(source, "districts")
        origin = _town_origin(read_manifest(source))
    where = heat_map(frame, districts=districts, name=name, origin=origin)  # where the records are, on our layers
    write_report(report_html(report, tradeoff=tradeoff, map_html=where.get_root().render()), target, option="-o")
    print(f"wrote {target}")
    return _status(report)


#: What the trade-off prints, by kind of row: traces protected, then counts published (the CSV has
#: every column, and ``kind`` says which rows are which).
TRADEOFF_COLUMNS = {
    "traces": ["mitigation", "setting", "unicity_p4", "unicity_p2", "linkage_top1", "rows_kept",
               "displacement_m", "heatmap_similarity", "home_error_m", "on_frontier"],
    "counts": ["mitigation", "setting", "membership_auc", "count_mae", "count_relative_large", "large_cells",
               "cells_published", "true_cells_published", "mass_on_empty"],
}


def _cmd_tradeoff(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from lab.attacks.traces import check_release
    from lab.experiments.counts import check_counts_release, counts_tradeoff
    from lab.experiments.tradeoff import tradeoff
    from lab.output import OutputError, atomic_write, check_destination
    from lab.store import read_manifest, read_table

    out = check_destination(args.out, option="--out", suffixes=(".csv",))
    plot = check_destination(args.plot, option="--plot", suffixes=(".png", ".svg", ".pdf")) if args.plot else None
    source = Path(args.dir)
    if source.is_file() and out.resolve() == source.resolve():
        raise OutputError(f"--out {args.out!r} is the release being read; choose another file")
    frame, _name = _read_release(source, args.release)
    places = bounds = origin = None
    if source.is_dir():  # the town's public map: its places, extent and grid origin
        places = read_table(source, "places")
        bounds = tuple(float(v) for v in read_table(source, "districts").total_bounds)
        origin = _town_origin(read_manifest(source))
    if args.pseudonyms is not None:
        rng = np.random.default_rng(args.seed)
        names = np.sort(frame["pseudonym"].unique())
        keep = rng.choice(names, size=min(args.pseudonyms, len(names)), replace=False)
        frame = frame[frame["pseudonym"].isin(keep)]
    check_release(frame)  # everything either runner needs, checked before any work
    if not args.no_aggregates:
        check_counts_release(frame)
    table = tradeoff(frame, places=places, origin=origin, targets=args.targets, rng=args.seed,
                     progress=_progress(args)).assign(kind="traces")
    if not args.no_aggregates:
        counts = counts_tradeoff(frame, origin=origin, bounds=bounds, rng=args.seed, progress=_progress(args))
        table = pd.concat([table, counts.assign(kind="counts")], ignore_index=True)
        table["on_frontier"] = table["on_frontier"].fillna(False).astype(bool)
    table = table[["kind"] + [c for c in table.columns if c != "kind"]]
    with atomic_write(out, option="--out") as tmp:
        table.to_csv(tmp, index=False)
        if plot is not None:
            from lab.plots import tradeoff_plot

            tradeoff_plot(table, plot)
    for kind, columns in TRADEOFF_COLUMNS.items():
        rows = table[table["kind"] == kind]
        if len(rows):
            shown = columns + (["error"] if (rows["error"] != "").any() else [])
            print(f"{'protected traces' if kind == 'traces' else 'published counts'}:")
            print(rows[[c for c in shown if c in rows.columns]].to_string(
                index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"wrote {out}")
    if plot is not None:
        print(f"wrote {plot}")
    failed = table[table["error"].astype(str) != ""]
    if len(failed):
        print(f"privacy-lab: {len(failed)} setting(s) with a measurement that could not be made: "
              + "; ".join(f"{r.mitigation} {r.setting}: {r.error}" for r in failed.itertuples()), file=sys.stderr)
        return EXIT_FAILED
    return 0


def _release_arguments(parser: argparse.ArgumentParser) -> None:
    """The release to read: a world's directory and a release name, or one file."""
    parser.add_argument("dir",
                        help="a generated world's directory, or a .parquet/.csv file with pseudonym, t, lat, lon")
    parser.add_argument("--release", choices=("gps", "cdr", "sightings", "checkins"), default=None,
                        help="which release of the world (required with a directory)")
    _verify_argument(parser)


def _verify_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-verify", action="store_true",
                        help="read the world even if its files no longer match manifest.json (edited on purpose)")


def _engine_arguments(parser: argparse.ArgumentParser, engine_help: str) -> None:
    """--engine, --scheduler and --workers: the same on every command that runs on Dask."""
    parser.add_argument("--engine", choices=ENGINES, default="local", help=f"{engine_help} (default: local)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="with --engine dask: an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                             "(default: a LocalCluster on this machine, stopped at the end)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: one per CPU); does not change the output")


def _quiet_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="privacy-lab",
        description="Generate a fictional town and its location-data releases, and measure what they give away.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    g = sub.add_parser("generate", help="generate a world: the town, its people, their visits and every release",
                       description="Generate a world and write one Parquet file per table plus manifest.json.")
    g.add_argument("scenario", nargs="?", default="classroom",
                   help="scenario name (classroom, town, surveillance_day) or path to a .toml file "
                        "(default: classroom)")
    g.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same files (default: 0)")
    g.add_argument("--out", required=True, help="output directory; must not exist or be empty")
    _engine_arguments(g, "where the blocks of people run: this machine's processes, or Dask (a LocalCluster, or "
                         "--scheduler); the files are the same")
    g.add_argument("--population", type=int, default=None, help="override the scenario's population")
    g.add_argument("--days", type=int, default=None, help="override the scenario's number of days")
    g.add_argument("--map", default=None, metavar="FILE.html", help="also write a map of the town to this file")
    g.add_argument("--no-realism", action="store_true", help="skip the realism table after generating")
    _quiet_argument(g)
    g.set_defaults(func=_cmd_generate)

    r = sub.add_parser("realism", help="compare a generated world with reference mobility statistics",
                       description="Print every realism statistic beside its reference band; "
                                   "exit 1 if one falls outside.")
    r.add_argument("dir", help="directory written by `privacy-lab generate`")
    _verify_argument(r)
    r.set_defaults(func=_cmd_realism)

    m = sub.add_parser("map", help="write an offline HTML map of a generated town",
                       description="Write a self-contained map: the town (districts, places, towers, cameras), "
                                   "one person (--person), a release as heat (--release NAME --heat), or the "
                                   "adversary's view (--release NAME --adversary PSEUDONYM); nothing is loaded "
                                   "from the network.")
    m.add_argument("dir", help="directory written by `privacy-lab generate`")
    m.add_argument("-o", "--output", required=True, metavar="FILE.html", help="HTML file to write")
    m.add_argument("--person", default=None, metavar="ID",
                   help="draw one person: their true stays beside what each release recorded about them")
    m.add_argument("--release", default=None, metavar="NAME", help="the release drawn by --heat or --adversary")
    m.add_argument("--heat", action="store_true", help="draw --release as a heat map")
    m.add_argument("--mitigation", default=None, metavar="snap_to_grid:CELL_M",
                   help="with --heat: the release before and after snapping to a grid of CELL_M metres, side by side")
    m.add_argument("--adversary", default=None, metavar="PSEUDONYM",
                   help="draw the adversary's view of this pseudonym of --release: its known points and the "
                        "candidates left after each")
    _verify_argument(m)
    m.set_defaults(func=_cmd_map)

    k = sub.add_parser("risk", help="re-identification risk report for one release",
                       description="Unicity for p = 1..5 at the release's native resolution and hourly bins, "
                                   "the location attack with 2 known places, (home, work) anonymity sets and top-N "
                                   "uniqueness. With --engine dask the release is read partition by partition on a "
                                   "Dask cluster and never loaded into one process.")
    _release_arguments(k)
    k.add_argument("--hours", type=float, default=1.0, help="width of the time bins in hours (default: 1)")
    k.add_argument("--seed", type=int, default=0, help="seed for the random choice of points (default: 0)")
    k.add_argument("--json", default=None, metavar="FILE.json", help="also write the numbers as JSON")
    k.add_argument("--sample", type=int, default=None, metavar="N",
                   help="measure unicity and the location attack on N targets drawn at random, as the paper did, "
                        "each still compared with every pseudonym (default: every pseudonym a target)")
    _engine_arguments(k, "where the measures run: in this process, or on Dask partition by partition (unicity and "
                         "the location attack, same answers; home/work and top-N need the local engine)")
    _quiet_argument(k)
    k.set_defaults(func=_cmd_risk)

    h = sub.add_parser("report", help="the risk report of one release as a self-contained HTML page",
                       description="Write one HTML page a data owner can read without Python: what was measured, "
                                   "unicity with intervals, anonymity sets, top-N uniqueness, the mitigations on "
                                   "the trade-off frontier (with --tradeoff), a map of the town, and the caveats.")
    _release_arguments(h)
    h.add_argument("-o", "--output", required=True, metavar="FILE.html", help="HTML file to write")
    h.add_argument("--tradeoff", default=None, metavar="FILE.csv",
                   help="a CSV from `privacy-lab tradeoff` on the same release: adds the best mitigations")
    h.add_argument("--hours", type=float, default=1.0, help="width of the time bins in hours (default: 1)")
    h.add_argument("--seed", type=int, default=0, help="seed for the random choice of points (default: 0)")
    _quiet_argument(h)
    h.set_defaults(func=_cmd_report)

    d = sub.add_parser("tradeoff", help="risk and utility of every mitigation at three strengths",
                       description="Apply each mitigation at three strengths to one release and write, per setting, "
                                   "unicity at p = 2 and 4, linkage re-identification and utility measures.")
    _release_arguments(d)
    d.add_argument("--out", required=True, metavar="FILE.csv", help="CSV to write, one row per (mitigation, setting)")
    d.add_argument("--plot", default=None, metavar="FILE.png", help="also draw risk against utility with the frontier")
    d.add_argument("--pseudonyms", type=int, default=None, help="evaluate a random subset of this many pseudonyms")
    d.add_argument("--targets", type=int, default=300, help="targets of the linkage adversary (default: 300)")
    d.add_argument("--seed", type=int, default=0, help="seed for sampling and noise (default: 0)")
    d.add_argument("--no-aggregates", action="store_true",
                   help="skip the counts settings (aggregation, suppression, differential privacy)")
    _quiet_argument(d)
    d.set_defaults(func=_cmd_tradeoff)

    from lab.db.commands import add_db_parser
    from lab.grading.commands import add_exercises_parser

    add_exercises_parser(sub)
    add_db_parser(sub)
    return parser


def _names_a_user_path(exc: OSError, args: argparse.Namespace) -> bool:
    """Whether ``exc`` concerns a path the user gave (or one above or below it), not one of the lab's own."""
    if exc.filename is None:
        return False
    failed = Path(os.path.abspath(os.fsdecode(exc.filename)))
    for attr in PATH_ARGUMENTS:
        value = getattr(args, attr, None)
        if value is not None:
            named = Path(os.path.abspath(value))
            if failed.is_relative_to(named) or named.is_relative_to(failed):
                return True
    return False


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        message = f"{exc.filename}: {exc.strerror}"
    else:
        message = str(exc)
    return " ".join(message.split())


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    0 when all went well; 1 when a check failed or a measurement could not be
    made (the output says which); 2 for bad input (one line on stderr naming
    the option, file or column; nothing written); 130 when interrupted. Any
    other exception is a bug and propagates with its traceback.
    """
    from lab.store import verification

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_numbers(args)
        with verification(not getattr(args, "no_verify", False)):
            return args.func(args)
    except KeyboardInterrupt:
        print("privacy-lab: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (`privacy-lab exercises list | head`)
        sys.stderr.close()
        return 0
    except InputError as exc:  # ScenarioError, ReleaseError, OutputError, IntegrityError...
        print(f"privacy-lab: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as exc:
        if not _names_a_user_path(exc, args):
            raise  # a file of the lab's own: a bug, not bad input
        print(f"privacy-lab: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
