"""Tests for :mod:`lab.ids`: prefixed ids, keyed pseudonyms and check digits."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from lab.ids import format_ids, hex_tokens, luhn_digit, mix64


def reference_luhn(payload: int) -> int:
    """Textbook Luhn check digit, digit by digit."""
    total = 0
    for i, ch in enumerate(reversed(str(payload))):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def test_format_ids_zero_pads_and_prefixes():
    """Ids are the prefix then the number padded to the width with zeros."""
    out = format_ids("p", [7, 0, 42, 999_999], width=6)
    assert isinstance(out, pa.Array)
    assert out.type == pa.string()
    assert out.to_pylist() == ["p000007", "p000000", "p000042", "p999999"]


@pytest.mark.parametrize(
    ("prefix", "number", "width", "expected"),
    [
        ("pl", 17, 8, "pl00000017"),
        ("x", 3, 1, "x3"),
        ("tw", 12, 5, "tw00012"),
        ("FX-", 123_456_789, 9, "FX-123456789"),
        ("cam", 1, 6, "cam000001"),
    ],
)
def test_format_ids_widths(prefix, number, width, expected):
    """Widths that are and are not multiples of four digits pad correctly."""
    assert format_ids(prefix, [number], width=width).to_pylist() == [expected]


def test_format_ids_empty():
    """No numbers give an empty string array."""
    out = format_ids("p", np.array([], dtype=np.int64), width=6)
    assert len(out) == 0
    assert out.type == pa.string()


@pytest.mark.parametrize("bad", [[-1], [1_000_000], [5, 10**6 + 3]])
def test_format_ids_rejects_out_of_range(bad):
    """Negative numbers and numbers with more digits than the width raise ValueError."""
    with pytest.raises(ValueError, match="6 digits"):
        format_ids("p", bad, width=6)


def test_mix64_is_a_bijection_on_a_sample():
    """100,000 consecutive inputs give 100,000 distinct outputs."""
    out = mix64(np.arange(100_000, dtype=np.uint64), key=0x1234_5678_9ABC_DEF0)
    assert out.dtype == np.uint64
    assert len(np.unique(out)) == 100_000


def test_mix64_matches_splitmix64_reference():
    """With key 0 it reproduces the first two outputs of SplitMix64 seeded with 0."""
    gamma = 0x9E3779B97F4A7C15
    out = mix64(np.array([0, gamma], dtype=np.uint64), key=0)
    assert [int(v) for v in out] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4]


def test_mix64_depends_on_key():
    """The same inputs under two keys give different outputs, element by element."""
    x = np.arange(10_000, dtype=np.uint64)
    a = mix64(x, key=1)
    b = mix64(x, key=2)
    assert np.all(a != b)
    assert np.array_equal(mix64(x, key=1), a)  # and is deterministic


def test_mix64_is_elementwise():
    """A value's output does not depend on the other values in the array (block split)."""
    x = np.arange(1_000, dtype=np.uint64)
    whole = mix64(x, key=99)
    parts = np.concatenate([mix64(x[:300], key=99), mix64(x[300:], key=99)])
    assert np.array_equal(whole, parts)


def test_hex_tokens_match_python_formatting():
    """Each token is the prefix then 16 lowercase hex digits, as f'{v:016x}'."""
    values = [0, 1, 255, 0x0123456789ABCDEF, 2**63, 2**64 - 1]
    out = hex_tokens("ad-", np.array(values, dtype=np.uint64)).to_pylist()
    assert out == [f"ad-{v:016x}" for v in values]
    assert out[0] == "ad-0000000000000000"
    assert out[-1] == "ad-ffffffffffffffff"


def test_hex_tokens_on_mixed_values():
    """Random uint64 values all format like Python, with lowercase hex only."""
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2**64, 1_000, dtype=np.uint64)
    out = hex_tokens("@", values).to_pylist()
    assert out == [f"@{int(v):016x}" for v in values]
    assert all(len(s) == 17 and s[1:] == s[1:].lower() for s in out)


@pytest.mark.parametrize(
    ("payload", "width", "digit"),
    [
        (7992739871, 10, 3),          # the textbook example: 79927398713
        (411111111111111, 15, 1),     # 4111 1111 1111 1111
        (0, 8, 0),
        (1, 8, 8),                    # 00000001 -> 2 doubled -> 10 - 2 = 8
        (12345678, 8, 2),
    ],
)
def test_luhn_digit_known_examples(payload, width, digit):
    """Known payloads give their check digit."""
    assert int(luhn_digit(np.array([payload]), width=width)[0]) == digit


def test_luhn_digit_matches_reference_on_random_payloads():
    """Vectorised check digits equal the digit-by-digit algorithm on 500 random 8-digit payloads."""
    rng = np.random.default_rng(11)
    payloads = rng.integers(0, 10**8, 500)
    got = luhn_digit(payloads, width=8)
    assert got.tolist() == [reference_luhn(int(p)) for p in payloads]
    # With its check digit appended, a number's own Luhn sum is a multiple of ten.
    full = payloads * 10 + got
    assert all(reference_luhn(int(f) // 10) == int(f) % 10 for f in full)
