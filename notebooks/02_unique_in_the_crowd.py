# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02. Unique in the crowd
#
# > **In this lesson you will**
# > - measure how many phone subscribers 1 to 6 known places-and-hours single out (the *unicity* ε<sub>p</sub>);
# > - follow one fictional person from the registry to their phone records, and watch four known points
# >   shrink the crowd around them to one;
# > - find out which points an adversary should pick: random ones, the most frequent, or the rarest;
# > - coarsen the release (merge towers, widen the hour bins), fit the paper's coarsening law, and weigh
# >   the privacy it buys against the detail it costs.
# >
# > **Time:** about 30 minutes · **Needs:** no earlier lesson
# >
# > **Reproduces:** de Montjoye, Hidalgo, Verleysen & Blondel (2013), *Unique in the Crowd: The privacy
# > bounds of human mobility*, Scientific Reports 3:1376.

# %% [markdown]
# ## The story
#
# In 2019 a surveillance contractor left a database open without a password: the names, ID numbers,
# addresses and employers of 2.57 million people, joined to 6.7 million camera sightings in 24 hours at
# mosques, hotels, restaurants and internet cafés.
# This lesson asks the next question: **if the names had been removed, would the sightings still point at
# one person?**
#
# De Montjoye and colleagues asked it of a phone operator's records: fifteen months of calls and messages
# from 1.5 million people, each record saying which antenna carried the call and in which hour. No names,
# only a pseudonym per subscriber. They counted how many *spatio-temporal points* (an antenna during an
# hour) an outsider needs to know before only one trace in the whole dataset contains them all. Their
# answer: **four random points single out 95 % of people, and two points already more than half.** Then
# they blurred the data — bigger areas, longer hours — and found that uniqueness falls only as about the
# **1/10 power** of the resolution: coarse data is still a fingerprint.
#
# A camera sighting in the leak is exactly such a point: a place and a time. We will redo the paper's
# measurement on a town invented from top to bottom, where every person, place and address is fictional.

# %% [markdown]
# ## Reproduce the headline
#
# ### The town
#
# We generate the town: one week of fictional lives (`days=7`, to keep the lesson quick), seeded so that
# everyone gets the same town. It takes a few seconds. The world holds the truth (people, places, where
# everyone really was) and the *releases*: what sensors recorded, each under its own pseudonyms.

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import Markdown, display

from lab.course import check
from lab.synth.scenario import load_scenario
from lab.world import generate_world

world = generate_world(load_scenario("town", days=7), seed=1)
cdr = world.releases["cdr"]  # the phone operator's call detail records

n_days = (cdr["t"].max() - cdr["t"].min()).days + 1
display(Markdown(
    f"The town has **{len(world.people):,} people**, {len(world.places):,} places and "
    f"{len(world.towers):,} cell towers. The operator's release holds **{len(cdr):,} records** "
    f"of {cdr['pseudonym'].nunique():,} subscribers over {n_days} days."
))

# %% [markdown]
# The map is drawn from the lab's own layers (districts, places, towers), with no tile server, so it
# works offline. Tick layers on and off in the list; homes are hidden at first (there are thousands).

# %%
from lab.maps import town_map

town_map(world.districts, world.places, towers=world.towers, max_places=2000, show_max=300)

# %% [markdown]
# ### One person, three views
#
# Take one working adult with a typical number of phone records (the median), and look them up the way
# only the lab can: through the *answer key* `world.keys`, which joins each release's pseudonyms to the
# people. An adversary has no key; that is the whole point of the lesson.

# %%
cdr_people = world.keys[world.keys["release"] == "cdr"].set_index("pseudonym")["person_id"]
employed = set(world.people.loc[world.people["employer"].notna(), "person_id"])
n_records = cdr.groupby("pseudonym").size()  # records per subscriber, sorted by pseudonym
n_records = n_records[cdr_people.reindex(n_records.index).isin(employed)]  # subscribers with a job
target = n_records[n_records == int(n_records.median())].index[0]
person_id = cdr_people[target]
person = world.people.set_index("person_id").loc[person_id]
print(f"Subscriber {target} is {person['name']} ({person_id}); {n_records[target]} phone records.")
person[["name", "national_id", "birth_date", "community", "address", "employer", "archetype"]]

