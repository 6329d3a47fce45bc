# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01. The open door
#
# > **In this lesson you will**
# > - start a real database server holding a fictional town's registry and camera sightings, left open the way
# >   the 2019 leak's database was: no password;
# > - find it with a scan, as an outsider would, and read everything: one person's record, their sightings on
# >   a map, and who was seen at places of worship, community by community;
# > - lock the same data (passwords, roles, column privileges, row-level security, no small counts) and see
# >   what an analyst can still do, and what the server refuses;
# > - measure what locking costs the analyst, and see why a lock is necessary but not enough.
# >
# > **Time:** about 25 minutes · **Needs:** no earlier lesson (a PostgreSQL server installed on the machine:
# > `sudo apt-get install postgresql`)
# >
# > **Reproduces:** the first failure of the 2019 surveillance leak (a database anyone could reach and read
# > without a password, as disclosed by Victor Gevers of the GDI Foundation and reported by the press), on a
# > town invented from top to bottom.

# %% [markdown]
# ## The story
#
# In February 2019 a security researcher, Victor Gevers, found a database on the internet that answered
# anyone who asked. It belonged to a face-recognition contractor. It held **2,565,724 records** of people:
# ID card number, name, sex, birth date, ethnicity, address, employer, photo. Beside them it held about
# **6.68 million "tracker" records from the previous 24 hours**: each a moment when a camera recognised a
# person, labelled with the place — *mosque*, *hotel*, *restaurant*, *internet café*. That is about 2.6
# sightings per person per day. No password was asked: "anyone without authentication had full
# administrative rights", to read, change or delete. Press reports say it had stood open since July 2018,
# **about half a year**.
#
# Two things went wrong in that one story. The first is the subject of this lesson: **the door was open**.
# Nobody needed to be clever; they only needed to knock. The second — that a handful of places and times
# single a person out even when the names are removed — is the subject of lesson 02 onwards.
#
# We redo the first failure on a computer of our own. A small town (a few hundred fictional people, two
# weeks of their lives) is loaded into a **real PostgreSQL server**, first open, then locked. Everything
# listens on `127.0.0.1` only, the address that never leaves this machine, and everything is stopped at the
# end of the lesson.

# %% [markdown]
# ## Reproduce the headline
#
# ### The town
#
# The classroom town: a few hundred fictional people over two weeks, seeded so that everyone gets the same
# town. Among its releases is the one this lesson needs: **camera sightings**. As in the leak, a camera
# matched each face to the registry, so each sighting carries the person's national ID.

# %%
# %matplotlib inline
import atexit
import contextlib
import shutil
import socket
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from IPython.display import Markdown, display

from lab.course import check
from lab.synth.scenario import load_scenario
from lab.world import generate_world

world = generate_world(load_scenario("classroom"), seed=1)
sightings = world.releases["sightings"]
n_people, n_days = len(world.people), world.scenario.days
display(Markdown(
    f"The town has **{n_people:,} people**, {len(world.places):,} places and {len(world.cameras):,} cameras. "
    f"Over {n_days} days the cameras logged **{len(sightings):,} sightings**: "
    f"{len(sightings) / (n_people * n_days):.2f} per person per day."
))

# %% [markdown]
# ### Opening the door
#
# `lab.db.cluster.running(state, mode="open")` creates a PostgreSQL server in a folder of its own and
# starts it on `127.0.0.1`. Mode `open` reproduces the leak's mistake: *trust* authentication, so anyone
# who can reach the port is let in as whoever they claim to be, with no password. `lab.db.load.load_world`
# then stores the town the way the leak stored it: a registry (`people`), the `places` and every
# `sightings` row, and one **record per person** (`records`) joining the ID card fields to the list of
# places and times a camera saw them.
#
# Servers are processes that outlive a cell, so we keep them in an `ExitStack` that stops them in the last
# cells of the lesson, and register the same clean-up for when the kernel shuts down.

# %%
from lab.db.cluster import running, stop
from lab.db.load import load_world

root = Path(tempfile.mkdtemp(prefix="lesson01-"))
root.chmod(0o755)  # the server runs as the unprivileged user `postgres` when we are root: it must get in
servers = contextlib.ExitStack()
servers.callback(shutil.rmtree, root, ignore_errors=True)  # the very last thing: remove the folder


