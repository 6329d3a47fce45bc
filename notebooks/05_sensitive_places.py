# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05. Sensitive places
#
# > **In this lesson you will**
# > - find where people sleep from a few weeks of GPS, then look their address up in the registry, as Krumm
# >   did in 2007;
# > - find the regular visitors of places of worship and clinics, and see who they are on a map;
# > - infer a person's (fictional) community from the place of worship they attend, and compare the accuracy
# >   with the base rate, for GPS, camera sightings and phone records;
# > - hide the sensitive places (drop them, or snap everything to a grid), measure what the analyst loses, and
# >   check whether the inference really stops.
# >
# > **Time:** about 40 minutes · **Needs:** lessons 02 (the town and its releases) and 03 (home and work)
# >
# > **Reproduces:** Krumm (2007), *Inference Attacks on Location Tracks* (Pervasive 2007), and the labels of the
# > 2019 surveillance leak (sightings at mosques, hotels, restaurants and internet cafés beside each person's
# > ethnicity).

# %% [markdown]
# ## The story
#
# John Krumm asked a simple question in 2007: if volunteers hand over their GPS tracks with the names removed,
# can an adversary put the names back? His answer took two steps. First find **home**: where a track ends
# at night. His best heuristic put the home within a median of about 60 m of the truth, over 172 volunteers.
# Then look that address up in a public directory and read off a name: that worked for a small fraction of
# the volunteers, and the *address* for a larger fraction.
#
# A home is not the only place that says who you are. A place of worship says what you believe, a clinic
# says something about your health: European law (GDPR Article 9) calls these *special categories* of data.
# The 2019 leak put the two side by side. Its cameras logged sightings at **mosques**, hotels, restaurants
# and internet cafés, and the same database held each person's **ethnicity**: 54.9 % Han, 28.3 % Uyghur and
# 8.3 % Kazakh in the breakdown posted at the time. Anyone could ask: who goes to that mosque every Friday,
# and which group do they belong to?
#
# Our town has the same ingredients, all invented: a registry with a fictional `community` attribute (five
# communities named after nothing), and places of kind `worship`, `clinic`, `hotel` and `internet_cafe`, with
# an `is_sensitive` flag on the first two. Each community has its own places of worship and gathers on its
# own day of the week.

# %% [markdown]
# ## Reproduce the headline
#
# ### The town
#
# A smaller copy of the reference town, over four weeks (seeded, so everyone gets the same town; the code
# prints its size). Four weeks matter here: a *regular* visitor is someone who comes back week after week.

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lab.synth.scenario import load_scenario
from lab.world import generate_world

scenario = load_scenario("town", population=3000, days=28)
world = generate_world(scenario, seed=1)
gps, sightings, cdr = (world.releases[name] for name in ("gps", "sightings", "cdr"))
print(f"{len(world.people):,} people, {len(world.places):,} places, {scenario.days} days")
print(f"GPS: {gps['pseudonym'].nunique():,} app users, {len(gps):,} fixes")
print(f"camera sightings: {sightings['pseudonym'].nunique():,} people seen, {len(sightings):,} sightings")
print(f"phone records (CDR): {cdr['pseudonym'].nunique():,} subscribers, {len(cdr):,} records")

# %% [markdown]
# The registry's community column, beside the breakdown posted after the 2019 leak (three largest groups).
# Our communities are fictional and the town's mix is milder, but like the leak's it has a largest group:
# remember its share, it is about the **base rate** every inference must beat (guess that group for everyone).

# %%
community_share = world.people["community"].value_counts(normalize=True)
leak_share = pd.Series([0.549, 0.283, 0.083], index=["Han", "Uyghur", "Kazakh"])
pd.DataFrame({
    "town community": community_share.index,
    "town share": community_share.round(3).to_numpy(),
    "2019 leak group": list(leak_share.index) + [""] * (len(community_share) - len(leak_share)),
    "2019 leak share": list(leak_share) + [np.nan] * (len(community_share) - len(leak_share)),
}, index=pd.RangeIndex(1, len(community_share) + 1, name="rank"))