# %% [markdown]
# That is what the leaked registry held about each person. The *visits* are the truth: where this
# person really was.

# %%
visits = world.visits[world.visits["person_id"] == person_id]
visits.merge(world.places[["place_id", "name", "kind"]], on="place_id").head(8)

# %% [markdown]
# And this is what the operator recorded: a tower and an instant per call or message, under a pseudonym.

# %%
cdr[cdr["pseudonym"] == target].sort_values("t").head(8)

# %% [markdown]
# The map puts the three views side by side: the true stays (black), and every release that recorded
# this person, in its own layer. A phone record only says which tower carried the call, so it is drawn
# with the tower's Voronoi cell, the area it narrows the person down to.

# %%
from lab.maps import person_map

person_map(world, person_id)

# %% [markdown]
# ### How many points single someone out?
#
# A **point** is a tower during one clock hour. For every subscriber, draw *p* of their distinct points
# at random and count the traces in the whole release that contain all *p*. The subscriber is *unique*
# when that count is one: only their own trace fits. The share of unique subscribers is the **unicity
# ε<sub>p</sub>**. `lab.attacks.unicity` counts it exactly for every subscriber, with a bootstrap
# interval (`low`, `high`). `n` is how many subscribers were evaluated: those with at least *p* distinct
# points.

# %%
from lab.attacks.unicity import unicity, unicity_sweep
from lab.plots.risk import unicity_figure

headline = unicity_sweep(cdr, ps=range(1, 7), spaces=("tower_id",), hours=(1,), rng=0)
eps = headline.set_index("p")["share"]
n_at = headline.set_index("p")["n"]
eps1, eps2, eps4 = eps[1], eps[2], eps[4]
headline[["p", "share", "low", "high", "n"]].style.format({"share": "{:.1%}", "low": "{:.1%}",
                                                          "high": "{:.1%}", "n": "{:,}"})

# %%
fig = unicity_figure(headline, title="Unique in the crowd: the town's phone records, towers × hours")
ax = fig.axes[0]
ax.legend(ax.get_legend_handles_labels()[0], ["a point = one tower during one clock hour"], loc="lower right")
fig

# %%
display(Markdown(
    f"One point singles out **{eps1:.1%}** of subscribers; two points **{eps2:.1%}** "
    f"(of {n_at[2]:,}); four points **{eps4:.1%}** (of {n_at[4]:,})."
))

# %% [markdown]
# Read the curve from the left. One point (a tower in an hour) is shared with a handful of others, so it
# rarely singles anyone out. A second point is a second, independent filter: the few who shared the
# first one almost never share the second too. By four points the crowd has shrunk to one for nearly
# everybody — the same shape as the paper's 1.5 million subscribers, on a far smaller town.
#
# ### The crowd shrinking, on a map
#
# Now be the adversary. You know four moments of our person's life: a tower and an hour each (a photo, a
# receipt, a colleague who saw them). Which pseudonyms in the release hold all the points you know?
# The map draws the candidates left after each known point, each at the place it is most often seen.

# %%
from lab.maps import adversary_map
from lab.maps.adversary import narrowing

known, candidates = narrowing(cdr, target, k=4, space="tower_id", hours=1, rng=0)
known

# %%
adversary_map(cdr, target, k=4, space="tower_id", hours=1, rng=0, districts=world.districts)

# %%
found = len(candidates[-1]) == 1 and candidates[-1][0] == target
display(Markdown(
    f"After each known point, {', then '.join(str(n) for n in known['candidates'])} pseudonym(s) remain. "
    + (f"The last one is **{target}**: the adversary has found our person's whole record of calls."
       if found else "The points were not enough to single this subscriber out.")
))

# %% [markdown]
# ### Which points should an adversary pick?
#
# The paper drew the points at random. A real adversary chooses. `unicity(..., strategy=...)` lets us try
# two choices (read its docstring: `help(unicity)`): `"frequent"`, the subscriber's points with the most
# records, and `"rare"`, the points the fewest other subscribers share.

