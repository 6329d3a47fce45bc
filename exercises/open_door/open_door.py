# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 01: The open door
#
# This notebook works on **your own town**: the data below were made from your student id. In 2019
# the leak's database answered anyone. Your job: the SQL that locks it so that the analyst can count
# camera sightings by district and hour, and read nothing else. Answer each question by setting the
# variable it names; `check("q1")` runs the visible checks. When your notebook is graded, the grader
# starts a fresh PostgreSQL server with your town, runs your SQL as `admin` (the owner of the
# tables) and tries, as `analyst`, everything your policy must allow and deny.

# %% tags=["setup"]
# The release writes this cell: your seed, your town and the visible checks.

# %%

from lab.db.probe import COUNTS_QUERY, expected_counts, probe_policy

sightings = world.releases["sightings"]
print(f"{len(world.people):,} people, {len(sightings):,} camera sightings")
print("the analyst must be able to run:", COUNTS_QUERY)

# %% [markdown]
# **q1 (3 points).** The published counts: sightings per district and hour (in the town's time zone),
# a (district, hour) cell published only when it holds at least 10 sightings. With
# `expected_counts(world, k=10)` (and `k=1` for every cell), store in `published_cells` how many cells
# are published and in `withheld_cells` how many cells with at least one sighting are withheld (both
# `int`).

# %%
# BEGIN SOLUTION
published_cells = len(expected_counts(world, k=10))
withheld_cells = len(expected_counts(world, k=1)) - published_cells
# END SOLUTION
check("q1")

# %% [markdown]
# **q2 (10 points).** Write, in `policy_sql` (one string), the SQL that `admin` runs so that `analyst`:
#
# - can run `SELECT district_id, hour, sightings FROM district_hour_counts` and gets exactly the counts
#   of q1 (a view you create; `date_trunc('hour', t)` gives the hour; `count(*)::int` the count);
# - never sees a count under 10;
# - cannot read any column of `people` (name, national id, birth date, community, address, employer…),
#   nor `sightings`, nor `records`.
#
# The tables (`people`, `places`, `sightings`, `records`, `districts`) belong to `admin`; `analyst` may
# already use the schema but has no privilege on any table. Hint: a view runs with its owner's
# privileges, and `security_barrier` keeps a clever query from peeking through it.

# %%
# BEGIN SOLUTION
policy_sql = """
CREATE VIEW district_hour_counts WITH (security_barrier) AS
  SELECT district_id, date_trunc('hour', t) AS hour, count(*)::int AS sightings
  FROM sightings
  GROUP BY 1, 2
  HAVING count(*) >= 10;
GRANT SELECT ON district_hour_counts TO analyst;
"""
# END SOLUTION
check("q2")

# %% [markdown]
# Try your policy on a real server with your own town, as the grader will (this needs PostgreSQL on
# your machine; the grader runs it for you in any case):

# %%
try:
    report = probe_policy(world, policy_sql)
except Exception as exc:  # no PostgreSQL here (or no network in the grader's sandbox)
    report = f"could not start a server here: {exc}"
report
