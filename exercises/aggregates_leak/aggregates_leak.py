# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 06: Aggregates leak
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You redo lesson 06 (Xu et al. 2017; Pyrgelis, Troncoso & De Cristofaro 2018) on a small town of a few
# hundred people over two weeks: the phone operator publishes only how many subscribers were in each
# 1 km square, hour by hour. You count what such a table holds, rebuild individual trajectories from the
# counts alone, tell from a group's counts whether one subscriber is in the group, and withhold every
# count below 5 to see what that stops and what it costs. Everything runs in a few seconds.
#
# Use exactly the functions and parameters each question names. Every random draw is seeded (`rng=0`,
# or `rng=i` where stated), so your answers are exact.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %% [markdown]
# The phone operator's release (CDR: a tower position each time a subscriber calls or texts) and the
# public facts every table below is built on: the town's published grid anchor (`ORIGIN`), midnight of
# the first day (`START`, the start of slot 0), 1 km squares and one-hour slots.

# %%
import numpy as np
import pandas as pd

from lab.attacks.membership import aggregate_groups, membership_game, user_series
from lab.attacks.recovery import count_locations, one_location_per_slot, recover_trajectories
from lab.metrics.recovery_score import score_recovery
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.suppress import suppress_small_counts

scenario = world.scenario
cdr = world.releases["cdr"]                                       # pseudonym, t (when), lat, lon (where), ...
ORIGIN = scenario.origin                                          # the published grid anchor
START = pd.Timestamp(scenario.start, tz=scenario.timezone)        # midnight of the first day: slot 0
CELL_M, SLOT_S = 1000.0, 3600                                     # 1 km squares, one-hour slots
print(f"{len(cdr):,} records of {cdr['pseudonym'].nunique():,} subscribers over {scenario.days} days")
cdr.head()

# %% [markdown]
# **q1 (2 points). The published table.** Count the subscribers in each square and hour over the whole
# release: `hourly = count_by_cell(cdr, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)`
# (columns `cell`, `slot`, `count`: one row per non-empty square-hour, the count being the number of
# distinct pseudonyms with a record there). Store the **number of published counts** (the rows of
# `hourly`, an `int`) in `n_counts`, and the **number of counts equal to 1** (an `int`) in `n_single`:
# square-hours where the "statistic" is one single person.

# %%
# BEGIN SOLUTION
hourly = count_by_cell(cdr, cell_m=CELL_M, slot_s=SLOT_S, origin=ORIGIN, start=START)
n_counts = len(hourly)
n_single = int((hourly["count"] == 1).sum())
print(f"{n_counts:,} published counts, {n_single:,} of them ({n_single / n_counts:.0%}) a single person; "
      f"the largest is {hourly['count'].max()}")
# END SOLUTION
check("q1")

# %% [markdown]
# **q2 (3 points). Trajectories from counts.** Xu et al. assume the operator knows every subscriber's
# square in every hour. Work on the **first three days** (72 hourly slots):
#
# 1. keep the records of those days first, `window = cdr[cdr["t"] < START + pd.Timedelta(days=3)]`
#    (a subscriber with no record in the window would otherwise get the non-existent cell -1);
# 2. the operator's truth, each subscriber's square in every hour (last record of the hour, carried
#    forward): `truth = one_location_per_slot(window, cell_m=CELL_M, slot_s=SLOT_S, n_slots=72,
#    origin=ORIGIN, start=START)`;
# 3. what is published, the counts of that table: `counts = count_locations(truth)`;
# 4. the attack, which sees only `counts`: `recovered = recover_trajectories(counts, cell_m=CELL_M,
#    slot_s=SLOT_S)`;
# 5. its score against the truth: `score = score_recovery(recovered, truth)` (a dict).
#
# Store the number of subscribers in `truth` (distinct pseudonyms, an `int`) in `n_subscribers`, the
# share of (subscriber, hour) points the attack puts in the right square (`score["accuracy"]`, a float)
# in `accuracy_raw`, and how many times better than guessing that is (`score["accuracy"]` divided by
# `score["chance"]`, a float) in `times_chance`.

