"""People: households, a registry like the leak's, and where each person works.

The registry mirrors the 2019 leak's columns on fictional people: a national id in
an obviously fictional format (``FX-`` and eight digits, then a Luhn check digit),
a name from Faker's locale tables, a birth date, sex, a fictional community,
a fictional street address, an employer, and the person's home and workplace.

Planning (:func:`plan_population`) is cheap and global: who lives with whom, in
which home, their age, sex, archetype and community, as small integer arrays.
The strings (:func:`registry_table`) are built block by block.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lab.ids import format_ids, luhn_digit
from lab.synth.city import PLACE_KINDS, Town
from lab.synth.names import name_tables, sample
from lab.synth.scenario import Scenario

__all__ = [
    "ARCHETYPES",
    "workplace_kinds",
    "Population",
    "plan_population",
    "national_ids",
    "is_valid_national_id",
    "registry_table",
]

#: Archetypes in code order (``Population.archetype`` indexes this tuple).
ARCHETYPES: tuple[str, ...] = ("commuter", "student", "shift_worker", "homebody", "retiree")
COMMUTER, STUDENT, SHIFT, HOMEBODY, RETIREE = range(5)

_HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5])
_HOUSEHOLD_P = np.array([0.28, 0.34, 0.16, 0.14, 0.08])
NATIONAL_ID_PREFIX = "FX-"


@dataclasses.dataclass(frozen=True)
class Population:
    """Per-person integer attributes of the whole population (index = person number)."""

    home: np.ndarray        #: place index of the person's home
    household: np.ndarray   #: household number
    age: np.ndarray         #: age in years on the scenario's start date
    birth_day: np.ndarray   #: birth date as days since 1970-01-01
    sex: np.ndarray         #: 0 female, 1 male
    archetype: np.ndarray   #: index into ARCHETYPES
    community: np.ndarray   #: index into Scenario.communities
    last_name: np.ndarray   #: index into the last-name table (shared within a household)
    reach: np.ndarray       #: personal scale of jump lengths (1 = typical)
    id_key: tuple[int, int] #: affine bijection (a, b) for national ids

    def __len__(self) -> int:
        return len(self.home)


def plan_population(scenario: Scenario, town: Town, rng: np.random.Generator | int | None = None) -> Population:
    """Draw households and per-person attributes for the whole population.

    Parameters
    ----------
    scenario : Scenario
    town : Town
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Population
    """
    rng = np.random.default_rng(rng)
    n = scenario.population
    homes = town.kind_index("home")
    sizes = _HOUSEHOLD_SIZES[sample(_HOUSEHOLD_SIZES, _HOUSEHOLD_P, len(homes), rng)]
    deficit = n - int(sizes.sum())
    if deficit > 0:  # a rare shortfall of homes: crowd the households a little
        sizes = sizes + np.bincount(np.arange(deficit) % len(sizes), minlength=len(sizes))
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, n) + 1)
    sizes = sizes[:n_households].copy()
    sizes[-1] -= ends[n_households - 1] - n
    household = np.repeat(np.arange(n_households), sizes)
    member = np.arange(n) - np.repeat(ends[:n_households] - sizes, sizes)
    hh_size = sizes[household]

    # Ages: the first two members are adults of similar age, further members children.
    head_age = np.clip(rng.gamma(4.0, 6.5, n_households) + 20, 18, 98)
    age = head_age[household] + rng.normal(0, 4, n)
    child = (member >= 2) | ((member == 1) & (hh_size >= 3) & (rng.random(n) < 0.15))
    parent_age = head_age[household]
    child_age = np.clip(parent_age - rng.uniform(20, 40, n), 0, 24)
    age = np.where(child, child_age, np.clip(age, 18, 99))

    adult_share = np.array([scenario.archetypes.get(k, 0.0) for k in ("commuter", "shift_worker", "homebody")])
    adult_kind = np.array([COMMUTER, SHIFT, HOMEBODY], dtype=np.int8)[
        sample(np.arange(3), adult_share / adult_share.sum(), n, rng)
    ]
    is_student = ((age >= 5) & (age < 18)) | ((age >= 18) & (age < 23) & (rng.random(n) < 0.55))
    archetype = np.where(age >= 66, RETIREE, np.where(is_student, STUDENT, np.where(age < 5, HOMEBODY, adult_kind)))
    archetype = archetype.astype(np.int8)

    start_day = (scenario.start - dt.date(1970, 1, 1)).days
    birth_day = (start_day - age * 365.25 - rng.uniform(0, 365, n)).astype(np.int32)
    age_years = ((start_day - birth_day) / 365.25).astype(np.int16)
    sex = (rng.random(n) < 0.5).astype(np.int8)

    home = homes[household]
    # One community per household, drawn from the mix of its district.
    hh_district = town.place_district[homes[:n_households]]
    cdf = np.cumsum(town.district_mix[hh_district], axis=1)
    hh_comm = (rng.random((n_households, 1)) > cdf).sum(axis=1).clip(0, len(scenario.communities) - 1)
    names = name_tables()
    hh_last = sample(names.last, names.last_p, n_households, rng)

    reach = rng.lognormal(0.0, scenario.mobility.reach_sigma, n)
    reach *= np.where(np.isin(archetype, (HOMEBODY, RETIREE)), 0.4, 1.0)

    a = int(rng.integers(1, 10**8 // 2)) * 2 + 1
    while a % 5 == 0:
        a += 2
    key = (a, int(rng.integers(0, 10**8)))
    return Population(
        home=home.astype(np.int64), household=household.astype(np.int32), age=age_years,
        birth_day=birth_day, sex=sex, archetype=archetype,
        community=hh_comm[household].astype(np.int16), last_name=hh_last[household].astype(np.int32),
        reach=reach.astype(np.float32), id_key=key,
    )


def national_ids(numbers: np.ndarray, key: tuple[int, int]) -> pa.Array:
    """Fictional national ids: ``FX-`` + eight digits + a Luhn check digit.

    The eight digits are an affine bijection of the person number modulo 10**8, so ids
    are unique, look arbitrary and do not reveal registry order.
    """
    a, b = key
    body = (np.asarray(numbers, dtype=np.int64) * a + b) % 10**8
    check = luhn_digit(body, width=8)
    return format_ids(NATIONAL_ID_PREFIX, body * 10 + check, width=9)


def is_valid_national_id(value: str) -> bool:
    """True if ``value`` has the fictional format and a correct check digit."""
    if not (isinstance(value, str) and value.startswith(NATIONAL_ID_PREFIX)):
        return False
    digits = value[len(NATIONAL_ID_PREFIX):]
    if len(digits) != 9 or not digits.isdigit():
        return False
    return int(luhn_digit(np.array([int(digits[:8])]), width=8)[0]) == int(digits[8])


def registry_table(
    pop: Population, lo: int, hi: int, work: np.ndarray, town: Town, rng: np.random.Generator
) -> pa.Table:
    """The ``people`` rows for persons ``lo`` to ``hi`` (end exclusive).

    ``work`` holds the place index of each person's workplace or school, -1 for none.
    """
    names = name_tables()
    sl = slice(lo, hi)
    n = hi - lo
    sex = pop.sex[sl]
    female = sample(names.first_female, names.first_female_p, n, rng)
    male = sample(names.first_male, names.first_male_p, n, rng)
    first = np.where(sex == 0, names.first_female[female], names.first_male[male])
    full = pc.binary_join_element_wise(pa.array(first, pa.string()),
                                       pa.array(names.last[pop.last_name[sl]], pa.string()), " ")
    has_work = work >= 0
    work_ids = town.place_ids.take(pa.array(np.where(has_work, work, 0)))
    work_ids = pc.if_else(pa.array(has_work), work_ids, pa.nulls(n, pa.string()))
    employer = pc.if_else(pa.array(has_work), town.place_names.take(pa.array(np.where(has_work, work, 0))),
                          pa.nulls(n, pa.string()))
    return pa.table({
        "person_id": format_ids("p", np.arange(lo, hi), width=8),
        "name": full,
        "national_id": national_ids(np.arange(lo, hi), pop.id_key),
        "birth_date": pa.array(pop.birth_day[sl], pa.int32()).cast(pa.date32()),
        "sex": pa.array(np.where(sex == 0, "F", "M"), pa.string()),
        "community": pa.array(np.asarray(town.scenario.communities, dtype=object)[pop.community[sl]], pa.string()),
        "address": town.addresses.take(pa.array(pop.home[sl])),
        "employer": employer,
        "home_id": town.place_ids.take(pa.array(pop.home[sl])),
        "work_id": work_ids,
        "archetype": pa.array(np.asarray(ARCHETYPES, dtype=object)[pop.archetype[sl]], pa.string()),
    })


def workplace_kinds(archetype: int) -> tuple[np.ndarray, np.ndarray]:
    """Kinds (codes) where an archetype works, with weights."""
    k = PLACE_KINDS.index
    if archetype == COMMUTER:
        return np.array([k("work"), k("shop"), k("restaurant"), k("clinic"), k("school"), k("hotel")]), \
            np.array([0.7, 0.1, 0.07, 0.05, 0.05, 0.03])
    if archetype == SHIFT:
        return np.array([k("work"), k("clinic"), k("hotel"), k("transit"), k("restaurant")]), \
            np.array([0.45, 0.2, 0.1, 0.15, 0.1])
    if archetype == STUDENT:
        return np.array([k("school")]), np.array([1.0])
    return np.array([], dtype=int), np.array([])
