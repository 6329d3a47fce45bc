# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06. Aggregates leak
#
# > **In this lesson you will**
# > - publish what a phone operator might call harmless: the number of subscribers in each 1 km square,
# >   hour by hour, with no names and no pseudonyms;
# > - rebuild individual trajectories from those counts alone, and score them against the truth;
# > - play the membership game: tell from the counts whether one known subscriber is in the crowd;
# > - withhold every count below a threshold *k* (5, 10, 20), and measure what that stops, what it does not,
# >   and what it costs the people who use the table.
# >
# > **Time:** about 45 minutes · **Needs:** lesson 02 (the town, its releases, pseudonyms and grid cells)
# >
# > **Reproduces:** Xu, Tu, Li, Zhang, Fu & Jin (2017), *Trajectory Recovery From Ash: User Privacy Is NOT
# > Preserved in Aggregated Mobility Data* (WWW '17), and Pyrgelis, Troncoso & De Cristofaro (2018), *Knock
# > Knock, Who's There? Membership Inference on Aggregate Location Data* (NDSS 2018).

# %% [markdown]
# ## The story
#
# The 2019 database held one row per camera sighting, with a name on it. A more careful data holder would
# never publish that. It would publish *counts*: "between 9 and 10 this morning, so many phones were near
# the mosque". No names, no pseudonyms, no traces. Footfall tables like this are sold to shops and handed to
# city planners because they look like statistics, not like people.
#
# Two papers asked whether counts really hide the people inside them.
#
# - **Xu et al. (2017)** took hourly counts of mobile users per area and rebuilt the individual
#   trajectories behind them, with **73–91 %** accuracy on two real datasets. Their trick uses two habits
#   everyone has: we move *continuously* (an hour later you are near where you were), and we are *regular*
#   (today looks like yesterday). An open re-implementation (D'Silva et al. 2024) has since evaluated the
#   attack on two public datasets, GeoLife and Porto taxis.
# - **Pyrgelis et al. (2018)** asked a smaller question with a sharper edge: given the counts of a group,
#   and what you know of one person's habits, *was that person in the group?* Attending a mosque, a clinic or
#   a protest is exactly the kind of membership a camera database reveals. They found the answer is often
#   yes on raw counts, and that differential privacy lowers it only at a real cost in utility (lesson 09).
#
# The classic defence is to withhold small counts: never publish a square where fewer than *k* people were.
# We will see what that buys.

# %% [markdown]
# ## Reproduce the headline
#
# ### The town and the operator's hourly counts
#
# A smaller copy of the reference town: 2,500 fictional people over one week. We take the phone operator's
# records (CDR: a tower position each time a subscriber calls or texts) and a random crowd of subscribers.

# %%
# %matplotlib inline
import warnings

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lab.attacks.membership import (
    aggregate_groups,
    membership_auc,
    membership_game,
    publish_groups,
    user_series,
)
from lab.attacks.recovery import count_locations, one_location_per_slot, recover_trajectories
from lab.course import check, paper_vs_town
from lab.metrics.recovery_score import overlap_matching, score_recovery
from lab.metrics.utility import count_error
from lab.mitigations.aggregate import count_by_cell
from lab.mitigations.suppress import differencing_risk, suppress_small_counts
from lab.plots.counts import recovery_figure
from lab.plots.suppression import suppression_figure
from lab.synth.scenario import load_scenario
from lab.world import generate_world

scenario = load_scenario("town", population=2500, days=7)
world = generate_world(scenario, seed=1)
cdr = world.releases["cdr"]
origin = scenario.origin                 # the town's public map origin anchors the grid
start = cdr["t"].min().normalize()       # slot 0 starts at midnight of the first day

print(f"{len(world.people):,} people; {cdr['pseudonym'].nunique():,} of them are phone subscribers "
      f"with {len(cdr):,} records in {scenario.days} days")

