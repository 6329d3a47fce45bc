# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 09. Differential privacy for counts
#
# > **In this lesson you will**
# > - publish how many people were in each 1 km cell on each day with the **Laplace mechanism**, its noise
# >   scaled to sensitivity / ε;
# > - find the sensitivity of a whole table (the number of cells one person can touch), bound each person's
# >   contribution, and see why noise for one *record* does not protect one *person*;
# > - keep a privacy-budget **ledger** that adds up every table you publish and refuses to overspend;
# > - rerun lesson 06's membership attack on the noisy tables and put its success beside the count error,
# >   ε by ε.
# >
# > **Time:** about 45 minutes · **Needs:** lessons 02 (the town and its releases) and 06 (aggregates leak)
# >
# > **Reproduces:** Dwork & Roth (2014), *The Algorithmic Foundations of Differential Privacy* (the Laplace
# > mechanism, sequential composition, user- against event-level privacy), and revisits Pyrgelis, Troncoso &
# > De Cristofaro (2018), *Knock Knock, Who's There? Membership Inference on Aggregate Location Data* (NDSS).

# %% [markdown]
# ## The story
#
# The 2019 database held 6.7 million camera sightings in 24 hours: a row per face, place and time. A data
# holder who wanted to share "how busy was each district" without the rows could publish only *counts*:
# how many people were in each cell of a map on each day. Lesson 06 showed that this is not enough.
# Pyrgelis, Troncoso and De Cristofaro (2018) gave an adversary who knows one person's movements the
# counts of a group, and asked: was this person in the group? On raw counts the answer came out right
# far more often than a coin flip.
#
# **Differential privacy** (Dwork, McSherry, Nissim & Smith 2006) changes the question the data holder
# asks. Not "can I see anyone in this table?" but "would the table look almost the same if any one person
# had stayed out?" A mechanism is ε-differentially private when every possible output is at most e^ε times
# more likely with the person than without. The textbook of the field (Dwork & Roth 2014) gives three
# tools this lesson uses:
#
# 1. **The Laplace mechanism.** Add to each count independent noise from a Laplace distribution of scale
#    b = Δ / ε, where the *sensitivity* Δ is how much one person can change the whole vector of counts
#    (summed over all counts).
# 2. **The unit of privacy.** Protecting one *record* (event-level) is not protecting one *person*
#    (user-level). A person seen in k cells changes k counts; noise calibrated to one record protects them
#    only at k·ε. So each person's contribution must be **bounded** to L cells, and Δ = L.
# 3. **Sequential composition.** Publishing tables at ε₁, ε₂, … costs ε₁ + ε₂ + … in total. Privacy is a
#    budget: a **ledger** adds up what was spent and refuses the table that would go over.
#
# Pyrgelis et al. also tried differentially private counts. Their finding: the noise does bring the attack
# down, at a real cost in the accuracy of the counts. We measure both on our town.

# %% [markdown]
# ## Reproduce the headline
#
# ### The town, its GPS release and a public grid
#
# Five thousand fictional people over two weeks (a smaller town than the full one, so the lesson runs in
# under a minute). The GPS release is what a phone app uploads: a pseudonym, a time and a position.
#
# The table we publish counts the **distinct people per 1 km cell per day**. Its grid and its list of keys
# must come from public facts, never from the data: the town's map (its districts' bounding box), its
# published origin, and the period the release covers.

# %%
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lab.synth.scenario import load_scenario
from lab.world import generate_world

scenario = load_scenario("town", population=5000, days=14)
world = generate_world(scenario, seed=1)
gps = world.releases["gps"]

CELL_M = 1000.0        # cells of 1 km
SLOT_S = 86_400        # slots of one day
ORIGIN = scenario.origin                                          # the town's published grid anchor
BOUNDS = tuple(float(b) for b in world.districts.total_bounds)    # the map: west, south, east, north
START = pd.Timestamp(scenario.start, tz=scenario.timezone)        # the release period, public
END = pd.Timestamp(scenario.end, tz=scenario.timezone)
grid = {"cell_m": CELL_M, "slot_s": SLOT_S}

print(f"{len(world.people):,} people; the GPS release has {len(gps):,} records "
      f"of {gps['pseudonym'].nunique():,} app users over {scenario.days} days")

