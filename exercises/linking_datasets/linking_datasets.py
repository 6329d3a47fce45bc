# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 04: Linking datasets
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You redo lesson 04 (Narayanan & Shmatikov 2008; Wang et al. 2018) on a town of 1,200 people over
# two weeks (larger than the usual classroom town, so that enough people post under their name):
# put names on the anonymous GPS release with the public check-ins, link the check-in accounts to
# the advertising ids without any name, measure the *ideal bound* of exact known points, and watch
# the linkage fall when the known points are off in time or in space. Everything runs in a few
# seconds.
#
# Throughout, a *point* is a 250 m grid cell during a time bin (one hour unless a question says
# otherwise). Every random draw is seeded: always pass `rng=0` where a question says so, so that
# your draws are the grader's.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %%
import numpy as np
import pandas as pd

from lab.attacks.linkage import link_releases, link_to_auxiliary, sample_known_points
from lab.geo import to_latlon, to_local
from lab.metrics.linkage_score import pairs_between, pairs_by_name, reidentification_rate, top_k_accuracy

gps = world.releases["gps"]  # the app's release: pseudonym (an advertising id), t, lat, lon, ...
checkins = world.releases["checkins"]  # public posts: pseudonym (the account), display_name, t, place, lat, lon
named = checkins[checkins["display_name"].notna()]  # the posts of accounts that show a name
gps_ids = gps["pseudonym"].unique()  # every advertising id in the GPS release (use it with .isin: fast)
print(f"GPS: {len(gps):,} fixes from {len(gps_ids):,} advertising ids; check-ins: {len(checkins):,} posts from "
      f"{checkins['pseudonym'].nunique():,} accounts, of which {named['display_name'].nunique():,} show a name")
named[["display_name", "t", "place_name", "lat", "lon"]].head()

# %% [markdown]
# **q1 (3 points). Names onto advertising ids.** The answer key first. Take
# `pairs_by_name(world.people, world.keys, "gps")` (columns `identity`, `pseudonym`: every person's
# name with each of their advertising ids) and keep only the rows whose `identity` is one of the names
# shown in `named` (its `display_name` column) **and** whose `pseudonym` is in `gps_ids`; call the result
# `truth`. Store in `n_names` (an int) the number of distinct names in `truth`: the named accounts whose
# owner uses the GPS app. (Filter with `.isin(...unique())`: `isin` on a whole string column is slow.)
#
# Then link: `link_to_auxiliary(gps, named, space="grid:250", hours=1, identity="display_name", top=5)`
# ranks five candidate advertising ids per name. Score it with `top_k_accuracy(matches, truth, k)` and
# store the top-1 accuracy in `top1_names` and the top-5 accuracy in `top5_names` (floats between 0 and 1).

# %%
# BEGIN SOLUTION
truth = pairs_by_name(world.people, world.keys, "gps")
truth = truth[truth["identity"].isin(named["display_name"].unique()) & truth["pseudonym"].isin(gps_ids)]
n_names = int(truth["identity"].nunique())
matches = link_to_auxiliary(gps, named, space="grid:250", hours=1, identity="display_name", top=5)
top1_names = top_k_accuracy(matches, truth, 1)
top5_names = top_k_accuracy(matches, truth, 5)
print(f"{n_names} names: top-1 {top1_names:.1%}, top-5 {top5_names:.1%}; "
      f"a blind guess: {1 / len(gps_ids):.2%}")
# END SOLUTION
check("q1")

# %% [markdown]
# Far above a blind guess, far from everyone: a post is written at a place, while the app logs only
# when it is open, so many posts fall on no point of their owner's GPS trace.
#
# **q2 (2 points). Accounts, no names needed, and wider bins.** An account that shows no name can still
# be linked: `link_releases(checkins, gps, cell_m=250, hours=h, top=1)` ranks the advertising ids for
# every check-in account (`pseudonym_a`, named or not) by how many points they share (a weighted cosine).
# The answer key: `pairs_between(world.keys, "checkins", "gps")` (columns `pseudonym_a`, `pseudonym_b`),
# keeping only the rows whose `pseudonym_a` is an account of `checkins` and whose `pseudonym_b` is in
# `gps_ids`. For each width h in 1, 2, 4, 6 and 24 hours (in that order), link with 250 m cells and
# that width and score with `reidentification_rate(matches, truth_accounts)`; store the five rates,
# a list of floats, in `reid_by_width`. Store in `best_width` (an int, in hours) the width with the
# highest rate; among equal rates, the first (narrowest) of them.

# %%
# BEGIN SOLUTION
WIDTHS = (1, 2, 4, 6, 24)
truth_accounts = pairs_between(world.keys, "checkins", "gps")
truth_accounts = truth_accounts[truth_accounts["pseudonym_a"].isin(checkins["pseudonym"].unique())
                                & truth_accounts["pseudonym_b"].isin(gps_ids)]
reid_by_width = [reidentification_rate(link_releases(checkins, gps, cell_m=250, hours=h, top=1), truth_accounts)
                 for h in WIDTHS]
best_width = WIDTHS[int(np.argmax(reid_by_width))]
print(f"{truth_accounts['pseudonym_a'].nunique()} accounts:",
      {h: round(r, 3) for h, r in zip(WIDTHS, reid_by_width)}, "best:", best_width, "h")
