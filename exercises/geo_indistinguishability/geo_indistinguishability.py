# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 08: Geo-indistinguishability
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You will protect your town's GPS release with planar Laplace noise (lesson 08), check the noise
# against its promises, break it by averaging a phone's night-time reports, and repair it with a
# cache. Every random draw uses `rng=0`, exactly as stated, so that your answers are reproducible.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %%
import math

from lab.metrics.risk import home_error_m
from lab.mitigations.geoind import averaging_attack, measure_displacement, planar_laplace, radius_quantile

gps = world.releases["gps"]
gps.head()

# %% [markdown]
# **q1 (2 points). Add the noise.** Take the privacy level ℓ = ln 4 within r = 200 m, so ε = ℓ / r
# (a privacy loss per metre): store it in `epsilon`. Store the number of fixes (rows) of `gps` in
# `n_fixes` (an `int`). Protect the whole release with
# `noisy = planar_laplace(gps, epsilon=epsilon, rng=0)`, measure how far each fix moved with
# `moved = measure_displacement(gps, noisy)` (metres) and store the mean move, in metres, in
# `mean_move` (a float). The paper promises 2/ε on average: how close are you?

# %%
# BEGIN SOLUTION
epsilon = math.log(4) / 200
n_fixes = len(gps)
noisy = planar_laplace(gps, epsilon=epsilon, rng=0)
moved = measure_displacement(gps, noisy)
mean_move = moved.mean()
print(f"mean move {mean_move:.1f} m; 2/ε = {2 / epsilon:.1f} m")
# END SOLUTION
check("q1")

# %% [markdown]
# **q2 (2 points). The 90 % radius.** Store in `r90` the radius, in metres, within which 90 % of
# the planar Laplace moves fall for your `epsilon`: `radius_quantile(epsilon, 0.9)`, as a float.
# Then count the fixes of your `noisy` release (from q1) that moved **strictly more** than `r90`
# metres (use `moved` from q1) and store that count in `n_beyond_r90` (an `int`). About what share
# of `n_fixes` do you expect?

# %%
# BEGIN SOLUTION
r90 = float(radius_quantile(epsilon, 0.9))
n_beyond_r90 = int((moved > r90).sum())
print(f"r90 = {r90:.1f} m = {r90 * epsilon:.2f}/ε; {n_beyond_r90:,} of {n_fixes:,} fixes moved further "
      f"({n_beyond_r90 / n_fixes:.2%})")
# END SOLUTION
check("q2")

# %% [markdown]
# **q3 (3 points). The averaging attack.** An app that asks for the position at night gets many noisy
# reports of one place: home. The night reports are the rows of `gps` whose local hour
# `gps["t"].dt.hour` is 1, 2, 3 or 4 (01:00 to 04:59); the cell below keeps their index labels in
# `night_index`. Store in `n_night_phones` the number of distinct pseudonyms among them (an `int`).
#
# Then attack the **noisy** release of q1: take its night rows, `noisy.loc[night_index]`, and average
# each phone's reports with `averaging_attack` (its default groups by `pseudonym`). The helper
# `home_error(estimate)` below measures, against the answer key, how far each estimate lies from
# that phone owner's true home and returns the mean over the phones, in metres. Store
# `home_error(averaging_attack(noisy.loc[night_index]))` in `attack_error_m` (a float). Compare it
# with the mean move of one report (q1).

# %%
hour = gps["t"].dt.hour
night_index = gps.index[(hour >= 1) & (hour < 5)]


def home_error(estimate):
    """Mean distance (m) from each phone's estimated home (an averaging_attack result) to its true home."""
    inferred = estimate.set_index("pseudonym").rename(columns={"lat": "home_lat", "lon": "home_lon"})
    return home_error_m(inferred, keys=world.keys, release="gps", people=world.people,
                        places=world.places).mean()


# %%
# BEGIN SOLUTION
n_night_phones = gps.loc[night_index, "pseudonym"].nunique()
attack_error_m = home_error(averaging_attack(noisy.loc[night_index]))
print(f"{n_night_phones} phones report at night; their averaged reports land {attack_error_m:.0f} m from home "
      f"(one report moves {mean_move:.0f} m on average)")
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (3 points). The cache.** Protect the release again, this time with one noisy point per phone
# and 300 m grid cell, anchored on the town's public map origin:
# `cached = planar_laplace(gps, epsilon=epsilon, rng=0, cache=True, snap_m=300, origin=world.scenario.origin)`.
# Run the same attack on its night rows and store
# `home_error(averaging_attack(cached.loc[night_index]))` in `cached_error_m` (metres, a float).
# Then store in `one_point_share` the share (between 0 and 1) of the night phones whose night rows
# in `cached` all carry one and the same published point (the same `lat` and the same `lon`). Did the
# cache stop the averaging? What did it cost?

# %%
# BEGIN SOLUTION
cached = planar_laplace(gps, epsilon=epsilon, rng=0, cache=True, snap_m=300, origin=world.scenario.origin)
cached_night = cached.loc[night_index]
cached_error_m = home_error(averaging_attack(cached_night))
one_point_share = (cached_night.groupby("pseudonym")[["lat", "lon"]].nunique().max(axis=1) == 1).mean()
print(f"with the cache the average lands {cached_error_m:.0f} m from home (fresh noise: {attack_error_m:.0f} m); "
      f"{one_point_share:.0%} of the night phones published a single point")
# END SOLUTION
check("q4")
