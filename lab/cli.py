"""The ``privacy-lab`` command.

::

    privacy-lab generate [SCENARIO] --seed N --out DIR [--map FILE.html]
    privacy-lab realism DIR
    privacy-lab map DIR -o FILE.html
    privacy-lab risk DIR --release cdr [--json FILE]
    privacy-lab tradeoff DIR --release gps --out FILE.csv [--plot FILE.png]

Bad input (an unknown scenario or key, an impossible value, an output directory
that is not empty or not writable) gets one line naming the problem and exit
status 2; nothing is left half-written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

__all__ = ["main"]

EXIT_USAGE = 2


class _Progress:
    """Block progress on stderr: a rewritten line on a terminal, a line per tenth otherwise."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.t0 = time.perf_counter()
        self.shown = -1

    def __call__(self, done: int, total: int, people: int) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.t0
        line = f"{self.label}: block {done}/{total}, {people:,} people, {elapsed:.1f} s"
        if self.tty:
            print("\r" + line, end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done * 10 // total > self.shown or done == total:
            self.shown = done * 10 // total
            print(line, file=sys.stderr, flush=True)


def _realism(root: Path):
    from lab.metrics.realism import realism_for_world

    return realism_for_world(root)


def _cmd_generate(args: argparse.Namespace) -> int:
    from lab.synth.scenario import load_scenario
    from lab.world import write_world

    overrides = {k: v for k, v in (("population", args.population), ("days", args.days)) if v is not None}
    scenario = load_scenario(args.scenario, **overrides)
    if args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.map is not None:
        _check_html_target(args.map)
    out = Path(args.out)
    progress = _Progress(f"generating {scenario.name}", not args.quiet)
    manifest = write_world(scenario, args.seed, out, workers=args.workers, progress=progress)
    rows = manifest["rows"]
    print(f"wrote {out} in {manifest['seconds']:.1f} s: "
          + ", ".join(f"{name} {rows[name]:,}" for name in manifest["tables"]))
    if not args.no_realism:
        from lab.metrics.realism import format_realism_table

        table = _realism(out)
        print(format_realism_table(table))
        if not bool(table["ok"].all()):
            print("note: the bands are set for a town-sized world over a few weeks (the `town` scenario); "
                  "a smaller or shorter world can miss some of them")
    if args.map is not None:
        _write_map(out, Path(args.map))
    return 0


def _check_html_target(path: str) -> None:
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"map file {path!r} must end in .html")
    if target.exists() and target.is_dir():
        raise ValueError(f"map file {path!r} is a directory")


def _write_map(root: Path, target: Path) -> None:
    from lab.maps import town_map, write_map
    from lab.store import read_table

    m = town_map(read_table(root, "districts"), read_table(root, "places"),
                 towers=read_table(root, "towers"), cameras=read_table(root, "cameras"))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_map(m, target)
    print(f"wrote map {target}")


def _cmd_realism(args: argparse.Namespace) -> int:
    from lab.metrics.realism import format_realism_table

    table = _realism(Path(args.dir))
    print(format_realism_table(table))
    return 0 if bool(table["ok"].all()) else 1


def _cmd_map(args: argparse.Namespace) -> int:
    _check_html_target(args.output)
    from lab.store import read_manifest

    read_manifest(args.dir)
    _write_map(Path(args.dir), Path(args.output))
    return 0


def _read_release(source: Path, release: str | None):
    """A release from a generated world (DIR + name) or from one Parquet/CSV file."""
    import pandas as pd

    from lab.store import read_manifest, read_table

    if source.is_dir():
        if release is None:
            raise ValueError("--release is required with a world directory (gps, cdr, sightings or checkins)")
        manifest = read_manifest(source)
        if release not in manifest["tables"]:
            raise ValueError(f"{str(source)!r} has no {release!r} release; it has "
                             f"{', '.join(t for t in manifest['tables'] if t in ('gps', 'cdr', 'sightings', 'checkins'))}")
        return read_table(source, release), release
    if not source.exists():
        raise FileNotFoundError(2, "no such file or directory", str(source))
    if source.suffix == ".parquet":
        frame = pd.read_parquet(source)
    elif source.suffix == ".csv":
        frame = pd.read_csv(source)
        if "t" in frame.columns:
            try:
                frame["t"] = pd.to_datetime(frame["t"], format="ISO8601")
            except (ValueError, TypeError) as exc:
                raise ValueError(f"column 't' of {source.name} does not hold timestamps ({exc})") from None
    else:
        raise ValueError(f"{source.name}: expected a world directory, a .parquet or a .csv file")
    return frame, release or source.stem


def _cmd_risk(args: argparse.Namespace) -> int:
    import json
    import os
    import tempfile

    from lab.attacks.report import format_risk_report, risk_report

    frame, name = _read_release(Path(args.dir), args.release)
    report = risk_report(frame, name=name, hours=args.hours, rng=args.seed)
    print(format_risk_report(report))
    if args.json:
        target = Path(args.json)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
        os.replace(tmp, target)
        print(f"wrote {target}")
    return 0