def stop_every_server():
    """Stop every server this lesson started, then remove its folder (also run when the kernel shuts down)."""
    for state in sorted(root.glob("*")):
        if (state / "server.json").exists():
            with contextlib.suppress(Exception):
                stop(state)
    shutil.rmtree(root, ignore_errors=True)


atexit.register(stop_every_server)

SCAN = range(5400, 5501)  # the ports our scan will knock on, around PostgreSQL's usual 5432


def first_free_port(ports):
    """The first port of ``ports`` where nothing listens on 127.0.0.1 (5432 is left to a PostgreSQL of your own)."""
    for port in ports:
        with socket.socket() as s:
            if port != 5432 and s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"every port in {ports} is taken")


started = time.perf_counter()
open_server = servers.enter_context(running(root / "open", mode="open", port=first_free_port(SCAN)))
opened_at = time.perf_counter()
loaded = load_world(open_server, world)
print(f"open server on 127.0.0.1:{open_server.port}, started and loaded in {time.perf_counter() - started:.1f} s")
pd.Series(loaded, name="rows loaded").to_frame()

# %% [markdown]
# ### Knocking on doors
#
# How was the leak found? By a **scan**: a program that knocks on many addresses and ports and notes who
# answers, and who lets it in. Researchers (and criminals) scan the whole internet this way every day.
# Scanning machines that are not yours is illegal in many countries, so `lab.db.scan.scan` knocks on
# `127.0.0.1` only: this computer. For each port that answers it tries to log in as `postgres` *without a
# password*, and when that works, it lists every table and counts its rows.

# %%
from lab.db.scan import scan


def findings_table(findings):
    """One row per port that answered: is it PostgreSQL, does it let us in, and what does it show?"""
    return pd.DataFrame([{"port": f.port, "PostgreSQL": f.postgres, "open door": f.open_door, "what it said": f.detail,
                          "tables it shows": ", ".join(f"{t} ({n:,})" for t, n in f.tables.get("leak", {}).items())}
                         for f in findings], columns=["port", "PostgreSQL", "open door", "what it said",
                                                      "tables it shows"])


findings = scan(SCAN)
door = next(f for f in findings if f.port == open_server.port)
findings_table(findings)

# %%
display(Markdown(
    f"The scan knocked on {len(SCAN)} ports in {SCAN.start}–{SCAN.stop - 1}; {len(findings)} answered. "
    f"Port {door.port}: **{door.detail}**, and the database `leak` shows "
    f"{door.tables['leak']['people']:,} people and {door.tables['leak']['sightings']:,} sightings."
))

# %% [markdown]
# The scan did not guess a password or exploit a bug. It asked, and the server said yes. That is all the
# 2019 leak took.
#
# ### Reading everything
#
# Now walk through the door with an ordinary database client (`psycopg`), giving a user name and **no
# password**. The small helper `query` runs one SQL query and returns its rows as a pandas table.

# %%
outsider = psycopg.connect(host="127.0.0.1", port=open_server.port, user="postgres", dbname="leak",
                           autocommit=True)  # no password
servers.callback(outsider.close)


def query(conn, sql, params=None):
    """Run one SQL query on ``conn`` and return its rows as a DataFrame."""
    cursor = conn.execute(sql, params)
    return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])


tables = query(outsider, """
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1""")
tables["rows"] = [query(outsider, f"SELECT count(*) AS n FROM {t}")["n"].iloc[0] for t in tables["table_name"]]
tables

# %% [markdown]
# Copying the whole registry, every record with every sighting, is one query. We time it.

# %%
t0 = time.perf_counter()
everything = query(outsider, "SELECT person_id, record FROM records")
read_seconds = time.perf_counter() - t0
rows_read = len(everything)
leak_records = 2_565_724  # the leaked registry's size, as disclosed (a citation, not our town)
display(Markdown(
    f"**{rows_read:,} records read in {read_seconds:.2f} s**, without a password: "
    f"{rows_read / n_people:.0%} of the town's people. At that rate the leak's {leak_records:,} records "
    f"would take about {read_seconds * leak_records / rows_read / 60:.0f} minutes (a rough linear guess)."
))

# %% [markdown]
# ### One person's record
#
# Take one person who was seen at a place of worship, with a middling number of sightings, and read their
# record as the leak stored it: one JSON document (`jsonb`) per person, with the ID card fields and a list
# of *trackers*, the places and times a camera saw them.