# %%
# BEGIN SOLUTION
window = cdr[cdr["t"] < START + pd.Timedelta(days=3)]
truth = one_location_per_slot(window, cell_m=CELL_M, slot_s=SLOT_S, n_slots=72, origin=ORIGIN, start=START)
counts = count_locations(truth)
recovered = recover_trajectories(counts, cell_m=CELL_M, slot_s=SLOT_S)
score = score_recovery(recovered, truth)
n_subscribers = int(truth["pseudonym"].nunique())
accuracy_raw = score["accuracy"]
times_chance = score["accuracy"] / score["chance"]
print(f"{n_subscribers} subscribers × 72 hours: {accuracy_raw:.1%} of the points recovered, "
      f"{times_chance:,.0f} times chance")
# END SOLUTION
check("q2")

# %% [markdown]
# **q3 (2 points). Was this subscriber in the crowd?** The operator now publishes counts for *groups* of
# subscribers, on 1 km squares and 4-hour slots over the whole fortnight. The adversary knows every
# subscriber's presence per square and slot (`series`, from `user_series`) and wants to tell whether one
# **target** is in the group behind a table. The cell below builds `series` and draws 10 targets (seeded).
#
# For each target, with `i` its position in `targets` (0, 1, …, 9), play the membership game
# `membership_game(series, target, group_size=100, method="correlation", n_test=100, rng=i)`: 100
# random groups of 100 subscribers, half with the target, their exact counts scored by a matched filter.
# Its `.auc` is the chance that a group with the target scores above one without (0.5 is a coin flip,
# 1 is certainty). Store the **mean AUC over the 10 targets** (a float) in `auc_raw`.

# %%
series = user_series(cdr, cell_m=CELL_M, slot_s=4 * 3600, origin=ORIGIN, start=START)
targets = np.random.default_rng(0).choice(series.pseudonyms, size=10, replace=False)
print(f"{series.n_users} subscribers known to the adversary; {series.n_cells} squares × {series.n_slots} slots")
# BEGIN SOLUTION
aucs_raw = [membership_game(series, target, group_size=100, method="correlation", n_test=100, rng=i).auc
            for i, target in enumerate(targets)]
auc_raw = float(np.mean(aucs_raw))
print(f"mean AUC {auc_raw:.3f}; the lowest target: {min(aucs_raw):.3f}")
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (3 points). Withhold the counts below 5.** The classic defence never publishes a count below
# *k* = 5; a withheld count looks exactly like an empty square.
#
# - Trajectories: withhold the small counts of q2's three-day table,
#   `published = suppress_small_counts(counts, k=5)`. Store the **share of the counts withheld**
#   (1 − rows of `published` / rows of `counts`, a float) in `share_withheld`, and the attack's accuracy
#   on what is still published, `score_recovery(recover_trajectories(published, cell_m=CELL_M,
#   slot_s=SLOT_S), truth)["accuracy"]` (a float), in `accuracy_k5`.
# - Membership: replay q3's games (same targets, same parameters, same `rng=i`) with
#   `publish=withhold_small`, where `withhold_small(groups)` returns each group's counts
#   `c = aggregate_groups(series, groups)` with every count below 5 set to 0, `np.where(c >= 5, c, 0.0)`.
#   (These are exactly the tables `count_by_cell` followed by `suppress_small_counts(..., k=5)` would
#   publish from each group's records, computed without one call per group.) Store the **mean AUC over
#   the 10 targets** (a float) in `auc_k5`.
#
# Compare with q2 and q3: what does the threshold stop, and what is left of the table?

# %%
# BEGIN SOLUTION
published = suppress_small_counts(counts, k=5)
share_withheld = 1 - len(published) / len(counts)
accuracy_k5 = score_recovery(recover_trajectories(published, cell_m=CELL_M, slot_s=SLOT_S), truth)["accuracy"]


def withhold_small(groups):
    c = aggregate_groups(series, groups)
    return np.where(c >= 5, c, 0.0)


auc_k5 = float(np.mean([membership_game(series, target, group_size=100, method="correlation", n_test=100,
                                        publish=withhold_small, rng=i).auc for i, target in enumerate(targets)]))
print(f"{share_withheld:.0%} of the hourly counts withheld; recovery {accuracy_raw:.1%} → {accuracy_k5:.1%} "
      f"({accuracy_k5 * n_subscribers:,.0f} times chance); membership AUC {auc_raw:.3f} → {auc_k5:.3f}")
# END SOLUTION
check("q4")

# %% [markdown]
# The counts carried no name, yet they read back as individual trajectories, and a group's table tells
# whether one known subscriber is in it. Withholding the counts below 5 brings the membership test down
# towards a coin flip, but only by withholding most of the table, and the recovery attack still lands far
# above chance on what remains. A threshold is a property of one table; lesson 09 adds noise instead.