# %% [markdown]
# Xu et al. assume the operator knows every subscriber's cell in every hour. We give each subscriber the
# cell of their last record in the hour, carried forward until the next record (`one_location_per_slot`):
# that table is the truth the operator holds. What it **publishes** is only `counts`: for each 1 km square
# and each hour, how many subscribers were there (`count_locations`, the same table `count_by_cell` gives on
# one record per subscriber and hour). To keep the lesson under a minute we publish the first three days
# (72 hourly slots), for a random crowd of 1,000 of the subscribers who made a call in those days.

# %%
CELL_M, SLOT_S, DAYS = 1000, 3600, 3
N = 1000
window = cdr[cdr["t"] < start + pd.Timedelta(days=DAYS)]
order = np.random.default_rng(0).permutation(np.sort(window["pseudonym"].unique()))  # crowd of n: first n

def crowd(n):
    """The truth (pseudonym, slot, cell) of the first n subscribers of the random order, hour by hour."""
    traces = window[window["pseudonym"].isin(order[:n])]
    return one_location_per_slot(traces, cell_m=CELL_M, slot_s=SLOT_S, n_slots=DAYS * 24,
                                 origin=origin, start=start)

truth = crowd(N)
counts = count_locations(truth)          # what is published: cell, slot, count
moved = truth.groupby("pseudonym")["cell"].nunique()
totals = counts.groupby("slot")["count"].sum()
per_hour = f"{totals.min():,}" if totals.min() == totals.max() else f"{totals.min():,} to {totals.max():,}"
print(f"{truth['pseudonym'].nunique():,} subscribers × {truth['slot'].nunique()} hours; "
      f"{len(counts):,} published counts in {counts['cell'].nunique()} squares; "
      f"each hour's counts add up to {per_hour} people")
print(f"{(moved == 1).mean():.0%} of them never leave one square in the {DAYS} days "
      f"(few calls, so few chances to be seen moving)")
counts.head()

# %% [markdown]
# Every row is a square (`cell`, its id on the town's grid), an hour (`slot`, 0 = midnight of the first day)
# and a number. Nothing in the published table says who. Note the second
# printed share: many subscribers call so rarely that, as far as the operator can tell, they stay in one
# square for days. Those are easy to follow; keep that in mind when you compare our numbers with the papers'.
#
# ### The attack: follow the crowd, hour by hour
#
# `recover_trajectories` sees only `counts`. It turns each count of *c* into *c* anonymous dots and links the
# dots hour to hour:
#
# 1. **at night** (before 06:00) people barely move, so each trajectory takes the nearest dot of the next hour;
# 2. **by day** each trajectory is predicted to move on at its last speed, and takes the dot nearest that
#    prediction. Every hour is one assignment problem solved exactly (least total distance);
# 3. **across days** each day's pieces are joined to the next day's by *regularity*: two days of one person,
#    pooled, visit hardly more places than each day alone (the information-gain cost of Xu et al.).
#
# Then `score_recovery`, which is allowed to read the truth, pairs each recovered trajectory with one real
# subscriber (the pairing that maximises the hours they share) and counts the (subscriber, hour) points
# the attack got right.

# %%
recovered = recover_trajectories(counts, cell_m=CELL_M, slot_s=SLOT_S)
score = score_recovery(recovered, truth)
acc_raw, chance = score["accuracy"], score["chance"]
display(Markdown(
    f"From counts alone the attack puts **{acc_raw:.1%}** of the {score['n_points']:,} (subscriber, hour) "
    f"points in the right square. Guessing who is who would get {chance:.2%} (one in {score['n_people']:,}): "
    f"the attack is **{acc_raw / chance:,.0f} times** better than chance. "
    f"**{score['recovered_share']:.0%}** of the subscribers have at least 80 % of their hours right "
    f"(Xu et al.'s criterion). Within each day the tracking gets {score['within_day']:.0%} right; "
    f"{score['cross_day']:.0%} of the day-to-day links join the same person."))

