# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 05: Sensitive places
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# You redo lesson 05 (Krumm 2007, and the 2019 leak's sightings at places of worship) on a small town
# of a few hundred people over two weeks, from the GPS release only: who keeps coming back to a place
# of worship or a clinic, how well the place of worship gives away a person's (fictional) community
# compared with the base rate, how close the home guessed from the GPS lies to the true one, and what
# dropping the sensitive places before publishing changes. None of the steps is random: following them
# exactly gives one answer. Everything runs in a few seconds.
#
# The town's public map of places is `world.places` (`place_id`, `kind`, `lat`, `lon`, `community`, ...);
# the places of kind `"worship"` and `"clinic"` are the sensitive ones. Only the functions of
# `lab.metrics` read the truth (the registry `world.people` and the answer key `world.keys`); the attacks
# see only the release and the public map.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %%
from lab.attacks.home_work import infer_home_work
from lab.attacks.sensitive import infer_attribute, regular_visitors, snap_to_places
from lab.metrics.inference_score import attribute_accuracy, attribute_truth
from lab.metrics.risk import home_error_m
from lab.mitigations.coarsen import snap_to_grid
from lab.mitigations.minimise import drop_sensitive

gps = world.releases["gps"]  # the app's release: pseudonym, t (when), lat, lon (where), ...
places = world.places  # the public map of the town
origin = world.scenario.origin  # the town's public grid origin: anchor every grid on it
print(f"GPS: {len(gps):,} fixes from {gps['pseudonym'].nunique():,} phones over {world.scenario.days} days; "
      f"{(places['kind'] == 'worship').sum()} places of worship and {(places['kind'] == 'clinic').sum()} clinics")
gps.head(3)

# %% [markdown]
# **q1 (2 points). Who comes back.** First, how close does the GPS get to the sensitive places? Snap
# every GPS fix to the nearest place of worship or clinic within 50 m,
# `snap_to_places(gps, places, kinds=("worship", "clinic"), radius_m=50)` (a Series of `place_id`, missing
# where no such place lies within 50 m), and store in `n_sensitive_fixes` (an int) how many fixes found one.
#
# Then find the regulars: `regular_visitors(gps, places, radius_m=50, min_visits=3, min_weeks=2)` returns
# one row per pseudonym and place it was seen at, with the place's `kind` and a boolean `regular` (at least
# 3 visits, on distinct days, in at least 2 different weeks). Store in `clinic_regulars` the **set** of the
# pseudonyms (strings) that are regulars of at least one place of kind `"clinic"`.

# %%
# BEGIN SOLUTION
n_sensitive_fixes = int(snap_to_places(gps, places, kinds=("worship", "clinic"), radius_m=50).notna().sum())
regulars = regular_visitors(gps, places, radius_m=50, min_visits=3, min_weeks=2)
clinic_regulars = set(regulars.loc[regulars["regular"] & (regulars["kind"] == "clinic"), "pseudonym"])
print(f"{n_sensitive_fixes:,} fixes within 50 m of a sensitive place; {len(clinic_regulars)} regulars of a clinic")
# END SOLUTION
check("q1")

# %% [markdown]
# Nothing above needed a name, and yet each regular of a clinic is a phone that, night after night,
# sleeps at one address of the registry (q3).
#
# **q2 (3 points). From the place of worship to the community.** Each place of worship serves one
# community (its `community` column in `places`). Run the attack with its defaults apart from the radius,
# `predictions = infer_attribute(gps, places, radius_m=50)` (it counts visits to places of worship on each
# place's busiest weekday and predicts the community visited most; pseudonyms with no counted visit get no
# prediction), and score it against the registry:
# `score = attribute_accuracy(predictions, attribute_truth(world.people, world.keys, "gps"))`, a dict.
# Store its `"covered"` (how many pseudonyms got a prediction) as an int in `gps_covered`, its
# `"accuracy"` (share of those predictions that are right) as a float in `gps_accuracy`, and its
# `"base_rate"` (the accuracy of guessing the most common community for the same pseudonyms) as a float in
# `gps_base_rate`.

