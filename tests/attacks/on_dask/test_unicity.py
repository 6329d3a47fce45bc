"""Tests for lab.attacks.on_dask.unicity: the in-memory engine's answers, partition by partition."""

from __future__ import annotations

import pytest

from lab.attacks.on_dask.unicity import unicity as dask_unicity
from lab.attacks.unicity import TracesTooShort, unicity


def same(a, b):
    return (a.share, a.low, a.high, a.n, a.skipped) == (b.share, b.low, b.high, b.n, b.skipped) and a.unique.equals(
        b.unique)


@pytest.mark.parametrize("strategy", ["random", "frequent", "rare"])
@pytest.mark.parametrize("sample", [None, 60])
def test_every_strategy_and_sampling_equal_the_in_memory_engine(cdr, whole_parts, client, strategy, sample):
    """ε_3 with each way of choosing points, for every pseudonym (shuffled joins) and sampled targets (broadcast)."""
    kw = {"p": 3, "space": "tower_id", "hours": 1.0, "strategy": strategy, "sample": sample, "rng": 11}
    assert same(dask_unicity(whole_parts, **kw), unicity(cdr, **kw))


@pytest.mark.parametrize("p", [1, 2, 5])
def test_each_p_equals_the_in_memory_engine_on_split_files(cdr, split_parts, client, p):
    """Files that cut pseudonyms in two are shuffled on the pseudonym first; the answer does not move."""
    kw = {"p": p, "space": "merged:tower_id:3", "hours": 2.0, "rng": 4}
    assert same(dask_unicity(split_parts, **kw), unicity(cdr, **kw))


def test_a_p_beyond_every_trace_is_refused_as_in_memory(cdr, whole_parts, client):
    """When no trace has p distinct points both engines raise TracesTooShort with the longest trace."""
    with pytest.raises(TracesTooShort) as local:
        unicity(cdr, p=10_000, space="tower_id")
    with pytest.raises(TracesTooShort) as remote:
        dask_unicity(whole_parts, p=10_000, space="tower_id")
    assert local.value.longest == remote.value.longest > 0
