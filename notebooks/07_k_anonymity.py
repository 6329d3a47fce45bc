# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07. k-anonymity, for records and for traces
#
# > **In this lesson you will**
# > - measure how many people of the town's registry are unique on their birth date, sex and where they live;
# > - make the registry 5-anonymous by generalising and suppressing, and check every class yourself;
# > - make a week of GPS traces 5-anonymous with Never Walk Alone, and measure how far it moves points and how
# >   many traces it deletes;
# > - see why four known points still re-identify most "anonymous" traces, and what it would take to stop them.
# >
# > **Time:** about 40 minutes · **Needs:** lessons 02 (unique in the crowd) and 03 (home and work)
# >
# > **Reproduces:** Sweeney (2002), *k-Anonymity: A Model for Protecting Privacy*; Abul, Bonchi & Nanni (2008),
# > *Never Walk Alone: Uncertainty for Anonymity in Moving Objects Databases*.

# %% [markdown]
# ## The story
#
# In the 1990s the state of Massachusetts released the hospital records of its employees with the names
# removed. Each record still carried the patient's ZIP code, birth date and sex. Latanya Sweeney bought the voter
# list of Cambridge for twenty dollars: it held the same three fields *with* the names. Six voters shared the
# governor's birth date, three of them were men, and only one lived in his ZIP code, so his hospital record
# was his. Sweeney then estimated from the 1990 census that **87 %** of the US population is unique on
# {5-digit ZIP, sex, date of birth}. Fields that are harmless one by one but identify people together are
# called **quasi-identifiers**.
#
# Her answer was **k-anonymity**: publish the quasi-identifiers coarsely enough (a birth *year* instead of a
# date, a district instead of an address) that every combination is shared by at least *k* records, and delete
# ("suppress") the few records that still stick out. Then anyone you can match is one of at least *k* people.
#
# The 2019 leak held exactly such a registry: ID number, name, birth date, sex, ethnicity, address and employer,
# joined to millions of camera sightings. Deleting the names and ID numbers would have left Sweeney's
# quasi-identifiers in place, and the sightings too. A sequence of places and times is a quasi-identifier of its
# own (lesson 02). Abul, Bonchi and Nanni (2008) carried k-anonymity over to movement: in their
# **(k, δ)-anonymity** each published trace must move, at every instant, inside a tube of diameter δ together
# with at least *k* − 1 others. Their method, *Never Walk Alone* (NWA), groups similar traces and pulls every
# point into its group's tube.
#
# This lesson asks: the fix that works for a registry, does it also work for traces?

# %% [markdown]
# ## Reproduce the headline
#
# ### The registry and its quasi-identifiers
#
# We generate a town of 5,000 fictional people over one week (seeded, so everyone gets the same town) and
# take its registry. We drop the direct identifiers (name, national ID number) and keep the quasi-identifiers:
# birth date, sex, home (address, district and position) and workplace.

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lab.course import check, paper_vs_town
from lab.synth.scenario import load_scenario
from lab.world import generate_world

scenario = load_scenario("town", population=5000, days=7)
world = generate_world(scenario, seed=1)

places = world.places.set_index("place_id")
people = world.people
registry = people[["person_id", "birth_date", "sex", "community", "address", "home_id", "work_id"]].assign(
    district=places["district_id"].reindex(people["home_id"]).to_numpy(),
    home_lat=places["lat"].reindex(people["home_id"]).to_numpy(),
    home_lon=places["lon"].reindex(people["home_id"]).to_numpy(),
    work_lat=places["lat"].reindex(people["work_id"]).to_numpy(),  # NaN: no workplace
    work_lon=places["lon"].reindex(people["work_id"]).to_numpy(),
)
n_people = len(registry)
print(f"{n_people:,} people in {registry['district'].nunique()} districts; "
      f"{registry['work_id'].isna().sum():,} have no workplace")
registry.drop(columns=["home_lat", "home_lon", "work_lat", "work_lon"]).head()