# %% [markdown]
# A count of distinct people per cell and day needs only one record per person, cell and day: every other
# record is a duplicate as far as the table is concerned. Keeping one is data minimisation, and it makes
# everything below faster. The exact counts do not change:

# %%
from lab.grid import cell_slots
from lab.mitigations.aggregate import count_by_cell

keys_of_rows = cell_slots(gps, **grid, origin=ORIGIN, start=START)
gps_min = gps.loc[~keys_of_rows.duplicated(["pseudonym", "cell", "slot"])]

exact = count_by_cell(gps, **grid, origin=ORIGIN, start=START)
same = exact.equals(count_by_cell(gps_min, **grid, origin=ORIGIN, start=START))
n_people = gps_min["pseudonym"].nunique()
print(f"{len(gps):,} records → {len(gps_min):,} (one per person, cell and day); same exact counts: {same}")
print(f"exact table: {len(exact):,} non-empty (cell, day) counts, largest {exact['count'].max()}")

# %% [markdown]
# ### How much can one person change the table?
#
# Each row of `gps_min` is one (cell, day) pair a person was seen in, and each pair adds 1 to one count. So
# the number of rows a pseudonym has is the number of counts it changes: its contribution.

# %%
pairs = gps_min.groupby("pseudonym", observed=True).size()
L = 30  # the contribution bound we will choose, from public knowledge (see below)

display(Markdown(
    f"Over {scenario.days} days, the median app user is in **{pairs.median():.0f}** (cell, day) pairs; "
    f"the busiest in **{pairs.max()}**. Removing one *record* changes the table by at most 1 "
    f"(event-level sensitivity 1); removing one *person* changes it by up to {pairs.max()} "
    f"(user-level sensitivity, unbounded: it grows with whoever is busiest)."))

fig, ax = plt.subplots(figsize=(7.5, 4))
ax.hist(pairs, bins=np.arange(0, pairs.max() + 5, 4), color="tab:blue", alpha=0.8, label="app users")
ax.axvline(L, color="tab:red", linestyle="--", label=f"contribution bound L = {L}")
ax.set_xlabel("(cell, day) pairs per person over two weeks = counts one person changes")
ax.set_ylabel("number of people")
ax.set_title("One person touches many counts: the sensitivity of a count table")
ax.legend()
plt.show()

# %% [markdown]
# The red line is the bound we choose, **L = 30** pairs per person. We pick it from what is public (an app
# that logs people wherever they go, for two weeks, on 1 km cells: allow a couple of cells a day), not from
# the busiest pseudonym, whose count is itself private. `bound_contributions` keeps, for each person, at most L of their
# pairs, chosen at random, and drops the rest. After it, one person changes the table by at most L, so
# Laplace noise of scale **b = L / ε** makes the whole table ε-differentially private for each person.

# %%
from lab.mitigations.dp import bound_contributions, noise_scale

bounded = bound_contributions(gps_min, **grid, max_cells_per_user=L, origin=ORIGIN, start=START, rng=0)
after = bounded.groupby("pseudonym", observed=True).size()
print(f"after bounding: at most {after.max()} pairs per person; "
      f"{1 - len(bounded) / len(gps_min):.1%} of the pairs were dropped")
print(f"noise scale at ε = 1: b = L / ε = {noise_scale(epsilon=1.0, max_cells_per_user=L):g} people")

# %% [markdown]
# ### Publishing the table
#
# `dp_counts` does the three steps in one call: it drops records outside a public **domain** of keys,
# bounds each person to L pairs, counts, and adds discrete Laplace noise of scale L / ε to every key of
# the domain, empty ones included. It must publish the empty keys too: a table that lists only the cells
# where someone was says, by its list of keys alone, where people were. `grid_domain` builds that list
# from the map and the period.

# %%
from lab.mitigations.dp import dp_counts, grid_domain

domain = grid_domain(bounds=BOUNDS, start=START, end=END, **grid, origin=ORIGIN)
EPS = 1.0
b = noise_scale(epsilon=EPS, max_cells_per_user=L)
table = dp_counts(gps_min, **grid, epsilon=EPS, max_cells_per_user=L, domain=domain, rng=0)
unclamped = dp_counts(gps_min, **grid, epsilon=EPS, max_cells_per_user=L, domain=domain, clamp=False, rng=0)
print(f"the domain: {len(domain.cells)} cells × {domain.n_slots} days = {domain.size:,} keys, "
      f"every one published: {len(table):,} rows")