# %% [markdown]
# And the places. Only two kinds carry the `is_sensitive` flag; hotels and internet cafés, which the leak's
# cameras also watched, do not.

# %%
world.places.groupby("kind")["is_sensitive"].agg(places="size", sensitive="all").sort_values("places")

# %% [markdown]
# ### Krumm's two steps: home, then a name
#
# `infer_home_work` takes each pseudonym's most frequent position at night. GPS fixes never repeat exactly,
# so we snap them to a 100 m grid first (anchored on the town's public origin). `home_error_m` then checks
# each inferred home against the true one — a `lab.metrics` function: only the metrics may read the truth.

# %%
from lab.attacks.home_work import infer_home_work
from lab.metrics.risk import home_error_m, pseudonym_people
from lab.mitigations.coarsen import snap_to_grid

homes = infer_home_work(snap_to_grid(gps, cell_m=100, origin=scenario.origin))
home_error = home_error_m(homes, keys=world.keys, release="gps", people=world.people, places=world.places)
median_home_error = float(home_error.median())
n_homes = int(home_error.notna().sum())
display(Markdown(f"Median distance between inferred and true home: **{median_home_error:.0f} m** "
                 f"over {n_homes:,} GPS users (Krumm: about 60 m)."))

# %% [markdown]
# Now the reverse look-up. The public map lists every address (the places of kind `home`); snap each inferred
# home to the nearest address within 100 m with `snap_to_places`, which wants a release-shaped table
# (pseudonym, t, lat, lon). The leaked registry then says who lives there. When only one person lives at
# that address, the adversary has a name.

# %%
from lab.attacks.sensitive import snap_to_places

found = homes.dropna(subset=["home_lat"]).reset_index()
as_release = pd.DataFrame({"pseudonym": found["pseudonym"], "t": gps["t"].iloc[0],
                           "lat": found["home_lat"], "lon": found["home_lon"]})
found["address_id"] = snap_to_places(as_release, world.places, kinds=("home",), radius_m=100).to_numpy()

residents = world.people.groupby("home_id").size()
found["residents"] = residents.reindex(found["address_id"]).fillna(0).astype(int).to_numpy()
# Scoring: the true person behind each pseudonym, from the answer key.
true_person = pseudonym_people(world.keys, "gps").reindex(found["pseudonym"]).to_numpy()
true_home = world.people.set_index("person_id")["home_id"].reindex(true_person).to_numpy()
address_right = float(np.mean(found["address_id"].to_numpy() == true_home))
named = float(np.mean((found["address_id"].to_numpy() == true_home) & (found["residents"] == 1)))
display(Markdown(
    f"Right address for **{address_right:.0%}** of {len(found):,} GPS users. For **{named:.0%}** that address "
    f"houses a single person, so the registry gives the right **name**. The median address found houses "
    f"{int(found['residents'].median())} people: the household is found, the person is one of a few."))

# %% [markdown]
# Two numbers, two lessons. The home comes out of the GPS almost every time (our fictional GPS is cleaner than
# Krumm's 2007 loggers). The name comes out far less often, and only for people who live alone: most addresses
# house a family — the same shape as Krumm's "a small fraction of names, a larger fraction of addresses".
#
# ### Who comes back to a sensitive place?
#
# `regular_visitors` snaps every observation to the nearest place of worship or clinic within 50 m, counts
# the distinct *days* each pseudonym was seen there, and calls it a **regular** with at least 3 visits in at
# least 2 different weeks: a weekly habit, not a walk past.

# %%
from lab.attacks.sensitive import infer_attribute, regular_visitors

regulars = regular_visitors(gps, world.places)
summary = pd.DataFrame({
    "pseudonyms_seen": regulars.groupby("kind")["pseudonym"].nunique(),
    "regular_pseudonyms": regulars[regulars["regular"]].groupby("kind")["pseudonym"].nunique(),
})
summary["share_of_gps_users"] = summary["regular_pseudonyms"] / gps["pseudonym"].nunique()
summary

