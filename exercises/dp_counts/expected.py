"""Reference answers, computed from each student's own world at grading time."""

import pandas as pd

from lab.grid import cell_slots
from lab.metrics.utility import count_error
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.domain import grid_domain
from lab.mitigations.dp import bound_contributions, dp_counts, noise_scale
from lab.mitigations.ledger import BudgetExceededError, PrivacyLedger

GRID = {"cell_m": 1000.0, "slot_s": 86_400}
WEEK = {"cell_m": 1000.0, "slot_s": 7 * 86_400}
L = 20
EPSILONS = (0.5, 1.0, 2.0, 5.0)


def _public(world):
    """The GPS release and the public facts: grid anchor, period, map bounds."""
    scenario = world.scenario
    start = pd.Timestamp(scenario.start, tz=scenario.timezone)
    end = pd.Timestamp(scenario.end, tz=scenario.timezone)
    bounds = tuple(float(b) for b in world.districts.total_bounds)
    return world.releases["gps"], scenario.origin, start, end, bounds


def _domain(world, grid=GRID):
    _, origin, start, end, bounds = _public(world)
    return grid_domain(bounds=bounds, start=start, end=end, **grid, origin=origin)


def max_pairs(world):
    gps, origin, start, _, _ = _public(world)
    cs = cell_slots(gps, **GRID, origin=origin, start=start)
    return int(cs.drop_duplicates(["pseudonym", "cell", "slot"]).groupby("pseudonym", observed=True).size().max())


def records_kept(world):
    gps, origin, start, _, _ = _public(world)
    return len(bound_contributions(gps, **GRID, max_cells_per_user=L, origin=origin, start=start, rng=0))


def n_keys(world):
    return _domain(world).size


def noisy_total(world):
    gps = world.releases["gps"]
    table = dp_counts(gps, **GRID, epsilon=1.0, max_cells_per_user=L, domain=_domain(world), rng=0)
    return int(table["count"].sum())


def scale_by_eps(world):
    return [noise_scale(epsilon=eps, max_cells_per_user=L) for eps in EPSILONS]


def mae_by_eps(world):
    gps, origin, start, _, _ = _public(world)
    domain = _domain(world)
    exact = count_by_cell(gps, **GRID, origin=origin, start=start)
    return [count_error(exact, dp_counts(gps, **GRID, epsilon=eps, max_cells_per_user=L, domain=domain, rng=0))["mae"]
            for eps in EPSILONS]


def _ledger_run(world):
    """The budget of question 4: daily (ε = 1), weekly (ε = 0.5), then daily again (ε = 1), budget 2."""
    gps = world.releases["gps"]
    domain, week_domain = _domain(world), _domain(world, WEEK)
    ledger = PrivacyLedger(2.0)
    dp_counts(gps, **GRID, epsilon=1.0, max_cells_per_user=L, domain=domain, ledger=ledger, rng=1)
    weekly = dp_counts(gps, **WEEK, epsilon=0.5, max_cells_per_user=5, domain=week_domain, ledger=ledger, rng=2)
    try:
        dp_counts(gps, **GRID, epsilon=1.0, max_cells_per_user=L, domain=domain, ledger=ledger, rng=3)
        refused = False
    except BudgetExceededError:
        refused = True
    return ledger.spent()[0], refused, int(weekly["count"].sum())


def spent_eps(world):
    return _ledger_run(world)[0]


def third_refused(world):
    return _ledger_run(world)[1]


def weekly_total(world):
    return _ledger_run(world)[2]
