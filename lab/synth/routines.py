"""Daily routines: from who people are to where they are, stay by stay.

Each archetype has a day plan of activities (work or school, lunch, errands,
outings, a regular local place for those without work, weekly worship) with
randomised times; leisure places come from exploration and preferential return
(:class:`lab.synth.movement.Explorer`). Most trips are home-based tours: an
activity that leaves time to go home first is reached from home.
:func:`build_stays` then fills the gaps with home, travel time and direct trips,
and merges consecutive stays at one place. Everything is vectorised over people;
the only loops are over days and activity slots.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from lab.synth.city import PLACE_KINDS, Town
from lab.synth.movement import Explorer, PlaceIndex, jump_to_places
from lab.synth.people import COMMUTER, HOMEBODY, RETIREE, SHIFT, STUDENT, Population, workplace_kinds

__all__ = ["Stays", "assign_workplaces", "simulate_block", "build_stays", "day_starts"]

_K = PLACE_KINDS.index
# Leisure destinations by purpose: kinds an exploration may land on.
LEISURE_GROUPS: list[tuple[int, ...]] = [
    (_K("shop"), _K("shop"), _K("park"), _K("transit"), _K("clinic")),          # 0 errand
    (_K("restaurant"), _K("shop")),                                              # 1 lunch
    (_K("restaurant"), _K("internet_cafe"), _K("hotel"), _K("park"), _K("shop"), _K("transit")),  # 2 evening
    (_K("park"), _K("shop"), _K("restaurant"), _K("transit"), _K("hotel"), _K("internet_cafe")),  # 3 outing
    (_K("clinic"),),                                                             # 4 clinic
]
ERRAND, LUNCH, EVENING, OUTING, CLINIC = range(5)
# Activity sources.
ANCHOR, WORSHIP, LEISURE = 0, 1, 2
H = 60.0  # minutes per hour
#: Kinds of the regular local place of people without work or school.
REGULAR_KINDS: tuple[int, ...] = (_K("park"), _K("shop"), _K("restaurant"))
#: Added to ``jump_beta`` for places chosen near home: schools and regular places.
NEAR_HOME_BETA = 0.6
#: Slack (seconds) a gap between two activities must leave, beyond the round trip, to go home in between.
HOME_SLACK_S = 600.0


@dataclasses.dataclass
class Stays:
    """Stays of a block of people: person number, place index, start and end (epoch seconds)."""

    person: np.ndarray
    place: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


def day_starts(town: Town) -> np.ndarray:
    """Epoch seconds of each local midnight of the period, plus the end (``days + 1`` values)."""
    sc = town.scenario
    days = pd.date_range(pd.Timestamp(sc.start), periods=sc.days + 1, freq="D", tz=sc.timezone)
    return days.as_unit("s").asi8


def assign_workplaces(
    pop: Population, lo: int, hi: int, town: Town, index: PlaceIndex, rng: np.random.Generator
) -> np.ndarray:
    """Workplace or school of persons ``lo``..``hi`` by a power-law jump from home; -1 for none."""
    mob = town.scenario.mobility
    arch = pop.archetype[lo:hi]
    home = pop.home[lo:hi]
    work = np.full(hi - lo, -1, dtype=np.int64)
    for a in (COMMUTER, SHIFT, STUDENT):
        who = np.flatnonzero(arch == a)
        if len(who) == 0:
            continue
        kinds, p = workplace_kinds(a)
        pick = kinds[np.searchsorted(np.cumsum(p) / p.sum(), rng.random(len(who)), side="right")
                     .clip(0, len(kinds) - 1)]
        for k in np.unique(pick):
            sel = who[pick == k]
            beta = mob.jump_beta if a != STUDENT else mob.jump_beta + NEAR_HOME_BETA  # schools are near home
            work[sel] = jump_to_places(town.place_x[home[sel]], town.place_y[home[sel]], (int(k),), index,
                                       beta=beta, low=mob.jump_min_m * pop.reach[lo:hi][sel], rng=rng)
    return work


class _Plan:
    """Activities of one day, accumulated as flat arrays."""

    def __init__(self) -> None:
        self.cols: dict[str, list[np.ndarray]] = {k: [] for k in ("person", "source", "group", "place", "start", "end")}

    def add(self, person, source, start, end, *, group=-1, place=-1) -> None:
        n = len(person)
        if n == 0:
            return
        self.cols["person"].append(np.asarray(person, dtype=np.int64))
        self.cols["source"].append(np.full(n, source, dtype=np.int8))
        self.cols["group"].append(np.broadcast_to(np.asarray(group, dtype=np.int8), (n,)).copy())
        self.cols["place"].append(np.broadcast_to(np.asarray(place, dtype=np.int64), (n,)).copy())
        self.cols["start"].append(np.asarray(start, dtype=float))
        self.cols["end"].append(np.asarray(end, dtype=float))

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: (np.concatenate(v) if v else np.empty(0)) for k, v in self.cols.items()}


def _outing(plan: _Plan, who, rng, *, at, spread, dur, group) -> None:
    """A leisure outing for each person in ``who``: start ~ N(at, spread), length ~ U(dur)."""
    s = rng.normal(at, spread, len(who))
    e = s + rng.uniform(*dur, len(who))
    plan.add(who, LEISURE, s, e, group=group)


def _free_day(plan: _Plan, who, rng, scale=1.0) -> None:
    """A day without work or school: morning, afternoon and evening outings."""
    for at, spread, dur, p in ((10.5 * H, 60, (75, 180), 0.6),
                               (15 * H, 75, (90, 225), 0.7),
                               (19.75 * H, 30, (120, 240), 0.35)):
        sel = who[rng.random(len(who)) < p * scale]
        _outing(plan, sel, rng, at=at, spread=spread, dur=dur, group=OUTING if at < 19 * H else EVENING)


def _work_day(plan: _Plan, who, work, rng, *, start, spread, hours, lunch, after, evening) -> None:
    """A day at the workplace (or school), with optional lunch out, an errand after work and an evening out."""
    n = len(who)
    ws = rng.normal(start, spread, n)
    we = ws + rng.normal(hours, 0.6 * H, n).clip(3 * H, 12 * H)
    has_lunch = rng.random(n) < lunch
    ls = ws + 0.45 * (we - ws) + rng.normal(0, 15, n)
    le = ls + rng.uniform(30, 60, n)
    plan.add(who, ANCHOR, ws, np.where(has_lunch, ls, we), place=work[who])
    plan.add(who[has_lunch], LEISURE, ls[has_lunch], le[has_lunch], group=LUNCH)
    plan.add(who[has_lunch], ANCHOR, le[has_lunch] + 5, we[has_lunch], place=work[who[has_lunch]])
    stop = rng.random(n) < after
    s = we[stop] + rng.uniform(40, 100, stop.sum())  # home first when the gap allows
    plan.add(who[stop], LEISURE, s, s + rng.uniform(30, 100, stop.sum()), group=ERRAND)
    out = rng.random(n) < evening
    s = np.maximum(rng.normal(20 * H, 40, n), we + 2 * H)
    plan.add(who[out], LEISURE, s[out], s[out] + rng.uniform(90, 180, out.sum()), group=EVENING)


def _day_plan(day: int, weekday: int, pop_arch: np.ndarray, work: np.ndarray, shift_phase: np.ndarray,
              days_off: np.ndarray, worship_day: np.ndarray, devotion: np.ndarray, rng) -> _Plan:
    """Activities of every person on one day; ``work`` is the workplace, school or regular place."""
    plan = _Plan()
    weekend = weekday >= 5
    people = np.arange(len(pop_arch))
    arch = pop_arch
    # Commuters: five days a week, occasionally a day off.
    com = people[arch == COMMUTER]
    working = (rng.random(len(com)) > 0.04) & (not weekend)
    _work_day(plan, com[working], work, rng, start=8.4 * H, spread=50, hours=8.6 * H,
              lunch=0.15, after=0.45, evening=0.35)
    _free_day(plan, com[~working], rng)
    # Students: school on weekdays.
    stu = people[arch == STUDENT]
    if not weekend:
        _work_day(plan, stu, work, rng, start=8.1 * H, spread=25, hours=6.8 * H, lunch=0.05, after=0.6, evening=0.25)
    else:
        _free_day(plan, stu, rng)
    # Shift workers: early or late shift by week, two rest days a week.
    sw = people[arch == SHIFT]
    rest = (weekday == days_off[sw]) | (weekday == (days_off[sw] + 1) % 7)
    late = ((day // 7 + shift_phase[sw]) % 2) == 1
    on = sw[~rest]
    for is_late, start in ((False, 6.0 * H), (True, 14.0 * H)):
        sel = on[late[~rest] == is_late]
        _work_day(plan, sel, work, rng, start=start, spread=10, hours=8 * H, lunch=0.0,
                  after=0.45 if not is_late else 0.0, evening=0.25 if not is_late else 0.0)
        if is_late:  # a morning errand before a late shift
            m = sel[rng.random(len(sel)) < 0.5]
            _outing(plan, m, rng, at=10 * H, spread=40, dur=(60, 135), group=ERRAND)
    _free_day(plan, sw[rest], rng)
    # Homebodies and retirees: errands, their regular place, outings, clinic visits.
    for a, scale in ((HOMEBODY, 1.0), (RETIREE, 1.1)):
        who = people[arch == a]
        sel = who[rng.random(len(who)) < 0.6 * scale]
        _outing(plan, sel, rng, at=9.75 * H, spread=45, dur=(60, 150), group=ERRAND)
        sel = who[rng.random(len(who)) < 0.8]
        s = rng.normal(14.5 * H, 45, len(sel))
        plan.add(sel, ANCHOR, s, s + rng.uniform(90, 210, len(sel)), place=work[sel])
        sel = who[rng.random(len(who)) < 0.4 * scale]
        _outing(plan, sel, rng, at=19 * H, spread=30, dur=(90, 180), group=EVENING)
        sel = who[rng.random(len(who)) < 0.03 * (2 if a == RETIREE else 1)]
        _outing(plan, sel, rng, at=13 * H, spread=20, dur=(45, 90), group=CLINIC)
    # Worship: each community gathers on its own day; people attend by devotion.
    go = (worship_day == weekday) & (rng.random(len(people)) < devotion)
    who = people[go]
    s = (np.where(np.isin(arch[who], (COMMUTER, STUDENT)) & (weekday < 5), 18.75 * H, 10 * H)
         + rng.normal(0, 10, len(who)))
    plan.add(who, WORSHIP, s, s + rng.uniform(60, 100, len(who)))
    return plan


def build_stays(
    person: np.ndarray, place: np.ndarray, start_s: np.ndarray, end_s: np.ndarray,
    home: np.ndarray, x: np.ndarray, y: np.ndarray, *, period: tuple[int, int], speed_ms: float,
    n_people: int,
) -> Stays:
    """Turn planned activities into a continuous sequence of stays per person.

    Activities must be sorted by (person, start). Between two activities a person
    goes home if the gap allows the round trip plus :data:`HOME_SLACK_S`, else
    travels directly; a late start is pushed back by the travel time. Home fills
    the start and end of the period; consecutive stays at one place are merged.

    Parameters
    ----------
    person, place, start_s, end_s : numpy.ndarray
        Activities (person number, place index, desired start and end in epoch seconds).
    home : numpy.ndarray
        Home place index of each person number.
    x, y : numpy.ndarray
        Local metres of every place.
    period : (int, int)
        Epoch seconds of the period's start and end.
    speed_ms : float
        Door-to-door travel speed in metres per second (plus five minutes per trip).
    n_people : int
        Number of people (those without activities stay home throughout).
    """
    t0, t1 = period

    def travel(a, b):
        return 300.0 + np.hypot(x[a] - x[b], y[a] - y[b]) / speed_ms

    tt_home = travel(home[person], place)
    # Leave time to come from home after the period starts and to get home before it ends.
    s = np.clip(start_s.astype(float), t0 + 1800, t1 - 1800)
    s = np.maximum(s, t0 + 900 + tt_home)
    e = np.clip(end_s.astype(float), s + 600, t1 - 900)
    same = np.r_[False, person[1:] == person[:-1]]
    prev = np.maximum(np.arange(len(person)) - 1, 0)
    tt_direct = travel(place[prev], place)
    # Push overlapping activities back until every trip fits (converges in a few passes).
    for _ in range(50):
        need = same & (s < e[prev] + tt_direct)
        if not need.any():
            break
        s = np.where(need, e[prev] + tt_direct, s)
        e = np.maximum(e, s + 600)
    e = np.minimum(e, t1 - 900 - tt_home)
    # What no longer fits before the end is dropped; it is always a person's last activities.
    keep = e >= s + 600
    person, place, s, e, tt_home = person[keep], place[keep], s[keep], e[keep], tt_home[keep]
    same = np.r_[False, person[1:] == person[:-1]]
    prev = np.maximum(np.arange(len(person)) - 1, 0)
    tt_via = travel(place[prev], home[person]) + tt_home
    via_home = same & (s - e[prev] >= tt_via + HOME_SLACK_S)

    hp = home[person]
    first = ~same
    last = np.r_[person[1:] != person[:-1], True] if len(person) else np.zeros(0, bool)
    # Home stays: before each person's first activity, between via-home pairs, after the last.
    h_person = np.concatenate([person[first], person[via_home], person[last]])
    h_start = np.concatenate([np.full(first.sum(), float(t0)),
                              e[prev][via_home] + travel(place[prev][via_home], hp[via_home]),
                              e[last] + travel(place[last], hp[last])])
    h_end = np.concatenate([s[first] - travel(hp[first], place[first]),
                            s[via_home] - travel(hp[via_home], place[via_home]),
                            np.full(last.sum(), float(t1))])
    idle = np.setdiff1d(np.arange(n_people), person)
    all_person = np.concatenate([person, h_person, idle])
    all_place = np.concatenate([place, home[h_person], home[idle]])
    all_start = np.concatenate([s, h_start, np.full(len(idle), float(t0))])
    all_end = np.concatenate([e, h_end, np.full(len(idle), float(t1))])
    ok = all_end > all_start + 60
    order = np.lexsort((all_start[ok], all_person[ok]))
    p, pl = all_person[ok][order], all_place[ok][order]
    st, en = all_start[ok][order], all_end[ok][order]
    # Merge consecutive stays of one person at one place.
    new = np.r_[True, (p[1:] != p[:-1]) | (pl[1:] != pl[:-1])]
    merged_end = np.maximum.reduceat(en, np.flatnonzero(new)) if len(en) else en
    return Stays(person=p[new], place=pl[new], start=np.round(st[new]).astype(np.int64),
                 end=np.round(merged_end).astype(np.int64))


def simulate_block(
    pop: Population, lo: int, hi: int, work: np.ndarray, town: Town, index: PlaceIndex,
    rng: np.random.Generator,
) -> Stays:
    """Ground-truth stays of persons ``lo``..``hi`` over the whole period.

    Parameters
    ----------
    pop : Population
    lo, hi : int
        The block of person numbers (end exclusive). Person numbers in the result are
        relative to ``lo``.
    work : numpy.ndarray
        Workplace or school place index per person of the block (-1 for none).
    town : Town
    index : PlaceIndex
    rng : numpy.random.Generator

    Returns
    -------
    Stays
    """
    sc = town.scenario
    mob = sc.mobility
    n = hi - lo
    arch = pop.archetype[lo:hi]
    home = pop.home[lo:hi]
    comm = pop.community[lo:hi]
    reach = pop.reach[lo:hi].astype(float)
    starts = day_starts(town)
    first_weekday = sc.start.weekday()
    # Per-person habits: which shift week, rest days, worship day and devotion.
    shift_phase = rng.integers(0, 2, n)
    days_off = np.where(rng.random(n) < 0.6, 5, rng.integers(0, 7, n))
    worship_day = (np.arange(len(sc.communities)) * 3 + 4)[comm] % 7
    devotion = rng.beta(0.7, 0.9, n)
    explorer = Explorer(n)
    # Everyone has a second anchor: the workplace or school, else a regular local place
    # (a park, shop or café near home, found like a school).
    anchor = work.copy()
    idle = np.flatnonzero(work < 0)
    anchor[idle] = jump_to_places(town.place_x[home[idle]], town.place_y[home[idle]], REGULAR_KINDS, index,
                                  beta=mob.jump_beta + NEAR_HOME_BETA, low=mob.jump_min_m * reach[idle], rng=rng)
    base = np.full(n, 2)
    # The worship place a person attends: one of their community's, near home.
    worship_places = town.kind_index("worship")
    wp_comm = town.place_community[worship_places]
    their = np.empty(n, dtype=np.int64)
    for c in np.unique(comm):
        who = np.flatnonzero(comm == c)
        hx, hy = town.place_x[home[who]], town.place_y[home[who]]
        their[who] = index.nearest_of(hx, hy, worship_places[wp_comm == c], k=3, rng=rng)

    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("person", "place", "start", "end")}
    for day in range(sc.days):
        weekday = (first_weekday + day) % 7
        a = _day_plan(day, weekday, arch, anchor, shift_phase, days_off, worship_day, devotion, rng).arrays()
        if len(a["person"]) == 0:
            continue
        place = a["place"].copy()
        place = np.where(a["source"] == WORSHIP, their[a["person"]], place)
        # Resolve leisure places slot by slot, in time order, so memory updates are sequential.
        order = np.lexsort((a["start"], a["person"]))
        for key in ("person", "source", "group", "start", "end"):
            a[key] = a[key][order]
        place = place[order]
        leisure = np.flatnonzero(a["source"] == LEISURE)
        lp = a["person"][leisure]
        rank = np.arange(len(lp)) - np.searchsorted(lp, lp)
        for r in range(int(rank.max()) + 1 if len(rank) else 0):
            sel = leisure[rank == r]
            who = a["person"][sel]
            origin = np.where((a["group"][sel] == LUNCH) & (work[who] >= 0), work[who], home[who])
            place[sel] = explorer.choose(
                who, town.place_x[origin], town.place_y[origin], a["group"][sel].astype(np.int64),
                LEISURE_GROUPS, index, rho=mob.rho, gamma=mob.gamma, beta=mob.jump_beta,
                low=mob.jump_min_m * reach[who], base=base[who], rng=rng, anchors=anchor[who],
            )
        cols["person"].append(a["person"])
        cols["place"].append(place)
        cols["start"].append(starts[day] + a["start"] * 60.0)
        cols["end"].append(starts[day] + a["end"] * 60.0)
    person = np.concatenate(cols["person"]) if cols["person"] else np.empty(0, np.int64)
    order = np.lexsort((np.concatenate(cols["start"]) if cols["start"] else np.empty(0), person))
    return build_stays(
        person[order], np.concatenate(cols["place"])[order] if cols["place"] else np.empty(0, np.int64),
        np.concatenate(cols["start"])[order] if cols["start"] else np.empty(0),
        np.concatenate(cols["end"])[order] if cols["end"] else np.empty(0),
        home, town.place_x, town.place_y, period=(int(starts[0]), int(starts[-1])),
        speed_ms=mob.speed_kmh / 3.6, n_people=n,
    )