table.head()

# %% [markdown]
# Where nobody was, the true count is 0 and whatever is published is pure noise: a clean way to look at the
# mechanism itself. (Published counts are clamped at 0 by default; that is post-processing and costs no
# privacy. We look at the unclamped copy here.)

# %%
visited = pd.MultiIndex.from_frame(exact[["cell", "slot"]])
empty = ~pd.MultiIndex.from_frame(unclamped[["cell", "slot"]]).isin(visited)
noise = unclamped.loc[empty, "count"].to_numpy()
display(Markdown(
    f"On the **{empty.sum():,}** keys nobody visited, the noise has mean {noise.mean():+.2f}, mean absolute "
    f"value **{np.abs(noise).mean():.1f}** people (the Laplace scale b = L / ε is {b:g}) and standard "
    f"deviation {noise.std():.1f} (theory: √2·b = {np.sqrt(2) * b:.1f}). After clamping, "
    f"{(table.loc[empty, 'count'] > 0).mean():.0%} of these empty cells show somebody."))

# %% [markdown]
# ### Lesson 06's attack, on raw and on noisy counts
#
# The membership game (Pyrgelis et al. 2018): the adversary knows every app user's trace. The data holder
# draws a group of 100 users, with or without a target, and publishes its table. The adversary scores the
# table with a correlation test (the target's own cells, weighted by how surprising each one is) and must
# say "in" or "out". Over many groups, the AUC measures how well it tells them apart: 0.5 is a coin flip,
# 1 is certainty.
#
# First on exact counts. Then with the very function above, `dp_counts` at ε = 1, run on every group's
# traces: the adversary sees exactly what the data holder would publish, and knows the noise scale.

# %%
from lab.attacks.membership import membership_auc

GROUP = 100
rng = np.random.default_rng(0)
targets = list(rng.choice(np.sort(gps_min["pseudonym"].unique()), size=12, replace=False))
game = {"group_size": GROUP, **grid, "method": "correlation", "origin": ORIGIN, "start": START}

raw = membership_auc(gps_min, targets=targets, n_test=100, rng=1, **game)
raw_auc = float(raw["auc"].mean())

noise_rng = np.random.default_rng(2)


def publish_dp(traces):
    """What the data holder publishes for one group: DP counts at ε = 1, each person bounded to L pairs."""
    return dp_counts(traces, **grid, epsilon=EPS, max_cells_per_user=L, domain=domain, rng=noise_rng)


N_REAL = 50
dp_game = membership_auc(gps_min, targets=targets[:8], n_test=N_REAL, mechanism=publish_dp, noise_scale=b,
                         rng=1, **game)
dp_auc_real = float(dp_game["auc"].mean())

display(Markdown(
    f"Exact counts: mean AUC **{raw_auc:.3f}** over {len(raw)} targets, each in groups of {GROUP} "
    f"drawn from {n_people:,} app users.  \n"
    f"DP counts at ε = {EPS:g} (L = {L}): mean AUC **{dp_auc_real:.3f}** over {len(dp_game)} targets "
    f"(each published table made by `dp_counts` itself, {len(dp_game) * N_REAL} tables)."))

# %% [markdown]
# On exact counts the adversary is almost always right: its AUC is close to 1. On the differentially
# private counts it is close to a coin flip. Each target's presence adds at most L = 30 to the table, spread
# over their cells, against noise of scale 30 on every count of the domain: there is no longer enough
# signal to find them.

# %% [markdown]
# ## Your turn

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_1 = 30 / 5.0

# %% [markdown]
# **Exercise 1.** A town hall wants daily counts with a mean absolute error of about **5 people** per cell
# (the mean absolute value of Laplace noise is its scale b). With each person bounded to L = 30 pairs, which
# ε does it need? Give ε as a number (you may compute it from `L`).

# %%
from lab.course import check

answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1,
      hint="the answer is one number; the Laplace mechanism's scale is b = L / ε, so solve for ε")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = L / 5.0  # b = L / ε, so ε = L / b
check("exercise 1", answer_1, reference_1)

