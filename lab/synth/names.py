"""Name parts for the fictional town, drawn from Faker's locale data.

Faker is the one home of name data in the lab. Rather than calling a Faker method
per person (far too slow for millions), we read its locale tables once and sample
them with the caller's numpy ``rng``, weighted as Faker weights them, so every name
is reproducible from the seed and no Faker global state is touched.
"""

from __future__ import annotations

import functools

import numpy as np
from faker.providers.address.en_US import Provider as _Address
from faker.providers.company.en_US import Provider as _Company
from faker.providers.person.en_US import Provider as _Person

__all__ = ["NameTables", "name_tables", "sample"]


class NameTables:
    """Arrays of name parts with their sampling weights."""

    def __init__(self) -> None:
        def table(mapping):
            words = np.array(list(mapping.keys()), dtype=object)
            w = np.array(list(mapping.values()), dtype=float)
            return words, w / w.sum()

        self.first_female, self.first_female_p = table(_Person.first_names_female)
        self.first_male, self.first_male_p = table(_Person.first_names_male)
        self.last, self.last_p = table(_Person.last_names)
        self.street_suffixes = np.array(sorted(set(_Address.street_suffixes)), dtype=object)
        self.city_prefixes = np.array(_Address.city_prefixes, dtype=object)
        self.city_suffixes = np.array(_Address.city_suffixes, dtype=object)
        self.company_suffixes = np.array(_Company.company_suffixes, dtype=object)


@functools.cache
def name_tables() -> NameTables:
    """The name tables, read once per process."""
    return NameTables()


def sample(words: np.ndarray, p: np.ndarray | None, size: int, rng: np.random.Generator) -> np.ndarray:
    """Indices into ``words`` drawn with probabilities ``p`` (vectorised inverse CDF)."""
    if p is None:
        return rng.integers(0, len(words), size=size)
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(size), side="right")
