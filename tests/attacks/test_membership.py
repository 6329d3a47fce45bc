"""Tests for lab.attacks.membership."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.attacks.membership import (
    aggregate_groups,
    auc,
    draw_groups,
    membership_auc,
    membership_game,
    publish_groups,
    user_series,
)
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.suppress import suppress_small_counts

T0 = pd.Timestamp("2031-03-03 00:00", tz="Etc/GMT+8")
GRID = {"cell_m": 1000.0, "slot_s": 3600}
ORIGIN = (-48.5, -123.0)


def _release(points: list[tuple[str, int, int]]) -> pd.DataFrame:
    """A release from (pseudonym, hour, place) triples; places are 2.2 km apart, one per 1 km cell."""
    who, hour, place = zip(*points)
    place = np.asarray(place)
    return pd.DataFrame({"pseudonym": list(who), "t": T0 + pd.to_timedelta(np.asarray(hour) * 3600 + 600, unit="s"),
                         "lat": -48.5 + 0.02 * place, "lon": np.full(len(place), -123.0)})


@pytest.fixture(scope="module")
def crowd_with_loner() -> pd.DataFrame:
    """Twenty users milling about places 0-2 in hours 0-5; ``target`` also alone at place 5, hour 9."""
    rng = np.random.default_rng(0)
    points = [(f"u{i:02d}", int(h), int(p)) for i in range(20)
              for h, p in zip(rng.integers(0, 6, 3), rng.integers(0, 3, 3))]
    points += [("target", 1, 0), ("target", 2, 1), ("target", 9, 5)]
    return _release(points)


@pytest.fixture(scope="module")
def clones() -> pd.DataFrame:
    """Ten users with exactly the same trace."""
    return _release([(f"c{i}", h, p) for i in range(10) for h, p in ((0, 0), (3, 1), (7, 2))])


def test_user_series_is_presence_per_cell_and_slot(crowd_with_loner):
    """Each row is 0/1 over cell-major (cell, slot) columns; the target's three points are three columns."""
    series = user_series(crowd_with_loner, **GRID)
    matrix, pseudonyms, columns = series
    assert matrix.shape == (21, len(columns)) == (21, series.n_cells * series.n_slots)
    assert set(np.unique(matrix.toarray())) <= {0.0, 1.0}
    assert list(pseudonyms) == sorted(pseudonyms)
    row = list(pseudonyms).index("target")
    hit = columns.iloc[matrix[row].indices]
    assert sorted(hit["slot"]) == [1, 2, 9]
    assert (columns["cell"].to_numpy().reshape(series.n_cells, series.n_slots)[:, 0].tolist()
            == sorted(set(columns["cell"])))


def test_aggregates_match_count_by_cell(crowd_with_loner):
    """A group's aggregate equals count_by_cell on the group's part of the release."""
    origin, start = (-48.5, -123.0), T0
    series = user_series(crowd_with_loner, **GRID, origin=origin, start=start)
    group = np.array([[0, 3, 7, 20]])
    counts = aggregate_groups(series, group)[0]
    part = crowd_with_loner[crowd_with_loner["pseudonym"].isin(series.pseudonyms[group[0]])]
    expected = count_by_cell(part, **GRID, origin=origin, start=start)
    got = series.columns[counts > 0].assign(count=counts[counts > 0].astype(np.int64))
    pd.testing.assert_frame_equal(got.sort_values(["slot", "cell"]).reset_index(drop=True),
                                  expected.reset_index(drop=True), check_dtype=False)


def test_draw_groups_balanced_distinct_and_target_only_where_labelled():
    """Half the groups hold the target, the others do not; members are distinct."""
    members, labels = draw_groups(50, 7, group_size=10, n=31, rng=1)
    assert members.shape == (31, 10) and labels.sum() == 15
    assert ((members == 7).any(axis=1) == (labels == 1)).all()
    ordered = np.sort(members, axis=1)
    assert (ordered[:, 1:] != ordered[:, :-1]).all()


@pytest.mark.parametrize("method", ["correlation", "logistic"])
def test_unique_cell_slot_gives_auc_one(crowd_with_loner, method):
    """A target alone in one cell and slot is always spotted in small groups."""
    series = user_series(crowd_with_loner, **GRID)
    result = membership_game(series, "target", group_size=3, n_train=60, n_test=60, method=method, rng=2)
    assert result.auc == 1.0
    assert result.scores.shape == result.labels.shape == (60,)


