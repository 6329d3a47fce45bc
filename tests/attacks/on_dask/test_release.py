"""Tests for lab.attacks.on_dask.release."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lab.attacks.on_dask.release import part_pairs, read_release, scan
from lab.attacks.traces import encode
from lab.errors import ParameterError, ReleaseError
from lab.grid import Space


@pytest.mark.parametrize("space", ["tower_id", "merged:tower_id:3", "grid:700",
                                   Space("grid", cell_m=1000, origin=(-48.5, -123.0))])
@pytest.mark.parametrize("hours", [1.0, 4.0, None])
def test_partition_codes_equal_the_in_memory_encoding(cdr, whole_parts, client, space, hours):
    """Each partition numbers pseudonyms' points with the codes encode() gives on the whole release."""
    frame = read_release(whole_parts, space=space)
    book = scan(frame, space=space, hours=hours).codebook
    enc = encode(cdr, space=space, hours=hours)
    assert book.n_items == enc.n_items
    # A point is a function of where (tower, coordinates) and when: look each partition row up by those.
    where = [c for c in ("tower_id", "lat", "lon", "t") if c in frame.columns]
    want = cdr[where].assign(item=enc.item).drop_duplicates(where).set_index(where)["item"]
    for part in frame.to_delayed():
        part = part.compute()
        assert (want.loc[pd.MultiIndex.from_frame(part[where])].to_numpy() == book.items(part)).all()


def test_scan_tells_whole_pseudonyms_from_split_ones(whole_parts, split_parts, cdr, client):
    """Files holding whole pseudonyms are used as they are; rows cut across pseudonyms are noticed."""
    a = scan(read_release(whole_parts, space="tower_id"), space="tower_id", hours=1.0)
    b = scan(read_release(split_parts, space="tower_id"), space="tower_id", hours=1.0)
    assert a.whole and not b.whole
    assert a.rows == b.rows == len(cdr) and a.pseudonyms == b.pseudonyms == cdr["pseudonym"].nunique()


def test_pairs_are_distinct_and_count_records(cdr, whole_parts, client):
    """A partition's pairs are its distinct (pseudonym, point) pairs with their record counts."""
    frame = read_release(whole_parts, space="tower_id")
    book = scan(frame, space="tower_id", hours=1.0).codebook
    part = frame.to_delayed()[0].compute()
    pp = part_pairs(part, book)
    assert pp.c.sum() == len(part) and len(np.unique(pp.u * book.n_items + pp.it)) == len(pp.u)


def test_exact_points_are_refused(whole_parts, client):
    """The Dask engine refuses exact coordinates, before reading rows."""
    with pytest.raises(ParameterError, match="exact"):
        scan(read_release(whole_parts, space="tower_id"), space="exact", hours=1.0)


def test_bad_releases_are_refused_naming_the_problem(cdr, tmp_path, client):
    """A missing column, a missing value, tz-naive times and a missing path each get their own message."""
    cdr.drop(columns="tower_id").to_parquet(tmp_path / "a.parquet")
    with pytest.raises(ReleaseError, match="tower_id"):
        read_release(tmp_path / "a.parquet", space="tower_id")
    cdr.assign(t=cdr["t"].dt.tz_localize(None)).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(ReleaseError, match="timezone"):
        read_release(tmp_path / "b.parquet", space="tower_id")
    cdr.assign(lat=np.where(np.arange(len(cdr)) == 3, np.nan, cdr["lat"])).to_parquet(tmp_path / "c.parquet")
    with pytest.raises(ReleaseError, match="'lat' has 1 missing"):
        scan(read_release(tmp_path / "c.parquet", space="tower_id"), space="tower_id", hours=1.0)
    with pytest.raises(ReleaseError, match="no release"):
        read_release(tmp_path / "none", space="tower_id")


@pytest.mark.parametrize("n", [1, 37, 10_000])
def test_a_population_drawn_on_dask_is_the_in_memory_draw(cdr, split_parts, client, n):
    """The same n pseudonyms for the same seed, even when files cut pseudonyms in two; all of them when n is large."""
    from lab.attacks.on_dask.release import sample_pseudonyms as dask_sample
    from lab.attacks.traces import sample_pseudonyms

    got = dask_sample(read_release(split_parts, space="tower_id"), n, rng=8)["pseudonym"].unique().compute()
    want = sample_pseudonyms(cdr, n, rng=8)["pseudonym"].unique()
    assert sorted(got) == sorted(want) and len(want) == min(n, cdr["pseudonym"].nunique())


def test_empty_partitions_change_nothing(cdr, whole_parts, tmp_path, client):
    """A release whose files include an empty one scans to the same codebook."""
    folder = tmp_path / "with_empty"
    folder.mkdir()
    for i, f in enumerate(sorted(whole_parts.iterdir())):
        (folder / f"part-{i:05d}.parquet").write_bytes(f.read_bytes())
    cdr.iloc[:0].to_parquet(folder / "part-99999.parquet", index=False)
    a = scan(read_release(whole_parts, space="tower_id"), space="tower_id", hours=1.0)
    b = scan(read_release(folder, space="tower_id"), space="tower_id", hours=1.0)
    assert (a.codebook.points == b.codebook.points).all() and b.codebook.points.dtype == np.int64
    assert (a.rows, a.pseudonyms, a.whole) == (b.rows, b.pseudonyms, b.whole)


def test_dask_counts_the_memory_a_partition_s_pairs_hold(cdr, whole_parts, client):
    """Dask's sizeof of a partition's pairs is at least the bytes of its arrays, so workers can spill them."""
    from dask.sizeof import sizeof

    frame = read_release(whole_parts, space="tower_id")
    book = scan(frame, space="tower_id", hours=1.0).codebook
    pp = part_pairs(frame.to_delayed()[0].compute(), book)
    assert sizeof(pp) >= pp.u.nbytes + pp.it.nbytes + pp.c.nbytes + pp.hashes.nbytes > 0