# %% [markdown]
# `pseudonyms_seen` counts anyone with one fix near such a place (neighbours, passers-by); `regular_pseudonyms`
# only those who keep coming back. The map shows the places of worship and clinics (outlined in red) and the
# homes inferred above for the GPS users who are regulars of a place of worship. Hover a grey dot: it names the
# pseudonym and the place it keeps returning to. Nothing on this map needed a name — yet each grey dot is an
# address in the registry.

# %%
from lab.maps import town_map

worship_regulars = regulars[regulars["regular"] & (regulars["kind"] == "worship")].drop_duplicates("pseudonym")
place_name = world.places.set_index("place_id")["name"]
their_homes = worship_regulars.merge(homes.dropna(subset=["home_lat"]), left_on="pseudonym", right_index=True)
regular_homes = pd.DataFrame({
    "place_id": "inferred-" + their_homes["pseudonym"],
    "name": their_homes["pseudonym"] + ": regular at " + place_name.reindex(their_homes["place_id"]).to_numpy(),
    "kind": "home of a regular worshipper (inferred)",
    "lat": their_homes["home_lat"], "lon": their_homes["home_lon"],
    "is_sensitive": False,
})
sensitive_places = world.places[world.places["is_sensitive"]]
town_map(world.districts, pd.concat([sensitive_places, regular_homes], ignore_index=True), show_max=2000)

# %% [markdown]
# ### From the place of worship to the community
#
# Each place of worship serves one community, and the public map says which (its `community` column;
# everywhere else it is empty). `infer_attribute` counts each pseudonym's visits to places of worship — only
# on each place's busiest weekday, learnt from the release itself, since a congregation meets on one day while
# a neighbour shows up on any — and predicts the community with most visits.
#
# We score it with `attribute_accuracy` against the registry (`attribute_truth`, through the answer key). It
# reports the **coverage** (share of pseudonyms given a prediction), the **accuracy** on those, and the
# **base rate**: the accuracy of always guessing the most common community among the same pseudonyms.
#
# Three releases, each at the radius its sensor allows: GPS and cameras within 50 m of the place; phone
# records only know the tower, so within 500 m of it.

# %%
from lab.metrics.inference_score import attribute_accuracy, attribute_truth


def community_attack(release_name, release, *, radius_m, **options):
    """Infer the community of each pseudonym of a release, and score it against the registry."""
    predictions = infer_attribute(release, world.places, radius_m=radius_m, **options)
    truth = attribute_truth(world.people, world.keys, release_name)
    return attribute_accuracy(predictions, truth)


radius = {"gps": 50, "sightings": 50, "cdr": 500}
scores = pd.DataFrame([{"release": name, "radius_m": r, **community_attack(name, world.releases[name], radius_m=r)}
                       for name, r in radius.items()]).set_index("release", drop=False)
scores[["radius_m", "n", "covered", "coverage", "accuracy", "base_rate", "lift"]].round(3)

# %%
from lab.plots.sensitive import inference_figure

inference_figure(scores, title="Community inferred from the place of worship, by release")

# %%
best = scores.loc["sightings"]
display(Markdown(
    f"From the camera sightings, the community of **{best['covered']:,}** people ({best['coverage']:.0%} of those "
    f"seen) comes out right **{best['accuracy']:.0%}** of the time, against a base rate of "
    f"{best['base_rate']:.0%}. From GPS: {scores.loc['gps', 'accuracy']:.0%} against "
    f"{scores.loc['gps', 'base_rate']:.0%}. From phone records: {scores.loc['cdr', 'accuracy']:.0%} against "
    f"{scores.loc['cdr', 'base_rate']:.0%}."))

# Phone records place a subscriber at a tower: how many places of worship have a tower close by?
from lab.geo import to_local

towers = cdr[["lat", "lon"]].drop_duplicates()
worship = world.places[world.places["kind"] == "worship"]
tx, ty = (np.asarray(v) for v in to_local(towers["lat"], towers["lon"], origin=scenario.origin))
wx, wy = (np.asarray(v) for v in to_local(worship["lat"], worship["lon"], origin=scenario.origin))
tower_dist = np.hypot(wx[:, None] - tx, wy[:, None] - ty).min(axis=1)  # each place of worship to its nearest tower
near_tower = float(np.mean(tower_dist <= radius["cdr"]))
display(Markdown(f"Only **{near_tower:.0%}** of the {len(worship)} places of worship have one of the "
                 f"{len(towers)} phone towers within {radius['cdr']} m; the median place of worship is "
                 f"{np.median(tower_dist):.0f} m from its nearest tower."))

