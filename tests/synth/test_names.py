"""Tests for lab.synth.names."""

from __future__ import annotations

import numpy as np
import pytest

from lab.synth.names import name_tables, sample


def test_tables_are_weighted_probabilities():
    """Faker's name tables load with weights that sum to one."""
    t = name_tables()
    for words, p in ((t.first_female, t.first_female_p), (t.first_male, t.first_male_p), (t.last, t.last_p)):
        assert len(words) == len(p) > 100 and p.sum() == pytest.approx(1.0)


def test_sample_follows_weights_and_seed():
    """Sampling follows the weights and is reproducible from the rng."""
    words = np.array(["a", "b"], dtype=object)
    p = np.array([0.9, 0.1])
    draws = sample(words, p, 20_000, np.random.default_rng(0))
    assert abs((draws == 0).mean() - 0.9) < 0.01
    assert np.array_equal(draws, sample(words, p, 20_000, np.random.default_rng(0)))
    assert set(sample(words, None, 100, np.random.default_rng(1))) == {0, 1}