# %%
strategies = pd.DataFrame(
    [{"strategy": "random", **headline.set_index("p").loc[4, ["share", "low", "high", "n"]].to_dict()}]
    + [{"strategy": s, "share": r.share, "low": r.low, "high": r.high, "n": r.n}
       for s in ("frequent", "rare")
       for r in [unicity(cdr, p=4, space="tower_id", hours=1, strategy=s, rng=0)]]
).set_index("strategy")
eps4_by = strategies["share"]
strategies.style.format({"share": "{:.1%}", "low": "{:.1%}", "high": "{:.1%}", "n": "{:,}"})

# %%
display(Markdown(
    f"With four points each: random **{eps4_by['random']:.1%}**, most frequent "
    f"**{eps4_by['frequent']:.1%}**, rarest **{eps4_by['rare']:.1%}**."
))

# %% [markdown]
# The "random" row is the headline's ε<sub>4</sub> itself (the same draw of points), not a new one.
#
# The rarest points win, and the most frequent ones do *worse* than random. What singles you out is not
# what you do often but what few others do: a tower at an odd hour, a place off your usual path. Your
# most frequent points tend to sit at your usual tower, which you share with your neighbours. So the
# paper's random choice is not the worst case: an adversary who knows a little about the town does
# better, and the unicity measured with random points is a *lower* bound on the risk.

# %% [markdown]
# ## Your turn

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_1 = int(eps[eps >= 0.75].index.min())

# %% [markdown]
# **Exercise 1.** Using the table `headline`, what is the smallest number of points *p* that singles out
# at least three subscribers in four (ε<sub>p</sub> ≥ 0.75)? Give a whole number.

# %%
answer_1 = ...  # your code here
check("exercise 1", answer_1, reference_1,
      hint="filter the rows of headline where share >= 0.75 and take the smallest p")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = int(headline.loc[headline["share"] >= 0.75, "p"].min())
check("exercise 1", answer_1, reference_1)

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
reference_2 = unicity_sweep(cdr, ps=(4,), spaces=("tower_id",), hours=(None,), rng=0)["share"].iloc[0]

# %% [markdown]
# **Exercise 2.** Suppose the operator published only *which towers* each subscriber used, with no times
# at all. What share of subscribers do four random towers still single out? (`unicity` takes
# `hours=None` for "no time".)

# %%
answer_2 = ...  # your code here
check("exercise 2", answer_2, reference_2, rtol=0.03,
      hint="unicity(cdr, p=4, space='tower_id', hours=None, rng=0) returns a result; its .share is ε₄")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_2 = unicity(cdr, p=4, space="tower_id", hours=None, rng=0).share
check("exercise 2", answer_2, reference_2, rtol=0.03)

# %%
display(Markdown(
    f"For comparison: with towers × hours, four points single out **{eps4:.1%}**. Without times, four "
    f"towers still single out **{'more' if reference_2 > 0.5 else 'less'} than half** of the subscribers "
    f"who use that many."
))

# %% [markdown]
# Dropping the times takes a large bite out of unicity (your answer against the share with times), but it
# does not make the release anonymous: the set of towers a person uses is a fingerprint of its own, and
# the hours sharpen it.

# %% tags=["reference"] jupyter={"source_hidden": true, "outputs_hidden": true}
from lab.attacks.prudence import location_attack
from lab.metrics.risk import risk_summary

classroom_cdr = generate_world(load_scenario("classroom"), seed=1).releases["cdr"]
reference_3 = risk_summary(location_attack(classroom_cdr, k=4, space="tower_id"))["share_unique"]

# %% [markdown]
# **Exercise 3.** The worst case. Instead of four random points, suppose the adversary knows the four
# records that single a subscriber out best (places only, no times: Pellungrini et al.'s *location
# attack*). `lab.attacks.prudence.location_attack(release, k=4, space="tower_id")` returns each
# subscriber's risk, 1 meaning some four of their records fit nobody else. On the small classroom town
# (`classroom_cdr` below, a few hundred people; this attack is slow on the whole town), what share of
# subscribers has risk 1?

# %%
from lab.attacks.prudence import location_attack

classroom_cdr = generate_world(load_scenario("classroom"), seed=1).releases["cdr"]
answer_3 = ...  # your code here
check("exercise 3", answer_3, reference_3,
      hint="compare the Series location_attack returns with 1, then take the mean")

