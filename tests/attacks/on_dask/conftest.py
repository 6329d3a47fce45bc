"""A LocalCluster and the classroom's CDR written as Parquet parts, shared by the Dask engine's tests."""

from __future__ import annotations

import numpy as np
import pytest

from lab.engines.cluster import dask_client


@pytest.fixture(scope="session")
def client():
    """A LocalCluster of two worker processes, for the whole session."""
    with dask_client(workers=2) as c:
        yield c


def write_parts(frame, folder, *, parts: int, whole: bool):
    """``frame`` as ``parts`` Parquet files: whole pseudonyms per file, or rows cut in order (pseudonyms split)."""
    folder.mkdir()
    if whole:
        labels = np.sort(frame["pseudonym"].unique())
        group = np.searchsorted(labels, frame["pseudonym"].to_numpy()) * parts // len(labels)
        chunks = [frame[group == g] for g in range(parts)]
    else:
        chunks = [frame.iloc[rows] for rows in np.array_split(np.arange(len(frame)), parts)]
    for i, chunk in enumerate(chunks):
        chunk.to_parquet(folder / f"part-{i:05d}.parquet", index=False)
    return folder


@pytest.fixture(scope="session")
def cdr(classroom):
    """The classroom world's CDR release in memory."""
    return classroom.table("cdr")


@pytest.fixture(scope="session")
def whole_parts(cdr, tmp_path_factory):
    """The CDR in 4 files, each holding whole pseudonyms (as a generated world's blocks do)."""
    return write_parts(cdr, tmp_path_factory.mktemp("cdr") / "whole", parts=4, whole=True)


@pytest.fixture(scope="session")
def split_parts(cdr, tmp_path_factory):
    """The CDR cut into 3 files by row, so some pseudonyms span files."""
    return write_parts(cdr, tmp_path_factory.mktemp("cdr") / "split", parts=3, whole=False)
