"""Tests for lab.mitigations.params."""

from __future__ import annotations

import math

import pytest

from lab.mitigations.params import (
    LeakWarning,
    check_delta,
    check_epsilon,
    check_k,
    check_positive,
    check_share,
)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "x", None])
def test_epsilon_must_be_positive(bad):
    """Zero, negative, NaN or non-numeric epsilon is refused with a sentence."""
    with pytest.raises(ValueError, match="epsilon must be"):
        check_epsilon(bad)


def test_epsilon_weak_or_off_warns():
    """A huge epsilon or infinity draws a LeakWarning; a sensible one passes silently."""
    with pytest.warns(LeakWarning, match="almost no protection"):
        assert check_epsilon(50) == 50.0
    with pytest.warns(LeakWarning, match="unprotected"):
        assert math.isinf(check_epsilon(float("inf")))
    assert check_epsilon(0.5) == 0.5


def test_delta_range_and_one_over_n():
    """delta must be in [0, 1) and one of at least 1/n warns."""
    with pytest.raises(ValueError, match="delta"):
        check_delta(1.0)
    with pytest.warns(LeakWarning, match="1/n"):
        check_delta(0.01, n=1000)
    assert check_delta(1e-9, n=1000) == 1e-9


def test_k_rules():
    """k below 1 is refused, k = 1 warns, k = 5 passes; booleans are not numbers of people."""
    with pytest.raises(ValueError, match="at least 1"):
        check_k(0)
    with pytest.raises(ValueError, match="whole number"):
        check_k(True)
    with pytest.warns(LeakWarning, match="hides no one"):
        check_k(1)
    assert check_k(5) == 5


def test_positive_and_share():
    """Positive numbers and shares are checked with their names in the message."""
    assert check_positive(2.5, name="cell_m") == 2.5
    with pytest.raises(ValueError, match="cell_m must be a positive number of metres"):
        check_positive(0, name="cell_m", unit="metres")
    with pytest.raises(ValueError, match="fraction is a share"):
        check_share(1.2, name="fraction")