# %%
worshippers = query(outsider, """
    SELECT s.person_id, count(*) AS sightings
    FROM sightings s JOIN places pl USING (place_id)
    GROUP BY s.person_id
    HAVING bool_or(pl.kind = 'worship')
    ORDER BY sightings, s.person_id""")
person_id = worshippers["person_id"].iloc[len(worshippers) // 2]
record = query(outsider, "SELECT record FROM records WHERE person_id = %s", (person_id,))["record"].iloc[0]
card = ["name", "national_id", "birth_date", "sex", "community", "address", "employer"]
pd.Series({field: record[field] for field in card}, name=person_id).to_frame()

# %%
trackers = pd.DataFrame(record["trackers"])
trackers["time"] = pd.to_datetime(trackers["time"], utc=True).dt.tz_convert(world.scenario.timezone)
print(f"{record['name']} was seen {len(trackers)} times by {trackers['camera'].nunique()} cameras, "
      f"{(trackers['kind'] == 'worship').sum()} of them at a place of worship:")
trackers.head(10)

# %% [markdown]
# On a map: every orange point below was read from the open server (the place of each sighting, with its
# time in the popup). The black points are where the person really spent their time, which only the lab
# knows; places of worship and clinics are outlined in red. A camera does not see everything, but it sees
# enough to know a routine.

# %%
from lab.maps import person_map

seen = query(outsider, """
    SELECT r.record ->> 'national_id' AS pseudonym, s.t, pl.lat, pl.lon, s.camera_id, s.place_id
    FROM sightings s JOIN places pl USING (place_id) JOIN records r USING (person_id)
    WHERE s.person_id = %s ORDER BY s.t""", (person_id,))
seen["t"] = pd.to_datetime(seen["t"], utc=True).dt.tz_convert(world.scenario.timezone)
from_the_server = {"districts": world.districts, "places": world.places, "people": world.people,
                   "visits": world.visits, "sightings": seen,
                   "keys": pd.DataFrame({"release": ["sightings"], "pseudonym": [record["national_id"]],
                                         "person_id": [person_id]})}
person_map(from_the_server, person_id)

# %% [markdown]
# ### Who was seen at places of worship
#
# The leak's most dangerous join was between a person's **ethnicity** and the **mosques** where cameras saw
# them. Our registry has a fictional `community` (five communities named after nothing) and places of kind
# `worship`. One query counts, for each community, its members, how many of them a camera saw at a place of
# worship, and how many such sightings there were.

# %%
by_community = query(outsider, """
    SELECT p.community,
           count(DISTINCT p.person_id) AS members,
           count(DISTINCT s.person_id) FILTER (WHERE pl.kind = 'worship') AS seen_at_worship,
           count(s.sighting_id) FILTER (WHERE pl.kind = 'worship') AS worship_sightings
    FROM people p LEFT JOIN sightings s USING (person_id) LEFT JOIN places pl USING (place_id)
    GROUP BY p.community ORDER BY members DESC""").set_index("community")
by_community

# %%
import matplotlib

from lab.plots.style import STYLE, colours, new_axes

with matplotlib.rc_context(STYLE):
    fig, ax = new_axes((7.5, 4.8))
    y = np.arange(len(by_community))
    light, dark = colours(2)
    ax.barh(y - 0.2, by_community["members"], height=0.4, color=light, label="members in the registry")
    ax.barh(y + 0.2, by_community["seen_at_worship"], height=0.4, color=dark,
            label="members a camera saw at a place of worship (label: their sightings there)")
    for yi, (seen_n, n) in enumerate(zip(by_community["seen_at_worship"], by_community["worship_sightings"])):
        ax.annotate(f"{n} sightings", (seen_n, yi + 0.2), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_yticks(y, by_community.index)
    ax.invert_yaxis()
    ax.set_xlabel("people (count)")
    ax.set_ylabel("community (fictional)")
    ax.set_title("Read without a password: who was seen at places of worship")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), ncol=1)
    fig.subplots_adjust(bottom=0.3)
fig

