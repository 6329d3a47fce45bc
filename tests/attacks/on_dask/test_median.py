"""Tests for lab.attacks.on_dask.median."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from lab.attacks.on_dask.median import exact_median


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1001, 50_000])
def test_the_median_is_numpy_s_bit_for_bit(n):
    """Odd and even counts, a third of the values tied at one point, spread over several partitions."""
    values = np.random.default_rng(n).normal(-48.5, 0.1, n)
    values[: n // 3] = -48.5
    frame = dd.from_pandas(pd.DataFrame({"lat": values}), npartitions=min(7, n))
    assert exact_median(frame, "lat") == np.median(values)


def test_one_repeated_value_and_no_values():
    """A constant column's median is that value; an empty column has none."""
    frame = dd.from_pandas(pd.DataFrame({"x": [2.5] * 9}), npartitions=3)
    assert exact_median(frame, "x") == 2.5
    with pytest.raises(ValueError, match="no values"):
        exact_median(dd.from_pandas(pd.DataFrame({"x": np.empty(0)}), npartitions=1), "x")
