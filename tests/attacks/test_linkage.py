"""Record linkage on hand-made releases, against brute-force references, and on the classroom world."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.attacks.linkage import link_releases, link_to_auxiliary, point_keys, sample_known_points, snap_to_sites
from lab.attacks.traces import ReleaseError
from lab.geo import haversine_m, to_latlon
from lab.metrics.linkage_score import pairs_between, pairs_by_name, top_k_accuracy

TZ = "Etc/GMT+8"
START = pd.Timestamp("2031-03-03", tz=TZ)
ORIGIN = (-48.5, -123.0)
#: Places 1 km apart on an east-west line: with cells of at most 1 km no two share a cell.
SPACING_M = 1000.0


def make_release(rows: list[tuple[str, int, float]], who: str = "pseudonym") -> pd.DataFrame:
    """A release from ``(label, place number, hour after START)``; place i sits i km east of ORIGIN."""
    frame = pd.DataFrame(rows, columns=[who, "place", "hour"])
    lat, lon = to_latlon(frame["place"].to_numpy(float) * SPACING_M, np.zeros(len(frame)), origin=ORIGIN)
    t = (START + pd.to_timedelta(frame["hour"], unit="h")).astype(f"datetime64[ms, {TZ}]")
    return pd.DataFrame({who: frame[who], "t": t, "lat": lat, "lon": lon,
                         "place_id": "pl" + frame["place"].astype(str)})


# Ann was seen at place 0 at 09:00 and place 1 at 12:00.
KNOWN = make_release([("Ann", 0, 9.2), ("Ann", 1, 12.5)], who="identity")
RELEASE = make_release([
    ("ad-1", 0, 9.5), ("ad-1", 1, 12.1), ("ad-1", 5, 20.0),   # both of Ann's points
    ("ad-2", 0, 9.9), ("ad-2", 3, 15.0),                      # one of them
    ("ad-3", 0, 10.5), ("ad-3", 4, 9.0),                      # right place, wrong hour
])


def test_link_to_auxiliary_ranks_the_obvious_match_first():
    """The pseudonym holding both known points ranks first, the one holding one second."""
    m = link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=1)
    assert m[["identity", "rank", "pseudonym", "matched"]].values.tolist() == [
        ["Ann", 1, "ad-1", 2], ["Ann", 2, "ad-2", 1]]


def test_link_to_auxiliary_scores_are_idf_sums():
    """A match at a point held by 2 of 3 pseudonyms scores log(3/2), one held by 1 scores log 3."""
    m = link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=1)
    assert m["score"].tolist() == pytest.approx([math.log(3 / 2) + math.log(3), math.log(3 / 2)])


def test_rarity_breaks_ties_between_equal_matches():
    """With one match each, the pseudonym matching the rarer point ranks first."""
    release = make_release([("ad-1", 0, 9.5), ("ad-2", 1, 12.1), ("ad-3", 0, 9.1)])
    m = link_to_auxiliary(release, KNOWN, space="grid:500", hours=1)
    assert m["pseudonym"].tolist()[0] == "ad-2"
    assert m["matched"].tolist() == [1, 1, 1]


def test_hours_none_matches_places_whatever_the_time():
    """Ignoring time, the pseudonym at the right place at the wrong hour matches too."""
    m = link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=None)
    assert set(m["pseudonym"]) == {"ad-1", "ad-2", "ad-3"}
    assert m.set_index("pseudonym")["matched"].to_dict() == {"ad-1": 2, "ad-2": 1, "ad-3": 1}


def test_wider_time_bins_match_more():
    """09:12 and 10:30 fall in one 4-hour bin (08:00-12:00) but in different 1-hour bins."""
    one = link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=1)
    four = link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=4)
    assert "ad-3" not in set(one["pseudonym"])
    assert four.set_index("pseudonym").loc["ad-3", "matched"] == 1


def test_link_to_auxiliary_on_a_shared_column():
    """Linking on place_id gives the same answer as a fine grid."""
    by_place = link_to_auxiliary(RELEASE, KNOWN, space="place_id", hours=1)
    by_grid = link_to_auxiliary(RELEASE, KNOWN, space="grid:100", hours=1)
    pd.testing.assert_frame_equal(by_place, by_grid)


def test_identity_column_and_unnamed_rows():
    """Rows without an identity are ignored; the identity column can be named."""
    aux = KNOWN.rename(columns={"identity": "display_name"})
    aux = pd.concat([aux, make_release([(None, 3, 15.0)], who="display_name")], ignore_index=True)
    m = link_to_auxiliary(RELEASE, aux, space="grid:500", hours=1, identity="display_name")
    assert m["identity"].unique().tolist() == ["Ann"]


def test_top_keeps_the_best_candidates():
    """top=1 keeps only the best candidate per identity."""
    m = link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=1, top=1)
    assert m["pseudonym"].tolist() == ["ad-1"]


def test_identity_without_any_match_has_no_row():
    """An identity whose points no pseudonym holds gets no candidate."""
    aux = pd.concat([KNOWN, make_release([("Bob", 9, 3.0)], who="identity")], ignore_index=True)
    m = link_to_auxiliary(RELEASE, aux, space="grid:500", hours=1)
    assert set(m["identity"]) == {"Ann"}


def test_link_to_auxiliary_does_not_mutate_inputs():
    """Release and auxiliary tables are unchanged."""
    release, known = RELEASE.copy(), KNOWN.copy()
    link_to_auxiliary(release, known, space="grid:500", hours=1)
    pd.testing.assert_frame_equal(release, RELEASE)
    pd.testing.assert_frame_equal(known, KNOWN)


def test_other_time_zone_is_the_same_instant():
    """Auxiliary times given in UTC match the release's local times."""
    utc = KNOWN.assign(t=KNOWN["t"].dt.tz_convert("UTC"))
    pd.testing.assert_frame_equal(link_to_auxiliary(RELEASE, utc, space="grid:500", hours=1),
                                  link_to_auxiliary(RELEASE, KNOWN, space="grid:500", hours=1))