# %% [markdown]
# Each bar is a list of names the server would hand to anyone: which members of which community were seen
# at which place of worship, when. In the leak it was the same query on millions of people.
#
# ### The same data, locked
#
# Now the server as it should have been. A second server starts in mode `locked` (every login needs a
# password) and `lab.db.lock.lock` sets it up for two roles besides the superuser:
#
# - `admin` owns the data;
# - `analyst` may count sightings by district and hour through the view `district_hour_counts`, and
#   nothing more. Column privileges hide every identifying column of `people`; row-level security shows
#   adults only and leaves every sighting at a *sensitive* place (worship, clinics) out of the counts; and
#   the view publishes a (district, hour) only when it holds at least *k* sightings.
#
# `lock` returns each role's password (and writes them to a file readable by its owner alone).

# %%
from lab.db.load import connect
from lab.db.lock import ANALYST_PEOPLE_COLUMNS, IDENTIFYING_COLUMNS, SMALL_COUNT, lock

K = SMALL_COUNT  # the view's threshold: smaller counts are withheld
started = time.perf_counter()
locked_server = servers.enter_context(running(root / "locked", mode="locked", port=first_free_port(SCAN)))
load_world(locked_server, world)
credentials = lock(locked_server, k=K, timezone=world.scenario.timezone)
print(f"locked server on 127.0.0.1:{locked_server.port}, started, loaded and locked in "
      f"{time.perf_counter() - started:.1f} s; roles: {', '.join(credentials)}")
findings_table(scan(SCAN))

# %% [markdown]
# The same scan now finds two doors. The locked one **asks for a password** and shows nothing. Knocking
# without one, even as the superuser, is refused:

# %%
try:
    psycopg.connect(host="127.0.0.1", port=locked_server.port, user="postgres", dbname="leak", connect_timeout=5)
    locked_refused = False
except psycopg.OperationalError as error:
    locked_refused = True
    print("refused:", str(error).strip().splitlines()[-1])

# %% [markdown]
# #### What the analyst can do
#
# The analyst logs in with their password and reads the counts: sightings per district and hour.

# %%
analyst = connect(locked_server, user="analyst", password=credentials["analyst"]["password"])
admin = connect(locked_server, user="admin", password=credentials["admin"]["password"])
servers.callback(analyst.close)
servers.callback(admin.close)
counts = query(analyst, "SELECT district_id, hour, sightings FROM district_hour_counts ORDER BY hour, district_id")
display(Markdown(
    f"The view publishes **{len(counts):,} counts** (over {counts['district_id'].nunique()} districts and "
    f"{counts['hour'].nunique():,} distinct hours), **{counts['sightings'].sum():,} sightings** in all; "
    f"the smallest published count is **{counts['sightings'].min()}** (k = {K})."
))
counts.head()

# %% [markdown]
# #### What the analyst cannot do
#
# Ask for each identifying column of the registry, for the raw sightings and for the leak's records, and
# note what the server answers.

# %%
attempts = {f"people.{c}": f"SELECT {c} FROM people" for c in IDENTIFYING_COLUMNS}
attempts |= {"records (the leak's records)": "SELECT * FROM records LIMIT 1",
             "sightings (raw)": "SELECT * FROM sightings LIMIT 1",
             "people." + ", ".join(ANALYST_PEOPLE_COLUMNS): f"SELECT {', '.join(ANALYST_PEOPLE_COLUMNS)} FROM people"}
answers = {}
for what, sql in attempts.items():
    try:
        answers[what] = f"allowed: {len(query(analyst, sql)):,} rows"
    except psycopg.errors.InsufficientPrivilege as error:
        answers[what] = f"denied: {error}"
answers = pd.Series(answers, name="the server's answer to the analyst").to_frame()
denied = {c for c in IDENTIFYING_COLUMNS if answers.loc[f"people.{c}"].iloc[0].startswith("denied")}
answers

# %% [markdown]
# **Row-level security** filters rows, not columns: the analyst sees only the adults of the registry (born
# at least 18 years before the server's today), and the view counts no sighting at a sensitive place.

# %%
analyst_people = query(analyst, "SELECT count(*) AS n FROM people")["n"].iloc[0]
admin_people = query(admin, "SELECT count(*) AS n FROM people")["n"].iloc[0]
today = query(admin, "SELECT current_date AS d")["d"].iloc[0]
births = pd.to_datetime(world.people["birth_date"]).dt.date
adults = int((births <= today.replace(year=today.year - 18)).sum())
print(f"the analyst sees {analyst_people:,} people, the admin {admin_people:,}; "
      f"the registry has {adults:,} adults on {today}")

# %% [markdown]
# The lab can check the view against the truth: compute in pandas the same counts from the world (sightings
# at non-sensitive places, by district and the town's hour) and keep the cells holding at least *k*.

