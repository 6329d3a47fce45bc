"""A release as a Dask dataframe: read, checked and numbered as the in-memory engine numbers it.

One pass over the partitions (:func:`scan`) checks what :func:`lab.attacks.traces.check_release`
checks, gathers the few global facts the numbering needs (the sorted spatial units, the earliest
time bin, the sorted points) into a :class:`Codebook`, and finds out whether every pseudonym's
records sit in one partition. The risk engine needs that (a pseudonym's points are chosen, and its
instances enumerated, inside one task); a world written by ``privacy-lab generate`` has it (a
block of people is one part file), and any other release is shuffled on the pseudonym first.
Each later task numbers its own partition with the codebook (:func:`part_pairs`): the codes equal
:func:`lab.attacks.traces.encode`'s on the whole release.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from dask.sizeof import sizeof

from lab.attacks.instances import user_items
from lab.attacks.keyed import draw_key, keyed_hashes, label_hashes
from lab.attacks.on_dask.combine import merge_smallest, smallest_labels, tree
from lab.attacks.on_dask.median import exact_median
from lab.errors import ParameterError, ReleaseError
from lab.grid import Space, absolute_bins, origin_of_medians, tower_groups, unit_keys
from lab.params import check_whole
from lab.schema import RELEASE_COLUMNS

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["Codebook", "PartPairs", "Scan", "open_release", "read_release", "scan", "part_pairs", "among",
           "pairs_frame", "draw_pseudonyms", "sample_pseudonyms"]


def open_release(source) -> dd.DataFrame:
    """A release as a lazy Dask dataframe: a Parquet file, a folder of Parquet parts, or a dataframe as given."""
    import dask.dataframe as dd

    if isinstance(source, dd.DataFrame):
        return source
    path = Path(source)
    if not path.exists():
        raise ReleaseError(f"no release at {path}")
    return dd.read_parquet(str(path))


def read_release(source, *, space: Space | str) -> dd.DataFrame:
    """The columns of a release the risk engine reads, checked, as a Dask dataframe.

    Parameters
    ----------
    source : str, path or dask.dataframe.DataFrame
        A Parquet file or a folder of Parquet parts (one table), or a dataframe already built.
    space : Space or str
        The spatial resolution, which may need one more column (``tower_id``).

    Raises
    ------
    ReleaseError
        A missing column, or times without a time zone.
    """
    space = Space.parse(space) if isinstance(space, str) else space
    columns = list(RELEASE_COLUMNS) + ([space.column] if space.column and space.column not in RELEASE_COLUMNS else [])
    frame = open_release(source)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReleaseError(f"release is missing column(s) {', '.join(missing)}")
    if not isinstance(frame.dtypes["t"], pd.DatetimeTZDtype):
        raise ReleaseError(f"column 't' must hold timezone-aware timestamps, found {frame.dtypes['t']}; "
                           "use Series.dt.tz_localize with the data's zone")
    return frame[columns]


@dataclasses.dataclass(frozen=True)
class Codebook:
    """How to number one release's points, identically in every partition.

    Attributes
    ----------
    space : Space
    hours : float or None
    units : numpy.ndarray
        Sorted unit keys (column values or grid cells); a unit's code is its rank.
    groups : pandas.Series or None
        For merged towers: the group of each tower (the unit code).
    first_bin : int
        The release's earliest time bin (absolute), bin 0.
    n_bins : int
    points : numpy.ndarray
        Sorted point values (unit code × n_bins + bin); a point's code is its rank.
    """

    space: Space
    hours: float | None
    units: np.ndarray
    groups: pd.Series | None
    first_bin: int
    n_bins: int
    points: np.ndarray

    @property
    def n_items(self) -> int:
        return len(self.points)

    def unit_codes(self, keys: np.ndarray) -> np.ndarray:
        if self.groups is not None:
            return self.groups.reindex(keys).to_numpy().astype(np.int64)
        return self._unit_index.get_indexer(keys).astype(np.int64)  # a hash look-up: keys may be strings

    @functools.cached_property
    def _unit_index(self) -> pd.Index:
        return pd.Index(self.units)

    def items(self, part: pd.DataFrame) -> np.ndarray:
        """Point code of each row of ``part``."""
        keys = _raw_units(part, self.space)
        point = self.unit_codes(keys) * self.n_bins + (absolute_bins(part["t"], hours=self.hours) - self.first_bin)
        return np.searchsorted(self.points, point).astype(np.int64)


def _raw_units(part: pd.DataFrame, space: Space) -> np.ndarray:
    """Unit keys before numbering: tower ids for merged towers (grouped by the codebook)."""
    if space.kind == "merged":
        return part[space.column].to_numpy()
    return unit_keys(part, space)


@dataclasses.dataclass(frozen=True)
class _Summary:
    """What one or more partitions tell the scan."""

    rows: int
    missing: dict
    lat_ok: bool
    lon_ok: bool
    units: pd.DataFrame | None  # distinct (key, absolute bin); None for an empty partition
    towers: pd.DataFrame | None
    hashes: np.ndarray         # distinct pseudonym hashes
    pseudonyms: int            # sum over partitions of their distinct pseudonyms


def _summarise(part: pd.DataFrame, space: Space, hours: float | None) -> _Summary:
    lat, lon = part["lat"].to_numpy(dtype=float), part["lon"].to_numpy(dtype=float)
    missing = {c: int(part[c].isna().sum()) for c in part.columns}
    if any(missing.values()) or len(part) == 0:
        return _Summary(len(part), missing, True, True, None, None, np.empty(0, np.uint64), 0)
    units = pd.DataFrame({"key": _raw_units(part, space), "bin": absolute_bins(part["t"], hours=hours)})
    towers = part.drop_duplicates(space.column)[[space.column, "lat", "lon"]] if space.kind == "merged" else None
    hashes = np.unique(label_hashes(np.asarray(pd.unique(part["pseudonym"]), dtype=object)))
    return _Summary(len(part), missing, bool(np.isfinite(lat).all() and np.abs(lat).max() <= 90),
                    bool(np.isfinite(lon).all() and np.abs(lon).max() <= 180), units.drop_duplicates(), towers,
                    hashes, len(hashes))


def _merge_summaries(*parts: _Summary) -> _Summary:
    """Several partitions' summaries as one (in partition order: a tower's first position stays first)."""
    towers = [s.towers for s in parts if s.towers is not None]
    units = [s.units for s in parts if s.units is not None]
    missing = {c: sum(s.missing.get(c, 0) for s in parts) for c in parts[0].missing}
    return _Summary(sum(s.rows for s in parts), missing, all(s.lat_ok for s in parts), all(s.lon_ok for s in parts),
                    pd.concat(units, ignore_index=True).drop_duplicates() if units else None,
                    pd.concat(towers, ignore_index=True).drop_duplicates(towers[0].columns[0]) if towers else None,
                    np.unique(np.concatenate([s.hashes for s in parts])), sum(s.pseudonyms for s in parts))


@dataclasses.dataclass(frozen=True)
class Scan:
    """What :func:`scan` learns: the codebook, the size, and whether partitions hold whole pseudonyms."""

    codebook: Codebook
    rows: int
    pseudonyms: int
    whole: bool


def _median_origin(frame) -> tuple[float, float]:
    """:func:`lab.grid.grid_origin` of the release, from exact medians, after the checks it relies on."""
    import dask

    rows, lat_nan, lon_nan = dask.compute(frame.shape[0], frame["lat"].isna().sum(), frame["lon"].isna().sum())
    if rows == 0:
        raise ReleaseError("release is empty: there is nothing to attack")
    for col, n in (("lat", lat_nan), ("lon", lon_nan)):
        if n:
            raise ReleaseError(f"column {col!r} has {n} missing value(s)")
    return origin_of_medians(exact_median(frame, "lat"), exact_median(frame, "lon"))


def scan(frame, *, space: Space | str, hours: float | None, rng=0) -> Scan:
    """Check a release as :func:`lab.attacks.traces.check_release` does and build its :class:`Codebook`.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        From :func:`read_release`.
    space : Space or str
    hours : float or None
    rng : numpy.random.Generator, int or None
        Seeds the tower groups of a merged space, as in :func:`lab.attacks.traces.encode`.

    Raises
    ------
    ReleaseError
        Missing values, coordinates out of range, an empty release.
    ParameterError
        Exact coordinates (one unit per distinct coordinate pair: use the in-memory engine).

    A grid without an origin is anchored, as the in-memory engine anchors it, on the release's
    median point (:func:`lab.attacks.on_dask.median.exact_median`, two more passes).
    """
    import dask

    space = Space.parse(space) if isinstance(space, str) else space
    if space.kind == "exact":
        raise ParameterError("the Dask engine numbers towers, cameras, places, merged towers or grid cells, "
                             "not exact coordinates: pass a column, 'merged:COLUMN:N' or a grid with its origin")
    if space.kind == "grid" and space.origin is None:  # anchored as encode() anchors it: the exact median point
        space = dataclasses.replace(space, origin=_median_origin(frame))
    absolute_bins(pd.Series([], dtype="datetime64[ns, UTC]"), hours=hours)  # the hours, checked before any work
    whole = tree([dask.delayed(_summarise)(d, space, hours) for d in frame.to_delayed()], _merge_summaries).compute()
    if whole.rows == 0:
        raise ReleaseError("release is empty: there is nothing to attack")
    for col in frame.columns:
        if whole.missing.get(col, 0):
            raise ReleaseError(f"column {col!r} has {whole.missing[col]} missing value(s)")
    if not whole.lat_ok:
        raise ReleaseError("column 'lat' has values outside [-90, 90] degrees")
    if not whole.lon_ok:
        raise ReleaseError("column 'lon' has values outside [-180, 180] degrees")
    units = whole.units
    groups = None
    if space.kind == "merged":
        groups = tower_groups(whole.towers, column=space.column, factor=space.factor, rng=rng)["group"]
    keys = np.sort(pd.unique(units["key"].to_numpy()))
    first, last = int(units["bin"].min()), int(units["bin"].max())
    n_bins = last - first + 1
    book = Codebook(space, hours, keys, groups, first, n_bins, np.empty(0, np.int64))
    points = np.unique(book.unit_codes(units["key"].to_numpy()) * n_bins + (units["bin"].to_numpy() - first))
    book = dataclasses.replace(book, points=points)
    return Scan(book, whole.rows, len(whole.hashes), whole=len(whole.hashes) == whole.pseudonyms)


@dataclasses.dataclass(frozen=True)
class PartPairs:
    """One partition's distinct (pseudonym, point) pairs, numbered locally by pseudonym.

    ``u`` indexes ``labels`` (sorted), ``it`` is the global point code, ``c`` the records per pair;
    sorted by user, then point, as :func:`lab.attacks.instances.user_items` returns them.
    """

    labels: np.ndarray
    hashes: np.ndarray
    u: np.ndarray
    it: np.ndarray
    c: np.ndarray


@sizeof.register(PartPairs)
def _sizeof_pairs(pp: PartPairs) -> int:
    """What a partition's pairs weigh, so that Dask counts (and can spill) the memory they hold."""
    return int(sum(a.nbytes for a in (pp.hashes, pp.u, pp.it, pp.c)) + sizeof(list(pp.labels)))


