"""Tests for lab.attacks.prudence: exact risks, the published oracle, and a brute-force reference."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.attacks import prudence as P
from lab.attacks.traces import ReleaseError

#: scikit-mobility's example data, carried in the repository (provenance in tests/fixtures/README.md).
TOY = Path(__file__).resolve().parents[1] / "fixtures" / "privacy_toy.csv"


@pytest.fixture(scope="module")
def toy() -> pd.DataFrame:
    df = pd.read_csv(TOY)
    return pd.DataFrame({"pseudonym": df["uid"], "t": pd.to_datetime(df["datetime"]).dt.tz_localize("UTC"),
                         "lat": df["lat"], "lon": df["lng"]})


def _fracs(series: pd.Series) -> dict:
    return {int(k): Fraction(v).limit_denominator(100) for k, v in series.items()}


def F(a, b=1):
    return Fraction(a, b)


ORACLE = {
    ("location", 2): {1: F(1, 3), 2: F(1, 2), 3: F(1, 3), 4: F(1, 3), 5: F(1, 4), 6: F(1, 4), 7: F(1, 2)},
    ("location", 3): {1: F(1, 2), 2: F(1), 3: F(1, 2), 4: F(1, 3), 5: F(1, 3), 6: F(1, 4), 7: F(1)},
    ("sequence", 2): {1: F(1, 2), 2: F(1, 2), 3: F(1), 4: F(1, 2), 5: F(1), 6: F(1, 3), 7: F(1, 2)},
    ("time", 2): {1: F(1), 2: F(1), 3: F(1), 4: F(1), 5: F(1), 6: F(1, 2), 7: F(1)},
}


def test_location_attack_oracle(toy):
    """The location attack gives the published risks on privacy_toy.csv for k = 2 and 3."""
    assert _fracs(P.location_attack(toy, k=2)) == ORACLE[("location", 2)]
    assert _fracs(P.location_attack(toy, k=3)) == ORACLE[("location", 3)]


def test_sequence_attack_oracle(toy):
    """The location-sequence attack gives the published risks for k = 2."""
    assert _fracs(P.location_sequence_attack(toy, k=2)) == ORACLE[("sequence", 2)]


def test_location_time_attack_oracle(toy):
    """The location-time attack at hour precision gives the published risks for k = 2."""
    assert _fracs(P.location_time_attack(toy, k=2, precision="hour")) == ORACLE[("time", 2)]


def test_documented_examples_of_other_attacks(toy):
    """The remaining attacks reproduce scikit-mobility's documented outputs on the toy data."""
    assert _fracs(P.unique_location_attack(toy, k=2)) == {1: F(1, 3), 2: F(1, 4), 3: F(1, 3), 4: F(1, 3),
                                                          5: F(1, 4), 6: F(1, 4), 7: F(1, 4)}
    assert _fracs(P.frequency_attack(toy, k=2)) == {1: F(1, 3), 2: F(1), 3: F(1, 3), 4: F(1, 3), 5: F(1, 3),
                                                    6: F(1, 3), 7: F(1)}
    assert _fracs(P.frequency_attack(toy, k=2, tolerance=0.5)) == {1: F(1, 3), 2: F(1), 3: F(1, 3), 4: F(1, 3),
                                                                   5: F(1, 4), 6: F(1, 4), 7: F(1)}
    assert _fracs(P.probability_attack(toy, k=2)) == {1: F(1, 2), 2: F(1), 3: F(1, 2), 4: F(1), 5: F(1),
                                                      6: F(1), 7: F(1)}
    assert _fracs(P.proportion_attack(toy, k=2, tolerance=0.5)) == {1: F(1, 3), 2: F(1, 4), 3: F(1, 3),
                                                                    4: F(1, 3), 5: F(1, 3), 6: F(1, 3), 7: F(1, 4)}