# The same pairing, split: subscribers seen in more than one square (movers) and those who never leave one.
_, paired_people, paired_right, _, _ = overlap_matching(recovered, truth)
right_by_person = pd.Series(paired_right, index=paired_people).reindex(moved.index, fill_value=0)
points_by_person = truth.groupby("pseudonym").size().reindex(moved.index)
is_mover = moved > 1
acc_movers = right_by_person[is_mover].sum() / points_by_person[is_mover].sum()
acc_stayers = right_by_person[~is_mover].sum() / points_by_person[~is_mover].sum()
display(Markdown(
    f"Split by what the operator saw: on the {is_mover.sum():,} subscribers seen in more than one square the "
    f"attack gets **{acc_movers:.1%}** of the points right; on the {(~is_mover).sum():,} who never leave "
    f"their square, {acc_stayers:.1%}."))

# %% [markdown]
# The published table had no identifier at all, yet it reads back as individual trajectories. Compare the
# two numbers of the first sentence's end: within a day the attack can follow distance; across days it has
# only habits to go on. And compare the movers with the stayers: someone who never leaves a square is
# followed almost for free, so the overall accuracy flatters the attack; the movers' accuracy is the honest
# measure of the tracking.
#
# ### Does a bigger crowd hide you?
#
# With more people per square, more dots are interchangeable. We repeat the attack on crowds of 100 and 300
# subscribers (the same random order, so each crowd contains the smaller ones) and draw accuracy against *N*
# with chance, 1/*N*, beside it.

# %%
truths = {100: crowd(100), 300: crowd(300), N: truth}
rows = [{"n": N, "defence": "none", "accuracy": acc_raw}]
for n in (100, 300):
    s = score_recovery(recover_trajectories(count_locations(truths[n]), cell_m=CELL_M, slot_s=SLOT_S), truths[n])
    rows.append({"n": n, "defence": "none", "accuracy": s["accuracy"]})
by_n = pd.DataFrame(rows).sort_values("n").reset_index(drop=True)
display(Markdown(
    f"From *N* = 100 to *N* = {N:,} the accuracy goes from {by_n['accuracy'].iloc[0]:.1%} to "
    f"{by_n['accuracy'].iloc[-1]:.1%}, while chance falls from {1 / 100:.1%} to {1 / N:.1%}."))
recovery_figure(by_n, title="Trajectories recovered from hourly counts of 1 km squares")

# %% [markdown]
# Chance falls as 1/*N*; the accuracy does not follow it down. The distance between the line and the dotted
# chance line is what the counts leak, and a tenfold bigger crowd does not close it. Aggregation over more
# people is not the safety it sounds like.
#
# ### Membership: was this subscriber in the crowd?
#
# Now the operator publishes counts for *groups*: say, the subscribers of one company plan, or the users of
# one app. The adversary knows the traces of every subscriber (the strongest prior knowledge in Pyrgelis et
# al.) and wants to know whether one **target** is in the group behind a published table.
#
# The game: draw groups of *m* subscribers, half with the target and half without, publish each group's
# counts (1 km squares, 4-hour slots, the whole week), and let the adversary score each table. The AUC is the
# chance that a table *with* the target scores above a table *without*: 0.5 is a coin flip, 1 is certainty.
# The adversary here is `"correlation"`, a matched filter: it adds up the published counts in the squares
# and hours where the target usually is, each weighted by how surprising a visit there is.

# %%
MEM_CELL_M, MEM_SLOT_S = 1000, 4 * 3600
series = user_series(cdr, cell_m=MEM_CELL_M, slot_s=MEM_SLOT_S, origin=origin, start=start)
targets = list(np.random.default_rng(1).choice(series.pseudonyms, size=20, replace=False))
GROUPS = (5, 20, 100, 500)
membership = pd.DataFrame([
    {"group size m": m,
     "mean AUC": (a := membership_auc(cdr, targets=targets, group_size=m, cell_m=MEM_CELL_M, slot_s=MEM_SLOT_S,
                                      method="correlation", n_test=100, origin=origin, start=start,
                                      rng=0)["auc"]).mean(),
     "targets with AUC ≥ 0.9": (a >= 0.9).mean()}
    for m in GROUPS]).set_index("group size m")
auc_raw = membership["mean AUC"]
print(f"{series.n_users:,} subscribers known to the adversary; {len(targets)} targets; "
      f"{series.n_cells} squares × {series.n_slots} slots of 4 h")