# %% [markdown]
# A record is **unique** on some columns when no other record has the same values in all of them. The share of
# unique records is what Sweeney measured.

# %%
def share_unique(table, columns):
    """Share of rows whose combination of values in `columns` no other row has (missing values count as a value)."""
    size = table.groupby(columns, dropna=False)[columns[0]].transform("size")
    return float((size == 1).mean())


quasi_identifiers = {
    "home, workplace, birth date, sex (all of them)": ["home_id", "work_id", "birth_date", "sex"],
    "district, sex, birth date (Sweeney's ZIP, sex, date of birth)": ["district", "sex", "birth_date"],
    "sex, birth date (the whole town as the place)": ["sex", "birth_date"],
    "district, sex": ["district", "sex"],
}
uniqueness = pd.Series({name: share_unique(registry, cols) for name, cols in quasi_identifiers.items()},
                       name="share unique")
unique_full = uniqueness.iloc[0]
unique_sweeney = uniqueness.iloc[1]
unique_town_dob = uniqueness.iloc[2]
display(uniqueness.to_frame().style.format("{:.2%}"))
display(Markdown(f"On Sweeney's three fields **{unique_sweeney:.1%}** of the {n_people:,} people are unique; "
                 f"on all the quasi-identifiers of the registry, **{unique_full:.2%}**."))

# %% [markdown]
# Read the table from the bottom up. District and sex alone single out nobody. The birth date does most of the
# work: with sex alone it already singles out a large share of the town, and adding the district leaves
# hardly anyone hidden. Our districts hold far fewer people than a US ZIP code, so fewer people share each
# combination than in Sweeney's data.
#
# ### Generalise and suppress until every class has five members
#
# `generalise_quasi_identifiers` climbs one hierarchy per quasi-identifier: home and workplace as 200 m,
# 1 km, 5 km grid cells, then `*` (anywhere in town); birth year, then 5- and 10-year bands, then `*`; sex, then
# `*`. It tries every combination of levels, suppresses the records left in classes smaller than *k* (at most
# `max_suppression` of them), and keeps the combination that loses the least information. Information loss is
# the *normalised certainty penalty*: 0 when every value is published exactly, 1 when it is a `*`.
#
# We hand it only the columns it should generalise. Any column we pass through (like `community`, the
# sensitive attribute here) is published as it is, so the address and district must not be in the table.
# We give it the town's public map origin to anchor its grid, so that the grid is not placed by the
# very people it should protect.

# %%
from lab.mitigations.kanon_qi import generalise_quasi_identifiers

qi_table = registry[["person_id", "birth_date", "sex", "community", "home_lat", "home_lon", "work_lat", "work_lon"]]
g5 = generalise_quasi_identifiers(qi_table, k=5, max_suppression=0.05, origin=scenario.origin)
published_qis = ["home_cell", "work_cell", "birth_years", "sex"]

print("levels chosen:", g5.levels)
print(f"suppressed: {len(g5.suppressed):,} people ({g5.suppressed_share:.1%}); "
      f"{g5.n_classes:,} classes, the smallest of {g5.smallest_class}; information loss (NCP) {g5.ncp:.2f}")
dropped = [a for a, level in g5.levels.items() if level == "*"]
print("published as '*' (not at all):", ", ".join(dropped) if dropped else "nothing")
g5.table.head()

# %% [markdown]
# Look at the levels the search chose, and at the attributes it publishes as `*`: to give everybody four
# companions, the cheapest way was to give up those attributes entirely rather than coarsen everything a
# little. The people still alone in their class were suppressed: they are missing from the release.
#
# Now measure uniqueness on what was published, with our own `share_unique`, as an outsider would.

