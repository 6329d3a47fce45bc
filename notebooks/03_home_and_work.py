# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03. Home and work
#
# > **In this lesson you will**
# > - find where each pseudonym sleeps and where it works, from nothing but a "de-identified" GPS release,
# >   and check the guesses against the truth;
# > - count how many people share a (home, work) pair at three nested geographies — block, tract and
# >   district — and see most people stay alone with their pair until the cells are district-sized;
# > - measure how often a phone subscriber's top 1, 2 or 3 locations are theirs alone, at three granularities;
# > - coarsen the release to bigger and bigger cells and weigh what that buys against what it costs an honest
# >   analyst.
# >
# > **Time:** about 35 minutes · **Needs:** lesson 02 (the town, its releases and unicity)
# >
# > **Reproduces:** Golle & Partridge (2009), *On the Anonymity of Home/Work Location Pairs* (Pervasive 2009),
# > and Zang & Bolot (2011), *Anonymization of Location Data Does Not Work: A Large-Scale Measurement Study*
# > (MobiCom 2011).

# %% [markdown]
# ## The story
#
# The database left open in 2019 was a registry: for each of 2.57 million people a national ID number, a name,
# a birth date, an ethnicity — and an **address** and an **employer**. Beside it sat millions of camera
# sightings. Suppose the names had been stripped from the sightings. Anyone holding the registry would still
# ask one question of each anonymous trace: where does this person sleep, and where do they spend the working
# day? Two places, and the registry does the rest.
#
# Golle and Partridge (2009) measured how much those two places give away. They took the US census's
# commuting data (where every worker lives and works, by census block) and counted, for each worker, how many
# others share the same (home, work) pair. The median answer was **1** at the level of a census block,
# **21** at a census tract, and **34,980** at a county. Knowing someone's home and workplace to the block is
# as good as knowing their name; even at the tract level, the crowd is tiny.
#
# Zang and Bolot (2011) asked the same of a phone operator's records (30 billion calls from 25 million
# subscribers): rank each subscriber's cells by how often they appear, and keep the top N. The single most
# frequent location did not typically single anyone out; the **top 2 or top 3 did**, at the level of a cell
# or a sector, and stayed identifying, though less, as the grain coarsened to zip codes and counties.
#
# Neither attack needs a name in the data: the trace gives up the places, and a registry or a census does the
# rest. Let us run both on our fictional town.

# %% [markdown]
# ## Reproduce the headline
#
# ### The town and its releases
#
# A smaller version of the lab's town (the cell below sets its size and prints it, so the lesson runs in
# under a minute), seen by two sensors: a phone app that logs GPS fixes while it is in use, and the operator's
# call detail records (CDR), one tower per call or message.

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lab.course import check
from lab.synth.scenario import load_scenario
from lab.world import generate_world

scenario = load_scenario("town", population=10_000, days=7, releases=("gps", "cdr"))
world = generate_world(scenario, seed=1)
gps, cdr = world.releases["gps"], world.releases["cdr"]
origin = scenario.origin  # the town's public grid origin: every grid below is anchored on it
print(f"{len(world.people):,} people; GPS: {len(gps):,} fixes from {gps['pseudonym'].nunique():,} phones; "
      f"CDR: {len(cdr):,} records from {cdr['pseudonym'].nunique():,} subscribers")
gps.head(3)

# %% [markdown]
# ### Where does each pseudonym sleep and work?
#
# `infer_home_work` takes, for each pseudonym, its most frequent location at night (20:00 to 07:00) as
# *home*, and its most frequent location in working hours on weekdays (09:00 to 17:00), at least 300 m from
# home, as *work*. Raw GPS fixes never repeat exactly, so an analyst first puts them on a 100 m grid
# (`snap_to_grid`); then "most frequent location" means most frequent cell.

# %%
from lab.attacks.home_work import anonymity_sets, infer_home_work
from lab.mitigations.coarsen import snap_to_grid