membership.style.format({"mean AUC": "{:.3f}", "targets with AUC ≥ 0.9": "{:.0%}"})

# %% [markdown]
# Read the first column from top to bottom: how close to 1 the AUC stays as the group grows a hundredfold.
# On raw counts, being in the crowd is visible. A subscriber's few squares and hours are a signature, and
# one more person in a count is a change the matched filter can see, because the adversary knows how
# crowded each square usually is. The second column counts the targets the adversary can pick out almost
# surely.

# %% [markdown]
# ## Your turn
#
# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_1 = score["accuracy"] / score["chance"]

# %% [markdown]
# **Exercise 1.** How many times better than guessing is the recovery attack on the raw hourly counts of the
# 1,000 subscribers? Use the `score` dictionary.

# %%
answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1,
      hint="compare the attack's accuracy with the accuracy of guessing; both are in `score`")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = score["accuracy"] / score["chance"]
check("exercise 1", answer_1, reference_1)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_2 = membership_auc(cdr, targets=targets, group_size=1000, cell_m=MEM_CELL_M, slot_s=MEM_SLOT_S,
                             method="correlation", n_test=100, origin=origin, start=start, rng=0)["auc"].mean()

# %% [markdown]
# **Exercise 2.** Does a crowd of 1,000 hide the target? Play the membership game with groups of `m = 1000`
# (same targets, grid, `method="correlation"`, `n_test=100`, `rng=0`) and give the mean AUC over the targets.

# %%
answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2, rtol=0, atol=1e-9,
      hint="the function that built the table above returns one AUC per target, in its column 'auc'; average them")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
auc_1000 = membership_auc(cdr, targets=targets, group_size=1000, cell_m=MEM_CELL_M, slot_s=MEM_SLOT_S,
                          method="correlation", n_test=100, origin=origin, start=start, rng=0)["auc"]
answer_2 = auc_1000.mean()
check("exercise 2", answer_2, reference_2, rtol=0, atol=1e-9)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_3 = 1 - count_error(counts, suppress_small_counts(counts, k=5))["true_cells_published"]

# %% [markdown]
# **Exercise 3.** Before we try the classic defence: what share of the 1,000 subscribers' published hourly
# counts are **below 5**? (Those are the counts a threshold *k* = 5 would withhold.)

# %%
answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3,
      hint="compare the column counts['count'] with 5: the share of True is the answer")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_3 = (counts["count"] < 5).mean()
check("exercise 3", answer_3, reference_3)

# %% [markdown]
# ## The mitigation and its price
#
# ### Withhold the small counts
#
# `suppress_small_counts(counts, k=k)` drops every square-hour with fewer than *k* people; a withheld
# count looks exactly like an empty square. We try *k* = 5, 10 and 20, re-run both attacks on what is
# still published, and measure the price with `count_error`: the share of the truly non-empty counts still
# published, and the mean absolute error of the table (a withheld count reads as 0).
#
# First the recovery attack, for the three crowd sizes.

# %%
KS = (5, 10, 20)

def attack(published, t):
    """Recover trajectories from published counts and score them against the truth t."""
    if published.empty:                   # everything withheld: nothing to recover, nothing right
        return {"accuracy": 0.0, "chance": 1 / t["pseudonym"].nunique()}
    return score_recovery(recover_trajectories(published, cell_m=CELL_M, slot_s=SLOT_S), t)

rec_rows = []
for n, t in truths.items():
    exact = count_locations(t)
    for k in (0, *KS):
        published = exact if k == 0 else suppress_small_counts(exact, k=k)
        s = score if n == N and k == 0 else attack(published, t)
        err = count_error(exact, published)
        rec_rows.append({"n": n, "k": k, "defence": "none" if k == 0 else f"counts < {k} withheld",
                         "accuracy": s["accuracy"], "× chance": s["accuracy"] / s["chance"],
                         "counts kept": err["true_cells_published"], "mean abs. error": err["mae"]})
