"""Tests for lab.attacks.unicity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.attacks.traces import encode
from lab.attacks.unicity import fit_coarsening_law, unicity, unicity_sweep, unique_by_points

BASE = pd.Timestamp("2031-03-03", tz="UTC")


def _release(rows):
    """rows: (pseudonym, hour, tower)."""
    return pd.DataFrame({"pseudonym": [r[0] for r in rows],
                         "t": [BASE + pd.Timedelta(hours=r[1]) for r in rows],
                         "lat": [0.0] * len(rows), "lon": [0.0] * len(rows),
                         "tower_id": [f"tw{r[2]}" for r in rows]})


def test_obvious_unicity():
    """Two twins sharing every point are never unique; a loner always is."""
    rows = [("a", 1, 1), ("a", 2, 2), ("b", 1, 1), ("b", 2, 2), ("c", 1, 1), ("c", 5, 3)]
    r = unicity(_release(rows), p=2, space="tower_id", hours=1, rng=0)
    assert r.unique.to_dict() == {"a": False, "b": False, "c": True}
    assert r.share == pytest.approx(1 / 3) and r.n == 3 and r.skipped == 0


def test_time_resolution_matters():
    """The same towers at different hours are distinct points, but not with hours=None."""
    rows = [("a", 1, 1), ("b", 3, 1)]
    assert unicity(_release(rows), p=1, space="tower_id", hours=1, rng=0).share == 1.0
    assert unicity(_release(rows), p=1, space="tower_id", hours=None, rng=0).share == 0.0


def test_short_traces_skipped_or_refused():
    """Traces with fewer than p distinct points are counted as skipped, or refused on request."""
    rows = [("a", 1, 1), ("a", 2, 2), ("b", 1, 1)]
    r = unicity(_release(rows), p=2, space="tower_id", rng=0)
    assert (r.n, r.skipped) == (1, 1)
    with pytest.raises(ValueError, match="p=2 exceeds the distinct points of 1 trace"):
        unicity(_release(rows), p=2, space="tower_id", short="raise", rng=0)
    with pytest.raises(ValueError, match="exceeds every trace"):
        unicity(_release(rows), p=3, space="tower_id", rng=0)


def test_rare_strategy_is_the_adversarys_best():
    """Choosing the rarest points singles out at least as many pseudonyms as choosing the most frequent."""
    rng = np.random.default_rng(3)
    rows = [(f"u{u}", int(h), int(rng.integers(0, 4 if h % 2 else 40)))
            for u in range(60) for h in rng.integers(0, 48, 12)]
    rel = _release(rows)
    rare = unicity(rel, p=2, space="tower_id", strategy="rare", rng=1).share
    freq = unicity(rel, p=2, space="tower_id", strategy="frequent", rng=1).share
    assert rare >= freq


def test_bootstrap_interval_brackets_share():
    """The bootstrap interval contains the share and narrows with more pseudonyms."""
    rng = np.random.default_rng(5)
    rows = [(f"u{u}", int(h), int(rng.integers(0, 6))) for u in range(400) for h in rng.integers(0, 24, 5)]
    r = unicity(_release(rows), p=2, space="tower_id", rng=2)
    assert r.low <= r.share <= r.high and 0 < r.high - r.low < 0.2


def test_sampling_evaluates_that_many():
    """sample= evaluates the requested number of pseudonyms."""
    rows = [(f"u{u}", h, u % 7) for u in range(50) for h in range(3)]
    assert unicity(_release(rows), p=2, space="tower_id", sample=10, rng=0).n == 10


def _brute(points: dict[str, set], chosen: dict[str, tuple]) -> dict[str, int]:
    return {u: sum(set(c) <= points[v] for v in points) for u, c in chosen.items()}


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from([f"u{i}" for i in range(10)]),
                       st.sets(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=6),
                       min_size=1, max_size=10),
       st.integers(1, 3), st.integers(0, 10_000))
def test_holder_counts_match_brute_force(points, p, seed):
    """For the points each pseudonym drew, the number of traces holding them all equals a direct count."""
    rows = [(u, h, tw) for u, pts in points.items() for h, tw in pts]
    enc = encode(_release(rows), space="tower_id", hours=1)
    who, holders, chosen = unique_by_points(enc, p, rng=seed, return_points=True)
    items: dict[int, set] = {}
    for u, it in zip(enc.user.tolist(), enc.item.tolist()):
        items.setdefault(u, set()).add(it)
    assert set(who.tolist()) == {u for u, s in items.items() if len(s) >= p}
    ref = _brute(items, {int(w): tuple(c) for w, c in zip(who, chosen)})
    assert dict(zip(who.tolist(), holders.tolist())) == ref
    assert all(set(c) <= items[int(w)] and len(set(c)) == p for w, c in zip(who, chosen))


def test_sweep_and_coarsening_law():
    """A sweep over hours gives one row per (space, hours, p) and a positive coarsening exponent."""
    rng = np.random.default_rng(1)
    rows = [(f"u{u}", int(h), int(rng.integers(0, 30))) for u in range(300) for h in rng.integers(0, 24 * 7, 20)]
    sweep = unicity_sweep(_release(rows), ps=(2, 3), spaces=("tower_id",), hours=(1, 4, 12), rng=0)
    assert len(sweep) == 6 and sweep["share"].between(0, 1).all()
    law = fit_coarsening_law(sweep)
    assert set(law["p"]) == {2, 3} and (law["exponent"] > 0).all()


def test_p_must_be_positive():
    """p below 1 is refused."""
    with pytest.raises(ValueError, match="p is the number of points"):
        unique_by_points(encode(_release([("a", 1, 1)]), space="tower_id"), 0)


def test_classroom_unicity_rises_with_p(classroom):
    """On the classroom CDR at towers × hours, more known points single out more pseudonyms."""
    cdr = classroom.releases["cdr"]
    shares = [unicity(cdr, p=p, space="tower_id", hours=1, rng=0).share for p in (1, 2, 4)]
    assert shares[0] < shares[1] < shares[2] and shares[2] > 0.8


def test_coarsening_law_recovers_known_parameters():
    """Data following ε = 1.9 − (v·h)^0.12 give back α = 1.9 and β = 0.12."""
    scale = np.array([1, 2, 4, 8, 16, 32, 64], dtype=float)
    sweep = pd.DataFrame({"p": 4, "scale": scale * 3, "share": 1.9 - scale ** 0.12})
    law = fit_coarsening_law(sweep).iloc[0]
    assert law["exponent"] == pytest.approx(0.12, abs=1e-4) and law["alpha"] == pytest.approx(1.9, abs=1e-4)
    assert law["power_exponent"] > law["exponent"]  # a plain power law would overstate the decay


@pytest.mark.parametrize(("option", "bad"), [("p", True), ("p", 0), ("p", 2.0), ("p", "4"), ("n_boot", 0),
                                         ("n_boot", False), ("sample", 0), ("sample", 1.5), ("level", 1.0),
                                         ("level", True)])
def test_whole_number_options_refused_by_name(option, bad):
    """p, n_boot, sample and level that make no sense are refused with a sentence naming the option."""
    rows = [("a", 1, 1), ("a", 2, 2), ("b", 1, 1), ("b", 3, 2)]
    with pytest.raises(ValueError, match=rf"^{option} is .* must be"):
        unicity(_release(rows), space="tower_id", rng=0, **{"p": 1, option: bad})


def test_numpy_integers_accepted():
    """numpy integers are whole numbers: p, n_boot and sample may be numpy ints."""
    rows = [("a", 1, 1), ("a", 2, 2), ("b", 1, 1), ("b", 3, 2)]
    r = unicity(_release(rows), p=np.int64(2), n_boot=np.int32(10), sample=np.int64(2), space="tower_id", rng=0)
    assert (r.p, r.n) == (2, 2) and isinstance(r.p, int)


def test_sweep_checks_every_p():
    """A sweep refuses a bad p before measuring anything, naming ps."""
    rows = [("a", 1, 1), ("a", 2, 2), ("b", 1, 1)]
    with pytest.raises(ValueError, match="each p in ps"):
        unicity_sweep(_release(rows), ps=(1, True), spaces=("tower_id",))