def _cmd_tradeoff(args: argparse.Namespace) -> int:
    import os
    import tempfile

    import numpy as np

    import pandas as pd

    from lab.metrics.tradeoff import aggregate_tradeoff, tradeoff
    from lab.store import read_table

    out = Path(args.out)
    if out.suffix.lower() != ".csv":
        raise ValueError(f"--out {args.out!r} must end in .csv")
    if args.plot is not None and Path(args.plot).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"--plot {args.plot!r} must end in .png, .svg or .pdf")
    frame, name = _read_release(Path(args.dir), args.release)
    places = bounds = None
    if Path(args.dir).is_dir():
        places = read_table(args.dir, "places")
        bounds = tuple(float(v) for v in read_table(args.dir, "districts").total_bounds)
    if args.pseudonyms is not None:
        if args.pseudonyms < 1:
            raise ValueError(f"--pseudonyms must be at least 1, got {args.pseudonyms}")
        rng = np.random.default_rng(args.seed)
        names = np.sort(frame["pseudonym"].unique())
        keep = rng.choice(names, size=min(args.pseudonyms, len(names)), replace=False)
        frame = frame[frame["pseudonym"].isin(keep)]
    report = (lambda line: print(line, file=sys.stderr, flush=True)) if not args.quiet else None
    table = tradeoff(frame, places=places, targets=args.targets, rng=args.seed, progress=report)
    if not args.no_aggregates:
        counts = aggregate_tradeoff(frame, bounds=bounds, rng=args.seed)
        table = pd.concat([table, counts], ignore_index=True)
        table["on_frontier"] = table["on_frontier"].fillna(False).astype(bool)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        table.to_csv(fh, index=False)
    os.replace(tmp, out)
    columns = ["mitigation", "setting", "unicity_p2", "unicity_p4", "linkage_top1", "rows_kept",
               "displacement_m", "heatmap_similarity", "home_error_m", "membership_auc", "count_mae", "on_frontier"]
    shown = table[[c for c in columns if c in table.columns]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"wrote {out}")
    if args.plot:
        from lab.plots import tradeoff_plot

        print(f"wrote {tradeoff_plot(table, args.plot)}")
    return 0


def _release_arguments(parser: argparse.ArgumentParser) -> None:
    """The release to read: a world's directory and a release name, or one file."""
    parser.add_argument("dir", help="a generated world's directory, or a .parquet/.csv file with pseudonym, t, lat, lon")
    parser.add_argument("--release", choices=("gps", "cdr", "sightings", "checkins"), default=None,
                        help="which release of the world (required with a directory)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="privacy-lab",
        description="Generate a fictional town and its location-data releases, and measure what they give away.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    g = sub.add_parser("generate", help="generate a world: the town, its people, their visits and every release",
                       description="Generate a world and write one Parquet file per table plus manifest.json.")
    g.add_argument("scenario", nargs="?", default="classroom",
                   help="scenario name (classroom, town, surveillance_day) or path to a .toml file (default: classroom)")
    g.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same files (default: 0)")
    g.add_argument("--out", required=True, help="output directory; must not exist or be empty")
    g.add_argument("--workers", type=int, default=None, help="worker processes (default: one per CPU); does not change the output")
    g.add_argument("--population", type=int, default=None, help="override the scenario's population")
    g.add_argument("--days", type=int, default=None, help="override the scenario's number of days")
    g.add_argument("--map", default=None, metavar="FILE.html", help="also write a map of the town to this file")
    g.add_argument("--no-realism", action="store_true", help="skip the realism table after generating")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    g.set_defaults(func=_cmd_generate)

    r = sub.add_parser("realism", help="compare a generated world with reference mobility statistics",
                       description="Print every realism statistic beside its reference band; exit 1 if one falls outside.")
    r.add_argument("dir", help="directory written by `privacy-lab generate`")
    r.set_defaults(func=_cmd_realism)

    m = sub.add_parser("map", help="write an offline HTML map of a generated town",
                       description="Write a self-contained map (districts, places, towers, cameras); no tile server needed.")
    m.add_argument("dir", help="directory written by `privacy-lab generate`")
    m.add_argument("-o", "--output", required=True, metavar="FILE.html", help="HTML file to write")
    m.set_defaults(func=_cmd_map)

    k = sub.add_parser("risk", help="re-identification risk report for one release",
                       description="Unicity for p = 1..5 at the release's native resolution and hourly bins, "
                                   "(home, work) anonymity sets and top-N uniqueness.")
    _release_arguments(k)
    k.add_argument("--hours", type=float, default=1.0, help="width of the time bins in hours (default: 1)")
    k.add_argument("--seed", type=int, default=0, help="seed for the random choice of points (default: 0)")
    k.add_argument("--json", default=None, metavar="FILE", help="also write the numbers as JSON")
    k.set_defaults(func=_cmd_risk)

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
    d.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    d.set_defaults(func=_cmd_tradeoff)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "workers", None) is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("privacy-lab: interrupted; nothing was written", file=sys.stderr)
        return 130
    except (ValueError, OSError) as exc:  # ScenarioError, OutputError, missing files...
        message = str(exc) if not isinstance(exc, FileNotFoundError) or not exc.filename else f"{exc.strerror}: {exc.filename}"
        print(f"privacy-lab: error: {message}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