recovery_k = pd.DataFrame(rec_rows)
display(recovery_k[recovery_k["n"] == N].set_index("k").drop(columns=["n", "defence"]).style.format(
    {"accuracy": "{:.3f}", "× chance": "{:,.0f}", "counts kept": "{:.1%}", "mean abs. error": "{:.2f}"}))
by_crowd = recovery_k.pivot(index="n", columns="k", values=["× chance", "counts kept"]).rename_axis(index="crowd N")
times_chance = by_crowd["× chance"]
display(by_crowd.style.format("{:,.2f}", subset=pd.IndexSlice[:, ["× chance"]])
        .format("{:.1%}", subset=pd.IndexSlice[:, ["counts kept"]]))
near_chance = recovery_k[(recovery_k["k"] > 0) & (recovery_k["× chance"] < 2)]
display(Markdown(
    f"For the crowd of {N:,} the attack stays at least **{times_chance.loc[N, list(KS)].min():,.0f} times** "
    f"chance at every threshold. In the smaller crowds it does not: "
    + "; ".join(f"*N* = {r.n:,}, *k* = {r.k}: {r['× chance']:.2f} × chance, with {r['counts kept']:.1%} of the "
                f"counts published" for _, r in near_chance.iterrows())
    + "." if len(near_chance) else
    f"For every crowd and threshold the attack stays at least {recovery_k['× chance'].min():,.1f} times chance."))
fig = recovery_figure(recovery_k, title="Recovery from hourly counts, small counts withheld")
fig.axes[0].get_legend().set_loc("center left")    # move the legend off the lines
fig

# %% [markdown]
# Withholding small counts lowers the accuracy, more as *k* grows. Read the `× chance` columns: how many
# times better than guessing the attack still is at each threshold, for each crowd. The answer depends on
# the crowd: in a small crowd almost every count is small, so a threshold withholds nearly the whole table
# and the attack falls to what guessing would give, while the crowd of 1,000 keeps enough counts to be
# followed. And much of what the attack loses is simply what was never published: it cannot get a withheld
# hour right, and neither can an analyst.
#
# ### Membership against suppressed tables
#
# For the membership game, each group's table must be published the same way. `publish_groups` runs the
# data holder's real mechanism, `count_by_cell` then `suppress_small_counts`, on each group's records. That
# is one call per group; since suppression only zeroes the entries below *k*, the same tables come out of the
# group's count vector directly, much faster. We check that the two agree before relying on the fast one.

# %%
grid = {"cell_m": MEM_CELL_M, "slot_s": MEM_SLOT_S, "origin": origin, "start": start}
M = 500                                   # group size for the defence: a big crowd, with bigger counts

def suppressed(groups, k):
    """Each group's published counts on the adversary's columns, counts below k withheld (read as 0)."""
    c = aggregate_groups(series, groups)
    return np.where(c >= k, c, 0.0)

pick = np.random.default_rng(1)
groups = np.array([pick.choice(series.n_users, size=M, replace=False) for _ in range(20)])
for k in KS:
    real = publish_groups(cdr, series, lambda g, k=k: suppress_small_counts(count_by_cell(g, **grid), k=k))
    assert np.array_equal(real(groups[:4]), suppressed(groups[:4], k)), k
print("the fast publication equals count_by_cell + suppress_small_counts on every group tried")

# %%
# the price is measured on the real tables of the 20 random groups above
exact_tables = [count_by_cell(cdr[cdr["pseudonym"].isin(series.pseudonyms[g])], **grid) for g in groups]
mem_rows = []
for k in (0, *KS):
    if k == 0:                            # raw counts: the groups-of-500 row of the table above, reused
        aucs = [auc_raw[M]]
    else:                                 # the same random streams per target as membership_auc(rng=0)
        aucs = [membership_game(series, t, group_size=M, method="correlation", n_test=100,
                                publish=lambda g, k=k: suppressed(g, k), rng=child).auc
                for t, child in zip(targets, np.random.default_rng(0).spawn(len(targets)))]
    errs = [count_error(exact, exact if k == 0 else suppress_small_counts(exact, k=k)) for exact in exact_tables]
    mem_rows.append({"k": k, "AUC": np.mean(aucs), "counts kept": np.mean([e["true_cells_published"] for e in errs]),
                     "mean abs. error": np.mean([e["mae"] for e in errs])})