# %%
unique_after = share_unique(g5.table, published_qis)
class_sizes_5 = g5.table.groupby(published_qis).size()
display(Markdown(f"Unique before: **{unique_full:.2%}** of {n_people:,} people. "
                 f"Unique after 5-anonymity: **{unique_after:.1%}** of the {len(g5.table):,} published; "
                 f"smallest class {class_sizes_5.min()}, median class {class_sizes_5.median():.0f}."))

# %% [markdown]
# That is k-anonymity doing its job: nobody in the published table can be matched to fewer than five people on
# these fields. It also shows the price: a registry with no addresses in it. Keep that in mind for the traces.
#
# ### Traces: Never Walk Alone
#
# The phone-app GPS release is our trace table: one row per fix, under an advertising pseudonym. First, how
# unique are the traces? As in lesson 02 a *point* is a 100 m grid cell during one hour, and unicity ε₄ is the
# share of pseudonyms that four of their points, drawn at random, single out.

# %%
from lab.attacks.unicity import unicity
from lab.grid import Space

gps = world.releases["gps"]
grid_100m = Space.parse("grid:100", origin=scenario.origin)  # the town's public grid
raw = unicity(gps, p=4, space=grid_100m, hours=1, rng=0)
display(Markdown(f"{gps['pseudonym'].nunique():,} GPS traces, {len(gps):,} fixes. "
                 f"Unicity at p = 4: **{raw.share:.1%}** of {raw.n:,} traces "
                 f"(95 % interval {raw.low:.1%}–{raw.high:.1%})."))

# %% [markdown]
# NWA compares traces instant by instant, so it first places every trace on common instants, every 15 minutes
# over the whole week (`resample_traces`: straight lines between fixes, the first and last fix held before and
# after). Then it groups each trace with its *k* − 1 nearest, trashes traces too far from any group (at most
# `max_suppression` of them), and moves every point just far enough to lie within δ/2 of its group's centre,
# so any two members are within δ of each other. We ask for *k* = 5 and a tube of δ = 500 m.

# %%
from lab.mitigations.kanon_traj import anonymise_trajectories, resample_traces

resampled = resample_traces(gps, step_s=900, origin=scenario.origin)
nwa = {5: anonymise_trajectories(gps, k=5, delta_m=500, step_s=900, max_radius_m=3000, max_suppression=0.1,
                                 origin=scenario.origin)}
r5 = nwa[5]
print(f"{r5.groups.nunique():,} groups of {r5.groups.value_counts().min()} to {r5.groups.value_counts().max()} "
      f"traces; {len(r5.suppressed):,} traces trashed ({r5.share_traces_suppressed:.1%})")

# %% [markdown]
# The output is new points on the common instants, with a fresh row index. To compare each published point with
# the resampled original, label both by (pseudonym, instant); then the lab's utility metrics line them up.

# %%
from lab.geo import to_local
from lab.metrics.utility import displacement_m, retention

before = resampled.set_index(["pseudonym", "t"], drop=False)
after = r5.release.set_index(["pseudonym", "t"], drop=False)
moved = displacement_m(before, after)
kept = retention(before, after)

# The (k, δ) promise, checked from the published points: each lies within δ/2 of its group's centre.
joined = r5.release.assign(group=r5.release["pseudonym"].map(r5.groups)).merge(
    r5.centres, on=["group", "t"], suffixes=("", "_centre"))
x, y = to_local(joined["lat"], joined["lon"], origin=r5.origin)
cx, cy = to_local(joined["lat_centre"], joined["lon_centre"], origin=r5.origin)
in_tube = float((np.hypot(x - cx, y - cy) <= r5.delta_m / 2 + 1e-6).mean())

display(Markdown(
    f"Points moved: mean **{moved.mean():.0f} m**, median {moved.median():.0f} m, "
    f"{(moved > 0).mean():.0%} of points moved at all. Kept: {kept['pseudonyms']:.1%} of the traces. "
    f"Points inside their group's tube: {in_tube:.1%}."))