def part_pairs(part: pd.DataFrame, book: Codebook, *, cap: int | None = None) -> PartPairs:
    """Number one partition with the codebook and reduce it to distinct (pseudonym, point) pairs."""
    user, labels = pd.factorize(part["pseudonym"], sort=True)
    u, it, c = user_items(user.astype(np.int64), book.items(part), cap=cap)
    labels = np.asarray(labels, dtype=object)
    return PartPairs(labels, label_hashes(labels), u, it, c)


def among(labels: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Whether each label is one of ``chosen`` (distinct labels), by hashing rather than sorting strings."""
    return pd.Index(chosen).get_indexer(labels) >= 0


def pairs_frame(part: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """The distinct (pseudonym, item) pairs of one partition as a frame (for joins)."""
    pp = part_pairs(part, book)
    return pd.DataFrame({"pseudonym": pp.labels[pp.u], "item": pp.it})


def _distinct_labels(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    labels = np.sort(np.asarray(pd.unique(part["pseudonym"].to_numpy(dtype=object)), dtype=object))
    return labels, label_hashes(labels)


def _smallest_in(part: pd.DataFrame, n: int, key: np.uint64) -> pd.DataFrame:
    return smallest_labels(*_distinct_labels(part), n, key=key)


def _keep_drawn(part: pd.DataFrame, key: np.uint64, last_hash: np.uint64, last_label: str) -> pd.DataFrame:
    labels = part["pseudonym"].to_numpy(dtype=object)
    h = keyed_hashes(key, label_hashes(labels))
    return part[(h < last_hash) | ((h == last_hash) & (labels <= last_label))]


def _drawn(frame, n: int, key: np.uint64) -> pd.DataFrame:
    """The ``n`` pseudonyms of smallest keyed hash (with their hashes), merged a few partitions at a time."""
    import dask

    offers = [dask.delayed(_smallest_in)(d, n, key) for d in frame.to_delayed()]
    return tree(offers, functools.partial(merge_smallest, n)).compute()


def draw_pseudonyms(frame: dd.DataFrame, n: int, *, rng=None) -> np.ndarray:
    """The sorted labels of ``n`` pseudonyms drawn as :func:`lab.attacks.traces.sample_pseudonyms` draws them."""
    n = check_whole(n, name="n", meaning="the number of pseudonyms to draw")
    return np.sort(_drawn(frame, n, draw_key(np.random.default_rng(rng)))["label"].to_numpy(dtype=object))


def sample_pseudonyms(frame: dd.DataFrame, n: int, *, rng=None) -> dd.DataFrame:
    """:func:`lab.attacks.traces.sample_pseudonyms` on a Dask dataframe: the same ``n`` pseudonyms for the same seed.

    Each partition offers its ``n`` smallest keyed hashes, merged a few partitions at a
    time; the ``n``-th smallest is the threshold every partition then filters its rows by.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
    n : int
        Pseudonyms to keep (all of them when the release has fewer).
    rng : numpy.random.Generator, int or None
    """
    n = check_whole(n, name="n", meaning="the number of pseudonyms to keep")
    key = draw_key(np.random.default_rng(rng))
    best = _drawn(frame, n, key)
    if len(best) < n:
        return frame
    last = best.iloc[-1]
    return frame.map_partitions(_keep_drawn, key, np.uint64(last["h"]), last["label"], meta=frame._meta)
