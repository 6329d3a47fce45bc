"""Reference answers, computed from each student's own world at grading time (the solution's computations)."""

import numpy as np
import pandas as pd

from lab.attacks.membership import aggregate_groups, membership_game, user_series
from lab.attacks.recovery import count_locations, one_location_per_slot, recover_trajectories
from lab.grading.exercise import per_world
from lab.metrics.recovery_score import score_recovery
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.suppress import suppress_small_counts

CELL_M, SLOT_S, DAYS = 1000.0, 3600, 3        # 1 km squares, hourly slots, the first three days
MEM_SLOT_S, GROUP, N_TARGETS = 4 * 3600, 100, 10
K = 5


@per_world
def _public(world):
    """The phone operator's release, the town's grid anchor and midnight of the first day."""
    scenario = world.scenario
    return world.releases["cdr"], scenario.origin, pd.Timestamp(scenario.start, tz=scenario.timezone)


@per_world
def _hourly(world):
    cdr, origin, start = _public(world)
    return count_by_cell(cdr, cell_m=CELL_M, slot_s=SLOT_S, origin=origin, start=start)


def n_counts(world):
    return len(_hourly(world))


def n_single(world):
    return int((_hourly(world)["count"] == 1).sum())


@per_world
def _truth_counts(world):
    """The operator's truth (one cell per subscriber and hour) for the first three days, and its counts."""
    cdr, origin, start = _public(world)
    window = cdr[cdr["t"] < start + pd.Timedelta(days=DAYS)]
    truth = one_location_per_slot(window, cell_m=CELL_M, slot_s=SLOT_S, n_slots=DAYS * 24, origin=origin,
                                  start=start)
    return truth, count_locations(truth)


@per_world
def _score(world, k=None):
    truth, counts = _truth_counts(world)
    published = counts if k is None else suppress_small_counts(counts, k=k)
    return score_recovery(recover_trajectories(published, cell_m=CELL_M, slot_s=SLOT_S), truth)


def n_subscribers(world):
    return int(_truth_counts(world)[0]["pseudonym"].nunique())


def accuracy_raw(world):
    return _score(world)["accuracy"]


def times_chance(world):
    score = _score(world)
    return score["accuracy"] / score["chance"]


@per_world
def _series_targets(world):
    cdr, origin, start = _public(world)
    series = user_series(cdr, cell_m=CELL_M, slot_s=MEM_SLOT_S, origin=origin, start=start)
    targets = np.random.default_rng(0).choice(series.pseudonyms, size=N_TARGETS, replace=False)
    return series, targets


@per_world
def _mean_auc(world, k=None):
    series, targets = _series_targets(world)

    def withhold_small(groups):
        c = aggregate_groups(series, groups)
        return np.where(c >= k, c, 0.0)

    publish = None if k is None else withhold_small
    return float(np.mean([membership_game(series, t, group_size=GROUP, method="correlation", n_test=100,
                                          publish=publish, rng=i).auc for i, t in enumerate(targets)]))


def auc_raw(world):
    return _mean_auc(world)


def share_withheld(world):
    _, counts = _truth_counts(world)
    return 1 - len(suppress_small_counts(counts, k=K)) / len(counts)


def accuracy_k5(world):
    return _score(world, k=K)["accuracy"]


def auc_k5(world):
    return _mean_auc(world, k=K)