# %% [markdown]
# Here is one group on the second day: on the left its traces as recorded (resampled), on the right as
# published. The shaded band is the tube: every point within δ/2 of the group's centre at that instant. The
# published traces run inside it, yet each keeps its own detours wherever they already lay within δ/2 of the
# group's centre.

# %%
import matplotlib.pyplot as plt
from shapely.geometry import LineString, MultiPolygon

day = r5.release["t"].dt.normalize().drop_duplicates().sort_values().iloc[1]
size = r5.groups.value_counts()
group = size[size == size.min()].index[0]  # one of the smallest groups, to keep the picture readable
members = r5.groups.index[r5.groups == group]

centre = r5.centres[(r5.centres["group"] == group) & (r5.centres["t"].dt.normalize() == day)]
centre_x, centre_y = to_local(centre["lat"], centre["lon"], origin=scenario.origin)
# The tube: within δ/2 of the centre at some instant (the centre moves in straight lines between instants).
tube = LineString(np.column_stack([centre_x, centre_y]) / 1000).buffer(r5.delta_m / 2 / 1000)

fig, axes = plt.subplots(1, 2, figsize=(11, 5), sharex=True, sharey=True)
for ax, frame, label in ((axes[0], resampled, "as recorded (resampled every 15 min)"),
                         (axes[1], r5.release, f"as published (k = 5, δ = {r5.delta_m:g} m)")):
    one_day = frame[frame["pseudonym"].isin(members) & (frame["t"].dt.normalize() == day)]
    for name, trace in one_day.groupby("pseudonym"):
        tx, ty = to_local(trace["lat"], trace["lon"], origin=scenario.origin)
        ax.plot(tx / 1000, ty / 1000, marker=".", markersize=3, linewidth=1, label=name)
    for i, part in enumerate(tube.geoms if isinstance(tube, MultiPolygon) else [tube]):
        ax.fill(*part.exterior.xy, color="0.85", zorder=0, label=None if i else f"tube (δ = {r5.delta_m:g} m)")
    ax.plot(centre_x / 1000, centre_y / 1000, "k--", linewidth=1, label="group centre")
    ax.set_title(label)
    ax.set_xlabel("km east of the town's origin")
    ax.set_aspect("equal")
axes[0].set_ylabel("km north of the town's origin")
axes[1].legend(fontsize=7, title="pseudonym")
fig.suptitle(f"Group {group}, {day:%A %d %B}: {len(members)} traces in one tube")
plt.show()

# %% [markdown]
# Every published trace now "walks with" four others. Does that stop someone who knows four points of a person
# from finding that person's trace?
#
# Careful about what the adversary knows. It knows where the person **really** was (a neighbour saw them, a
# receipt, a photo): four points of the *true* trace, not of the published one, which NWA has moved. So we
# measure it as the adversary would work: for every person whose trace was published, draw four true points
# (rows of the resampled original traces, on the release's 15-minute instants), and pick the published trace
# that passes nearest to them (the smallest sum of distances at those four instants). The person is
# re-identified when that trace is theirs; when several traces tie, the adversary guesses among them.

# %%
from lab.attacks.linkage import sample_known_points