def test_point_keys_share_one_frame():
    """Equal place and hour give equal keys across tables; a different hour does not."""
    ka, kb = point_keys([KNOWN, RELEASE], space="grid:500", hours=1)
    assert ka[0] == kb[0] and ka[1] == kb[1] and ka[0] != kb[5]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"space": "grid:500", "hours": 1, "top": 0}, "top"),
    ({"space": "grid:-5", "hours": 1}, "cell_m"),
    ({"space": "grid:500", "hours": 0}, "hours"),
    ({"space": "merged:tower_id:4", "hours": 1}, "merged"),
    ({"space": "tower_id", "hours": 1}, "tower_id"),
    ({"space": "grid:500", "hours": 1, "identity": "name"}, "name"),
])
def test_link_to_auxiliary_validates_parameters(kwargs, message):
    """Bad parameters are refused with a message naming the problem."""
    with pytest.raises((ValueError, ReleaseError), match=message):
        link_to_auxiliary(RELEASE, KNOWN, **kwargs)


def test_link_to_auxiliary_refuses_naive_auxiliary_times():
    """Auxiliary knowledge with tz-naive times is refused, naming the auxiliary side."""
    naive = KNOWN.assign(t=KNOWN["t"].dt.tz_localize(None))
    with pytest.raises(ReleaseError, match="auxiliary knowledge: column 't'"):
        link_to_auxiliary(RELEASE, naive, space="grid:500", hours=1)


# Release a: x1 at places 0 and 1, x2 at place 2. Release b: y1 at 0 and 1, y2 at 0, y3 at 3.
A = make_release([("x1", 0, 9.1), ("x1", 1, 12.2), ("x1", 1, 12.4), ("x2", 2, 9.0)])
B = make_release([("y1", 0, 9.5), ("y1", 1, 12.6), ("y2", 0, 9.3), ("y3", 3, 9.0)])


def test_link_releases_jaccard_by_eye():
    """x1 shares both points with y1 (Jaccard 1) and one of two with y2 (1/2); x2 shares none."""
    m = link_releases(A, B, cell_m=500, hours=1, measure="jaccard")
    assert m[["pseudonym_a", "rank", "pseudonym_b", "shared"]].values.tolist() == [
        ["x1", 1, "y1", 2], ["x1", 2, "y2", 1]]
    assert m["score"].tolist() == pytest.approx([1.0, 0.5])