membership_k = pd.DataFrame(mem_rows).set_index("k")
display(membership_k.style.format({"AUC": "{:.3f}", "counts kept": "{:.1%}", "mean abs. error": "{:.2f}"}))
group_counts = pd.concat([e["count"] for e in exact_tables])
display(Markdown(
    f"With counts below 5 withheld the mean AUC goes from {membership_k.loc[0, 'AUC']:.3f} to "
    f"{membership_k.loc[5, 'AUC']:.3f} (0.5 is a coin flip), and the groups' tables keep "
    f"{membership_k.loc[5, 'counts kept']:.1%} of their non-empty counts. In those tables "
    f"**{(group_counts <= 2).mean():.0%}** of the non-empty (square, 4-hour slot) counts are one or two callers "
    f"(median {group_counts.median():.0f}, largest {group_counts.max():,})."))

# %% [markdown]
# Suppression weakens the membership test a lot here, and the price column says how: a phone subscriber
# calls a few times a day, so even in a group of 500 most of the non-empty counts are one or two callers
# (the last sentence above). Nearly every count is below the threshold, and the table that "protects" the
# group is nearly empty. The target's signature was in exactly those small counts. A table with nothing in
# it is safe, and useless.
#
# ### Risk against utility
#
# One figure for both attacks: how well each does (up) against how much of its table is still published
# (right), one point per threshold, with each attack's chance level dotted.

# %%
tradeoff = pd.concat([
    pd.DataFrame({"attack": f"trajectory recovery, N = {N:,} (accuracy)", "k": (0, *KS),
                  "risk": recovery_k.loc[recovery_k["n"] == N, "accuracy"].to_numpy(), "chance": chance,
                  "cells_kept": recovery_k.loc[recovery_k["n"] == N, "counts kept"].to_numpy()}),
    pd.DataFrame({"attack": f"membership, groups of {M} (AUC)", "k": (0, *KS),
                  "risk": membership_k["AUC"].to_numpy(), "chance": 0.5,
                  "cells_kept": membership_k["counts kept"].to_numpy()}),
], ignore_index=True)
suppression_figure(tradeoff)

# %%
r5 = recovery_k[(recovery_k["n"] == N) & (recovery_k["k"] == 5)].iloc[0]
acc_k5 = r5["accuracy"]
display(Markdown(
    f"**The price.** At *k* = 5 the operator withholds {1 - r5['counts kept']:.0%} of its hourly counts "
    f"(mean error {r5['mean abs. error']:.2f} people per square-hour), and the recovery attack on the crowd "
    f"of {N:,} still gets {acc_k5:.1%} of the points right, {acc_k5 / chance:,.0f} times chance (crowd of 100: "
    f"{times_chance.loc[100, 5]:.2f} times). For the groups of {M}, *k* = 5 "
    f"withholds {1 - membership_k.loc[5, 'counts kept']:.1%} of the counts to bring the membership AUC from "
    f"{membership_k.loc[0, 'AUC']:.3f} to {membership_k.loc[5, 'AUC']:.3f}."))

# %% [markdown]
# ### What suppression cannot stop: subtraction
#
# Every table above respects "no count below *k*" on its own. Now the operator publishes the same week twice:
# once for all 1,000 subscribers, and once more after one of them has left (a refreshed table, a corrected
# one, a table for "everyone but the staff"). Subtract one from the other and the difference is exactly the
# person who left, however large each count is. `differencing_risk` looks for published pairs of counts that
# differ by fewer than *k*, and warns.
#
# Our leaver is one of the subscribers seen in more than one square.

# %%
K = 5
movers = moved[moved > 1].index.to_numpy()
leaver = np.random.default_rng(5).choice(movers)
before = suppress_small_counts(counts, k=K)
after = suppress_small_counts(count_locations(truth[truth["pseudonym"] != leaver]), k=K)
diff = differencing_risk([before, after], k=K)
revealed = set(zip(diff["cell"], diff["slot"]))
theirs = truth[truth["pseudonym"] == leaver]
right = theirs[[(c, s) in revealed for c, s in zip(theirs["cell"], theirs["slot"])]]
print(f"{len(diff)} published counts differ by one person; {len(right)} of the leaver's {len(theirs)} hours "
      f"are revealed, in {right['cell'].nunique()} of their {theirs['cell'].nunique()} squares, "
      f"and {len(diff) - len(right)} revealed hours are wrong")