# %%
place = world.places.set_index("place_id")
who = world.keys[world.keys["release"] == "sightings"].set_index("pseudonym")["person_id"]
truth = pd.DataFrame({
    "person_id": who.reindex(sightings["pseudonym"]).to_numpy(),
    "district_id": place["district_id"].reindex(sightings["place_id"]).to_numpy(),
    "hour": sightings["t"].dt.tz_convert(world.scenario.timezone).dt.floor("h"),
    "sensitive": place["is_sensitive"].reindex(sightings["place_id"]).to_numpy(),
})
cells = (truth[~truth["sensitive"]].groupby(["district_id", "hour"])
         .agg(sightings=("person_id", "size"), people=("person_id", "nunique")))
published = cells[cells["sightings"] >= K]
view_matches = len(counts) == len(published) and counts["sightings"].sum() == published["sightings"].sum()
display(Markdown(
    f"From the truth: {len(cells):,} non-empty (district, hour) cells at non-sensitive places, "
    f"{len(published):,} with at least {K} sightings, holding {published['sightings'].sum():,} sightings. "
    f"The view published {len(counts):,} counts holding {counts['sightings'].sum():,}: "
    f"**{'the same' if view_matches else 'NOT the same'}**. "
    f"The {int(truth['sensitive'].sum()):,} sightings at sensitive places (worship, clinics) were never counted."
))

# %% [markdown]
# ### Necessary, not sufficient
#
# The lock stops the outsider of 2019 cold. It does not make the data safe to *publish*, for two reasons.
#
# First, the threshold counts **sightings**, not people: one person seen often enough in one district and
# hour makes a count on their own. The truth tells us how many distinct people stand behind each published
# count:

# %%
display(Markdown(
    f"Behind the {len(published):,} published counts stand between **{published['people'].min()}** and "
    f"{published['people'].max()} distinct people; "
    f"{(published['people'] < K).mean():.0%} of them come from fewer than {K} people."
))

# %% [markdown]
# Second, an analyst is trusted with counts; someone is always tempted to go further and publish the
# sightings themselves "de-identified": the national ID replaced by a random pseudonym, only places and
# times left. Lesson 02 measures what such a release gives away; here is a foretaste, with
# `lab.attacks.unicity`: the share of people that *p* known (place, hour) points single out.

# %%
from lab.attacks.unicity import unicity

rng = np.random.default_rng(0)
ids = sightings["pseudonym"].unique()
pseudonyms = pd.Series([f"u{i:04d}" for i in rng.permutation(len(ids))], index=ids)
deidentified = sightings[["t", "lat", "lon", "place_id"]].assign(
    pseudonym=pseudonyms.reindex(sightings["pseudonym"]).to_numpy())  # no national ID left
u2, u4 = (unicity(deidentified, p=p, space="place_id", hours=1, rng=0) for p in (2, 4))
display(Markdown(
    f"In the de-identified release, 2 known places-and-hours single out **{u2.share:.0%}** of "
    f"{u2.n:,} people, and 4 single out **{u4.share:.0%}** of {u4.n:,}."
))

# %% [markdown]
# No name, no ID number, and yet a few moments of a life point at one person. Locking the door is the first
# duty; what to let out of it is the rest of this course.

# %% [markdown]
# ## Your turn
#
# Both servers are still running: `outsider` is the connection through the open door, `analyst` the
# analyst's connection to the locked server. Use `query(conn, sql)` to get a DataFrame.

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
_cafes = set(world.places.loc[world.places["kind"] == "internet_cafe", "place_id"])
reference_1 = int(who.reindex(sightings.loc[sightings["place_id"].isin(_cafes), "pseudonym"]).nunique())

# %% [markdown]
# **Exercise 1.** The leak's trackers were labelled with places such as *internet café*. Through the open
# door, how many people did a camera see at least once in an internet café (kind `internet_cafe`)? Give a
# whole number.

# %%
answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1,
      hint="each record's 'trackers' is a list of objects with a 'kind'; in SQL, "
           "record -> 'trackers' @> '[{\"kind\": \"internet_cafe\"}]' is true when one of them matches")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = int(query(outsider, """
    SELECT count(*) AS n FROM records
    WHERE record -> 'trackers' @> '[{"kind": "internet_cafe"}]'""")["n"].iloc[0])