gps_100 = snap_to_grid(gps, cell_m=100, origin=origin)
pairs = infer_home_work(gps_100)
print(f"home found for {pairs['home_lat'].notna().mean():.1%} of {len(pairs):,} phones, "
      f"work for {pairs['work_lat'].notna().mean():.1%}")
pairs.head()

# %% [markdown]
# Some pseudonyms get no workplace: children, retirees, people who work at home, or phones the app never saw
# in working hours. They drop out of the (home, work) count below.
#
# ### Was the attack right?
#
# The attack never saw the truth. `lab.metrics` is the only part of the lab allowed to read it: it follows the
# answer key from each pseudonym to its fictional person, and measures how far the guessed home and workplace
# are from the true ones (`home_error_m`, `work_error_m`, in metres).

# %%
from lab.metrics.risk import home_error_m, work_error_m

truth_tables = {"keys": world.keys, "people": world.people, "places": world.places}
home_err = home_error_m(pairs, release="gps", **truth_tables)
work_err = work_error_m(pairs, release="gps", **truth_tables)
display(Markdown(
    f"- Homes: median error **{home_err.median():.0f} m**; {(home_err.dropna() <= 200).mean():.1%} of the "
    f"{home_err.notna().sum():,} guesses are within 200 m of the true home.\n"
    f"- Workplaces: median error **{work_err.median():.0f} m**; {(work_err.dropna() <= 200).mean():.1%} of the "
    f"{work_err.notna().sum():,} guesses (people with a job and a guess) are within 200 m."))

# %%
from lab.grid import cell_ids
from lab.metrics.risk import pseudonym_people

person = pseudonym_people(world.keys, "gps").reindex(pairs.index)
true_home_id = world.people.set_index("person_id")["home_id"].reindex(person.to_numpy())
true_homes = world.places.set_index("place_id").loc[true_home_id, ["lat", "lon"]].reset_index(drop=True)
guessed = pairs["home_lat"].notna().to_numpy()
same_cell = (cell_ids(pairs["home_lat"].to_numpy()[guessed], pairs["home_lon"].to_numpy()[guessed],
                      cell_m=100, origin=origin)
             == cell_ids(true_homes["lat"].to_numpy()[guessed], true_homes["lon"].to_numpy()[guessed],
                         cell_m=100, origin=origin))
cell_diagonal_half = 100 * np.sqrt(2) / 2  # the farthest a point can lie from its 100 m cell's centre
display(Markdown(
    f"A 100 m cell's centre is at most {cell_diagonal_half:.0f} m from any point of the cell, and "
    f"{(home_err.dropna() <= cell_diagonal_half).mean():.1%} of the home errors are no larger than that. A small "
    f"error alone does not prove the right cell (a neighbouring cell's centre can also lie within "
    f"{cell_diagonal_half:.0f} m of a home), so we check directly: the guessed home cell is the 100 m cell that "
    f"holds the true home for **{same_cell.mean():.1%}** of the {guessed.sum():,} phones with a guess. For them "
    f"the attack is as close as the 100 m grid itself allows."))

# %% [markdown]
# ### Where the guessed homes fall
#
# Left, the true homes of the people behind the GPS pseudonyms (read from the answer key, as only we the
# teachers may); right, the homes the attack guessed. Both are counted on the same 200 m grid and drawn on the
# same colour scale; pan or zoom one map and the other follows.

# %%
from lab.maps import heat_comparison

guessed_homes = pairs[["home_lat", "home_lon"]].dropna().set_axis(["lat", "lon"], axis=1)
heat_comparison(true_homes, guessed_homes, districts=world.districts, names=("true homes", "guessed homes"),
                cell_m=200)

# %% [markdown]
# ### How many people share your home and work?
#
# Now the question of Golle and Partridge. Cut the town into square cells at three nested scales, stand-ins
# for the census geographies: **blocks** of 200 m, **tracts** of 1 km and **districts** of 5 km (a county is
# far bigger than a district, and our town far smaller than the USA). For each pseudonym, its *anonymity set*
# is the number of pseudonyms whose home falls in the same cell *and* whose work falls in the same cell.