diff.head()

# %% [markdown]
# Each row of `diff` is a square and an hour where the two tables differ by one: where the leaver was. The
# hours it misses are those where the leaver's square was withheld in one table or both. One person is an
# anecdote; the same subtraction for 20 random leavers, one at a time:

# %%
leavers = np.random.default_rng(3).choice(truth["pseudonym"].unique(), size=20, replace=False)
shares = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")       # the warning was shown above; 20 more would say the same
    for p in leavers:
        after_p = suppress_small_counts(count_locations(truth[truth["pseudonym"] != p]), k=K)
        d = differencing_risk([before, after_p], k=K)
        mine = truth[truth["pseudonym"] == p]
        shares.append(mine.merge(d[["cell", "slot"]], on=["cell", "slot"]).shape[0] / len(mine))
shares = np.array(shares)
print(f"hours revealed per leaver: mean {shares.mean():.0%}, median {np.median(shares):.0%}; "
      f"{(shares > 0).mean():.0%} of the leavers lose at least one hour")

# %% [markdown]
# A threshold is a property of one table. As soon as two tables overlap, their difference is a new table
# that nobody checked, and suppression has nothing to say about it. Noise added to every count
# (differential privacy, lesson 09) is the protection that survives subtraction.
#
# ## The paper vs our town

# %%
comparison = paper_vs_town([
    {"result": "trajectory recovery from hourly counts, accuracy",
     "paper": "73–91 % (Xu et al. 2017)",
     "paper_n": "two datasets of tens to hundreds of thousands of users",
     "town": f"{acc_raw:.1%} ({acc_raw / chance:,.0f} × chance); subscribers who move: {acc_movers:.1%}; "
             f"{(~is_mover).mean():.0%} never leave their square",
     "town_n": score["n_people"]},
    {"result": "trajectory recovery, counts < 5 withheld",
     "paper": "not measured (the lab's question)", "paper_n": "—",
     "town": f"{acc_k5:.1%} ({acc_k5 / chance:,.0f} × chance); crowd of 100: "
             f"{times_chance.loc[100, 5]:.2f} × chance",
     "town_n": score["n_people"]},
    *[{"result": f"membership AUC on raw counts, groups of {m} (mean over {len(targets)} targets)",
       "paper": "a serious threat on raw aggregates, weaker as groups grow (Pyrgelis et al. 2018)",
       "paper_n": "London transport cards and San Francisco cabs",
       "town": f"{auc_raw[m]:.3f}", "town_n": series.n_users} for m in GROUPS],
    {"result": f"membership AUC, counts < 5 withheld, groups of {M}",
     "paper": "not tested in 2018 (DP lowers the AUC at a cost in utility, lesson 09); the 2020 follow-up "
              "finds suppression useful for some analyses only",
     "paper_n": "—",
     "town": f"{membership_k.loc[5, 'AUC']:.3f} ({1 - membership_k.loc[5, 'counts kept']:.1%} of counts withheld)",
     "town_n": series.n_users},
    {"result": f"share of a leaver's hours revealed by subtracting two tables with counts < {K} withheld",
     "paper": "query-size limits fall to the tracker (Denning, Denning & Schwartz 1979)", "paper_n": "—",
     "town": f"{shares.mean():.0%} (mean over {len(leavers)} leavers)", "town_n": score["n_people"]},
])
with pd.option_context("display.max_colwidth", None):
    display(comparison)

# %%
def band(a):
    """Where an accuracy lies with respect to Xu et al.'s 73–91 %."""
    return "inside" if 0.73 <= a <= 0.91 else ("above" if a > 0.91 else "below")