# %%
display(Markdown(
    f"An ε of {reference_1:g} is a weak promise: e^{reference_1:g} ≈ {np.exp(reference_1):.0f}, so the table may "
    f"be {np.exp(reference_1):.0f} times more likely with you than without you. Accuracy and privacy pull in "
    f"opposite directions."))

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_2 = (bounded.groupby("pseudonym", observed=True).size()
               < gps_min.groupby("pseudonym", observed=True).size()).mean()

# %% [markdown]
# **Exercise 2.** Bounding is not free either. What **share of app users** lose at least one of their
# (cell, day) pairs when each is bounded to L = 30? Use `pairs` (pairs per person) from above.

# %%
answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2,
      hint="a person loses pairs exactly when they have more than L of them")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_2 = (pairs > L).mean()
check("exercise 2", answer_2, reference_2)

# %% [markdown]
# A smaller L means less noise (b = L / ε) but more of the busiest people's data thrown away; a larger L
# keeps their data and drowns everyone in noise. The choice is part of the design.

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_3 = int(np.floor(2.0 / 0.25 + 1e-9))

# %% [markdown]
# **Exercise 3.** A town hall has a total budget of ε = 2 for the fortnight and wants to publish one table
# a day at ε = 0.25 each. How many tables can it publish? Do not just divide: make a
# `PrivacyLedger(2.0)`, call `ledger.spend(epsilon=0.25)` until it raises `BudgetExceededError`, and
# count the tables it accepted.

# %%
from lab.mitigations.dp import BudgetExceededError, PrivacyLedger

answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3,
      hint="sequential composition: the ε of the tables add up, and the ledger refuses the one past 2")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
practice = PrivacyLedger(2.0)
answer_3 = 0
while True:
    try:
        practice.spend(epsilon=0.25, query=f"day {answer_3 + 1}")
    except BudgetExceededError:
        break
    answer_3 += 1
check("exercise 3", answer_3, reference_3)

# %% [markdown]
# ## The mitigation and its price
#
# ### Risk and error at each ε
#
# Now the trade-off itself, for ε ∈ {0.1, 0.5, 1, 2, 5, 10}. The **price** is the mean absolute error of
# the published table against the exact counts, over every key either holds (the noise published on empty
# cells counts in full). The **risk** is the membership AUC.
#
# Playing the game with `dp_counts` on every group costs one full `dp_counts` call per table, and the
# sweep needs thousands of tables. So for the sweep we use what `dp_counts` is made of: each person's
# pairs bounded once (`bounded`, above), the counts of a group summed from them, discrete Laplace noise of
# scale L / ε added (as the difference of two geometric draws, the way `dp_counts` draws it) and negative
# counts clamped to 0. We even hand the adversary the bounded traces, so it knows exactly which pairs of
# the target were counted: the best case for the attacker. The AUC at ε = 1 printed below can be set
# beside the one `dp_counts` itself gave above.
#
# We also try **event-level** noise for comparison: no bound, noise of scale 1 / ε, as if each record were
# its own person. That is what a data holder gets by calibrating to "one GPS fix" instead of "one person".

# %%
from lab.attacks.membership import aggregate_groups, membership_game, user_series
from lab.metrics.utility import count_error

EPSILONS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0)
know_all = user_series(gps_min, **grid, origin=ORIGIN, start=START)       # every person's every pair
know_bounded = user_series(bounded, **grid, origin=ORIGIN, start=START)   # the pairs that were counted


def laplace_publisher(series, scale, rng):
    """What is published for each group: its counts plus discrete Laplace noise of `scale`, clamped at 0."""
    def publish(groups):
        counts = aggregate_groups(series, groups)   # one row of counts per group
        if scale == 0:
            return counts
        p = -np.expm1(-1.0 / scale)  # discrete Laplace of scale s = difference of two geometric draws
        noisy = counts + rng.geometric(p, counts.shape) - rng.geometric(p, counts.shape)
        return np.maximum(noisy, 0)
    return publish


def attack(series, scale, *, n_test=100, seed=3):
    """Mean AUC of the correlation test, over the targets, against counts with noise of `scale`."""
    aucs = []
    for i, target in enumerate(targets):
        rng = np.random.default_rng([seed, i])  # the same groups at every ε: only the noise changes
        result = membership_game(series, target, group_size=GROUP, n_test=n_test, method="correlation",
                                 publish=laplace_publisher(series, scale, rng), noise_scale=scale, rng=rng)
        aucs.append(result.auc)
    return float(np.mean(aucs))