# %%
from lab.plots.risk import anonymity_figure

sizes, summary, cdf = anonymity_sets(pairs, origin=origin)
summary

# %%
anonymity_figure(cdf, summary=summary, title="How many phones share your (home, work) pair?")

# %%
medians = summary["median"]
display(Markdown(
    f"Median anonymity set: **{medians['block']:,.0f}** at block level, **{medians['tract']:,.0f}** at tract "
    f"level, **{medians['district']:,.0f}** at district level, over {int(summary['n'].iloc[0]):,} phones with "
    f"both a home and a workplace. Alone with their pair: {summary.loc['block', 'share_unique']:.1%} at block "
    f"level, {summary.loc['tract', 'share_unique']:.1%} at tract level, "
    f"{summary.loc['district', 'share_unique']:.1%} at district level."))

# %% [markdown]
# Read the figure from the left: where a curve crosses size 1 is the share of phones singled out by their pair
# alone. The block curve starts near the top, the tract curve part of the way down; the district curve starts
# near the bottom and climbs only at large sets. Unlike the census, our tract level is not yet a crowd: the
# median phone is still alone with its pair there, and only at district level does it hide among many (the
# medians printed above). The section after the exercises shows why our tracts hold so few people.
#
# The GPS app only has some of the town's people as users. What if the adversary held the whole population's
# homes and workplaces, as the census does? And what does the operator's coarser CDR give?

# %%
workers = world.people.dropna(subset=["work_id"])
place_xy = world.places.set_index("place_id")
census = pd.DataFrame({
    "home_lat": place_xy["lat"].reindex(workers["home_id"]).to_numpy(),
    "home_lon": place_xy["lon"].reindex(workers["home_id"]).to_numpy(),
    "work_lat": place_xy["lat"].reindex(workers["work_id"]).to_numpy(),
    "work_lon": place_xy["lon"].reindex(workers["work_id"]).to_numpy(),
})
pairs_cdr = infer_home_work(cdr)  # CDR positions are tower sites: no grid needed
_, summary_census, _ = anonymity_sets(census, origin=origin)
_, summary_cdr, _ = anonymity_sets(pairs_cdr, origin=origin)
by_source = pd.DataFrame({
    "GPS app (guessed)": summary["median"], "CDR (guessed)": summary_cdr["median"],
    "every worker (true)": summary_census["median"],
}).T
by_source["people or pseudonyms"] = [int(s["n"].iloc[0]) for s in (summary, summary_cdr, summary_census)]
by_source

# %% [markdown]
# Each row is a median anonymity set. The true pairs of every worker behave like the census: tiny sets at the
# finest scale, large ones at the coarsest. The CDR row starts higher, because a tower covers many blocks: the
# operator's own grid is already coarse, so its block and tract sets barely differ.
#
# ### Top-N locations
#
# Zang and Bolot did not look for home and work by the clock: they simply ranked each subscriber's locations
# by how often they appear. `top_n_uniqueness` counts the subscribers whose set of top-N locations nobody else
# has, at three granularities: the tower itself (a cell), a 2 km grid (about a zip code) and a 5 km grid (a
# district).

# %%
from lab.attacks.top_locations import top_n_uniqueness
from lab.plots.risk import top_n_figure

top_n = top_n_uniqueness(cdr, ns=(1, 2, 3), spaces=("tower_id", "grid:2000", "grid:5000"))
top_n

# %%
readable = {"tower_id": "tower (cell)", "grid 2000 m": "2 km grid (≈ zip code)", "grid 5000 m": "5 km grid (district)"}
fig = top_n_figure(top_n.assign(space=top_n["space"].map(readable).fillna(top_n["space"])),
                   title="How often are your top locations yours alone? (CDR)")