# %% [markdown]
# <details><summary>Solution</summary>Open the hidden cell below.</details>

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
risk = location_attack(classroom_cdr, k=4, space="tower_id")
answer_3 = float((risk == 1).mean())
check("exercise 3", answer_3, reference_3)

# %%
towers_used = classroom_cdr.groupby("pseudonym")["tower_id"].nunique()
print(f"a classroom subscriber uses {towers_used.median():.0f} distinct towers (median) "
      f"of the {classroom_cdr['tower_id'].nunique()} the classroom has; the share of exercise 3 is "
      f"{'lower' if reference_3 < reference_2 else 'not lower'} than the share of exercise 2")

# %% [markdown]
# Why is this lower than exercise 2 (printed above), when the adversary now picks the *best* four records? Besides being
# another, smaller town, `location_attack` rates every subscriber, including the many who use only one or
# two towers (printed above), while `unicity` leaves out anyone with fewer than *p* distinct points.
# Without times, someone seen at only two towers hides among everyone else who uses those two; with
# times, as we saw, far fewer points are needed.

# %% [markdown]
# ## The mitigation and its price
#
# The obvious defence is to publish less detail: merge neighbouring towers into larger areas
# (`lab.mitigations.coarsen.merge_towers`) and report times in wider bins. De Montjoye et al. did exactly
# this and fitted a law to the result:
#
# ε<sub>p</sub> = α<sub>p</sub> − (v·h)<sup>β<sub>p</sub></sup>,
#
# where *v* is how many towers are merged into one area, *h* the width of the time bins in hours (so
# v·h = 1 is the original data), and β the exponent that says how fast uniqueness falls. They found β of
# about 1/10.
#
# We merge towers ×1, 2, 4 and 8 and use 1, 2, 4 and 8-hour bins: 16 resolutions. To keep it quick we
# evaluate a random sample of subscribers at each resolution (`SAMPLE`), each still against the whole
# town as the crowd, so the share estimates the same ε<sub>p</sub>, with a slightly wider interval.

# %%
from lab.attacks.unicity import fit_coarsening_law
from lab.metrics.utility import displacement_m
from lab.mitigations.coarsen import merge_towers
from lab.plots.risk import coarsening_figure

SAMPLE = 2000  # subscribers evaluated per resolution
rows, price = [], []
for factor in (1, 2, 4, 8):
    merged = cdr if factor == 1 else merge_towers(cdr, factor=factor)
    price.append({"towers merged": factor, "areas": merged["tower_id"].nunique(),
                  "mean shift of a record (m)": displacement_m(cdr, merged).mean()})
    for hours in (1, 2, 4, 8):
        for p in (2, 4):
            r = unicity(merged, p=p, space="tower_id", hours=hours, sample=SAMPLE, n_boot=200, rng=0)
            rows.append({"p": p, "factor": factor, "hours": hours, "scale": factor * hours,
                         "share": r.share, "low": r.low, "high": r.high, "n": r.n})
sweep = pd.DataFrame(rows)
price = pd.DataFrame(price).set_index("towers merged")
law = fit_coarsening_law(sweep)
beta = law.set_index("p")["exponent"]
alpha = law.set_index("p")["alpha"]


def fit_quality(p: int) -> dict:
    """How well the fitted law for ``p`` follows the measurements."""
    g = sweep[sweep["p"] == p]
    x = g["scale"] / g["scale"].min()
    fitted = alpha[p] - x ** beta[p]
    return {"p": p, "α": alpha[p], "β": beta[p], "measured at v·h = 1": g.loc[x == 1, "share"].mean(),
            "law at v·h = 1": alpha[p] - 1, "largest miss": (fitted - g["share"]).abs().max(),
            "law reaches 0 at v·h": alpha[p] ** (1 / beta[p]), "largest v·h measured": x.max()}


fit = pd.DataFrame([fit_quality(p) for p in (2, 4)]).set_index("p")
fit.style.format({"α": "{:.2f}", "β": "{:.3f}", "measured at v·h = 1": "{:.1%}", "law at v·h = 1": "{:.1%}",
                  "largest miss": lambda v: f"{100 * v:.1f} points", "law reaches 0 at v·h": "{:,.0f}",
                  "largest v·h measured": "{:,.0f}"})

