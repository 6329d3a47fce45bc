# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 10: Does scale save us?
#
# This notebook works on **your own city**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You redo the first experiment of lesson 10 (Farzanehfar, Houssiau & de Montjoye 2021) on a city of
# your own: lesson 02's town, an island of radius 14 km with **20,000 people**, observed by the phone operator for
# one week. You measure the unicity ε<sub>4</sub> of crowds of growing size drawn from it, fit how it
# falls, extrapolate the fit to the 2.57 million people of the 2019 registry, and weigh what a bigger,
# denser crowd buys against a fifth known point and against coarser places and hours. Everything runs
# in a few seconds.
#
# Throughout, `unicity` is `lab.attacks.unicity.unicity` (its `.share` is ε<sub>p</sub>, a float
# between 0 and 1), and `unicity_by_population` and `fit_population_decay` come from
# `lab.attacks.population` (read `help(...)` on each). Every measurement evaluates a random sample of
# `SAMPLE` targets; always pass `sample=SAMPLE` and `rng=0`, in every call, so that your random draws
# are the grader's.

# %% tags=["setup"]
# The release writes this cell: your seed, your city and the visible checks.

# %% [markdown]
# Run the cell below first. `cdr` is the operator's release of your city (`pseudonym`, `t`, `lat`,
# `lon`, `tower_id`, ...), `n_city` its number of subscribers, `SAMPLE` the targets evaluated per
# measurement and `REGISTRY` the registry's 2,570,000 people.

# %%
import math

from lab.attacks.population import fit_population_decay, unicity_by_population
from lab.attacks.unicity import unicity
from lab.metrics.utility import displacement_m
from lab.mitigations.coarsen import merge_towers

cdr = world.releases["cdr"]  # the phone operator's call detail records, one week
n_city = cdr["pseudonym"].nunique()
n_towers = cdr["tower_id"].nunique()
SAMPLE = 2000                # targets evaluated per measurement
REGISTRY = 2_570_000         # the 2019 registry's people
print(f"{len(cdr):,} records of {n_city:,} subscribers at {n_towers} towers: "
      f"{n_city / n_towers:,.0f} subscribers per tower")
cdr.head()

# %% [markdown]
# **q1 (2 points). Crowds drawn from your city.** Measure ε<sub>4</sub> (four tower-hours: towers,
# 1-hour bins) on crowds of N = 2,000, 4,000 and 8,000 pseudonyms drawn from your city, and on the
# whole city (N = `n_city`), **in one call**, with the sizes in that order:
# `by_size = unicity_by_population(cdr, sizes=[2_000, 4_000, 8_000, n_city], p=4, space="tower_id",
# hours=1.0, sample=SAMPLE, rng=0)`. (One call draws every crowd from the same random generator, one
# after the other: four separate calls with `rng=0` draw other crowds.) Store its four shares, in that
# order, as a list of floats in `eps_by_size`. (Each share is measured on at most 2,000 targets, those
# holding at least four distinct tower-hours, and is uncertain by about a percentage point: two
# neighbouring sizes may come out in either order.)

# %%
SIZES = [2_000, 4_000, 8_000, n_city]
# BEGIN SOLUTION
by_size = unicity_by_population(cdr, sizes=SIZES, p=4, space="tower_id", hours=1.0, sample=SAMPLE, rng=0)
eps_by_size = [float(e) for e in by_size["share"]]
by_size["per tower"] = by_size["population"] / n_towers
print(by_size)
# END SOLUTION
check("q1")

# %% [markdown]
# Every crowd lives on the same island, at the same towers, in the same week: a larger crowd is also a
# **denser** one, with more people per tower and per hour to share your four points.
#
# **q2 (3 points). Fit and extrapolate.** Fit the decline with `decay = fit_population_decay(by_size)`:
# logit ε<sub>4</sub> = a + b · ln N, with b = `decay.slope`. Store as floats the slope in `slope`, the
# factor by which each tenfold growth of the crowd divides the odds of being unique, ε / (1 − ε), in
# `odds_per_tenfold` (`decay.odds_per_tenfold`), and the ε<sub>4</sub> the fit predicts for a crowd of
# the registry's size, `decay.predict(REGISTRY)`, in `eps4_registry`.