# %% [markdown]
# Read the three pairs of bars, not just the tall ones:
#
# - **Cameras** are the leak's case: the camera hangs at the place, so a sighting *is* a visit. Almost every
#   prediction is right, far above the base rate.
# - **GPS** is nearly as good, for fewer people: only app users, and only when the app was open during the
#   service.
# - **Phone records do no better than guessing.** A record places the phone at a tower, not at a building, and
#   most places of worship have no tower close by (printed above): a service there leaves no record near its
#   place, while the records the attack does count come from phones that happen to use a tower near *some*
#   place of worship. Coarse data protects here — by accident, and only against this attack.
#
# Coverage matters as much as accuracy: the people *not* covered (never seen at a place of worship) are
# exposed by nothing here, while the covered ones are exposed almost surely.

# %% [markdown]
# ## Your turn

# %%
from lab.course import check

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
_regular = regulars[regulars["regular"]]
reference_1 = len(set(_regular.loc[_regular["kind"] == "clinic", "pseudonym"])
                  & set(_regular.loc[_regular["kind"] == "worship", "pseudonym"]))

# %% [markdown]
# **Exercise 1.** From the table `regulars` above (the GPS release, one row per pseudonym and place), how many
# distinct pseudonyms are regular visitors of at least one **clinic** *and* of at least one place of **worship**?

# %%
answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1, rtol=0,
      hint="keep the rows where regular is True; the pseudonyms of kind 'clinic' and those of kind 'worship' "
           "are two sets: count their intersection")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
regular_kinds = regulars[regulars["regular"]].groupby("pseudonym")["kind"].agg(set)
answer_1 = int(regular_kinds.map(lambda kinds: {"clinic", "worship"} <= kinds).sum())
check("exercise 1", answer_1, reference_1, rtol=0)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
_community = world.places.loc[world.places["kind"] == "worship"].set_index("place_id")["community"]
_seen = sightings[sightings["place_id"].isin(_community.index)]
people_by_day = (_seen.assign(community=_community.reindex(_seen["place_id"]).to_numpy(), day=_seen["t"].dt.day_name())
           .groupby(["community", "day"])["pseudonym"].nunique().unstack("day"))
reference_2 = people_by_day.idxmax(axis=1).sort_index()

# %% [markdown]
# **Exercise 2.** *When* is as telling as *where*. The camera sightings carry the `place_id` of the camera's
# place; below, `worship_community` gives the community of each place of worship (indexed by `place_id`) and
# `at_worship` keeps the sightings at places of worship. For each community, find the weekday
# (`t.dt.day_name()`) on which its places of worship, taken together, see the most **distinct** people (count
# each pseudonym once per community and weekday). Answer with a Series indexed by community (sorted), holding
# weekday names.

# %%
worship_community = world.places.loc[world.places["kind"] == "worship"].set_index("place_id")["community"]
at_worship = sightings[sightings["place_id"].isin(worship_community.index)]

answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2,
      hint="join the community of each sighting's place, then count pseudonyms per community and weekday "
           "with nunique, and take idxmax per community")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
counts = (at_worship.assign(community=worship_community.reindex(at_worship["place_id"]).to_numpy(),
                            day=at_worship["t"].dt.day_name())
          .groupby(["community", "day"])["pseudonym"].nunique())
answer_2 = counts.groupby(level="community").idxmax().map(lambda pair: pair[1]).sort_index()
check("exercise 2", answer_2, reference_2)

# %% [markdown]
# The weekday with the most distinct people, per community, with how many people that is and how many the
# cameras at the same places count on all the other weekdays together:

# %%
on_day = people_by_day.max(axis=1)
pd.DataFrame({"busiest weekday": reference_2, "distinct people that day": on_day.astype(int),
              "summed over the other weekdays": (people_by_day.sum(axis=1) - on_day).astype(int)})