display(Markdown(
    f"Our overall recovery, {acc_raw:.0%}, lands {band(acc_raw)} Xu et al.'s band, but that number is "
    f"flattered: {(~is_mover).mean():.0%} of our subscribers call so rarely that they never appear to leave "
    f"their square, and a person who stays put is trivially followed ({acc_stayers:.0%} right). On the "
    f"subscribers who do move the accuracy is **{acc_movers:.0%}**, {band(acc_movers)} the band. "
    f"On membership the town agrees with Pyrgelis et al.: the mean AUC on raw counts "
    f"goes from {auc_raw.iloc[0]:.3f} for groups of {GROUPS[0]} to {auc_raw.iloc[-1]:.3f} for groups of "
    f"{GROUPS[-1]}."))

# %% [markdown]
# We have not tested a denser release (GPS, every few minutes), in which people are seen moving more often;
# the movers' accuracy is the closer guide to what it would give. Against membership, withholding small
# counts worked on our sparse call records only by withholding almost every count of a group's table;
# against recovery it left the attack far above chance in the crowd of 1,000, and brought it down to chance
# in the smaller crowds only by withholding most of their table; against subtraction it did nothing.
#
# ## Summary
#
# - Counts per square and hour carry no identifier, yet people's continuity (an hour later you are nearby)
#   and regularity (today looks like yesterday) let an attacker rebuild most individual trajectories.
# - A bigger crowd helps less than it sounds: accuracy falls slowly while chance falls as 1/*N*.
# - Someone who knows a person's habits can tell whether that person is in the group behind a table of
#   counts (membership inference), nearly with certainty on raw counts.
# - Withholding small counts removes exactly the sparse squares where individuals stand out, and with them
#   a large part of the table. In our crowd of 1,000 recovery stays far above chance at every threshold; in
#   crowds of 100 or 300 a high enough threshold brings it down to chance, by withholding most of the table.
#   Two overlapping tables can be subtracted to reveal one person. Noise that survives subtraction is lesson 09.
#
# ## References
#
# - Xu, F., Tu, Z., Li, Y., Zhang, P., Fu, X., Jin, D. (2017). Trajectory recovery from ash: user privacy is
#   NOT preserved in aggregated mobility data. *Proceedings of the 26th International Conference on World
#   Wide Web (WWW '17)*, 1241–1250. https://doi.org/10.1145/3038912.3052620
# - D'Silva, N., Shahi, T., Dokk Husveg, Ø. T., Sanjeeve, A., Buchholz, E., Kanhere, S. S. (2024). Demystifying
#   trajectory recovery from ash: an open-source evaluation and enhancement. *17th International Conference
#   on Security of Information and Networks (SIN 2024)*. https://doi.org/10.1109/SIN63213.2024.10871881
# - Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock, Who's There? Membership inference on
#   aggregate location data. *Network and Distributed System Security Symposium (NDSS 2018)*.
# - Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2020). Measuring membership privacy on aggregate location
#   time-series. *Proceedings of the ACM on Measurement and Analysis of Computing Systems (POMACS)*, article
#   36 (SIGMETRICS 2020).
# - Denning, D. E., Denning, P. J., Schwartz, M. D. (1979). The tracker: a threat to statistical database
#   security. *ACM Transactions on Database Systems* 4(1), 76–96.
# - Denning, D. E., Schlörer, J. (1983). Inference controls for statistical databases. *IEEE Computer* 16(7),
#   69–82.

# %% tags=["headline"]
# Xu et al.: hourly counts give back most trajectories; the town must be at least half right and 100 × chance.
assert acc_raw >= 0.5 and acc_raw >= 100 * chance, (acc_raw, chance)
# Pyrgelis et al.: membership is visible in raw aggregates, for groups of 5 to 100 subscribers.
assert auc_raw.loc[[5, 20, 100]].min() >= 0.9, auc_raw
# Withholding counts below 5 leaves recovery far above chance in the crowd of 1,000.
assert acc_k5 >= 10 * chance, (acc_k5, chance)
# The attack does not only follow people who never move: the movers are still mostly recovered.
assert acc_movers >= 0.5 and acc_movers >= 100 * chance, acc_movers