def event_level_counts(eps, rng):
    """Exact counts on every key of the domain plus discrete Laplace noise of scale 1 / ε, clamped at 0."""
    keys = domain.keys().merge(exact, on=["cell", "slot"], how="left").fillna({"count": 0})
    p = -np.expm1(-eps)
    noisy = keys["count"].to_numpy() + rng.geometric(p, len(keys)) - rng.geometric(p, len(keys))
    return keys.assign(count=np.maximum(noisy, 0).astype(np.int64))


def measure(unit, eps, scale, published, series):
    """One row of the trade-off: the attack's AUC at this noise scale, and the published table's errors."""
    err = count_error(exact, published)
    return {"privacy unit": unit, "epsilon": eps, "noise_scale": scale, "membership_auc": attack(series, scale),
            "count_mae": err["mae"], "relative_large": err["relative_large"], "mass_on_empty": err["mass_on_empty"]}


rows = []
for eps in EPSILONS:
    user_table = dp_counts(gps_min, **grid, epsilon=eps, max_cells_per_user=L, domain=domain, rng=10)
    rows.append(measure(f"user-level: bound L = {L}, noise L/ε", eps, L / eps, user_table, know_bounded))
    event_table = event_level_counts(eps, np.random.default_rng(11))
    rows.append(measure("event-level: no bound, noise 1/ε", eps, 1 / eps, event_table, know_all))
price = pd.DataFrame(rows)
raw_same_groups = attack(know_all, 0)  # exact counts, the same groups: the reference line of the figure
user = price[price["privacy unit"].str.startswith("user")].set_index("epsilon")
event = price[price["privacy unit"].str.startswith("event")].set_index("epsilon")
price.round(3)

# %%
from lab.plots.dp_price import dp_price_figure

dp_price_figure(price, by="privacy unit", raw_auc=raw_same_groups)

# %% [markdown]
# Read the two panels together, from right to left. With **user-level** noise (circles), the attack falls
# from its raw level towards the coin flip as ε falls, and the error grows as 1 / ε (a straight line on the
# log-log panel). With **event-level** noise (squares) the counts stay accurate, and the attack stays far
# above the coin flip except at the smallest ε: one person moves many counts, each hidden under noise meant
# for a single record.

# %%
display(Markdown(
    f"**The price, user-level.** At ε = 1 the attack's AUC is {user.loc[1.0, 'membership_auc']:.3f} "
    f"(`dp_counts` itself gave {dp_auc_real:.3f} above; exact counts {raw_auc:.3f}). The table then errs by "
    f"**{user.loc[1.0, 'count_mae']:.1f} people per cell and day** on average; even the busy cells (20 people "
    f"or more) are off by {user.loc[1.0, 'relative_large']:.0%} of their true count, and "
    f"{user.loc[1.0, 'mass_on_empty']:.0%} of everyone the table shows sits in cells where nobody was. "
    f"At ε = 10 the error falls to {user.loc[10.0, 'count_mae']:.1f}, but the AUC climbs back to "
    f"{user.loc[10.0, 'membership_auc']:.3f}; at ε = 0.1 the error is {user.loc[0.1, 'count_mae']:.0f}.  \n"
    f"**Event-level noise at ε = 1** errs by only {event.loc[1.0, 'count_mae']:.2f}, and leaves the attack at "
    f"AUC {event.loc[1.0, 'membership_auc']:.3f}. Its promise covers one record; a person with the median "
    f"{pairs.median():.0f} pairs is protected only at about {pairs.median():.0f} × ε (group privacy, "
    f"Dwork & Roth 2014, Theorem 2.2)."))

# %% [markdown]
# ### Choosing the bound L
#
# Exercise 2 showed what bounding throws away. The same ε can be spent with any bound: a smaller L means
# less noise (b = L / ε) but more of the busiest people's pairs dropped; a larger L keeps everyone's data
# under more noise. Every line below is equally private at each ε. This is an experiment on the exact,
# private counts, to see the trade-off; it is not how a data holder may choose L (see below).