def reidentified(release, truth, p=4, rng=0):
    """Share of the published traces an adversary finds from p true points of each person (top-1, ties shared)."""
    x, y = to_local(release["lat"], release["lon"], origin=scenario.origin)
    pos = release[["pseudonym", "t"]].assign(x=x, y=y)
    px = pos.pivot(index="pseudonym", columns="t", values="x")  # one row per published trace, one column per instant
    py = pos.pivot(index="pseudonym", columns="t", values="y").reindex_like(px)
    known = sample_known_points(truth[truth["pseudonym"].isin(px.index)], k=p, n_targets=len(px), rng=rng)
    known = known.sort_values(["identity", "t"], kind="stable")
    instant = px.columns.get_indexer(known["t"]).reshape(-1, p)  # the instants each target was seen at
    assert (instant >= 0).all(), "the true points must lie on the release's instants"
    kx, ky = (a.reshape(-1, p) for a in to_local(known["lat"], known["lon"], origin=scenario.origin))
    own = px.index.get_indexer(known["identity"].to_numpy()[::p])
    found = []
    for b in np.array_split(np.arange(len(own)), max(1, len(own) // 200)):  # 200 targets at a time
        d = np.hypot(px.to_numpy()[:, instant[b]] - kx[b], py.to_numpy()[:, instant[b]] - ky[b])
        d = np.where(np.isnan(d), np.inf, d).sum(axis=2)  # (traces, targets): sum of distances
        nearest = d <= d.min(axis=0) + 1e-3  # the trace(s) the adversary would pick
        found.append(nearest[own[b], np.arange(len(b))] / nearest.sum(axis=0))
    return float(np.concatenate(found).mean())


reid_before = reidentified(resampled, resampled)
reid5 = reidentified(r5.release, resampled)
u5 = unicity(r5.release, p=4, space=grid_100m, hours=1, rng=0)
resampled_u = unicity(resampled, p=4, space=grid_100m, hours=1, rng=0)
display(Markdown(
    f"From four true points the adversary re-identifies **{reid_before:.1%}** of the traces before NWA and "
    f"**{reid5:.1%}** of the {r5.release['pseudonym'].nunique():,} published traces after "
    f"(5, {r5.delta_m:g} m)-anonymity.\n\n"
    f"For comparison, the unicity of the traces themselves (four of a trace's *own* points, 100 m × 1 h): raw "
    f"release {raw.share:.1%}; resampled, before NWA {resampled_u.share:.1%}; published traces after NWA "
    f"{u5.share:.1%} of {u5.n:,}."))

# %% [markdown]
# Most people are still found. The (k, δ) promise holds (every trace has four companions within δ), but
# companions *nearby* are not companions *on the same points*. A point moved only as far as the edge of the tube
# stays close to where the person really was, and a trace already inside the tube is not moved at all, so at
# the four instants the adversary knows, the person's own published trace is usually still the nearest. The
# unicity of the published traces says the same from the other side: their points are still distinct from
# their companions' points. Trujillo-Rasua and Domingo-Ferrer (2013) proved the general case: with δ > 0,
# (k, δ)-anonymity does not make the members of a group indistinguishable.
#
# In a registry, k-anonymity works because every member of a class publishes *the same* values. A trace has
# hundreds of values, and NWA makes them *close*, not *equal*.

# %% [markdown]
# ## Your turn

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_1 = float((~registry.assign(year=pd.to_datetime(registry["birth_date"]).dt.year)
                     .duplicated(["district", "sex", "year"], keep=False)).mean())

# %% [markdown]
# **Exercise 1.** How much of the registry's uniqueness comes from the day and month of birth? Compute the share
# of people unique on (district, sex, birth **year**). Hint: `pd.to_datetime(registry["birth_date"]).dt.year`
# gives the year, and `share_unique` does the rest.

# %%
answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1,
      hint="add a birth-year column to the registry, then call share_unique on district, sex and that column")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
with_year = registry.assign(birth_year=pd.to_datetime(registry["birth_date"]).dt.year)
answer_1 = share_unique(with_year, ["district", "sex", "birth_year"])
check("exercise 1", answer_1, reference_1)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_2 = int(generalise_quasi_identifiers(qi_table, k=10, max_suppression=0.05, origin=scenario.origin)
                  .table.groupby(published_qis).size().min())

# %% [markdown]
# **Exercise 2.** Do not trust the library: check its promise yourself. Run `generalise_quasi_identifiers` with
# *k* = 10 (everything else as above) and find the size of the **smallest** class in the published table, by
# grouping on the published columns `published_qis`.

# %%
answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2, rtol=0,
      hint="the result of generalise_quasi_identifiers has a .table; grouping it by published_qis and taking "
           ".size() gives every class's size")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
