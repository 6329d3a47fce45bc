"""Identifiers: type-prefixed ids and keyed pseudonyms, built vectorised.

Ids are strings with a type prefix (``p000042`` for a person, ``pl00000017`` for a
place). Pseudonyms are keyed and bijective: ``splitmix64(index ^ key)`` never
collides, looks random, and depends only on the person and the release's key, so
they do not depend on how generation was split into blocks.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = ["format_ids", "hex_tokens", "mix64", "luhn_digit"]

# Lookup tables: every 4-digit decimal group and every byte as two hex digits.
_DEC4 = np.array([list(f"{i:04d}".encode()) for i in range(10_000)], dtype=np.uint8)
_HEX2 = np.array([list(f"{i:02x}".encode()) for i in range(256)], dtype=np.uint8)


def _ascii_rows(prefix: str, body: np.ndarray) -> pa.Array:
    """Join ``prefix`` to each row of an ``(n, w)`` uint8 ASCII matrix, as an Arrow string array."""
    n, width = body.shape
    pre = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    full = np.empty((n, len(pre) + width), dtype=np.uint8)
    full[:, : len(pre)] = pre
    full[:, len(pre) :] = body
    size = full.shape[1]
    offsets = np.arange(0, (n + 1) * size, size, dtype=np.int32 if n * size < 2**31 else np.int64)
    typ = pa.string() if offsets.dtype == np.int32 else pa.large_string()
    arr = pa.Array.from_buffers(typ, n, [None, pa.py_buffer(offsets), pa.py_buffer(full.tobytes())])
    return arr if typ == pa.string() else arr.cast(pa.string())


def format_ids(prefix: str, numbers: npt.ArrayLike, *, width: int) -> pa.Array:
    """Zero-padded decimal ids with a type prefix, e.g. ``format_ids("p", [7], width=6)`` -> ``p000007``.

    Parameters
    ----------
    prefix : str
        ASCII type prefix.
    numbers : array_like of int
        Non-negative integers below ``10**width``.
    width : int
        Number of digits.
    """
    values = np.asarray(numbers, dtype=np.int64)
    if values.size and (values.min() < 0 or values.max() >= 10**width):
        raise ValueError(f"ids must lie in [0, 10**{width}) to fit {width} digits")
    groups = -(-width // 4)
    body = np.empty((values.size, groups * 4), dtype=np.uint8)
    rest = values.copy()
    for g in range(groups - 1, -1, -1):
        rest, group = np.divmod(rest, 10_000)
        body[:, g * 4 : g * 4 + 4] = _DEC4[group]
    return _ascii_rows(prefix, body[:, groups * 4 - width :])


def mix64(values: npt.ArrayLike, key: int) -> np.ndarray:
    """Keyed bijection on uint64: the splitmix64 finaliser applied to ``values ^ key``.

    References
    ----------
    .. [1] Steele, G. L., Lea, D., Flood, C. H. (2014). Fast splittable pseudorandom
       number generators. OOPSLA '14.
    """
    z = np.asarray(values, dtype=np.uint64) ^ np.uint64(key)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def hex_tokens(prefix: str, values: npt.ArrayLike) -> pa.Array:
    """16-hex-digit tokens with a prefix, one per uint64 value (``prefix + '%016x'``)."""
    v = np.ascontiguousarray(np.asarray(values, dtype=">u8"))
    octets = v.view(np.uint8).reshape(-1, 8)
    return _ascii_rows(prefix, _HEX2[octets].reshape(-1, 16))


def luhn_digit(numbers: npt.ArrayLike, *, width: int) -> np.ndarray:
    """Luhn check digit of each ``width``-digit number (vectorised).

    References
    ----------
    .. [1] Luhn, H. P. (1960). Computer for verifying numbers. US Patent 2,950,048.
    """
    values = np.asarray(numbers, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (values[:, None] // powers) % 10
    # Double every second digit counting from the right of the payload (the check digit goes last).
    doubled = digits[:, ::-1].copy()
    doubled[:, 0::2] *= 2
    doubled[doubled > 9] -= 9
    return (10 - doubled.sum(axis=1) % 10) % 10