def test_home_work_uses_most_frequent_and_legacy_reproduces_the_defect(toy):
    """Home-work uses the two most visited places; the legacy option reproduces the ascending-order bug."""
    legacy = _fracs(P.home_work_attack(toy, legacy_ascending=True))
    assert legacy == {1: F(1, 4), 2: F(1, 4), 3: F(1, 4), 4: F(1, 4), 5: F(1), 6: F(1), 7: F(1)}
    fixed = P.home_work_attack(toy)
    assert fixed.loc[2] == 1.0  # uid 2's top two (twice at 43.843) is its own


def test_legacy_hour_compares_days():
    """With legacy_hour the 'hour' precision only compares days, so two same-day points at other hours match."""
    t = pd.to_datetime(["2031-03-03 08:10", "2031-03-03 19:40"]).tz_localize("UTC")
    rel = pd.DataFrame({"pseudonym": ["a", "b"], "t": t, "lat": [1.0, 1.0], "lon": [2.0, 2.0]})
    assert P.location_time_attack(rel, k=1).tolist() == [1.0, 1.0]
    assert P.location_time_attack(rel, k=1, legacy_hour=True).tolist() == [0.5, 0.5]


def test_repeat_visits_matter():
    """Knowing a place twice only matches pseudonyms seen there at least twice."""
    t = pd.Timestamp("2031-03-03", tz="UTC")
    rel = pd.DataFrame({"pseudonym": ["a", "a", "b", "c"], "t": [t] * 4,
                        "lat": [0.0, 0.0, 0.0, 0.0], "lon": [0.0] * 4})
    assert P.location_attack(rel, k=2).to_dict() == {"a": 1.0, "b": 1 / 3, "c": 1 / 3}


def _brute_location(records: dict[str, list[int]], k: int) -> dict[str, Fraction]:
    """Reference: every k-combination of records, matched by multiset inclusion (scikit-mobility's rule)."""
    counts = {u: Counter(r) for u, r in records.items()}
    out = {}
    for u, recs in records.items():
        best = Fraction(0)
        size = min(k, len(recs))
        for inst in itertools.combinations(recs, size):
            need = Counter(inst)
            n = sum(all(counts[v][loc] >= m for loc, m in need.items()) for v in records)
            best = max(best, Fraction(1, n))
        out[u] = best
    return out


def _brute_sequence(records: dict[str, list[int]], k: int) -> dict[str, Fraction]:
    def contains(seq, sub):
        it = iter(seq)
        return all(any(x == y for y in it) for x in sub)

    out = {}
    for u, recs in records.items():
        size = min(k, len(recs))
        best = max(Fraction(1, sum(contains(records[v], inst) for v in records))
                   for inst in itertools.combinations(recs, size))
        out[u] = best
    return out


traces = st.dictionaries(
    st.sampled_from(list("abcdefgh")),
    st.lists(st.integers(0, 4), min_size=1, max_size=6),
    min_size=1, max_size=8,
)


def _release(records: dict[str, list[int]]) -> pd.DataFrame:
    rows = [(u, i, loc) for u, recs in records.items() for i, loc in enumerate(recs)]
    base = pd.Timestamp("2031-03-03", tz="UTC")
    return pd.DataFrame({"pseudonym": [r[0] for r in rows],
                         "t": [base + pd.Timedelta(minutes=r[1]) for r in rows],
                         "lat": [float(r[2]) for r in rows], "lon": [0.0] * len(rows)})


@settings(max_examples=60, deadline=None)
@given(traces, st.integers(1, 4))
def test_location_attack_matches_brute_force(records, k):
    """On small random releases the location attack equals the exhaustive reference."""
    got = P.location_attack(_release(records), k=k)
    assert {u: Fraction(v).limit_denominator(100) for u, v in got.items()} == _brute_location(records, k)


@settings(max_examples=60, deadline=None)
@given(traces, st.integers(1, 3))
def test_sequence_attack_matches_brute_force(records, k):
    """On small random releases the location-sequence attack equals the exhaustive reference."""
    got = P.location_sequence_attack(_release(records), k=k)
    ref = _brute_sequence(records, k)
    assert {u: Fraction(v).limit_denominator(100) for u, v in got.items()} == ref