g10 = generalise_quasi_identifiers(qi_table, k=10, max_suppression=0.05, origin=scenario.origin)
answer_2 = int(g10.table.groupby(published_qis).size().min())
check("exercise 2", answer_2, reference_2, rtol=0)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_3 = reidentified(anonymise_trajectories(gps, k=5, delta_m=0, step_s=900, max_radius_m=3000,
                                                  max_suppression=0.1, origin=scenario.origin).release, resampled)

# %% [markdown]
# **Exercise 3.** What if the tube has no width? With δ = 0, NWA publishes every member of a group exactly on the
# group's centre. The release `collapsed` below is that. What share of its published traces does the adversary
# re-identify from four true points (with `reidentified`, the resampled traces as the truth, as above)? Then
# look at `collapsed.mean_displacement_m`: what did it cost?

# %%
collapsed = anonymise_trajectories(gps, k=5, delta_m=0, step_s=900, max_radius_m=3000, max_suppression=0.1,
                                   origin=scenario.origin)
answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3, atol=1e-9,
      hint="reidentified(release, truth) takes the published points first, the true traces second")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_3 = reidentified(collapsed.release, resampled)
check("exercise 3", answer_3, reference_3, atol=1e-9)

# %% [markdown]
# With δ = 0 the members of a group publish *identical* traces, just as the members of a registry class
# publish identical fields: four true points can still find the group, but no longer tell its members apart,
# so the adversary is left to guess among them. The price is every trace replaced by its group's average,
# not where each person really went; the next section puts numbers on both.

# %% [markdown]
# ## The mitigation and its price
#
# Now turn the dial. For *k* = 2, 5, 10 and 20 we generalise the registry and anonymise the traces (δ = 500 m),
# then measure what is left to an adversary and what each release lost.

# %%
from lab.plots.kanon import kanon_price_figure

rows = []
for k in (2, 5, 10, 20):
    g = generalise_quasi_identifiers(qi_table, k=k, max_suppression=0.05, origin=scenario.origin)
    if k not in nwa:
        nwa[k] = anonymise_trajectories(gps, k=k, delta_m=500, step_s=900, max_radius_m=3000,
                                        max_suppression=0.1, origin=scenario.origin)
    r = nwa[k]
    moved_k = displacement_m(before, r.release.set_index(["pseudonym", "t"], drop=False))
    rows.append({
        "k": k,
        "registry levels": ", ".join(f"{a} {lv}" for a, lv in g.levels.items()),
        "registry_unique": share_unique(g.table, published_qis),
        "registry_suppressed": g.suppressed_share,
        "registry_ncp": g.ncp,
        "reidentified_p4": reid5 if k == 5 else reidentified(r.release, resampled),
        "unicity_p4": u5.share if k == 5 else unicity(r.release, p=4, space=grid_100m, hours=1, rng=0).share,
        "traces_suppressed": r.share_traces_suppressed,
        "displacement_m": float(moved_k.mean()),
    })
price = pd.DataFrame(rows)
display(price.style.format({c: "{:.1%}" for c in price.columns if c not in ("k", "registry levels", "displacement_m")}
                           | {"displacement_m": "{:.0f}"}))

kanon_price_figure(
    price,
    risk=["registry_unique", "reidentified_p4", "unicity_p4"],
    shares=["registry_suppressed", "registry_ncp", "traces_suppressed"],
    metres=["displacement_m"],
    before={"registry_unique": unique_full, "reidentified_p4": reid_before, "unicity_p4": resampled_u.share},
    labels={"registry_unique": "registry, unique on its quasi-identifiers",
            "reidentified_p4": "traces, re-identified from 4 true points",
            "unicity_p4": "traces, unicity of the published, p = 4 (100 m × 1 h)",
            "registry_suppressed": "registry, people suppressed",
            "registry_ncp": "registry, information loss (NCP)",
            "traces_suppressed": "traces trashed",
            "displacement_m": "traces, mean distance moved"},
    title="k-anonymity: risk left and price paid, registry and traces",
)