ax = fig.axes[0]
ax.set_ylim(0, max(0.05, 1.15 * top_n["share_unique"].max()))  # the shares stay low: zoom in on them
ax.set_ylabel("share of subscribers whose top-N set is unique")
ax.legend(loc="upper left", title="granularity")
fig

# %%
at_towers = top_n[top_n["space"] == "tower_id"].set_index("n")
display(Markdown(
    f"At tower level, the top-1 location singles out {at_towers.loc[1, 'share_unique']:.1%} of the "
    f"{int(at_towers.loc[1, 'users']):,} subscribers (median set {at_towers.loc[1, 'median_set']:,.0f}); the "
    f"top 2 single out {at_towers.loc[2, 'share_unique']:.1%} (median set "
    f"{at_towers.loc[2, 'median_set']:,.0f}) and the top 3 {at_towers.loc[3, 'share_unique']:.1%} (median set "
    f"{at_towers.loc[3, 'median_set']:,.0f})."))

# %%
from scipy.spatial import cKDTree

from lab.geo import to_local

# The lab's check (truth, not the adversary's): is a subscriber's top-1 tower the tower nearest their true home?
top1 = cdr.groupby("pseudonym")["tower_id"].agg(lambda s: s.value_counts().idxmax())
subscriber = pseudonym_people(world.keys, "cdr").reindex(top1.index)
home = world.places.set_index("place_id").loc[
    world.people.set_index("person_id")["home_id"].reindex(subscriber.to_numpy()), ["lat", "lon"]]
tower_xy = np.c_[to_local(world.towers["lat"], world.towers["lon"], origin=origin)]
_, nearest = cKDTree(tower_xy).query(np.c_[to_local(home["lat"], home["lon"], origin=origin)])
top1_is_home = (world.towers["tower_id"].to_numpy()[nearest] == top1.to_numpy()).mean()
print(f"top-1 tower is the tower nearest the true home for {top1_is_home:.1%} of {len(top1):,} subscribers")

# %% [markdown]
# For most subscribers the top-1 tower is the one that serves their home (printed above), and a home tower
# serves a whole neighbourhood. Add the second location and the crowd shrinks from dozens to a handful;
# the third shrinks it again, yet most subscribers are still not alone with their top 3 (the shares printed
# above). Coarsen to 2 km and 5 km and the shares fall further.
#
# Note what is counted: **people** whose set no one else has. A public re-implementation of this attack
# counted the number of *distinct* top-N sets instead (the column `distinct_sets`), which is not a risk at
# all: ten people sharing one set count once, as if one of them were unique.

# %% [markdown]
# ## Your turn

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_1 = cdf.loc[(cdf["geography"] == "tract") & (cdf["size"] <= 5), "share"].max()

# %% [markdown]
# **Exercise 1.** At tract level (1 km cells), what share of the GPS phones share their (home, work) pair with
# at most four others, i.e. have an anonymity set of 5 or fewer? Use the table `sizes` (one row per phone,
# one column per geography).

# %%
answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1,
      hint="compare sizes['tract'] with 5 and take the mean of the result")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = (sizes["tract"] <= 5).mean()
check("exercise 1", answer_1, reference_1)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_2 = (home_error_m(pairs_cdr, release="cdr", **truth_tables).dropna() <= 1000).mean()

# %% [markdown]
# **Exercise 2.** How well does the operator's CDR locate homes? Using `home_error_m` on `pairs_cdr` (the homes
# guessed from the CDR above, `release="cdr"`), find the share of subscribers whose guessed home lies within
# 1 km of their true home. Count only subscribers with a guess.

# %%
answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2,
      hint="home_error_m(pairs_cdr, release='cdr', **truth_tables) gives one distance per subscriber; "
           "drop the NaN first")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
errors = home_error_m(pairs_cdr, release="cdr", **truth_tables).dropna()
answer_2 = (errors <= 1000).mean()
check("exercise 2", answer_2, reference_2)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_3 = at_towers.loc[3, "share_unique"]