def test_link_releases_cosine_by_eye():
    """Cosine with idf weights: w(p) = 1 + log(6 / (1 + holders)), 5 pseudonyms in all."""
    m = link_releases(A, B, cell_m=500, hours=1)
    w0, w1 = 1 + math.log(6 / 4), 1 + math.log(6 / 3)   # point 0 held by x1, y1, y2; point 1 by x1, y1
    norm_x1 = math.sqrt(w0 ** 2 + w1 ** 2)
    assert m["pseudonym_b"].tolist() == ["y1", "y2"]
    assert m["score"].tolist() == pytest.approx([1.0, w0 ** 2 / (norm_x1 * w0)])


def test_link_releases_is_a_sparse_product_in_blocks(monkeypatch):
    """Splitting the product into blocks of rows gives the same answer."""
    import lab.attacks.linkage as L

    whole = link_releases(A, B, cell_m=500, hours=1)
    monkeypatch.setattr(L, "_PAIR_BUDGET", 1)
    pd.testing.assert_frame_equal(link_releases(A, B, cell_m=500, hours=1), whole)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"cell_m": 0, "hours": 1}, "cell_m"),
    ({"cell_m": 500, "hours": -1}, "hours"),
    ({"cell_m": 500, "hours": 1, "top": -2}, "top"),
    ({"cell_m": 500, "hours": 1, "measure": "dice"}, "measure"),
])
def test_link_releases_validates_parameters(kwargs, message):
    """Bad parameters are refused with a message naming the problem."""
    with pytest.raises(ValueError, match=message):
        link_releases(A, B, **kwargs)


def test_link_releases_names_the_bad_release():
    """A release missing a column is refused, naming which release."""
    with pytest.raises(ReleaseError, match="release b: release is missing column"):
        link_releases(A, B.drop(columns="lat"), cell_m=500, hours=1)


def test_snap_to_sites_moves_to_the_nearest_site():
    """Each observation takes the nearest site's coordinates; max_m drops the far ones."""
    release = make_release([("x", 0, 1.0), ("x", 2, 2.0)]).assign(lon=lambda d: d["lon"] + 0.001)
    sites = make_release([("s", 0, 0.0), ("s", 0, 5.0), ("s", 3, 0.0)])
    snapped = snap_to_sites(release, sites)
    assert snapped["place_id"].tolist() == ["pl0", "pl2"]
    assert snapped["lon"].tolist() == pytest.approx([sites["lon"].iloc[0], sites["lon"].iloc[2]])
    moved = haversine_m(release["lat"], release["lon"], snapped["lat"], snapped["lon"])
    assert snapped["snap_m"].to_numpy() == pytest.approx(moved, rel=1e-3)
    assert snap_to_sites(release, sites, max_m=200).index.tolist() == [0]


def test_sample_known_points_draws_k_points_of_n_targets():
    """Three targets with two points each, drawn from their own rows."""
    rows = [(f"ad-{u}", p, 9.0 + p) for u in range(6) for p in range(4)]
    release = make_release(rows)
    aux = sample_known_points(release, k=2, n_targets=3, rng=1)
    assert aux["identity"].nunique() == 3 and aux.groupby("identity").size().tolist() == [2, 2, 2]
    assert (aux["identity"] == aux["pseudonym"]).all()
    pd.testing.assert_frame_equal(aux.drop(columns="identity"), release.loc[aux.index])