# %%
from lab.plots.counts import count_error_figure

by_bound = []
for bound in (5, 10, 30, 100):
    for eps in EPSILONS:
        published = dp_counts(gps_min, **grid, epsilon=eps, max_cells_per_user=bound, domain=domain, rng=30)
        err = count_error(exact, published)
        by_bound.append({"bound L": bound, "epsilon": eps, "error": err["mae"],
                         "busy cells off by": err["relative_large"]})
by_bound = pd.DataFrame(by_bound)
display(count_error_figure(by_bound, by="bound L",
                           title="Choosing the bound L: count error against ε"))
dropped = {bound: (pairs - bound).clip(lower=0).sum() / pairs.sum() for bound in by_bound["bound L"].unique()}
by_bound.pivot(index="epsilon", columns="bound L", values=["error", "busy cells off by"]).round(2)

# %%
grid_err = by_bound.pivot(index="epsilon", columns="bound L", values="error")
grid_busy = by_bound.pivot(index="epsilon", columns="bound L", values="busy cells off by")
smaller = [bound for bound in grid_err.columns if bound < L]
beaten = [eps for eps in grid_err.index  # ε where some smaller bound beats ours on both errors at once
          if any(grid_err.loc[eps, s] < grid_err.loc[eps, L] and grid_busy.loc[eps, s] < grid_busy.loc[eps, L]
                 for s in smaller)]
ours_best = [eps for eps in grid_err.index if grid_err.loc[eps].idxmin() == L]
display(Markdown(
    "Pairs dropped by the bound: " + ", ".join(f"L = {k}: {v:.0%}" for k, v in dropped.items()) + ".  \n"
    f"At ε = 1, L = 5 errs by **{grid_err.loc[1.0, 5]:.2f}** people per cell-day (busy cells off by "
    f"{grid_busy.loc[1.0, 5]:.0%}), L = 10 by **{grid_err.loc[1.0, 10]:.2f}** ({grid_busy.loc[1.0, 10]:.0%}), "
    f"our L = {L} by **{grid_err.loc[1.0, L]:.2f}** ({grid_busy.loc[1.0, L]:.0%}).  \n"
    f"A bound smaller than {L} beats ours on **both** the mean error and the busy cells at ε = "
    f"{', '.join(f'{e:g}' for e in beaten) or 'none'}; L = {L} has the smallest mean error only at ε = "
    f"{', '.join(f'{e:g}' for e in ours_best) or 'none'}.  \n"
    f"What a bound drops is a bias that no budget removes: at ε = {grid_err.index.max():g}, L = 5 still leaves "
    f"the busy cells off by {grid_busy.loc[grid_err.index.max(), 5]:.0%}, L = {L} by "
    f"{grid_busy.loc[grid_err.index.max(), L]:.0%}."))

# %% [markdown]
# Read it plainly: judged by these two errors, our L = 30 is not the best bound for this table at a small
# budget. Noise of scale L / ε lands on every key of the domain, the empty ones included, and at small ε it
# costs more than even a drastic bound throws away, on the busy cells too. What a tight bound drops is a
# different error, a bias: those counts stay too low at any ε. That is why the lines cross and the best
# bound grows with the budget. Which error matters more depends on what the table is for.
#
# Why not switch to the winner, then? Because this table was scored against the **exact counts**: the
# private data. A bound picked as "the one with the smallest error here" is a bound read off the data, just
# like `max_cells_per_user="max"` (which draws a `LeakWarning`): it depends on how busy the busiest people
# were, the published table then says something about them through L, and the ledger never charged for the
# look. We keep L = 30 in this lesson for exactly that reason. A data holder fixes L before the data is
# read, from public reasoning: how many places a person visits in a day (travel surveys, published
# statistics of an earlier period), or what the table is for (a count of *residents* needs one cell per
# person and day). If the data must decide, a small share of the budget can buy a differentially private
# estimate of the contributions, recorded in the ledger like any other table. What the experiment may teach
# is the shape of the trade-off: the smaller the budget, the tighter the bound should be.
#
# ### The budget: a ledger that refuses to overspend
#
# Every table spends privacy, and by sequential composition the spends add up. The six tables of the
# sweep were an experiment; publishing all of them would cost their sum. A data holder fixes a total budget
# in advance and lets a `PrivacyLedger` keep the accounts: `dp_counts(..., ledger=ledger)` records each
# table's ε (computed by the OpenDP library from the noise and the bound), and a table the budget cannot pay
# for is refused **before** any noise is drawn.
#
# Our data holder has ε = 2 for the fortnight. It publishes the daily table at ε = 1 and a weekly table
# (7-day slots, each person bounded to 10 cell-weeks) at ε = 0.5. Then someone asks for the daily table
# once more, at ε = 1, hoping to average two noisy copies into a sharper one.