# %% [markdown]
# Each community has its own day, so a pseudonym that is somewhere every week on that day, at that hour, is
# already suspect — even before anyone checks where.

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
_strict = community_attack("gps", gps, radius_m=50, min_visits=2, min_weeks=2)
reference_3 = (_strict["accuracy"], _strict["coverage"])

# %% [markdown]
# **Exercise 3.** Demand more evidence: run the attack on the GPS release again with `min_visits=2` and
# `min_weeks=2` (use `community_attack`, with the GPS radius of 50 m). What are the accuracy and the coverage
# now? Answer with a tuple `(accuracy, coverage)`.

# %%
answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3,
      hint="community_attack returns a dict; read its 'accuracy' and 'coverage'")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
result = community_attack("gps", gps, radius_m=50, min_visits=2, min_weeks=2)
answer_3 = (result["accuracy"], result["coverage"])
check("exercise 3", answer_3, reference_3)

# %% [markdown]
# Compare your pair with the GPS row of the `scores` table above: how much accuracy did the extra evidence buy,
# and how many people did it cost? Which of the two is the privacy harm?

# %% [markdown]
# ## The mitigation and its price
#
# Two ways a data holder could hide the sensitive places before publishing:
#
# - **drop them** (`drop_sensitive`): remove every observation within *r* metres of a place of worship or a
#   clinic. The public map of places is all it needs.
# - **snap to a grid** (`snap_to_grid`): publish every position as the centre of its grid cell, so a visit to
#   the place of worship looks like a visit to the block around it.
#
# The adversary adapts. After a drop of radius *r*, they know the policy and look just outside the hole
# (within *r* + 100 m): the trips before and after a visit. After snapping to cells of side *c*, they snap to
# the places within half a diagonal (0.71 *c*) of the published point.
#
# The analyst's side: how many rows are kept, and how much a **footfall map** on a 500 m grid still looks like
# the original (`heatmap_similarity`, the cosine similarity of the two maps; 1 = the same). Each setting runs
# the attack on the whole release, so this cell takes a little while.

# %%
from lab.metrics.utility import heatmap_similarity
from lab.mitigations.minimise import drop_sensitive

rows = []
for name in ("gps", "sightings"):
    original = world.releases[name]
    settings = [("none", "original", original, 50.0)]
    settings += [("drop_sensitive", f"{r} m", drop_sensitive(original, world.places, radius_m=r), r + 100.0)
                 for r in (25, 100, 400)]
    settings += [("snap_to_grid", f"{c} m", snap_to_grid(original, cell_m=c, origin=scenario.origin), 0.71 * c)
                 for c in (200, 800, 1600)]
    for mitigation, setting, protected, attack_radius in settings:
        score = community_attack(name, protected, radius_m=attack_radius)
        rows.append({"release": name, "mitigation": mitigation, "setting": setting,
                     "attack_radius_m": round(attack_radius), "accuracy": score["accuracy"],
                     "base_rate": score["base_rate"], "coverage": score["coverage"], "covered": score["covered"],
                     "rows_kept": len(protected) / len(original),
                     "heatmap_similarity": heatmap_similarity(original, protected, cell_m=500,
                                                              origin=scenario.origin)})
tradeoff = pd.DataFrame(rows)
tradeoff.round(3)

# %%
from lab.plots.sensitive import inference_tradeoff_figure

MITIGATION_NAMES = {"none": "no protection", "drop_sensitive": "drop observations near sensitive places",
                    "snap_to_grid": "snap to a grid"}
RELEASE_NAMES = {"gps": "GPS", "sightings": "camera sightings"}
inference_tradeoff_figure(tradeoff.assign(mitigation=tradeoff["mitigation"].map(MITIGATION_NAMES),
                                          release=tradeoff["release"].map(RELEASE_NAMES)),
                          utility_label="footfall map kept: heatmap similarity on a 500 m grid (1 = unchanged)")