# %%
at = price.set_index("k")
reid_collapsed = reidentified(collapsed.release, resampled)
display(Markdown(
    f"- **Registry.** Unique on what is published: {at.loc[2, 'registry_unique']:.1%} at k = 2 "
    f"(before: {unique_full:.2%}). "
    f"At k = 5 the price is {at.loc[5, 'registry_suppressed']:.1%} of the people deleted and an information loss "
    f"of {at.loc[5, 'registry_ncp']:.2f} (levels: {at.loc[5, 'registry levels']}); at k = 20, "
    f"{at.loc[20, 'registry_suppressed']:.1%} and {at.loc[20, 'registry_ncp']:.2f}.\n"
    f"- **Traces, δ = {r5.delta_m:g} m.** Re-identified from four true points: {reid_before:.1%} before, "
    f"{at.loc[5, 'reidentified_p4']:.1%} at k = 5 and {at.loc[20, 'reidentified_p4']:.1%} at k = 20 (unicity "
    f"of the published traces: {at.loc[5, 'unicity_p4']:.1%} and {at.loc[20, 'unicity_p4']:.1%}), while the "
    f"mean point moves {at.loc[5, 'displacement_m']:.0f} m at k = 5 and {at.loc[20, 'displacement_m']:.0f} m "
    f"at k = 20, and {at.loc[20, 'traces_suppressed']:.1%} of the traces are trashed at k = 20.\n"
    f"- **Traces, δ = 0, k = 5** (exercise 3): re-identified {reid_collapsed:.1%} (groups of "
    f"{collapsed.groups.value_counts().min()} to {collapsed.groups.value_counts().max()} identical traces), mean point "
    f"moved {collapsed.mean_displacement_m:.0f} m, {collapsed.share_traces_suppressed:.1%} of the traces "
    f"trashed."))

# %% [markdown]
# The two halves of the figure tell opposite stories. For the registry, k-anonymity removes uniqueness
# completely at any *k*, and the price is a coarse table plus a few deleted people. For traces, the same idea
# with a tube of 500 m buys little: most people are still re-identified from four true points, while points
# move further and more traces are trashed as *k* grows. Raising *k* barely helps; removing the tube's width
# does: with δ = 0 (exercise 3) the adversary is left to guess within a group, and at *k* = 5 the mean point moves
# less than with (20, 500 m). What δ = 0 costs is not distance on average but each person's own route: every
# published trace is its group's average.
#
# ## The paper vs our town

# %%
paper_vs_town([
    {"result": "unique on {ZIP, sex, date of birth}; town: {district, sex, date of birth}",
     "paper": "87 %", "paper_n": "US population, 1990 census (about 248 M)",
     "town": f"{unique_sweeney:.1%}", "town_n": n_people},
    {"result": "unique on {place, sex, date of birth}; town: {sex, date of birth} (the town is the place)",
     "paper": "53 % (Sweeney 2000)", "paper_n": "US population, 1990 census (about 248 M)",
     "town": f"{unique_town_dob:.1%}", "town_n": n_people},
    {"result": "smallest class after k = 5 generalisation and suppression",
     "paper": "≥ k, by definition", "paper_n": "any table",
     "town": f"{class_sizes_5.min()} ({g5.suppressed_share:.1%} suppressed)", "town_n": n_people},
    {"result": "published points within δ/2 of their group's centre, k = 5, δ = 500 m",
     "paper": "all, by construction of NWA", "paper_n": "any trajectory database",
     "town": f"{in_tube:.1%}", "town_n": int(r5.groups.size)},
    {"result": "unicity at p = 4 before protection",
     "paper": "95 % (de Montjoye et al. 2013, antenna × hour)", "paper_n": "1.5 M phone users",
     "town": f"{raw.share:.1%} (100 m × 1 h)", "town_n": raw.n},
    {"result": "traces re-identified from 4 true points (nearest published trace) after (5, 500 m)-anonymity",
     "paper": "not measured by Abul et al.; not indistinguishable for δ > 0 (Trujillo-Rasua & Domingo-Ferrer 2013)",
     "paper_n": "proof, no data",
     "town": f"{reid5:.1%} (before NWA: {reid_before:.1%}; unicity of the published traces: {u5.share:.1%})",
     "town_n": r5.release["pseudonym"].nunique()},
])