def test_sample_known_points_is_seeded():
    """The same rng seed draws the same points; another seed draws other ones."""
    rows = [(f"ad-{u}", p, 9.0 + p) for u in range(20) for p in range(6)]
    release = make_release(rows)
    a = sample_known_points(release, k=3, n_targets=5, rng=7)
    b = sample_known_points(release, k=3, n_targets=5, rng=7)
    c = sample_known_points(release, k=3, n_targets=5, rng=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.index.equals(c.index)


def test_sample_known_points_distinct_at_a_resolution():
    """With a space, two fixes in one cell and hour are one point: a pseudonym with one point is not eligible."""
    release = make_release([("ad-1", 0, 9.1), ("ad-1", 0, 9.2), ("ad-2", 0, 9.1), ("ad-2", 1, 9.2)])
    assert sample_known_points(release, k=2, n_targets=2, rng=0)["identity"].nunique() == 2
    aux = sample_known_points(release, k=2, n_targets=1, space="grid:500", hours=1, rng=0)
    assert aux["identity"].unique().tolist() == ["ad-2"]
    with pytest.raises(ValueError, match="only 1 pseudonym"):
        sample_known_points(release, k=2, n_targets=2, space="grid:500", hours=1, rng=0)


@pytest.mark.parametrize("kwargs", [{"k": 0, "n_targets": 1}, {"k": 1, "n_targets": 0}, {"k": 1.5, "n_targets": 1}])
def test_sample_known_points_validates_parameters(kwargs):
    """k and n_targets must be whole numbers of at least 1."""
    with pytest.raises(ValueError, match="whole number"):
        sample_known_points(RELEASE, **kwargs)


# ---- brute-force references -------------------------------------------------------------------

rows_strategy = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(0, 5)), min_size=1, max_size=25)