check("exercise 1", answer_1, reference_1)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_2 = set(ANALYST_PEOPLE_COLUMNS)

# %% [markdown]
# **Exercise 2.** A database describes its own permissions. As the analyst, query
# `information_schema.column_privileges` (columns `grantee`, `table_name`, `column_name`, `privilege_type`)
# and give the **set** of columns of the table `people` the analyst may `SELECT`.

# %%
answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2,
      hint="filter on grantee = 'analyst', table_name = 'people' and privilege_type = 'SELECT', "
           "then set(...) of the column_name column")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_2 = set(query(analyst, """
    SELECT column_name FROM information_schema.column_privileges
    WHERE grantee = 'analyst' AND table_name = 'people' AND privilege_type = 'SELECT'""")["column_name"])
check("exercise 2", answer_2, reference_2)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_3 = int(published["sightings"].min())

# %% [markdown]
# **Exercise 3.** As the analyst, what is the **smallest count** the view `district_hour_counts` publishes?
# Compare it with `K`.

# %%
answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3, hint="SELECT min(sightings) FROM district_hour_counts")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_3 = int(query(analyst, "SELECT min(sightings) AS n FROM district_hour_counts")["n"].iloc[0])
check("exercise 3", answer_3, reference_3)

# %% [markdown]
# ## The mitigation and its price
#
# Locking has a price, and the analyst pays it. The identifying columns and the raw sightings are gone (that
# is the point), the sightings at sensitive places are never counted, and every (district, hour) with fewer
# than *k* sightings is withheld. How much is withheld depends on *k*. The lab can compute the view for any
# *k* from the truth, as above, and we checked it against the server at k = `K`. For each *k* we measure:
#
# - the share of non-empty (district, hour) cells withheld, and the share of all sightings missing from the
#   published counts (what the analyst loses);
# - the share of published counts that come from **one person alone** (what the threshold was meant to
#   stop).

# %%
from lab.plots.kanon import kanon_price_figure

price = pd.DataFrame([
    {"k": k,
     "cells_withheld": 1 - (cells["sightings"] >= k).mean(),
     "sightings_withheld": 1 - cells.loc[cells["sightings"] >= k, "sightings"].sum() / len(truth),
     "one_person": (cells.loc[cells["sightings"] >= k, "people"] == 1).mean()}
    for k in (1, 2, 3, 5, 10, 15, 20)
])
at_k = price.set_index("k").loc[K]
assert np.isclose(1 - at_k["sightings_withheld"], counts["sightings"].sum() / len(truth))  # the server agrees
kanon_price_figure(
    price, risk=["one_person"], shares=["cells_withheld", "sightings_withheld"],
    labels={"one_person": "published counts from one person alone",
            "cells_withheld": "(district, hour) cells withheld",
            "sightings_withheld": "sightings missing from the counts"},
    title="Locking's price: counts withheld against the threshold k (smallest count published)")

# %%
display(Markdown(
    f"With no threshold (k = 1) the analyst still misses {price['sightings_withheld'].iloc[0]:.1%} of the "
    f"sightings (those at sensitive places), and **{price['one_person'].iloc[0]:.0%}** of the published "
    f"counts are one person's movements. At the server's k = {K}, no published count comes from one person "
    f"alone ({at_k['one_person']:.0%}), but **{at_k['cells_withheld']:.0%} of the cells** and "
    f"**{at_k['sightings_withheld']:.0%} of the sightings** are gone from the analyst's table."
))

# %% [markdown]
# The classroom town is tiny, so a count of ten in one district and hour is rare and the price is steep; a
# bigger town pays less for the same *k*. The lesson holds at any size: the threshold buys protection for
# the people behind small counts with the analyst's detail, and it protects nobody from a release of the
# raw sightings, which must never leave the locked door.
#
# ## The paper vs our town
#
# The leak is not a paper; its figures are the disclosed ones, quoted in the press at the time.

# %%
from lab.course import paper_vs_town