# %%
BUDGET = 2.0
ledger = PrivacyLedger(BUDGET)
daily = dp_counts(gps_min, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain, ledger=ledger, rng=20)
week_domain = grid_domain(bounds=BOUNDS, start=START, end=END, cell_m=CELL_M, slot_s=7 * 86_400, origin=ORIGIN)
weekly = dp_counts(gps_min, cell_m=CELL_M, slot_s=7 * 86_400, epsilon=0.5, max_cells_per_user=10,
                   domain=week_domain, ledger=ledger, rng=21)
try:
    again = dp_counts(gps_min, **grid, epsilon=1.0, max_cells_per_user=L, domain=domain, ledger=ledger, rng=22)
    again_refused = False
except BudgetExceededError as refusal:
    again_refused = True
    print("refused:", refusal)
spent_eps, spent_delta = ledger.spent()
print(f"spent ε = {spent_eps:g} of {BUDGET:g}; left ε = {ledger.remaining()[0]:g}")
ledger.spends()

# %% [markdown]
# The ledger's total is the sum of the two tables' ε; the second daily table was refused and recorded
# nothing. Had it been published, averaging the two copies would have halved the noise's variance: that
# sharper view is what composition charges the extra ε for. A released table cannot be taken back, so the
# check must come before the noise.
#
# ### A leak in the configuration: a domain read off the data
#
# `dp_counts` without a public `domain=` still works, but reads the list of keys off the release itself (its
# bounding box and its days), and says so with a `LeakWarning`: which keys the table has then depends on
# the most outlying records.

# %%
from lab.mitigations.domain import domain_from_data
from lab.params import LeakWarning

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", LeakWarning)
    data_domain = domain_from_data(gps_min, **grid)
leak = [w for w in caught if issubclass(w.category, LeakWarning)]
print(f"{len(leak)} LeakWarning: {str(leak[0].message)[:200]}…")
print(f"keys of the public domain: {domain.size:,} ({len(domain.cells)} cells); "
      f"keys of a domain read off the data: {data_domain.size:,} ({len(data_domain.cells)} cells)")

# %% [markdown]
# Now add a single record: one person on a boat, 0.03° of latitude (about 3 km) south of the map's edge.

# %%
boat = gps_min.iloc[[0]].assign(lat=BOUNDS[1] - 0.03)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", LeakWarning)  # we know; the point is what it warns about
    with_boat = domain_from_data(pd.concat([gps_min, boat]), **grid)
print(f"domain read off the data, with the boat: {with_boat.size:,} keys ({len(with_boat.cells)} cells), "
      f"{with_boat.size - data_domain.size:+,} because of one record; the public domain stays at {domain.size:,}")

# %% [markdown]
# One record moved the edge of the data-read domain, and so the list of keys the table publishes: its
# *shape* reveals that someone was out there, however much noise sits in its counts. The public domain
# does not move.
#
# ## The paper vs our town

# %%
from lab.course import paper_vs_town