# %%
row = tradeoff.set_index(["release", "mitigation", "setting"])
dropped = row.loc[("sightings", "drop_sensitive", "100 m")]
dropped_gps = row.loc[("gps", "drop_sensitive", "100 m")]
snaps = tradeoff[(tradeoff["release"] == "gps") & (tradeoff["mitigation"] == "snap_to_grid")]
# The first (finest) snapping that brings the inference down to within 5 points of the base rate.
enough = snaps[snaps["accuracy"] <= snaps["base_rate"] + 0.05].iloc[0]
display(Markdown(
    f"**Dropping** everything within 100 m of worship and clinics: the sightings keep "
    f"{dropped['rows_kept']:.0%} of their rows and a footfall map {dropped['heatmap_similarity']:.3f} similar, "
    f"and the community inference falls from {best['accuracy']:.0%} to {dropped['accuracy']:.0%} "
    f"(base rate {dropped['base_rate']:.0%}). On GPS: {dropped_gps['rows_kept']:.0%} of rows kept, accuracy "
    f"{dropped_gps['accuracy']:.0%} (base rate {dropped_gps['base_rate']:.0%}).\n\n"
    f"**Snapping** GPS must go to cells of {enough['setting']} before the inference is down to the base rate "
    f"({enough['accuracy']:.0%} against {enough['base_rate']:.0%}); the footfall map is then only "
    f"{enough['heatmap_similarity']:.2f} similar to the original."))

# %% [markdown]
# So for *this* attack, dropping the places wins by far: a small share of the rows buys the whole protection,
# while snapping has to blur the whole town. But the price is not only rows. An analyst who wanted to count
# visits to clinics or places of worship (to plan opening hours, or a vaccination drive) now has nothing, and
# the drop must be wide enough for the sensor. A hole smaller than the GPS error leaks:

# %%
small = row.loc[("gps", "drop_sensitive", "25 m")]
display(Markdown(f"GPS with a 25 m hole: accuracy {small['accuracy']:.0%} against a base rate of "
                 f"{small['base_rate']:.0%} — the fixes scattered just outside the hole still name the place."))

# %% [markdown]
# ### Does dropping the places stop the inference?
#
# It stops *this* inference. It does not stop inference. Dropping places leaves everything else: in particular
# the home, which Krumm found so easily. And people of one community tend to live near each other. A town
# census that publishes the mix of communities per district (a perfectly ordinary table; we compute it from
# the registry) turns the home into a guess: predict the district's largest community.

# %%
home_district = world.places.set_index("place_id")["district_id"]
registry = world.people.assign(district=home_district.reindex(world.people["home_id"]).to_numpy())
census = pd.crosstab(registry["district"], registry["community"], normalize="index")
census_guess = census.idxmax(axis=1)

protected_gps = drop_sensitive(gps, world.places, radius_m=100)
homes_after = infer_home_work(snap_to_grid(protected_gps, cell_m=100, origin=scenario.origin))
homes_after = homes_after.dropna(subset=["home_lat"]).reset_index()
as_release = pd.DataFrame({"pseudonym": homes_after["pseudonym"], "t": gps["t"].iloc[0],
                           "lat": homes_after["home_lat"], "lon": homes_after["home_lon"]})
address = snap_to_places(as_release, world.places, kinds=("home",), radius_m=100)
by_home = pd.DataFrame({"pseudonym": homes_after["pseudonym"],
                        "prediction": census_guess.reindex(home_district.reindex(address).to_numpy()).to_numpy()})
residual = attribute_accuracy(by_home, attribute_truth(world.people, world.keys, "gps"))
display(Markdown(
    f"From the GPS release **with the sensitive places dropped** (100 m): the community guessed from the home "
    f"district is right for **{residual['accuracy']:.0%}** of {residual['covered']:,} users, against a base rate "
    f"of {residual['base_rate']:.0%}. Less sharp than the place of worship, but for everyone with a home, and "
    f"untouched by the mitigation."))

# %% [markdown]
# ## The paper vs our town

# %%
from lab.course import paper_vs_town