# %% [markdown]
# **Exercise 3.** Recount the top-3 result at tower level yourself. `top_n_codes(cdr, n=3, space="tower_id")`
# gives each subscriber an integer code; equal codes mean equal top-3 sets. What share of subscribers have a
# code that nobody else has? Then compare with the wrong measure, distinct codes divided by subscribers.

# %%
from lab.attacks.top_locations import top_n_codes

answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3,
      hint="codes.map(codes.value_counts()) gives each subscriber the size of their set")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
codes = top_n_codes(cdr, n=3, space="tower_id")
set_size = codes.map(codes.value_counts())
answer_3 = (set_size == 1).mean()
wrong_measure = codes.nunique() / len(codes)  # distinct sets / subscribers: not a risk
check("exercise 3", answer_3, reference_3)

# %% [markdown]
# ## The mitigation and its price
#
# Golle and Partridge close with guidance for obfuscating traces before they are disclosed; the simplest form
# is to coarsen, publishing locations at a resolution where many people share each (home, work) pair. Let us
# snap the GPS release to square cells of 100 m (the analyst's own grid, our baseline) up to 4 km, and for
# each cell size measure
#
# - the **risk**: the median anonymity set of the (home, work) pair as released, and the shares of phones
#   singled out by their pair and by their top-1, 2 and 3 locations (the locations are the released cells);
# - the **price**: `home_detection_error_m`, how far an honest analyst's home for each phone moves, compared
#   with the homes they would find in the original release (median, in metres).
#
# (`home_detection_error_m` snaps both releases to its own 100 m grid and runs `infer_home_work` on each, so it
# measures what a legitimate study of "where do people live" loses.)

# %%
from lab.grid import Space
from lab.metrics.utility import home_detection_error_m

rows = []
for cell_m in (100, 500, 1000, 2000, 4000):
    released = snap_to_grid(gps, cell_m=cell_m, origin=origin)
    released_pairs = infer_home_work(released)
    _, s, _ = anonymity_sets(released_pairs, geographies={"released cells": float(cell_m)}, origin=origin)
    top = top_n_uniqueness(released, spaces=[Space("grid", cell_m=cell_m, origin=origin)]).set_index("n")
    rows.append({
        "setting": f"{cell_m:,} m", "cell_m": cell_m,
        "home_error_m": home_detection_error_m(gps, released, origin=origin),
        "median_set": s["median"].iloc[0], "pair_unique": s["share_unique"].iloc[0],
        "top1_unique": top.loc[1, "share_unique"], "top2_unique": top.loc[2, "share_unique"],
        "top3_unique": top.loc[3, "share_unique"],
    })
price = pd.DataFrame(rows)
price.round(3)

# %%
from lab.plots.home_work import coarsening_price_figure

coarsening_price_figure(price, title="Coarsening the GPS release: what it buys and what it costs")

# %%
base, coarsest = price.iloc[0], price.iloc[-1]
safer = price[price["pair_unique"] < 0.5]
first_safer = (f"The (home, work) pair stops singling out a majority only at **{safer['setting'].iloc[0]}** "
               f"cells ({safer['pair_unique'].iloc[0]:.1%} singled out), where the analyst's homes move by a "
               f"median {safer['home_error_m'].iloc[0]:,.0f} m." if len(safer) else
               "At no cell size does the (home, work) pair stop singling out a majority.")
display(Markdown(
    f"- On the analyst's own {base['setting']} grid, {base['pair_unique']:.1%} of phones are singled out by "
    f"their pair and {base['top3_unique']:.1%} by their top 3 cells.\n"
    f"- {first_safer}\n"
    f"- At {coarsest['setting']}, the median anonymity set is {coarsest['median_set']:,.0f}, yet "
    f"{coarsest['pair_unique']:.1%} are still alone with their pair and {coarsest['top3_unique']:.1%} with their "
    f"top 3; the analyst's homes are now off by a median {coarsest['home_error_m']:,.0f} m."))