# %%
# BEGIN SOLUTION
decay = fit_population_decay(by_size)
slope = float(decay.slope)
odds_per_tenfold = float(decay.odds_per_tenfold)
eps4_registry = float(decay.predict(REGISTRY))
print(f"slope {slope:.3f}: odds ÷ {odds_per_tenfold:.1f} per tenfold; ε₄ at 2.57 M ≈ {eps4_registry:.1%}")
# END SOLUTION
check("q2")

# %% [markdown]
# The extrapolation asks what would happen if 2.57 million people lived on your 14 km island and used
# its few hundred towers: a statement about density, not about a registry spread over a region (lesson
# 10 grew a town at constant density and found ε<sub>4</sub> did not fall at all).
#
# **q3 (2 points). One more point.** In the whole city, the densest crowd you have, measure
# ε<sub>4</sub> and ε<sub>5</sub> with the same targets: `unicity(cdr, p=p, space="tower_id", hours=1.0,
# sample=SAMPLE, rng=0).share` for p = 4 and p = 5. Store them as floats in `eps4_city` and `eps5_city`.
# (`eps4_city` is measured on other targets than the last share of `eps_by_size`, so the two may differ
# a little.)

# %%
# BEGIN SOLUTION
eps4_city = unicity(cdr, p=4, space="tower_id", hours=1.0, sample=SAMPLE, rng=0).share
eps5_city = unicity(cdr, p=5, space="tower_id", hours=1.0, sample=SAMPLE, rng=0).share
print(f"whole city: ε₄ = {eps4_city:.1%}, ε₅ = {eps5_city:.1%}; the crowd took "
      f"{100 * (eps_by_size[0] - eps_by_size[-1]):.1f} points from N = 2,000 to N = {n_city:,}")
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (3 points). Coarsening and its price.** Publish less detail instead: towers merged four by four
# into larger areas and times in 4-hour bins.
#
# - Store in `eps4_coarse` (a float) ε<sub>4</sub> of the whole city at that resolution:
#   `unicity(cdr, p=4, space="merged:tower_id:4", hours=4, sample=SAMPLE, rng=0).share`.
# - The price in space: `merge_towers(cdr, factor=4)` (with its default seed) moves each record to the
#   centre of its merged area. Store in `moved_m` (a float) the **mean** distance in metres a record
#   moves: the mean of `displacement_m(cdr, merged)`.
# - What a crowd would have to do for the same: from `eps4_city` to `eps4_coarse` the odds of being
#   unique, ε / (1 − ε), fall by some factor. By your fit of q2, each tenfold growth of the crowd on the
#   same island divides them by `odds_per_tenfold`. Store in `tenfolds` (a float) how many tenfold
#   growths would give the same fall: the logarithm of the odds' factor divided by the logarithm of
#   `odds_per_tenfold` (the same base for both).

# %%
# BEGIN SOLUTION
eps4_coarse = unicity(cdr, p=4, space="merged:tower_id:4", hours=4, sample=SAMPLE, rng=0).share
merged = merge_towers(cdr, factor=4)
moved_m = float(displacement_m(cdr, merged).mean())


def odds(share):
    """The odds of being unique."""
    return share / (1 - share)


tenfolds = math.log(odds(eps4_city) / odds(eps4_coarse)) / math.log(odds_per_tenfold)
print(f"ε₄ {eps4_city:.1%} → {eps4_coarse:.1%} (records moved {moved_m:,.0f} m, times known to 4 h): "
      f"as much as {tenfolds:.2f} tenfold growths, a crowd {10 ** tenfolds:,.0f} times larger on the same island")
# END SOLUTION
check("q4")

# %% [markdown]
# Coarsening buys in one step what your crowd would buy only by growing `10 ** tenfolds` times denser on
# the same island, and even then about a third of your city stays unique with four points; a fifth known
# point (q3) wins back much of what the crowd took. Neither a bigger crowd nor a blurrier release makes
# a release anonymous on its own: the first hides only people who crowd into the same places and hours,
# the second is paid for in the detail the data were wanted for.