@pytest.mark.parametrize("method", ["correlation", "logistic"])
def test_identical_users_give_auc_one_half(clones, method):
    """When everyone has the same trace the aggregates are identical: a coin flip."""
    series = user_series(clones, **GRID)
    result = membership_game(series, "c3", group_size=4, n_train=40, n_test=40, method=method, rng=3)
    assert result.auc == 0.5


@pytest.mark.parametrize("features", ["summary", "both"])
def test_summary_features_also_find_the_loner(crowd_with_loner, features):
    """Per-cell statistics over time still reveal a target alone in a cell nobody else visits."""
    series = user_series(crowd_with_loner, **GRID)
    assert membership_game(series, "target", group_size=3, n_train=60, n_test=60, features=features, rng=4).auc == 1.0


def test_suppression_hides_the_loner(crowd_with_loner):
    """Suppressing counts of 1 removes the loner's cell; the target's AUC falls below 1."""
    kw = dict(targets=["target"], group_size=3, n_test=100, method="correlation", origin=ORIGIN, rng=5, **GRID)
    start = crowd_with_loner["t"].min().normalize()

    def suppressed(group):
        return suppress_small_counts(count_by_cell(group, origin=ORIGIN, start=start, **GRID), k=2)

    open_ = membership_auc(crowd_with_loner, **kw)["auc"].iloc[0]
    hidden = membership_auc(crowd_with_loner, mechanism=suppressed, **kw)["auc"].iloc[0]
    unchanged = membership_auc(crowd_with_loner, mechanism=lambda g: count_by_cell(g, origin=ORIGIN, start=start,
                                                                                   **GRID), **kw)["auc"].iloc[0]
    assert open_ == 1.0 and unchanged == 1.0 and 0.5 < hidden < 0.9


def test_exact_mechanism_publishes_what_aggregate_groups_counts(crowd_with_loner):
    """Running count_by_cell on each group's traces gives the counts aggregate_groups adds up."""
    series = user_series(crowd_with_loner, origin=ORIGIN, **GRID)
    start = crowd_with_loner["t"].min().normalize()
    publish = publish_groups(crowd_with_loner, series,
                             lambda g: count_by_cell(g, origin=ORIGIN, start=start, **GRID))
    groups = np.array([[0, 1, 2], [3, 4, 20], [5, 6, 7]])
    np.testing.assert_array_equal(publish(groups), aggregate_groups(series, groups))


def _pairwise_auc(scores, labels):
    s, y = np.asarray(scores, float), np.asarray(labels)
    pos, neg = s[y == 1], s[y == 0]
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 1)), min_size=2, max_size=40)
       .filter(lambda pairs: len({y for _, y in pairs}) == 2))
def test_auc_matches_pairwise_definition(pairs):
    """AUC from Mann-Whitney U equals the share of (positive, negative) pairs ordered right, ties one half."""
    scores, labels = zip(*pairs)
    assert auc(np.array(scores) / 2, labels) == pytest.approx(_pairwise_auc(np.array(scores) / 2, labels), abs=1e-12)


def test_auc_edges():
    """Perfect, reversed and all-tied scores."""
    assert auc([1, 2, 3, 4], [0, 0, 1, 1]) == 1.0
    assert auc([4, 3, 2, 1], [0, 0, 1, 1]) == 0.0
    assert auc([5, 5, 5], [1, 0, 1]) == 0.5


@pytest.mark.parametrize("method", ["correlation", "logistic"])
def test_same_rng_same_result(crowd_with_loner, method):
    """The same seed gives the same scores; another seed other groups."""
    series = user_series(crowd_with_loner, **GRID)
    kw = {"group_size": 5, "n_train": 30, "n_test": 30, "method": method}
    a = membership_game(series, "u04", rng=11, **kw)
    b = membership_game(series, "u04", rng=np.random.default_rng(11), **kw)
    c = membership_game(series, "u04", rng=12, **kw)
    np.testing.assert_array_equal(a.scores, b.scores)
    assert a.auc == b.auc
    assert not np.array_equal(a.scores, c.scores)


def test_a_targets_auc_does_not_depend_on_the_other_targets(crowd_with_loner):
    """Each target plays with its own child generator."""
    kw = dict(group_size=4, n_train=30, n_test=30, **GRID, rng=8)
    alone = membership_auc(crowd_with_loner, targets=["u01"], **kw)
    together = membership_auc(crowd_with_loner, targets=["u01", "target"], **kw)
    assert alone["auc"].iloc[0] == together["auc"].iloc[0]
    assert list(together.columns) == ["target", "active", "auc"]
    assert together.set_index("target").loc["target", "active"] == 3


@pytest.fixture(scope="module")
def classroom_cdr(classroom):
    return classroom.releases["cdr"]