# %% [markdown]
# Our town is much smaller than the United States and its districts much smaller than ZIP codes, so the
# share unique on Sweeney's fields is even higher than hers: the lesson of the paper holds. The (k, δ)
# guarantee holds exactly, as NWA promises; it just is not a guarantee against someone who knows four points.
#
# ## Summary
#
# - A few harmless-looking fields (birth date, sex, where you live) single out almost everyone in a registry:
#   they are quasi-identifiers, and deleting names does not remove them.
# - k-anonymity generalises and suppresses until every combination is shared by at least *k* records. On a
#   registry it works, and its price is detail: coarse values, sometimes whole attributes given up.
# - (k, δ)-anonymity (Never Walk Alone) gives every trace *k* − 1 companions inside a tube of width δ, at the
#   price of moving points and deleting outlying traces.
# - Companions *nearby* are not companions *on the same points*: four true points still re-identify most
#   published traces, and a bigger *k* barely changes that while it moves points further. δ = 0 (identical
#   group traces) leaves the adversary guessing within a group, and at *k* = 5 moves points less on average
#   than (20, 500 m); its price is that no published trace is a person's own route any more.
#
# ## References
#
# - Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International Journal of Uncertainty,
#   Fuzziness and Knowledge-Based Systems* 10(5), 557–570.
# - Sweeney, L. (2002). Achieving k-anonymity privacy protection using generalization and suppression.
#   *International Journal of Uncertainty, Fuzziness and Knowledge-Based Systems* 10(5), 571–588.
# - Sweeney, L. (2000). Simple demographics often identify people uniquely. Carnegie Mellon University,
#   Data Privacy Working Paper 3, Pittsburgh.
# - Abul, O., Bonchi, F., Nanni, M. (2008). Never walk alone: uncertainty for anonymity in moving objects
#   databases. *Proceedings of the 24th IEEE International Conference on Data Engineering (ICDE 2008)*, 376–385.
# - Trujillo-Rasua, R., Domingo-Ferrer, J. (2013). On the privacy offered by (k, δ)-anonymity. *Information
#   Systems* 38(4), 491–494.
# - de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013). Unique in the Crowd: the privacy
#   bounds of human mobility. *Scientific Reports* 3, 1376.
# - Xu, J., Wang, W., Pei, J., Wang, X., Shi, B., Fu, A. W.-C. (2006). Utility-based anonymization using local
#   recoding. *KDD 2006* (the normalised certainty penalty).

# %% tags=["headline"]
# Before generalisation most of the registry is unique on its quasi-identifiers (Sweeney: 87 % on ZIP, sex, DOB).
assert 0.85 <= unique_sweeney <= 1.0, unique_sweeney
assert 0.9 <= unique_full <= 1.0, unique_full
# After 5-anonymity every published class has at least 5 members, checked by our own groupby, at ≤ 5 % suppressed.
assert class_sizes_5.min() >= 5 and unique_after == 0.0, (class_sizes_5.min(), unique_after)
assert g5.suppressed_share <= 0.05, g5.suppressed_share
# After (5, 500 m)-anonymity of the traces, four true points still re-identify most of the published ones.
assert all(r5.groups.value_counts() >= 5) and in_tube == 1.0, in_tube
assert 0.5 <= reid5 <= reid_before, (reid5, reid_before)
# With δ = 0 the adversary can only guess within a group of at least 5.
assert reid_collapsed <= 1 / 5 + 1e-9, reid_collapsed
