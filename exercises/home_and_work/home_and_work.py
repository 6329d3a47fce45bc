# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 03: Home and work
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# As in lesson 03, you will guess where each GPS phone sleeps and works, count how many phones
# share each (home, work) pair at three nested geographies (Golle & Partridge, 2009), and measure
# how often a subscriber's top 1, 2 or 3 locations are theirs alone (Zang & Bolot, 2011). None of
# the steps is random: following them exactly gives one answer.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %%
from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.attacks.top_locations import top_n_uniqueness
from lab.grid import Space
from lab.mitigations.coarsen import snap_to_grid

gps, cdr = world.releases["gps"], world.releases["cdr"]
origin = world.scenario.origin  # the town's public grid origin: anchor every grid on it
print(f"GPS: {len(gps):,} fixes from {gps['pseudonym'].nunique():,} phones; "
      f"CDR: {len(cdr):,} records from {cdr['pseudonym'].nunique():,} subscribers; grid origin {origin}")
gps.head(3)

# %% [markdown]
# **q1 (2 points).** Snap the GPS release to a 100 m grid anchored on the town's origin,
# `snap_to_grid(gps, cell_m=100, origin=origin)`, and run `infer_home_work` on the result with its
# default settings. Store the table it returns (one row per phone) in `pairs`: the next questions use
# it. How many phones have **both** a home and a workplace (none of `home_lat`, `home_lon`,
# `work_lat`, `work_lon` missing)? Store that count, an integer, in `n_pairs`.

# %%
# BEGIN SOLUTION
pairs = infer_home_work(snap_to_grid(gps, cell_m=100, origin=origin))
n_pairs = int(pairs[["home_lat", "home_lon", "work_lat", "work_lon"]].notna().all(axis=1).sum())
# END SOLUTION
check("q1")

# %% [markdown]
# **q2 (2 points).** Anonymity sets of the (home, work) pairs: run
# `anonymity_sets(pairs, origin=origin)` with its default geographies (blocks of 200 m, tracts of
# 1 km, districts of 5 km). It returns three tables, `sizes, summary, cdf`; keep `sizes` for q3.
# Store in `share_unique` a list of three floats: the share of phones alone with their pair
# (column `share_unique` of `summary`) at block, tract and district level, in that order.

# %%
# BEGIN SOLUTION
sizes, summary, cdf = anonymity_sets(pairs, origin=origin)
share_unique = summary["share_unique"].tolist()
# END SOLUTION
check("q2")

# %% [markdown]
# **q3 (2 points).** Even at district level (5 km cells) the crowd is small. What share of the
# phones in `sizes` share their (home, work) pair with at most four other phones, i.e. have a
# district anonymity set of **5 or fewer**? Store it as a float between 0 and 1 in
# `share_small_district`.

# %%
share_small_district = float((sizes["district"] <= 5).mean())  # SOLUTION
check("q3")

# %% [markdown]
# **q4 (3 points).** Top-N locations in the operator's CDR release, on a 2 km grid (about a zip
# code) anchored on the town's origin. Run
# `top_n_uniqueness(cdr, ns=(1, 2, 3), spaces=[Space("grid", cell_m=2000, origin=origin)])` and store
# in `top_unique` a list of three floats: the share of subscribers whose top-1, top-2 and top-3 set
# of cells no one else has (column `share_unique`), in the order N = 1, 2, 3. Does the single most
# frequent location single people out? Do the top 2 or top 3?

# %%
# BEGIN SOLUTION
top = top_n_uniqueness(cdr, ns=(1, 2, 3), spaces=[Space("grid", cell_m=2000, origin=origin)])
top_unique = top["share_unique"].tolist()
# END SOLUTION
check("q4")
