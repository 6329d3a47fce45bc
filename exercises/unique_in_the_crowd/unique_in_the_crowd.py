# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 02: Unique in the crowd
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You redo lesson 02 (de Montjoye et al. 2013) on a small town of a few hundred people over two weeks:
# how many places-and-hours single out a phone subscriber, what happens when the times are removed,
# which points an adversary should pick, and how slowly coarsening the data lowers the risk. Everything
# runs in a few seconds.
#
# Throughout, `unicity` is `lab.attacks.unicity.unicity` (read `help(unicity)`): it returns a result
# whose `.share` is the unicity ε<sub>p</sub> (a float between 0 and 1), `.n` the number of subscribers
# evaluated and `.skipped` the number left out because their trace holds fewer than `p` distinct points.
# Always pass `rng=0`, in every call, so that your random draws are the grader's.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %%
import pandas as pd

from lab.attacks.unicity import fit_coarsening_law, unicity
from lab.mitigations.coarsen import merge_towers

cdr = world.releases["cdr"]  # the phone operator's release: pseudonym, t (when), tower_id (where), ...
print(f"{len(cdr):,} records of {cdr['pseudonym'].nunique():,} subscribers at {cdr['tower_id'].nunique()} towers")
cdr.head()

# %% [markdown]
# **q1 (3 points). Towers × hours.** A point is a tower during one clock hour. For p = 1, 2, 3 and 4,
# compute ε<sub>p</sub> with `unicity(cdr, p=p, space="tower_id", hours=1, rng=0)` and store the four
# shares, in that order, as a list of floats in `eps_by_p`. Then store in `skipped4` (an int) how many
# subscribers the measurement at p = 4 leaves out because they hold fewer than 4 distinct points.

# %%
# BEGIN SOLUTION
results = [unicity(cdr, p=p, space="tower_id", hours=1, rng=0) for p in (1, 2, 3, 4)]
eps_by_p = [r.share for r in results]
skipped4 = results[3].skipped
print(eps_by_p, skipped4)
# END SOLUTION
check("q1")

# %% [markdown]
# Each ε<sub>p</sub> is measured on the subscribers who hold at least *p* distinct points, so the crowd
# evaluated changes with *p*: on a town this small ε<sub>p</sub> need not rise at every step.
#
# **q2 (2 points). No times.** Suppose the operator published only *which towers* each subscriber used,
# with no times at all (`hours=None`). Store in `eps_towers` the list of the six shares
# `unicity(cdr, p=p, space="tower_id", hours=None, rng=0).share` for p = 1, 2, …, 6 (in that order), and in
# `p_75` (an int) the first p of 1, …, 6 whose ε<sub>p</sub> in `eps_towers` is at least 0.75 (three
# subscribers in four singled out).

# %%
# BEGIN SOLUTION
eps_towers = [unicity(cdr, p=p, space="tower_id", hours=None, rng=0).share for p in range(1, 7)]
p_75 = next(p for p, e in zip(range(1, 7), eps_towers) if e >= 0.75)
print(eps_towers, p_75)
# END SOLUTION
check("q2")

# %% [markdown]
# **q3 (2 points). The adversary's pick.** The paper draws the known points at random. An adversary who
# knows the town picks the subscriber's *rarest* point instead: the one the fewest other subscribers
# hold (`strategy="rare"`). Store in `eps1_rare` (a float) the unicity with **one** rarest point,
# towers × hours: the `.share` of `unicity(cdr, p=1, space="tower_id", hours=1, strategy="rare", rng=0)`.
# Compare it with ε<sub>1</sub> for a random point (`eps_by_p[0]`).

# %%
# BEGIN SOLUTION
eps1_rare = unicity(cdr, p=1, space="tower_id", hours=1, strategy="rare", rng=0).share
print(f"one random point: {eps_by_p[0]:.1%} unique; one rarest point: {eps1_rare:.1%}")
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (3 points). The coarsening law.** Coarsen the release and fit the paper's law
# ε<sub>p</sub> = α<sub>p</sub> − (v·h)<sup>β<sub>p</sub></sup>. For each merge factor v in 1, 2, 4, 8
# (`merged = merge_towers(cdr, factor=v)` with its default seed; v = 1 is `cdr` itself) and each bin width
# h in 1, 2, 4, 8 hours, compute `unicity(merged, p=2, space="tower_id", hours=h, rng=0).share`: sixteen
# resolutions, every subscriber evaluated (no `sample`). Put them in a DataFrame `sweep` with one row per
# resolution and the columns `p` (= 2), `factor` (v), `hours` (h), `scale` (v × h) and `share`, and fit it
# with `fit_coarsening_law(sweep)`. Store the fitted exponent β for p = 2 (its `exponent` column) as a
# float in `beta2`, and ε<sub>2</sub> at the coarsest resolution (towers merged ×8, 8-hour bins) as a
# float in `eps2_coarsest`.

# %%
# BEGIN SOLUTION
rows = []
for factor in (1, 2, 4, 8):
    merged = cdr if factor == 1 else merge_towers(cdr, factor=factor)
    for hours in (1, 2, 4, 8):
        share = unicity(merged, p=2, space="tower_id", hours=hours, rng=0).share
        rows.append({"p": 2, "factor": factor, "hours": hours, "scale": factor * hours, "share": share})
sweep = pd.DataFrame(rows)
law = fit_coarsening_law(sweep)
beta2 = float(law.loc[law["p"] == 2, "exponent"].iloc[0])
eps2_coarsest = float(sweep.loc[(sweep["factor"] == 8) & (sweep["hours"] == 8), "share"].iloc[0])
print(f"β₂ = {beta2:.3f}; ε₂ falls from {sweep['share'].iloc[0]:.1%} (original) to {eps2_coarsest:.1%} "
      "(towers ×8, 8-hour bins)")
# END SOLUTION
check("q4")

# %% [markdown]
# The paper found β of about 1/10 on 1.5 million people. A small β means that every doubling of the
# resolution takes away only a slice of the uniqueness: blurring the data 64 times still leaves a good
# share of subscribers singled out by two points, and q2 showed that, even with the times gone, a few
# more known points win it back.