@pytest.fixture(scope="module")
def classroom_series(classroom_cdr):
    return user_series(classroom_cdr, cell_m=1000.0, slot_s=4 * 3600)


@pytest.mark.parametrize("method", ["correlation", "logistic"])
def test_laplace_noise_lowers_auc(classroom_series, method):
    """On a fixed seed, noisy counts leave the adversary with a lower AUC."""
    active = np.diff(classroom_series.matrix.indptr)
    target = classroom_series.pseudonyms[np.argsort(active, kind="stable")[len(active) // 2]]  # a median user
    kw = {"group_size": 20, "n_train": 200, "n_test": 200, "method": method, "rng": 21}
    noise = np.random.default_rng(3)

    def laplace(groups):
        counts = aggregate_groups(classroom_series, groups)
        return counts + noise.laplace(0.0, 2.0, counts.shape)

    clear = membership_game(classroom_series, target, **kw).auc
    noisy = membership_game(classroom_series, target, publish=laplace, noise_scale=2.0, **kw).auc
    assert noisy < clear - 0.1


@pytest.mark.parametrize("method", ["correlation", "logistic"])
def test_most_active_classroom_users_are_exposed_at_group_size_ten(classroom_cdr, classroom_series, method):
    """The ten most active cdr subscribers are spotted in groups of ten far better than by chance."""
    active = np.diff(classroom_series.matrix.indptr)
    targets = list(classroom_series.pseudonyms[np.argsort(-active, kind="stable")[:10]])
    result = membership_auc(classroom_cdr, targets=targets, group_size=10, cell_m=1000.0, slot_s=4 * 3600,
                            n_train=200, n_test=100, method=method, rng=7)
    assert result["auc"].mean() > 0.9
    assert result["auc"].min() > 0.75


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"group_size": 21}, "larger than the 20 other users"),
    ({"group_size": 0}, "group_size must be a whole number"),
    ({"group_size": 2.5}, "group_size must be a whole number"),
    ({"method": "svm"}, "unknown method 'svm'"),
    ({"features": "fourier"}, "unknown features"),
    ({"n_test": 1}, "n_test must be a whole number of groups, at least 2"),
    ({"n_train": 0}, "n_train must be"),
    ({"noise_scale": -1.0}, "noise_scale must be a non-negative number"),
    ({"l2": 0.0}, "l2 must be a positive"),
])
def test_game_refuses_bad_parameters(crowd_with_loner, kwargs, message):
    """Bad game parameters are refused in plain language."""
    series = user_series(crowd_with_loner, **GRID)
    params = {"group_size": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        membership_game(series, "target", **params)


def test_refuses_unknown_target_and_bad_grid(crowd_with_loner):
    """An unknown pseudonym, a non-positive slot or cell, and empty targets are refused."""
    series = user_series(crowd_with_loner, **GRID)
    with pytest.raises(ValueError, match="'nobody' is not one of the 21 users"):
        membership_game(series, "nobody", group_size=3)
    with pytest.raises(ValueError, match="slot_s must be a positive whole number of seconds"):
        user_series(crowd_with_loner, cell_m=1000.0, slot_s=0)
    with pytest.raises(ValueError, match="cell_m must be a positive number of metres"):
        user_series(crowd_with_loner, cell_m=-5.0, slot_s=3600)
    with pytest.raises(ValueError, match="targets is empty"):
        membership_auc(crowd_with_loner, targets=[], group_size=3, **GRID)
    with pytest.raises(ValueError, match="never appear in the release"):
        membership_auc(crowd_with_loner, targets=["ghost"], group_size=3, **GRID)
    with pytest.raises(ValueError, match="before start"):
        user_series(crowd_with_loner, **GRID, start=T0 + pd.Timedelta(hours=5))


def test_auc_and_groups_refuse_bad_input(crowd_with_loner):
    """Mismatched lengths, one class only, NaN scores and repeated group members are refused."""
    with pytest.raises(ValueError, match="same length"):
        auc([0.1, 0.2], [1])
    with pytest.raises(ValueError, match="at least one positive and one negative"):
        auc([0.1, 0.2], [1, 1])
    with pytest.raises(ValueError, match="finite"):
        auc([np.nan, 0.2], [1, 0])
    with pytest.raises(ValueError, match="0 .negative. or 1"):
        auc([0.1, 0.2], [2, 0])
    series = user_series(crowd_with_loner, **GRID)
    with pytest.raises(ValueError, match="same user twice"):
        aggregate_groups(series, np.array([[1, 1, 2]]))
    with pytest.raises(ValueError, match="outside 0..20"):
        aggregate_groups(series, np.array([[1, 99]]))