# %% [markdown]
# The price grows in step with the cell (a home moves by up to half a cell's diagonal), while the protection
# lags behind: the median anonymity set stays small until the cells are kilometres wide, and even at the
# coarsest size some phones are still alone with their pair or their top 3. Those are the people whose pair of
# cells is rare — Golle and Partridge saw the same for people who live and work in different counties.
# Coarsening works against these attacks only once the release is too coarse to say in which neighbourhood
# anyone lives, which is what many legitimate uses needed in the first place.

# %% [markdown]
# ## The paper vs our town
#
# Why does our 1 km "tract" hold so few people? A US census tract is drawn to hold about 4,000 residents
# (the Census Bureau aims for 1,200 to 8,000), and Golle and Partridge's tract pairs draw on a whole country's
# commuters. Count our town's workers on the 1 km grid:

# %%
place_ll = world.places.set_index("place_id")[["lat", "lon"]]


def tract_of(place_ids: pd.Series) -> pd.Series:
    """The 1 km cell (our tract) of each place."""
    ll = place_ll.reindex(place_ids)
    return pd.Series(cell_ids(ll["lat"].to_numpy(), ll["lon"].to_numpy(), cell_m=1000, origin=origin))


residents = tract_of(world.people["home_id"])
home_tract, work_tract = tract_of(workers["home_id"]), tract_of(workers["work_id"])
workers_here = home_tract.map(home_tract.value_counts())  # workers living in each worker's home tract
destinations = pd.DataFrame({"home": home_tract, "work": work_tract}).groupby("home")["work"].nunique()
display(Markdown(
    f"The town's {len(world.people):,} people live in {residents.nunique():,} occupied 1 km cells: the median "
    f"person lives in a cell of **{residents.map(residents.value_counts()).median():,.0f}** residents, not "
    f"thousands. A worker's home cell holds a median **{workers_here.median():,.0f}** workers, and they commute to "
    f"a median **{home_tract.map(destinations).median():,.0f}** different work cells, so each (home, work) pair of "
    f"cells is left with only a couple of workers: the median set of every worker is "
    f"{summary_census.loc['tract', 'median']:,.0f} at tract level, against the paper's 21."))

# %%
from lab.course import paper_vs_town


def sets(s: pd.DataFrame) -> str:
    """Median anonymity sets at the three geographies, finest first."""
    return " / ".join(f"{v:,.0f}" for v in s["median"])


comparison = paper_vs_town([
    {"result": "median (home, work) anonymity set: block / tract / county (town: 200 m / 1 km / 5 km)",
     "paper": "1 / 21 / 34,980", "paper_n": "US working population (census commuting data)",
     "town": f"{sets(summary)} (pairs guessed from GPS)", "town_n": int(summary["n"].iloc[0])},
    {"result": "same, true homes and workplaces of every worker",
     "paper": "1 / 21 / 34,980", "paper_n": "US working population (census commuting data)",
     "town": sets(summary_census), "town_n": int(summary_census["n"].iloc[0])},
    {"result": "top-1 location unique, finest level (sector or cell; town: tower)",
     "paper": "top 1 does not typically give small anonymity sets", "paper_n": "25 M subscribers, 30 billion calls",
     "town": f"{at_towers.loc[1, 'share_unique']:.1%} unique, median set {at_towers.loc[1, 'median_set']:,.0f}",
     "town_n": int(at_towers.loc[1, "users"])},
    {"result": "top-2 / top-3 locations unique, finest level",
     "paper": "small anonymity sets, certainly at sector or cell level",
     "paper_n": "25 M subscribers, 30 billion calls",
     "town": f"{at_towers.loc[2, 'share_unique']:.1%} / {at_towers.loc[3, 'share_unique']:.1%} unique, median sets "
             f"{at_towers.loc[2, 'median_set']:,.0f} / {at_towers.loc[3, 'median_set']:,.0f}",
     "town_n": int(at_towers.loc[2, "users"])},
    {"result": "top-3 locations unique, coarse level (zip code, county; town: 2 km / 5 km grid)",
     "paper": "anonymity sets grow as the granularity coarsens",
     "paper_n": "25 M subscribers, 30 billion calls",
     "town": "; ".join(f"{r.space}: {r.share_unique:.1%} unique, median set {r.median_set:,.0f}"
                       for r in top_n[(top_n["n"] == 3) & (top_n["space"] != "tower_id")].itertuples()),
     "town_n": int(at_towers.loc[3, "users"])},
])
comparison