paper_vs_town([
    {"result": "Laplace mechanism: mean |noise| per count, L = 30, ε = 1",
     "paper": "scale b = Δ/ε = 30 (Dwork & Roth, Def. 3.3, Thm 3.6)", "paper_n": "theorem (any N)",
     "town": f"{np.abs(noise).mean():.1f} on {empty.sum():,} empty keys", "town_n": n_people},
    {"result": "sequential composition: tables at ε = 1 and 0.5",
     "paper": "total ε = ε₁ + ε₂ = 1.5 (Thm 3.16)", "paper_n": "theorem (any N)",
     "town": f"ledger: {spent_eps:g}; a third table refused: {again_refused}", "town_n": n_people},
    {"result": "membership AUC, exact counts",
     "paper": "membership inference 'a serious privacy threat' on raw aggregates",
     "paper_n": "London transport cards (TFL) and 536 San Francisco cabs (SFC)",
     "town": f"{raw_auc:.3f} (groups of {GROUP}, {len(raw)} targets)", "town_n": n_people},
    {"result": "membership AUC, user-level DP counts, ε = 1",
     "paper": "DP mechanisms 'can indeed reduce' the attack", "paper_n": "TFL and SFC",
     "town": f"{user.loc[1.0, 'membership_auc']:.3f} (dp_counts on each group: {dp_auc_real:.3f})",
     "town_n": n_people},
    {"result": "utility cost of DP counts, ε = 1",
     "paper": "'a significant loss in utility'", "paper_n": "TFL and SFC",
     "town": f"MAE {user.loc[1.0, 'count_mae']:.1f} people per cell-day; "
             f"{user.loc[1.0, 'relative_large']:.0%} off on busy cells",
     "town_n": n_people},
    {"result": "event-level noise (one record), ε = 1: membership AUC",
     "paper": "k records protected only at k·ε (group privacy, Thm 2.2)", "paper_n": "theorem (any N)",
     "town": f"{event.loc[1.0, 'membership_auc']:.3f}", "town_n": n_people},
])

# %% [markdown]
# The theorems hold on our town as they must: the noise has the scale the formula gives, the ledger adds
# up. The measured part is where our town meets Pyrgelis et al.: raw counts give membership away, and
# differential privacy at ε ≤ 1 takes it back only at the count error measured above, on every 1 km cell
# and day.
#
# ## Summary
#
# - Differential privacy asks whether the output would look almost the same without any one person; the
#   Laplace mechanism answers with noise of scale sensitivity / ε on every count.
# - The sensitivity of a count table is the number of counts one person can change. It has to be bounded
#   (L pairs per person), and the bound chosen from public knowledge, or the noise protects a record and
#   not a person.
# - Privacy is a budget: the ε of every published table add up, and a ledger must refuse the table that
#   would overspend, before any noise is drawn.
# - The keys of the table must be public too: a domain read off the data leaks through the table's shape.
# - On our town, user-level DP counts bring lesson 06's membership attack close to a coin flip at ε ≤ 1, at
#   the price of the count error measured above, part of it published on cells nobody visited. Event-level
#   noise looks cheap and leaves the attack standing.
#
# ## References
#
# - Dwork, C., McSherry, F., Nissim, K., Smith, A. (2006). Calibrating noise to sensitivity in private data
#   analysis. *Theory of Cryptography Conference (TCC 2006)*, LNCS 3876, 265–284.
# - Dwork, C., Roth, A. (2014). The Algorithmic Foundations of Differential Privacy. *Foundations and Trends
#   in Theoretical Computer Science* 9(3–4), 211–407.
# - Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock, Who's There? Membership Inference on
#   Aggregate Location Data. *Network and Distributed System Security Symposium (NDSS 2018)*.
# - Wilson, R. J., Zhang, C. Y., Lam, W., Desfontaines, D., Simmons-Marengo, D., Gipson, B. (2020).
#   Differentially private SQL with bounded user contribution. *Proceedings on Privacy Enhancing
#   Technologies* 2020(2), 230–250.
# - The OpenDP Library. https://opendp.org

# %% tags=["headline"]
user_mae = user.sort_index(ascending=False)["count_mae"].to_numpy()   # ε = 10, 5, 2, 1, 0.5, 0.1
assert np.all(np.diff(user_mae) > 0), user_mae                          # error grows as ε falls
assert raw_auc >= 0.9, raw_auc
for eps in (0.1, 0.5, 1.0):
    assert abs(user.loc[eps, "membership_auc"] - 0.5) <= 0.1, (eps, user.loc[eps, "membership_auc"])
assert abs(dp_auc_real - 0.5) <= 0.1, dp_auc_real
assert np.isclose(spent_eps, ledger.spends()["epsilon"].sum()) and np.isclose(spent_eps, 1.5), ledger.spends()
assert again_refused
try:
    ledger.spend(epsilon=ledger.remaining()[0] + 0.01, query="one table too many")
    overspent = True
except BudgetExceededError:
    overspent = False
assert not overspent, ledger