# %%
coarsening_figure(sweep, law, title="Coarsening the town's phone records: ε_p = α − (v·h)^β")

# %% [markdown]
# Each dot is one resolution (its interval as a bar), the dashed line the fitted law. The horizontal axis
# is v·h, how much coarser than the original each resolution is, on a log scale.
#
# The table above the figure checks each fit. α is not a share but the law's offset: at the original
# resolution (v·h = 1) the law gives α − 1, which should match the measured ε<sub>p</sub> there, so an α
# above 1 is expected. The table sets α − 1 beside that measurement, gives the largest gap between law and
# measurement over the 16 resolutions, and the v·h at which the law would predict nobody unique. (The
# fitting function also returns a plain power law's exponent, `power_exponent`; we leave it out.) The
# measured values at v·h = 1 come from the sample of `SAMPLE` subscribers, so they differ slightly from the
# headline's ε<sub>2</sub> and ε<sub>4</sub>, which count every subscriber: two estimates of the same share.

# %%
f2 = fit.loc[2]
display(Markdown(
    f"For p = 4 the law follows the measurements to within {100 * fit.loc[4, 'largest miss']:.0f} percentage "
    f"points (**β = {beta[4]:.3f}**). For p = 2 it fits poorly: it gives {f2['law at v·h = 1']:.0%} at "
    f"v·h = 1 where we measured {f2['measured at v·h = 1']:.0%}, misses by up to "
    f"{100 * f2['largest miss']:.0f} percentage points, and falls below zero beyond "
    f"v·h ≈ {f2['law reaches 0 at v·h']:,.0f}"
    + (f", inside the range we measured (up to {f2['largest v·h measured']:,.0f})"
       if f2["law reaches 0 at v·h"] < f2["largest v·h measured"] else "")
    + f". Its β = {beta[2]:.3f} is only a rough summary: we quote β for p = 4 only."
))

# %% [markdown]
# What does that blur cost? Merging towers moves every record to the centre of its merged area; binning
# hides when, within the bin, the call happened. The table gives ε<sub>4</sub> at each resolution, and
# below it how far merging moves a record.

# %%
eps4_grid = sweep[sweep["p"] == 4].pivot(index="factor", columns="hours", values="share")
eps4_grid.index.name, eps4_grid.columns.name = "towers merged ×", "hour bins (h)"
eps4_grid.style.format("{:.0%}").background_gradient(cmap="Reds", vmin=0, vmax=1)

# %%
price.style.format({"areas": "{:,}", "mean shift of a record (m)": "{:,.0f}"})

# %%
at4 = sweep[sweep["p"] == 4]
under = at4[at4["share"] < 0.5].assign(
    moved=lambda d: d["factor"].map(price["mean shift of a record (m)"]))
# Of the settings under one half, the cheapest: the one that moves records least, then the narrowest bins.
under_half = under.sort_values(["moved", "hours"]).iloc[0]
others = ", ".join(f"towers ×{int(r.factor)} with {int(r.hours)}-hour bins ({r.share:.1%}, {r.moved:,.0f} m)"
                   for r in under.sort_values(["moved", "hours"]).iloc[1:].itertuples())
alpha4 = alpha[4]
needed = (alpha4 - 0.10) ** (1 / beta[4])  # v·h at which the fitted law gives ε₄ = 10 %
display(Markdown(
    f"{len(under)} of the 16 settings push ε<sub>4</sub> under one half. The cheapest of them, the one that "
    f"moves records least, merges towers ×{int(under_half['factor'])} with {int(under_half['hours'])}-hour "
    f"bins: {price.loc[int(under_half['factor']), 'areas']:,} areas instead of {price.loc[1, 'areas']:,} "
    f"towers, records moved by {under_half['moved']:,.0f} m on average, and times known only to "
    f"{int(under_half['hours'])} hours — and still **{under_half['share']:.1%}** of subscribers are unique with "
    f"four points"
    + (f" (the others: {others})." if others else ".")
    + " Extrapolating the fitted law, ε<sub>4</sub> would reach 10 % only at "
    f"v·h ≈ {needed:,.0f}"
    + (f", for example whole-day bins with towers merged about ×{needed / 24:.1f}." if needed > 24 else ".")
))

