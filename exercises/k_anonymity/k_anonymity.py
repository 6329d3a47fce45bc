# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 07: k-anonymity, for records and for traces
#
# This notebook works on **your own town**: the data below were made from your student id, so
# your answers differ from your classmates'. Answer each question by setting the variable it
# names; run `check("q1")` (and so on) to run the visible checks. Hidden checks run when your
# notebook is graded. You may add cells; keep the variable names.
#
# As in lesson 07 you will measure how unique people are on the quasi-identifiers of the town's
# registry, make the registry 5-anonymous, make the GPS traces (5, 500 m)-anonymous with Never Walk
# Alone, and see how many traces four known points still single out.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %% [markdown]
# Run the cell below first. It builds, as in the lesson, the registry without names or ID numbers:
# each person's birth date, sex, community, home and workplace, the **district** of their home
# (`district`) and the positions of home and workplace (`work_lat`, `work_lon` are missing for
# someone with no workplace). `qi_table` is the part handed to the generalisation, `share_unique`
# is the lesson's measure of uniqueness, `gps` is the phone-app GPS release and `grid_100m` the
# town's public 100 m grid (a *point* is one of its cells during one hour).

# %%
import pandas as pd

from lab.attacks.unicity import unicity
from lab.grid import Space
from lab.metrics.utility import displacement_m
from lab.mitigations.kanon_qi import generalise_quasi_identifiers
from lab.mitigations.kanon_traj import anonymise_trajectories, resample_traces

origin = world.scenario.origin  # the town's public map origin

places = world.places.set_index("place_id")
people = world.people
registry = people[["person_id", "birth_date", "sex", "community", "home_id", "work_id"]].assign(
    district=places["district_id"].reindex(people["home_id"]).to_numpy(),
    home_lat=places["lat"].reindex(people["home_id"]).to_numpy(),
    home_lon=places["lon"].reindex(people["home_id"]).to_numpy(),
    work_lat=places["lat"].reindex(people["work_id"]).to_numpy(),  # NaN: no workplace
    work_lon=places["lon"].reindex(people["work_id"]).to_numpy(),
)
qi_table = registry[["person_id", "birth_date", "sex", "community", "home_lat", "home_lon", "work_lat", "work_lon"]]
published_qis = ["home_cell", "work_cell", "birth_years", "sex"]


def share_unique(table, columns):
    """Share of rows whose combination of values in `columns` no other row has (missing values count as a value)."""
    size = table.groupby(columns, dropna=False)[columns[0]].transform("size")
    return float((size == 1).mean())


gps = world.releases["gps"]
grid_100m = Space.parse("grid:100", origin=origin)
print(f"{len(registry):,} people in {registry['district'].nunique()} districts; "
      f"{gps['pseudonym'].nunique():,} GPS traces, {len(gps):,} fixes")
registry.head()

# %% [markdown]
# **q1 (2 points).** Sweeney's quasi-identifiers in our town. Compute, with `share_unique` on
# `registry`:
#
# - `unique_dob`: the share of people unique on (`district`, `sex`, `birth_date`), the full birth date;
# - `unique_year`: the share of people unique on (`district`, `sex`, birth **year**), the year being
#   `pd.to_datetime(registry["birth_date"]).dt.year`.
#
# Both are floats between 0 and 1. How much of the uniqueness came from the day and month of birth?

# %%
# BEGIN SOLUTION
unique_dob = share_unique(registry, ["district", "sex", "birth_date"])
with_year = registry.assign(birth_year=pd.to_datetime(registry["birth_date"]).dt.year)
unique_year = share_unique(with_year, ["district", "sex", "birth_year"])
# END SOLUTION
check("q1")

# %% [markdown]
# **q2 (2 points).** Make the registry 5-anonymous:
# `g5 = generalise_quasi_identifiers(qi_table, k=5, max_suppression=0.05, origin=origin)`.
#
# - `n_suppressed`: how many people it suppressed (deleted from the release), an integer;
# - `smallest_class`: do not trust the library, check it: the size of the smallest class of the
#   published table `g5.table` when you group it on the published columns `published_qis`, an integer.
#
# Look at `g5.levels` too: which quasi-identifiers were published as `*` (not at all)?

# %%
# BEGIN SOLUTION
g5 = generalise_quasi_identifiers(qi_table, k=5, max_suppression=0.05, origin=origin)
n_suppressed = len(g5.suppressed)
smallest_class = int(g5.table.groupby(published_qis).size().min())
# END SOLUTION
check("q2")

# %% [markdown]
# **q3 (2 points).** Make the GPS traces (5, 500 m)-anonymous with Never Walk Alone:
# `nwa = anonymise_trajectories(gps, k=5, delta_m=500, step_s=900, max_radius_m=3000, max_suppression=0.1,
# origin=origin)`, and compare it with the traces before the translation,
# `resampled = resample_traces(gps, step_s=900, origin=origin)` (the same 15-minute instants).
#
# - `n_trashed`: how many traces NWA trashed (suppressed), an integer;
# - `mean_moved_m`: the mean distance, in metres, that a published point moved: the mean of
#   `displacement_m(before, after)` over all published points, where each published point is compared with
#   the resampled point of the **same pseudonym at the same instant**. A float.
#
# Careful: `nwa.release` has a fresh row index (0, 1, 2, …) that does not match the rows of `resampled`,
# while `displacement_m` lines the two tables up by their index. Index both by (`pseudonym`, `t`) first,
# e.g. `resampled.set_index(["pseudonym", "t"], drop=False)`.

# %%
# BEGIN SOLUTION
nwa = anonymise_trajectories(gps, k=5, delta_m=500, step_s=900, max_radius_m=3000, max_suppression=0.1,
                             origin=origin)
resampled = resample_traces(gps, step_s=900, origin=origin)
n_trashed = len(nwa.suppressed)
before = resampled.set_index(["pseudonym", "t"], drop=False)
after = nwa.release.set_index(["pseudonym", "t"], drop=False)
mean_moved_m = float(displacement_m(before, after).mean())
# END SOLUTION
check("q3")

# %% [markdown]
# **q4 (2 points).** Does walking with four others stop four known points from singling a trace out?
# Measure unicity at p = 4, a point being a 100 m cell during one hour:
#
# - `eps4_before`: `unicity(resampled, p=4, space=grid_100m, hours=1, rng=0).share`, before NWA;
# - `eps4_after`: the same on the published traces `nwa.release` (same settings, `rng=0`).
#
# Both are floats between 0 and 1. Why does a tube of 500 m leave so many traces unique?

# %%
# BEGIN SOLUTION
eps4_before = unicity(resampled, p=4, space=grid_100m, hours=1, rng=0).share
eps4_after = unicity(nwa.release, p=4, space=grid_100m, hours=1, rng=0).share
# END SOLUTION
check("q4")