open_seconds = time.perf_counter() - opened_at
paper_vs_town([
    {"result": "records readable without a password", "paper": "2,565,724",
     "paper_n": "the leaked registry (2019)", "town": f"{rows_read:,}", "town_n": int(n_people)},
    {"result": "camera sightings per person-day", "paper": "6,680,348 in 24 h ≈ 2.6",
     "paper_n": "2,565,724 people, 24 h", "town": f"{len(sightings) / (n_people * n_days):.2f} (over {n_days} days)",
     "town_n": int(n_people)},
    {"result": "time the door stood open", "paper": "about half a year (since July 2018)",
     "paper_n": "one server on the internet", "town": f"{open_seconds:.0f} s (this lesson, loopback only)",
     "town_n": int(n_people)},
    {"result": "time to read every record", "paper": "not reported (anyone could, for months)",
     "paper_n": "2,565,724 records", "town": f"{read_seconds:.2f} s", "town_n": int(rows_read)},
    {"result": "password asked", "paper": "no (full administrative rights for anyone)",
     "paper_n": "—", "town": f"open: {'no' if door.open_door else 'yes'} · locked: "
                            f"{'yes' if locked_refused else 'no'}", "town_n": int(n_people)},
    {"result": "identifying columns the analyst may read", "paper": "all of them (anyone had full rights)",
     "paper_n": "—", "town": f"{len(IDENTIFYING_COLUMNS) - len(denied)} of {len(IDENTIFYING_COLUMNS)}",
     "town_n": int(analyst_people)},
])

# %% [markdown]
# ### Closing the doors
#
# Before we finish, stop both servers and remove their folder. The same scan then finds nothing of ours.

# %%
servers.close()
after = [f for f in scan(SCAN) if f.port in (open_server.port, locked_server.port)]
stopped = not after and not root.exists()
print("both servers stopped and their folder removed" if stopped else f"still answering: {findings_table(after)}")

# %% [markdown]
# ## Summary
#
# - The 2019 leak needed no attack: a database server answered anyone, without a password, for months. A
#   scan of a few ports finds such a server, and one query copies everything.
# - A record that joins an ID card to camera sightings tells a stranger where a named person prays, sleeps
#   and works; grouped by community it becomes a list of targets.
# - Locking means layers: passwords, roles that see only what their task needs, row-level security, and
#   counts that are published only when large. Each layer is a line of SQL the server enforces.
# - Locking costs the analyst detail (the figure above), and it is not anonymity: a small-count threshold
#   counts sightings, not people, and a "de-identified" release of places and times still singles people out
#   (lesson 02).
#
# ## References
#
# - Gevers, V. (2019). Disclosure of the SenseNets database, GDI Foundation, 13–14 February 2019 (posted on
#   Twitter as @0xDUDE): 2,565,724 records and 6,680,348 tracker records from the previous 24 hours.
# - Ng, A. (2019). Chinese facial recognition company left database of people's locations exposed. *CNET*,
#   13 February 2019.
# - Reuters (2019), reporting Gevers's findings in February 2019: the database had been open since July 2018,
#   and "anyone without authentication had full administrative rights".
# - PostgreSQL Global Development Group. *PostgreSQL documentation*: "Client Authentication" (pg_hba.conf,
#   trust and scram-sha-256), "Privileges", "Row Security Policies", "Rules and Privileges"
#   (security_barrier views). https://www.postgresql.org/docs/
# - Denning, D. E., Schlörer, J. (1983). Inference controls for statistical databases. *IEEE Computer*
#   16(7), 69–82.
# - de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013). Unique in the Crowd: The
#   privacy bounds of human mobility. *Scientific Reports* 3, 1376. https://doi.org/10.1038/srep01376

# %% tags=["headline"]
assert door.open_door and rows_read == n_people == loaded["records"], (door.detail, rows_read, n_people)
assert locked_refused and denied == set(IDENTIFYING_COLUMNS), (locked_refused, denied)
assert counts["sightings"].min() >= K, counts["sightings"].min()
assert len(counts) == len(published) and counts["sightings"].sum() == published["sightings"].sum(), (
    len(counts), len(published))
assert analyst_people == adults < admin_people == n_people, (analyst_people, adults, admin_people)
assert u4.share >= 0.9, u4.share
assert stopped
print(f"headline holds: {rows_read:,} of {n_people:,} records read without a password; the locked server "
      f"denied all {len(denied)} identifying columns; the smallest of {len(counts):,} published counts is "
      f"{counts['sightings'].min()} ≥ k = {K}, and they sum to the {published['sightings'].sum():,} "
      f"non-sensitive sightings in cells ≥ k; ε₄ of the de-identified sightings = {u4.share:.2f}; "
      f"both servers stopped")