# END SOLUTION
check("q2")

# %% [markdown]
# A wider bin forgives a post written a little before or after the app was open, but makes every
# point less rare: more people share it. Which width wins depends on the town.
#
# **q3 (2 points). The ideal bound.** The theory assumes the adversary knows points taken from the
# release itself. For k = 1, 2 and 4 (in that order), draw
# `known = sample_known_points(gps, k=k, n_targets=200, space="grid:250", hours=1, rng=0)`: k points of
# each of 200 random advertising ids, named in the `identity` column by their own id (so the answer key
# of target x is the pair (x, x)). Link them with
# `found = link_to_auxiliary(gps, known, space="grid:250", hours=1, top=2)` and compute two shares:
#
# - the **ideal bound**: the share of the 200 targets for which exactly **one** advertising id holds all
#   k of its points (exactly one row of `found` for that identity has `matched == k`);
# - the **top-1 accuracy**: the share of targets for which `found` ranks their own id first
#   (`top_k_accuracy(found, key, 1)` with the answer key
#   `key = pd.DataFrame({"identity": targets, "pseudonym": targets})`, where
#   `targets = known["identity"].unique()`).
#
# Store the three ideal bounds in `ideal_by_k` and the three accuracies in `top1_by_k` (lists of
# floats, in the order k = 1, 2, 4). Keep the k = 4 sample as `known4`: q4 uses it.

# %%
# BEGIN SOLUTION
ideal_by_k, top1_by_k = [], []
for k in (1, 2, 4):
    known = sample_known_points(gps, k=k, n_targets=200, space="grid:250", hours=1, rng=0)
    targets = known["identity"].unique()
    found = link_to_auxiliary(gps, known, space="grid:250", hours=1, top=2)
    holders = found[found["matched"] == k].groupby("identity").size().reindex(targets, fill_value=0)
    ideal_by_k.append(float((holders == 1).mean()))
    top1_by_k.append(top_k_accuracy(found, pd.DataFrame({"identity": targets, "pseudonym": targets}), 1))
    if k == 4:
        known4 = known
print("ideal bound:", [round(s, 3) for s in ideal_by_k], "top-1:", [round(s, 3) for s in top1_by_k])
# END SOLUTION
check("q3")

# %% [markdown]
# A target whose points no one else holds is always found, so the accuracy never falls below the bound;
# it can rise above it by luck, when several ids hold the points and the tie goes to the right one.
#
# **q4 (3 points). Mismatch.** Real auxiliary data is not exact. The two functions below (from the
# lesson) spoil the known points: `shift_times` moves each time by a random amount of up to ± `minutes`,
# `move_points` moves each position `metres` in a random direction. Measure the top-1 accuracy as in q3
# (link with `link_to_auxiliary(gps, ..., space="grid:250", hours=..., top=1)` and score against the
# targets' own ids) and store three floats:
#
# - `shifted_1h`: `shift_times(known4, 120, rng=0)` linked with 1-hour bins;
# - `shifted_4h`: the same shifted points linked with 4-hour bins (`hours=4`);
# - `moved_400`: `move_points(known4, 400, rng=0)` linked with 1-hour bins.

# %%
origin = world.scenario.origin  # the town centre, for the metric offsets of move_points


def shift_times(known, minutes, *, rng):
    """Each known time off by a random amount of up to ± ``minutes``."""
    off = np.random.default_rng(rng).uniform(-minutes, minutes, len(known))
    return known.assign(t=known["t"] + pd.to_timedelta(off, unit="min"))


def move_points(known, metres, *, rng):
    """Each known position moved ``metres`` in a random direction."""
    angle = np.random.default_rng(rng).uniform(0, 2 * np.pi, len(known))
    x, y = to_local(known["lat"], known["lon"], origin=origin)
    lat, lon = to_latlon(x + metres * np.cos(angle), y + metres * np.sin(angle), origin=origin)
    return known.assign(lat=lat, lon=lon)


# %%
# BEGIN SOLUTION
def accuracy(known, *, hours=1):
    """Top-1 accuracy: the share of targets whose own advertising id the linkage ranks first."""
    found = link_to_auxiliary(gps, known, space="grid:250", hours=hours, top=1)
    targets = known["identity"].unique()
    return top_k_accuracy(found, pd.DataFrame({"identity": targets, "pseudonym": targets}), 1)


shifted = shift_times(known4, 120, rng=0)
shifted_1h = accuracy(shifted, hours=1)
shifted_4h = accuracy(shifted, hours=4)
moved_400 = accuracy(move_points(known4, 400, rng=0))
print(f"exact: {top1_by_k[-1]:.1%}; times ± 120 min: {shifted_1h:.1%} (1 h bins), {shifted_4h:.1%} (4 h bins); "
      f"positions 400 m off: {moved_400:.1%}")
# END SOLUTION
check("q4")

# %% [markdown]
# Time hurts slowly, and a wider bin wins most of it back; space hurts fast: once the error is larger
# than the 250 m cell, exact matching finds nothing, or the wrong person. That is the gap Wang et al.
# measured between the ideal bound and what real, mismatched auxiliary data achieves.