top3 = community_share.iloc[:3]
paper_vs_town([
    {"result": "median error of the inferred home", "paper": "about 60 m (best of four heuristics)",
     "paper_n": "172 volunteers (Krumm 2007)", "town": f"{median_home_error:.0f} m", "town_n": n_homes},
    {"result": "home address / name found by reverse look-up",
     "paper": "a larger fraction of addresses, a small fraction of names", "paper_n": "172 volunteers",
     "town": f"{address_right:.0%} addresses, {named:.0%} names", "town_n": len(found)},
    {"result": "registry's three largest groups", "paper": "54.9 % / 28.3 % / 8.3 % (Han, Uyghur, Kazakh)",
     "paper_n": "2,565,724 registry records (2019 leak)",
     "town": " / ".join(f"{s:.1%}" for s in top3) + f" ({', '.join(top3.index)})", "town_n": len(world.people)},
    {"result": "group inferred from sightings at places of worship",
     "paper": "sightings at mosques beside each person's ethnicity (not measured)",
     "paper_n": "6.7 M sightings in 24 h (2019 leak)",
     "town": f"{best['accuracy']:.0%} right, base rate {best['base_rate']:.0%}", "town_n": int(best["covered"])},
    {"result": "same, after dropping 100 m around sensitive places", "paper": "—", "paper_n": "—",
     "town": f"{dropped['accuracy']:.0%} right, base rate {dropped['base_rate']:.0%}",
     "town_n": int(dropped["covered"])},
])

# %% [markdown]
# ## Summary
#
# - A few weeks of GPS give away where a person sleeps; a registry of addresses turns that into a household,
#   and, for the people who live alone, into a name (Krumm 2007).
# - Regular visits to a place of worship give away the community far better than guessing, when the sensor
#   sees the place: cameras at the place, or GPS. Phone records at tower resolution do not beat the base rate.
# - Always compare an inference with its base rate and report its coverage: accuracy alone flatters.
# - Dropping the sensitive places stops the place-of-worship inference for a small share of the rows, if the
#   hole is wider than the sensor's error; snapping has to blur the whole town to do the same.
# - Neither stops inference as such: the home, left untouched, still points to the community through an
#   ordinary census table.
#
# ## References
#
# - Krumm, J. (2007). Inference attacks on location tracks. In *Pervasive Computing* (Pervasive 2007),
#   LNCS 4480, pp. 127–143. Springer.
# - Gambs, S., Killijian, M.-O., & del Prado Cortez, M. N. (2010). Show me how you move and I will tell you
#   who you are. *ACM SIGSPATIAL SPRINGL*, 34–41.
# - Golle, P., & Partridge, K. (2009). On the anonymity of home/work location pairs. In *Pervasive
#   Computing*, LNCS 5538, pp. 390–397.
# - Regulation (EU) 2016/679 (General Data Protection Regulation), Article 9: processing of special
#   categories of personal data.
# - The 2019 leak: an open facial-recognition database of a surveillance contractor, reported in February 2019
#   (2,565,724 registry records; about 6.7 million tracker records in 24 hours; the ethnicity breakdown quoted
#   above as posted at the time).

# %% tags=["headline"]
# Cameras at places of worship reveal the community far above the base rate, GPS too; CDR at tower level does not.
assert best["accuracy"] >= 0.9, best
assert best["accuracy"] >= best["base_rate"] + 0.3 and best["accuracy"] >= 2 * best["base_rate"], best
assert scores.loc["gps", "accuracy"] >= scores.loc["gps", "base_rate"] + 0.3, scores.loc["gps"]
assert scores.loc["cdr", "accuracy"] <= scores.loc["cdr", "base_rate"] + 0.05, scores.loc["cdr"]
# Dropping 100 m around sensitive places brings the sightings' inference down to about the base rate...
assert dropped["accuracy"] <= dropped["base_rate"] + 0.05 and dropped["accuracy"] <= best["accuracy"] - 0.5, dropped
# ...unless the hole is smaller than the GPS error...
assert small["accuracy"] >= small["base_rate"] + 0.1, small
# ...but the home (Krumm's first step, within tens of metres) still points to the community.
assert 10 <= median_home_error <= 150, median_home_error
assert residual["accuracy"] >= residual["base_rate"] + 0.1, residual
