# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 09: Differential privacy for counts
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You publish how many app users were in each 1 km cell on each day, as lesson 09 did: bound each
# person's contribution, add Laplace noise of scale L / ε on every key of a public domain, measure
# the count error, and keep a privacy budget. Every random step is seeded (`rng=...` as stated), so
# your answers are exact: use the functions and parameters each question names.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %% [markdown]
# Your town's GPS release, and the public facts every table below is built on: 1 km cells, slots of
# one day, the town's published grid anchor (`ORIGIN`), the release period (`START` to `END`) and the
# map's bounding box (`BOUNDS`). The contribution bound is **L = 20** (cell, day) pairs per person.
# `exact` holds the true number of app users per (cell, day), for the keys where someone was.

# %%
import pandas as pd

from lab.grid import cell_slots
from lab.metrics.utility import count_error
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.domain import grid_domain
from lab.mitigations.dp import bound_contributions, dp_counts, noise_scale
from lab.mitigations.ledger import BudgetExceededError, PrivacyLedger

scenario = world.scenario
gps = world.releases["gps"]

grid = {"cell_m": 1000.0, "slot_s": 86_400}                        # 1 km cells, one-day slots
ORIGIN = scenario.origin                                          # the published grid anchor
START = pd.Timestamp(scenario.start, tz=scenario.timezone)        # the release period
END = pd.Timestamp(scenario.end, tz=scenario.timezone)
BOUNDS = tuple(float(b) for b in world.districts.total_bounds)    # the map: west, south, east, north
L = 20                                                            # the contribution bound

exact = count_by_cell(gps, **grid, origin=ORIGIN, start=START)   # the true counts (non-empty keys only)
print(f"{len(gps):,} GPS records of {gps['pseudonym'].nunique()} app users over {scenario.days} days; "
      f"true counts: {len(exact):,} non-empty (cell, day) keys holding {exact['count'].sum():,} people in all")
gps.head()

# %% [markdown]
# **q1 (2 points). How much can one person change the table?** A count of people per (cell, day)
# changes by one for each (cell, day) pair a person was seen in.
#
# - `cell_slots(gps, **grid, origin=ORIGIN, start=START)` gives each GPS record's `pseudonym`, `cell`
#   and `slot` (the day). Count the **distinct (cell, slot) pairs of each pseudonym** and store the
#   largest, as an `int`, in `max_pairs`: the user-level sensitivity of the table without a bound.
# - Bound every app user to L = 20 pairs with
#   `bound_contributions(gps, **grid, max_cells_per_user=L, origin=ORIGIN, start=START, rng=0)`
#   (on `gps`, all its records) and store the **number of GPS records it keeps** (its rows), as an
#   `int`, in `records_kept`.

# %%
# BEGIN SOLUTION
pairs = cell_slots(gps, **grid, origin=ORIGIN, start=START).drop_duplicates(["pseudonym", "cell", "slot"])
max_pairs = int(pairs.groupby("pseudonym", observed=True).size().max())
bounded = bound_contributions(gps, **grid, max_cells_per_user=L, origin=ORIGIN, start=START, rng=0)
records_kept = len(bounded)
# END SOLUTION
check("q1")

# %% [markdown]
# **q2 (2 points). A public domain and one table.** Build the domain of keys from the public facts
# only, `domain = grid_domain(bounds=BOUNDS, start=START, end=END, **grid, origin=ORIGIN)`, and store
# its number of (cell, day) keys (`domain.size`, an `int`) in `n_keys`.
#
# Then publish the table at ε = 1:
# `table = dp_counts(gps, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain, rng=0)`
# (discrete Laplace noise of scale L / ε on every key, negative counts clamped to 0, the default).
# Store the **sum of its published counts**, as an `int`, in `noisy_total`. Compare it with the true
# total, `exact["count"].sum()`: where does the difference come from?

# %%
# BEGIN SOLUTION
domain = grid_domain(bounds=BOUNDS, start=START, end=END, **grid, origin=ORIGIN)
n_keys = domain.size
table = dp_counts(gps, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain, rng=0)
noisy_total = int(table["count"].sum())
# END SOLUTION
check("q2")

# %% [markdown]
# **q3 (3 points). The count error against ε.** For ε = 0.5, 1, 2 and 5, in this order:
#
# - the Laplace noise scale `noise_scale(epsilon=eps, max_cells_per_user=L)`: a list of four numbers
#   in `scale_by_eps`;
# - the mean absolute error of the published table,
#   `count_error(exact, dp_counts(gps, **grid, epsilon=eps, max_cells_per_user=L, domain=domain, rng=0))["mae"]`,
#   with `exact` the true counts from the first cell: a list of four numbers in `mae_by_eps`.
#
# How does the error grow as ε falls? Why is it close to half the noise scale? (Most keys of the
# domain are empty, and a negative noisy count is published as 0.)

# %%
EPSILONS = (0.5, 1.0, 2.0, 5.0)
# BEGIN SOLUTION
scale_by_eps = [noise_scale(epsilon=eps, max_cells_per_user=L) for eps in EPSILONS]
mae_by_eps = [count_error(exact, dp_counts(gps, **grid, epsilon=eps, max_cells_per_user=L, domain=domain,
                                           rng=0))["mae"] for eps in EPSILONS]
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (2 points). A budget that refuses to overspend.** The data holder has ε = 2 for the whole
# fortnight: `ledger = PrivacyLedger(2.0)`. Pass `ledger=ledger` to each `dp_counts` call below, in
# this order:
#
# 1. the daily table: `dp_counts(gps, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain,
#    ledger=ledger, rng=1)`;
# 2. a weekly table: cells of 1 km and slots of 7 days (`slot_s=7 * 86_400`), on its own domain
#    `grid_domain(bounds=BOUNDS, start=START, end=END, cell_m=1000.0, slot_s=7 * 86_400, origin=ORIGIN)`,
#    each person bounded to 5 cell-weeks (`max_cells_per_user=5`), `epsilon=0.5`, `rng=2`;
# 3. the daily table once more, as in 1 but with `rng=3`.
#
# Store the total ε the ledger has spent after the three requests (`ledger.spent()[0]`, a float)
# in `spent_eps`; whether request 3 was refused with a `BudgetExceededError` (a `bool`) in
# `third_refused`; and the sum of the weekly table's published counts (an `int`) in `weekly_total`.

# %%
# BEGIN SOLUTION
ledger = PrivacyLedger(2.0)
daily = dp_counts(gps, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain, ledger=ledger, rng=1)
week_domain = grid_domain(bounds=BOUNDS, start=START, end=END, cell_m=1000.0, slot_s=7 * 86_400, origin=ORIGIN)
weekly = dp_counts(gps, cell_m=1000.0, slot_s=7 * 86_400, epsilon=0.5, max_cells_per_user=5, domain=week_domain,
                   ledger=ledger, rng=2)
try:
    again = dp_counts(gps, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain, ledger=ledger, rng=3)
    third_refused = False
except BudgetExceededError as refusal:
    print("refused:", refusal)
    third_refused = True
spent_eps = ledger.spent()[0]
weekly_total = int(weekly["count"].sum())
# END SOLUTION
check("q4")

# %% [markdown]
# The ledger added up the two tables it published and refused the third before drawing any noise:
# averaging two noisy copies of the daily table would have halved the noise's variance, and that
# sharper view is exactly what sequential composition charges for.