# %% [markdown]
# Is the town safe on the most coarsened release (towers ×8, 8-hour bins)? Let the adversary learn more
# points, and look at our person too.

# %%
coarse = merge_towers(cdr, factor=8)
more = pd.DataFrame([
    {"p": p, "share": r.share, "n": r.n}
    for p in (4, 8, 12)
    for r in [unicity(coarse, p=p, space="tower_id", hours=8, sample=SAMPLE, rng=0)]
]).set_index("p")
steps, left = narrowing(coarse, target, k=12, space="tower_id", hours=8, rng=0)
display(Markdown(
    f"On the coarsest release, 4 points single out **{more['share'][4]:.0%}** of subscribers, 8 points "
    f"**{more['share'][8]:.0%}** and 12 points **{more['share'][12]:.0%}** (of those who leave that many "
    f"points). Our person leaves {len(steps)} distinct points there; knowing all of them leaves "
    f"{len(left[-1])} candidate(s)."
))

# %% [markdown]
# Coarsening costs a lot of detail: a researcher no longer knows where and when calls happened to within
# kilometres and hours. What it buys is uneven: it hides the people who leave few points, but for everyone
# who leaves more, each extra point the adversary learns wins back much of what the blur took away.

# %% [markdown]
# ## The paper vs our town

# %%
from lab.course import paper_vs_town

paper_vs_town([
    {"result": "ε₂: unique with 2 random points (antenna × hour)", "paper": "> 50 %",
     "paper_n": "1.5 M people, 15 months", "town": f"{eps2:.1%}", "town_n": int(n_at[2])},
    {"result": "ε₄: unique with 4 random points (antenna × hour)", "paper": "95 %",
     "paper_n": "1.5 M people, 15 months", "town": f"{eps4:.1%}", "town_n": int(n_at[4])},
    {"result": "coarsening exponent β, p = 4", "paper": "about 1/10",
     "paper_n": "1.5 M people, 15 months", "town": f"{beta[4]:.3f}",
     "town_n": int(at4["n"].min())},
    {"result": "ε₄ with the 4 rarest points (adversary's pick)", "paper": "not measured (random points only)",
     "paper_n": "—", "town": f"{eps4_by['rare']:.1%}", "town_n": int(strategies.loc['rare', 'n'])},
])

# %% [markdown]
# The town is tiny next to the paper's country, and its people are invented, yet the numbers land close.
# Whether a much larger crowd would hide people better is a question later lessons come back to.
#
# ## Summary
#
# - A few places and hours are a fingerprint: two points single out most subscribers and four nearly all,
#   with no name anywhere in the data.
# - An adversary who picks a subscriber's rarest points does better than random; the paper's figure is a
#   lower bound on the risk.
# - Coarsening space and time lowers unicity only slowly (the coarsening law's exponent is small), and
#   it costs researchers the detail they wanted.
# - More known points win back what the blur takes away: removing names and coarsening is not anonymity.
#
# ## References
#
# - de Montjoye, Y.-A., Hidalgo, C. A., Verleysen, M., Blondel, V. D. (2013). Unique in the Crowd: The
#   privacy bounds of human mobility. *Scientific Reports* 3, 1376. https://doi.org/10.1038/srep01376
# - Pellungrini, R., Pappalardo, L., Pratesi, F., Monreale, A. (2017). A data mining approach to assess
#   privacy risk in human mobility data. *ACM Transactions on Intelligent Systems and Technology* 9(3), 31.
# - Farzanehfar, A., Houssiau, F., de Montjoye, Y.-A. (2021). The risk of re-identification remains high
#   even in country-scale location datasets. *Patterns* 2(3), 100204.

# %% tags=["headline"]
assert eps2 > 0.5, eps2
assert 0.85 <= eps4 <= 0.98, eps4
assert 0.05 <= beta[4] <= 0.2, beta[4]
assert eps4_by["rare"] >= eps4_by["random"], eps4_by
print(f"headline holds: ε₂ = {eps2:.3f}, ε₄ = {eps4:.3f}, β₄ = {beta[4]:.3f}, "
      f"rarest-point ε₄ = {eps4_by['rare']:.3f} ≥ random {eps4_by['random']:.3f}")