@settings(max_examples=40, deadline=None)
@given(traces, st.integers(1, 3))
def test_unique_location_attack_matches_brute_force(records, k):
    """The unique-location attack equals the reference on each pseudonym's distinct places."""
    distinct = {u: sorted(set(r)) for u, r in records.items()}
    got = P.unique_location_attack(_release(records), k=k)
    assert {u: Fraction(v).limit_denominator(100) for u, v in got.items()} == _brute_location(distinct, k)


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_k_must_be_a_positive_integer(toy, bad):
    """k that is not a whole number >= 1 is refused in plain language."""
    with pytest.raises(ValueError, match="k is the number of points"):
        P.location_attack(toy, k=bad)


def test_tolerance_out_of_range(toy):
    """A tolerance outside [0, 1] is refused."""
    with pytest.raises(ValueError, match="tolerance"):
        P.frequency_attack(toy, k=2, tolerance=1.5)


def test_naive_times_refused(toy):
    """Timezone-naive times are refused, naming the column."""
    with pytest.raises(ReleaseError, match="'t' must hold timezone-aware"):
        P.location_attack(toy.assign(t=toy["t"].dt.tz_localize(None)), k=2)


def test_sequence_enumeration_guard(toy):
    """A sequence attack that would enumerate too much stops with an explanation."""
    with pytest.raises(ValueError, match="max_instances"):
        P.location_sequence_attack(toy, k=2, max_instances=3)


def _brute_vector(records: dict[str, list[int]], k: int, tolerance: float, kind: str,
                  exact: bool = True) -> dict[str, Fraction]:
    """Reference for the frequency, probability and proportion attacks (scikit-mobility's matching rules).

    ``exact`` computes in fractions (the tolerance read as the decimal it is written as); otherwise in floats.
    """
    freq = {u: Counter(r) for u, r in records.items()}
    total = {u: len(r) for u, r in records.items()}
    if exact:
        tolerance = Fraction(str(tolerance))

    def value(u, loc):
        f = freq[u][loc]
        if exact:
            return Fraction(f, total[u]) if kind == "probability" else Fraction(f)
        return f / total[u] if kind == "probability" else float(f)

    out = {}
    for u in records:
        locs = sorted(freq[u])
        size = min(k, len(locs))
        best = Fraction(0)
        for inst in itertools.combinations(locs, size):
            n = 0
            for v in records:
                if not all(loc in freq[v] for loc in inst):
                    continue
                mine = [value(u, loc) for loc in inst]
                theirs = [value(v, loc) for loc in inst]
                if kind == "proportion":
                    mine = [m / max(mine) for m in mine]
                    theirs = [t / max(theirs) for t in theirs]
                if all(t - t * tolerance <= m <= t + t * tolerance for m, t in zip(mine, theirs)):
                    n += 1
            best = max(best, Fraction(1, n))
        out[u] = best
    return out


@settings(max_examples=60, deadline=None)
@given(traces, st.integers(1, 3), st.sampled_from([0.0, 0.2, 0.25, 0.3, 0.5]),
       st.sampled_from(["frequency", "probability", "proportion"]), st.booleans())
def test_vector_attacks_match_brute_force(records, k, tolerance, kind, legacy_float):
    """Frequency, probability and proportion attacks equal the exhaustive reference, in fractions or, legacy, floats."""
    attack = {"frequency": P.frequency_attack, "probability": P.probability_attack,
              "proportion": P.proportion_attack}[kind]
    got = attack(_release(records), k=k, tolerance=tolerance, legacy_float=legacy_float)
    ref = _brute_vector(records, k, tolerance, kind, exact=not legacy_float or tolerance == 0.0)
    assert {u: Fraction(v).limit_denominator(100) for u, v in got.items()} == ref


@settings(max_examples=40, deadline=None)
@given(traces)
def test_home_work_matches_brute_force(records):
    """Home-work risk is 1 / the number of pseudonyms whose two most visited places include the target's."""
    def top2(recs):
        c = Counter(recs)
        first = {loc: recs.index(loc) for loc in c}
        return set(sorted(c, key=lambda loc: (-c[loc], first[loc], loc))[:2])

    tops = {u: top2(r) for u, r in records.items()}
    ref = {u: Fraction(1, sum(t <= tops[v] for v in records)) for u, t in tops.items()}
    got = P.home_work_attack(_release(records))
    assert {u: Fraction(v).limit_denominator(100) for u, v in got.items()} == ref