def _points(rows, prefix: str, hours: int) -> dict[str, set[tuple[int, int]]]:
    out: dict[str, set[tuple[int, int]]] = {}
    for who, place, hour in rows:
        out.setdefault(f"{prefix}{who}", set()).add((place, hour // hours))
    return out


def _frame(rows, prefix: str, who: str = "pseudonym") -> pd.DataFrame:
    return make_release([(f"{prefix}{w}", p, h + 0.25) for w, p, h in rows], who=who)


def _ranked(pairs: list[tuple[str, str, tuple, float]], top: int) -> list[tuple]:
    """Rank (query, candidate, sort key, score) by query, then key descending, then candidate."""
    pairs = sorted(pairs, key=lambda r: (r[0], tuple(-v for v in r[2]), r[1]))
    out, rank, last = [], 0, None
    for q, c, _key, score in pairs:
        rank = rank + 1 if q == last else 1
        last = q
        if rank <= top:
            out.append((q, rank, c, score))
    return out


@settings(max_examples=60, deadline=None)
@given(release=rows_strategy, known=rows_strategy, hours=st.sampled_from([1, 2]), top=st.integers(1, 6))
def test_link_to_auxiliary_matches_brute_force(release, known, hours, top):
    """Matched counts, idf scores and ranks equal a loop over every identity and pseudonym."""
    held = _points(release, "ad-", hours)
    knows = _points(known, "id-", hours)
    n = len(held)
    holders: dict[tuple[int, int], int] = {}
    for pts in held.values():
        for p in pts:
            holders[p] = holders.get(p, 0) + 1
    pairs = []
    for q, pts in knows.items():
        for c, cpts in held.items():
            common = pts & cpts
            if common:
                score = sum(math.log(n / holders[p]) for p in common)
                pairs.append((q, c, (len(common), round(score, 9)), (score, len(common))))
    expected = _ranked(pairs, top)
    got = link_to_auxiliary(_frame(release, "ad-"), _frame(known, "id-", who="identity"),
                            space="grid:500", hours=hours, top=top)
    assert got[["identity", "rank", "pseudonym"]].values.tolist() == [[q, r, c] for q, r, c, _ in expected]
    assert got["matched"].tolist() == [s[1] for *_, s in expected]
    assert got["score"].to_numpy() == pytest.approx([s[0] for *_, s in expected], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(a=rows_strategy, b=rows_strategy, hours=st.sampled_from([1, 3]), top=st.integers(1, 6),
       measure=st.sampled_from(["cosine", "jaccard"]))
def test_link_releases_matches_brute_force(a, b, hours, top, measure):
    """Cosine and Jaccard scores and ranks equal a loop over every pair of pseudonyms."""
    pa, pb = _points(a, "x", hours), _points(b, "y", hours)
    n = len(pa) + len(pb)
    holders: dict[tuple[int, int], int] = {}
    for pts in list(pa.values()) + list(pb.values()):
        for p in pts:
            holders[p] = holders.get(p, 0) + 1
    w = {p: 1 + math.log((1 + n) / (1 + h)) for p, h in holders.items()}
    pairs = []
    for x, xs in pa.items():
        for y, ys in pb.items():
            common = xs & ys
            if not common:
                continue
            if measure == "jaccard":
                score = len(common) / len(xs | ys)
            else:
                dot = sum(w[p] ** 2 for p in common)
                score = dot / math.sqrt(sum(w[p] ** 2 for p in xs) * sum(w[p] ** 2 for p in ys))
            pairs.append((x, y, (round(score, 9),), (score, len(common))))
    expected = _ranked(pairs, top)
    got = link_releases(_frame(a, "x"), _frame(b, "y"), cell_m=500, hours=hours, top=top, measure=measure)
    assert got[["pseudonym_a", "rank", "pseudonym_b"]].values.tolist() == [[q, r, c] for q, r, c, _ in expected]
    assert got["score"].to_numpy() == pytest.approx([s[0] for *_, s in expected], abs=1e-9)
    assert got["shared"].tolist() == [s[1] for *_, s in expected]


# ---- the classroom world ----------------------------------------------------------------------


def _present(pairs: pd.DataFrame, query: pd.Series, candidate: pd.Series) -> pd.DataFrame:
    """Truth pairs whose query and candidate both appear in the data."""
    q, c = pairs.columns[:2]
    return pairs[pairs[q].isin(query.unique()) & pairs[c].isin(candidate.unique())]


def test_classroom_checkin_handles_link_to_gps(classroom):
    """Public check-in accounts find their owner's GPS advertising id far above chance (1 in about 125)."""
    gps, checkins = classroom.releases["gps"], classroom.releases["checkins"]
    m = link_to_auxiliary(gps, checkins, space="grid:250", hours=24, identity="pseudonym")
    truth = pairs_between(classroom.keys, "checkins", "gps", columns=("identity", "pseudonym"))
    truth = _present(truth, checkins["pseudonym"], gps["pseudonym"])
    chance = 1 / gps["pseudonym"].nunique()
    assert len(truth) >= 5
    assert top_k_accuracy(m, truth, 1) >= 0.5 > 50 * chance
    assert top_k_accuracy(m, truth, 5) >= top_k_accuracy(m, truth, 1)


def test_classroom_named_checkins_link_to_gps(classroom):
    """Display names of check-in accounts put a name on GPS pseudonyms far above chance."""
    gps, checkins = classroom.releases["gps"], classroom.releases["checkins"]
    named = checkins[checkins["display_name"].notna()]
    m = link_to_auxiliary(gps, named, space="grid:250", hours=24, identity="display_name")
    truth = pairs_by_name(classroom.people, classroom.keys, "gps")
    truth = _present(truth, named["display_name"], gps["pseudonym"])
    assert len(truth) >= 2
    assert top_k_accuracy(m, truth, 5) >= 0.5


def test_classroom_gps_links_to_cdr_above_chance(classroom):
    """GPS to CDR co-location at 500 m and 1 h ranks the true subscriber first far more often than chance."""
    gps, cdr = classroom.releases["gps"], classroom.releases["cdr"]
    truth = pairs_between(classroom.keys, "gps", "cdr")
    truth = _present(truth, gps["pseudonym"], cdr["pseudonym"])
    chance = 1 / cdr["pseudonym"].nunique()
    plain = top_k_accuracy(link_releases(gps, cdr, cell_m=500, hours=1), truth, 1)
    snapped = top_k_accuracy(link_releases(snap_to_sites(gps, cdr), cdr, cell_m=500, hours=1), truth, 1)
    assert plain > 10 * chance
    assert snapped > plain


def test_classroom_few_known_points_single_people_out(classroom):
    """Four known GPS points (250 m, 1 h) re-identify most targets, more than one point does."""
    gps = classroom.releases["gps"]
    rates = []
    for k in (1, 4):
        aux = sample_known_points(gps, k=k, n_targets=60, space="grid:250", hours=1, rng=k)
        m = link_to_auxiliary(gps, aux, space="grid:250", hours=1, top=1)
        ids = aux["identity"].unique()
        rates.append(top_k_accuracy(m, pd.DataFrame({"identity": ids, "pseudonym": ids}), 1))
    assert rates[1] >= 0.9
    assert rates[1] >= rates[0]