# %%
# BEGIN SOLUTION
truth = attribute_truth(world.people, world.keys, "gps")
score = attribute_accuracy(infer_attribute(gps, places, radius_m=50), truth)
gps_covered = int(score["covered"])
gps_accuracy = float(score["accuracy"])
gps_base_rate = float(score["base_rate"])
print(f"{gps_covered} of {score['n']} phones given a community: {gps_accuracy:.0%} right, "
      f"against a base rate of {gps_base_rate:.0%}")
# END SOLUTION
check("q2")

# %% [markdown]
# Always read an accuracy beside its base rate and its coverage: the phones *not* covered are exposed by
# nothing here, the covered ones far more surely than by guessing.
#
# **q3 (2 points). Krumm's first step: the home.** Snap the GPS release to a 100 m grid anchored on the
# town's origin, `snap_to_grid(gps, cell_m=100, origin=origin)`, and run `infer_home_work` on the result with
# its default settings (one row per pseudonym; `home_lat`, `home_lon` is its most frequent cell at night).
# Score the homes with `home_error_m(homes, keys=world.keys, release="gps", people=world.people,
# places=world.places)`: a Series of distances in metres to each person's true home (NaN where no home was
# inferred). Store its median (pandas' `.median()`, which skips NaN) as a float in `median_home_error_m`,
# and in `homes_within_100m` (an int) how many pseudonyms have an inferred home at most 100 m from the true
# one.

# %%
# BEGIN SOLUTION
homes = infer_home_work(snap_to_grid(gps, cell_m=100, origin=origin))
home_error = home_error_m(homes, keys=world.keys, release="gps", people=world.people, places=world.places)
median_home_error_m = float(home_error.median())
homes_within_100m = int((home_error <= 100).sum())
print(f"median home error {median_home_error_m:.0f} m (Krumm: about 60 m); "
      f"{homes_within_100m} of {len(home_error)} homes within 100 m")
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (3 points). Drop the sensitive places.** Before publishing, the data holder removes every GPS fix
# within 100 m of a place of worship or a clinic:
# `protected = drop_sensitive(gps, places, kinds=("worship", "clinic"), radius_m=100)`. Store in `rows_kept`
# (a float) the share of the release's rows it keeps, `len(protected) / len(gps)`.
#
# Run at the same 50 m radius, the attack of q2 now predicts nothing at all (no fix is left within 50 m of
# a place of worship: the coverage is 0 and the accuracy NaN). But the adversary knows the policy and
# looks just outside the hole, at the trips before and after a visit. Run
# `infer_attribute(protected, places, radius_m=200)` and score it exactly as in q2 (the truth of the
# `"gps"` release). Store its `"accuracy"` as a float in `dropped_accuracy` and its `"base_rate"` as a float
# in `dropped_base_rate`.

# %%
# BEGIN SOLUTION
protected = drop_sensitive(gps, places, kinds=("worship", "clinic"), radius_m=100)
rows_kept = len(protected) / len(gps)
dropped = attribute_accuracy(infer_attribute(protected, places, radius_m=200), truth)
dropped_accuracy = float(dropped["accuracy"])
dropped_base_rate = float(dropped["base_rate"])
print(f"{rows_kept:.1%} of the rows kept; the adapted attack covers {dropped['covered']} phones, "
      f"{dropped_accuracy:.0%} right against a base rate of {dropped_base_rate:.0%} (before: {gps_accuracy:.0%})")
# END SOLUTION
check("q4")

# %% [markdown]
# Compare q4 with q2. Only a small share of the rows was dropped; the adapted attack still gives a community
# to many phones, but is it still better than guessing (`dropped_accuracy` against `dropped_base_rate`)?
# Whatever your town says, the drop does not stop inference as such: the homes of q3 are computed from the
# nights, mostly spent far from any sensitive place, and lesson 05 shows how an ordinary census table
# turns a home into a guess of the community.