# --------------------------------------------------------------------------- row order

#: Records (pseudonym, minute, place) over few minutes and places, so simultaneous records are common.
simultaneous = st.lists(st.tuples(st.sampled_from(list("abc")), st.integers(0, 1), st.integers(0, 2)),
                        min_size=1, max_size=16)


def _timed_release(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    base = pd.Timestamp("2031-03-03 22:00", tz="UTC")
    return pd.DataFrame({"pseudonym": [r[0] for r in rows], "t": [base + pd.Timedelta(minutes=r[1]) for r in rows],
                         "lat": [float(r[2]) for r in rows], "lon": [0.0] * len(rows)})


ORDER_SENSITIVE = {
    "location": lambda r: P.location_attack(r, k=2),
    "location_time": lambda r: P.location_time_attack(r, k=2, precision="minute"),
    "unique_location": lambda r: P.unique_location_attack(r, k=2),
    "frequency": lambda r: P.frequency_attack(r, k=2, tolerance=0.5),
    "probability": lambda r: P.probability_attack(r, k=2),
    "proportion": lambda r: P.proportion_attack(r, k=2, tolerance=0.5),
    "sequence": lambda r: P.location_sequence_attack(r, k=2),
    "sequence_k3": lambda r: P.location_sequence_attack(r, k=3),
    "home_work": lambda r: P.home_work_attack(r),
    "home_work_legacy": lambda r: P.home_work_attack(r, legacy_ascending=True),
}


@pytest.mark.parametrize("name", list(ORDER_SENSITIVE))
@settings(max_examples=80, deadline=None)
@given(rows=simultaneous, data=st.data())
def test_attacks_ignore_row_order(name, rows, data):
    """Shuffling the rows of a release, simultaneous records included, never changes any attack's risks."""
    attack = ORDER_SENSITIVE[name]
    release = _timed_release(rows)
    perm = data.draw(st.permutations(range(len(release))))
    pd.testing.assert_series_equal(attack(release), attack(release.iloc[perm]))


@pytest.mark.parametrize("centuries", [False, True])
def test_simultaneous_records_read_in_place_order(centuries):
    """Records at one instant are read by place: a's top two and its trace order are fixed, whatever the row order."""
    t = pd.Timestamp("2031-03-03 22:00", tz="UTC")
    later = t + pd.Timedelta(hours=1)
    # a is seen at places 2, 1 and 3 at one instant (one record each), then at 4 later;
    # b is seen at 1, then at 2; c at 1 and 3 at one instant.
    rel = pd.DataFrame({"pseudonym": ["a", "a", "a", "a", "b", "b", "c", "c"],
                        "t": [t, t, t, later, t, later, t, t],
                        "lat": [2.0, 1.0, 3.0, 4.0, 1.0, 2.0, 3.0, 1.0], "lon": [0.0] * 8})
    if centuries:  # a record three centuries earlier: times too far apart for one packed sort key
        rel = pd.concat([rel, pd.DataFrame({"pseudonym": ["z"], "t": [pd.Timestamp("1700-01-01", tz="UTC")],
                                            "lat": [9.0], "lon": [0.0]})], ignore_index=True)
        rel["t"] = rel["t"].astype("datetime64[ns, UTC]")
    for rows in (rel, rel.iloc[::-1]):
        # Every place of a is visited once and first at t or later: its top two are places 1 and 2, as b's.
        assert P.home_work_attack(rows).drop("z", errors="ignore").to_dict() == {"a": 0.5, "b": 0.5, "c": 1.0}
        # a's trace reads 1, 2, 3, 4, so b's (1 then 2) is inside it.
        assert P.location_sequence_attack(rows, k=2)["b"] == 0.5


# --------------------------------------------------------------------------- exact tolerances

def _counts(by_user: dict[str, dict[float, int]]) -> pd.DataFrame:
    """A release from visit counts: {pseudonym: {lat: visits}}, all at one instant."""
    rows = [(u, lat) for u, places in by_user.items() for lat, n in places.items() for _ in range(n)]
    t = pd.Timestamp("2031-03-03 08:00", tz="UTC")
    return pd.DataFrame({"pseudonym": [r[0] for r in rows], "t": [t] * len(rows),
                         "lat": [r[1] for r in rows], "lon": [0.0] * len(rows)})


def test_candidate_exactly_at_the_tolerance_limit_matches():
    """a's shares 2/5, 3/5 lie within 0.2 of b's 1/3, 2/3 (2/5 = 1/3 x 1.2 exactly): b matches; floats drop it."""
    rel = _counts({"a": {1.0: 2, 2.0: 3}, "b": {1.0: 1, 2.0: 2}})
    assert P.probability_attack(rel, k=2, tolerance=0.2)["a"] == 0.5
    assert P.probability_attack(rel, k=2, tolerance=0.2, legacy_float=True)["a"] == 1.0


def test_proportion_exactly_at_the_limit_matches():
    """a's proportions 2/5, 1 lie within 0.2 of b's 1/3, 1 exactly at the limit: b matches; floats drop it."""
    rel = _counts({"a": {1.0: 2, 2.0: 5}, "b": {1.0: 1, 2.0: 3}})
    assert P.proportion_attack(rel, k=2, tolerance=0.2)["a"] == 0.5
    assert P.proportion_attack(rel, k=2, tolerance=0.2, legacy_float=True)["a"] == 1.0


def test_frequency_at_the_limit_and_just_beyond():
    """Five visits are within 0.25 of four (the limit) but not of three; a Fraction tolerance is taken as is."""
    rel = _counts({"a": {1.0: 5}, "b": {1.0: 4}, "c": {1.0: 3}})
    # The margin is relative to the candidate's count: knowing 5, b (4) is at the limit |5 - 4| = 4 x 0.25 and
    # matches, c (3) does not; knowing 4, a (5) matches and c does not (1 > 3 x 0.25); knowing 3, only b matches.
    assert P.frequency_attack(rel, k=1, tolerance=0.25).to_dict() == {"a": 0.5, "b": 0.5, "c": 0.5}
    # Known 4 against c's 3: |4 - 3| = 1 = 3 x 1/3, exactly at the limit with the fraction one third;
    # the float 1/3 is read as the decimal 0.3333333333333333, just short of it.
    assert P.frequency_attack(rel, k=1, tolerance=Fraction(1, 3))["b"] == 1 / 3
    assert P.frequency_attack(rel, k=1, tolerance=1 / 3)["b"] == 0.5


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), float("inf"), True, "0.1", None])
def test_tolerance_refused_in_plain_language(toy, bad):
    """A tolerance that is not a number in [0, 1] is refused, naming tolerance."""
    with pytest.raises(ValueError, match="tolerance is a relative margin"):
        P.probability_attack(toy, k=2, tolerance=bad)


@pytest.mark.parametrize("bad", [True, 2.0, 0])
def test_max_instances_must_be_a_whole_number(toy, bad):
    """max_instances that is a bool, a float or below 1 is refused, naming it."""
    with pytest.raises(ValueError, match="max_instances is"):
        P.location_sequence_attack(toy, k=2, max_instances=bad)


def test_k_may_be_a_numpy_integer(toy):
    """A numpy integer k gives the same risks as the Python integer."""
    import numpy as np

    pd.testing.assert_series_equal(P.location_attack(toy, k=np.int64(2)), P.location_attack(toy, k=2))


def test_tiny_fraction_tolerance_compares_in_python_integers(toy):
    """A tolerance of 1e-18 as a fraction overflows int64 products; Python integers give the exact-value risks."""
    for attack in (P.frequency_attack, P.probability_attack, P.proportion_attack):
        pd.testing.assert_series_equal(attack(toy, k=2, tolerance=Fraction(1, 10**18)), attack(toy, k=2))
