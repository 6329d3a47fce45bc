"""Pseudonyms and the answer key.

Each release has its own pseudonym space, as in real life: an app's advertising
id, an operator's subscriber id, a public account's handle. A pseudonym is a keyed
bijection of the person number (:func:`lab.ids.mix64`), so it never collides and
does not depend on how generation was split. The camera release is the leak's
case: faces were matched to the registry, so sightings carry the national id.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lab.ids import hex_tokens, mix64

__all__ = ["PREFIX", "pseudonyms", "keys_table"]

#: Prefix of each release's pseudonyms.
PREFIX = {"gps": "ad-", "cdr": "sub-", "checkins": "@"}


def pseudonyms(release: str, person: np.ndarray, key: int) -> pa.Array:
    """Pseudonyms of global person numbers ``person`` in ``release``'s space."""
    return hex_tokens(PREFIX[release], mix64(person, key))


def keys_table(release: str, pseudonym: pa.Array, person_id: pa.Array) -> pa.Table:
    """Rows of the ``keys`` table: which person is behind each pseudonym of ``release``."""
    return pa.table({
        "release": pa.array(np.full(len(pseudonym), release, dtype=object), pa.string()),
        "pseudonym": pseudonym,
        "person_id": person_id,
    })