# %% [markdown]
# Our town has thousands of people, not a country's hundred million workers, so each of its geographies holds
# far fewer people than the census unit it stands in for, and its median sets above block level are smaller. What
# carries over is part of the shape: nearly everyone alone at the finest scale, and a real crowd only when the
# cells are as big as whole districts. The middle level does not carry over: at our tract scale the median
# set is one or two, not a small crowd of 21, and most GPS phones are still alone with their pair (both
# printed above). For top-N, the order carries over: the top-1 tower hides nearly everyone in a crowd of dozens,
# while the top 2 and top 3 shrink the crowd to a handful and single out a minority of subscribers.
#
# ## Summary
#
# - Home is where a phone sleeps and work is where it spends weekdays: a few lines of code find both, to within
#   a building for most GPS users, with no names and no outside data.
# - The (home, work) pair is nearly unique at block scale, and in our small town still unique for most at
#   tract scale; only very coarse geographies hide people in a crowd, as Golle and Partridge found.
# - A subscriber's single most frequent location is shared by many; the top two or three shrink that crowd
#   to a handful and single some subscribers out, the order Zang and Bolot found. Count *people* with a
#   unique set, never distinct sets.
# - Coarsening lowers the risk slowly and costs utility immediately: by the time the pairs hide in crowds, an
#   analyst no longer knows which neighbourhood anyone lives in.
#
# ## References
#
# - Golle, P., Partridge, K. (2009). On the anonymity of home/work location pairs. *Pervasive Computing
#   (Pervasive 2009)*, LNCS 5538, 390–397. Springer. https://doi.org/10.1007/978-3-642-01516-8_26
# - Zang, H., Bolot, J. (2011). Anonymization of location data does not work: a large-scale measurement study.
#   *Proceedings of the 17th Annual International Conference on Mobile Computing and Networking (MobiCom '11)*,
#   145–156. ACM. https://doi.org/10.1145/2030613.2030630
# - Isaacman, S., Becker, R., Cáceres, R., Kobourov, S., Martonosi, M., Rowland, J., Varshavsky, A. (2011).
#   Identifying important places in people's lives from cellular network data. *Pervasive Computing
#   (Pervasive 2011)*, LNCS 6696, 133–151. Springer.
# - Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International Journal of Uncertainty,
#   Fuzziness and Knowledge-Based Systems* 10(5), 557–570.

# %% tags=["headline"]
# The headline: the median (home, work) anonymity set grows at least fifty-fold from the finest to the
# coarsest geography, and at tower level the top-1 location singles out fewer subscribers than the top 2,
# which single out no more than the top 3.
finest, coarsest_set = summary["median"].iloc[0], summary["median"].iloc[-1]
assert finest <= 2, finest
assert coarsest_set >= 50 * finest, (finest, coarsest_set)
tower_shares = top_n[top_n["space"] == "tower_id"].set_index("n")["share_unique"]
assert tower_shares[1] < tower_shares[2] <= tower_shares[3], tower_shares.to_dict()
print(f"median sets {finest:.0f} → {coarsest_set:,.0f}; top-1/2/3 unique at towers: "
      + " / ".join(f"{tower_shares[n]:.1%}" for n in (1, 2, 3)))
