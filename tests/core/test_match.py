"""The matcher against an independent brute-force reference (SPEC.md §3)."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core import match as match_module
from core.errors import InputError
from core.features import MUSIC
from core.match import MatchSettings, TrackIndex, parse_weights

N_DIMS = len(MUSIC)


def reference(features, query, *, metric="euclidean", dims="all", weights=None, raw=False):
    """Distances written straight from SPEC.md §3, in float64, from float32-stored values.

    Includes the matcher's documented rule that standardised values and weights below
    1e-12 in magnitude count as zero.
    """
    x = np.asarray(features, dtype=np.float32).astype(np.float64)
    q = np.asarray(query, dtype=np.float64)
    if not raw:
        centers = np.array([(d.low + d.high) / 2 for d in MUSIC])
        scales = np.array([(d.high - d.low) / 2 for d in MUSIC])
        x = (x - centers) / scales
        q = (q - centers) / scales
    x[np.abs(x) < 1e-12] = 0
    q[np.abs(q) < 1e-12] = 0
    selected = MUSIC.select(dims)
    w = np.array([(weights or {}).get(d, 1.0) if d in selected else 0.0 for d in MUSIC.ids])
    w[w < 1e-12] = 0
    a = x * np.sqrt(w)
    b = q * np.sqrt(w)
    if metric == "euclidean":
        return np.sqrt(((a - b) ** 2).sum(axis=1))
    dot = a @ b
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(norms > 0, dot / norms, 0.0)
    return 1.0 - cos


def check_against_reference(index, query, options, top_k):
    """The result is a correct top-k of the reference: right distances, right order, ties by index."""
    config = MatchSettings.create(top_k=top_k, **options)
    result = index.rank(query, config)
    ref = reference(index.features, query, **options)
    n = len(ref)
    assert len(result) == min(top_k, n)
    # Distances agree with the reference (float64 from the same float32 values).
    np.testing.assert_allclose(result.distances, ref[result.indices], rtol=1e-9, atol=1e-12)
    # Sorted by distance, ties in library order.
    order = np.lexsort((np.arange(n), ref))
    expected_dist = ref[order[: len(result)]]
    np.testing.assert_allclose(result.distances, expected_dist, rtol=1e-9, atol=1e-12)
    pairs = list(zip(result.distances, result.indices, strict=True))
    assert pairs == sorted(pairs)
    # Whenever the reference values are clearly separated, the indices are exactly the reference's.
    gaps = np.diff(ref[order[: len(result) + 1]])
    if len(gaps) and (gaps > 1e-9).all():
        np.testing.assert_array_equal(result.indices, order[: len(result)])
    return result


options_strategy = st.fixed_dictionaries(
    {
        "metric": st.sampled_from(["euclidean", "cosine"]),
        "dims": st.one_of(
            st.just("all"),
            st.just("va"),
            st.lists(st.sampled_from(MUSIC.ids), min_size=1, max_size=N_DIMS, unique=True).map(",".join),
        ),
        "weights": st.one_of(
            st.none(),
            st.dictionaries(st.sampled_from(MUSIC.ids), st.floats(0, 10, allow_nan=False), max_size=N_DIMS),
        ),
        "raw": st.booleans(),
    }
)
value = st.one_of(st.just(0.0), st.floats(-200, 200, allow_nan=False, allow_infinity=False, width=32))


@st.composite
def library_and_query(draw):
    rows = draw(st.integers(1, 40))
    base = draw(hnp.arrays(np.float32, (rows, N_DIMS), elements=value))
    # Duplicate some rows so that exact ties occur often.
    if rows > 1 and draw(st.booleans()):
        copies = draw(st.lists(st.integers(0, rows - 1), min_size=1, max_size=rows))
        for target in copies:
            base[target] = base[draw(st.integers(0, rows - 1))]
    query = draw(hnp.arrays(np.float64, (N_DIMS,), elements=value))
    if draw(st.booleans()):
        query = base[draw(st.integers(0, rows - 1))].astype(np.float64)
    return base, query


@given(library_and_query(), options_strategy, st.integers(1, 12))
def test_exact_path_matches_reference(data, options, top_k):
    base, query = data
    check_against_reference(TrackIndex(base), query, options, top_k)


@given(library_and_query(), options_strategy, st.integers(1, 12))
def test_float32_pass_matches_reference(data, options, top_k):
    """The one-pass float32 scan plus exact check gives the same answer as brute force."""
    base, query = data
    with mock.patch.object(match_module, "_EXACT_BELOW", 0):
        check_against_reference(TrackIndex(base), query, options, top_k)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("raw", [False, True])
def test_large_library_with_clusters_and_near_ties(rng, metric, raw):
    # Half the library sits in tight clusters whose members differ in the last float32
    # bits: the float32 pass cannot order them, the exact check must.
    n = 60_000
    centers = np.array([d.center for d in MUSIC])
    spread = np.array([d.scale for d in MUSIC])
    base = centers + spread * rng.uniform(-1, 1, size=(n, N_DIMS))
    cluster = base[rng.integers(0, n, size=20)]
    members = np.repeat(cluster, n // 40, axis=0)
    members *= 1 + rng.integers(-3, 4, size=members.shape) * np.finfo(np.float32).eps
    base[: len(members)] = members
    base[-5:] = base[7]  # exact duplicates far apart in library order
    index = TrackIndex(base)
    for query in (base[7], cluster[3], centers + spread * rng.uniform(-1, 1, N_DIMS)):
        for dims, weights in (("all", None), ("va", {"arousal": 3}), ("richness,brightness", None)):
            check_against_reference(index, query, {"metric": metric, "dims": dims, "weights": weights,
                                                   "raw": raw}, 25)


def test_ties_keep_library_order():
    base = np.zeros((6, N_DIMS))
    base[[1, 3, 4]] = 5.0
    index = TrackIndex(base, [f"t{i}" for i in range(6)])
    result = index.rank(np.full(N_DIMS, 5.0), MatchSettings.create(top_k=4))
    assert result.indices.tolist() == [1, 3, 4, 0]
    assert [r.name for r in result.rows()] == ["t1", "t3", "t4", "t0"]
    assert result.distances[:3].tolist() == [0.0, 0.0, 0.0]


def test_cosine_with_zero_vectors_is_distance_one_in_library_order():
    centers = np.array([d.center for d in MUSIC])
    base = np.vstack([centers + 1, centers, centers - 1, centers])  # rows 1 and 3: neutral (zero)
    index = TrackIndex(base)
    cosine = MatchSettings.create(metric="cosine", top_k=4)
    # A neutral query has no direction: every track is at distance 1, library order kept.
    result = index.rank(centers, cosine)
    assert result.indices.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(result.distances, 1.0)
    # A real query: zero rows sit at 1 between the aligned (0) and opposite (2) rows.
    result = index.rank(centers + 2, cosine)
    assert result.indices.tolist() == [0, 1, 3, 2]
    np.testing.assert_allclose(result.distances, [0, 1, 1, 2], atol=1e-12)
    # Shares of a zero row are the query direction's squares; of the aligned row all zero.
    np.testing.assert_allclose(result.shares[1].sum(), 1.0)
    np.testing.assert_array_equal(result.shares[0], 0.0)


def test_raw_reproduces_plain_euclidean():
    base = np.array([[1.0] * 10, [0.0] * 10, [3.0] * 10])
    query = np.array([0.5] * 10)
    result = TrackIndex(base).rank(query, MatchSettings.create(raw=True, top_k=3))
    expected = np.linalg.norm(base - query, axis=1)
    assert result.indices.tolist() == [0, 1, 2]
    np.testing.assert_allclose(result.distances, np.sort(expected))


def test_standardisation_uses_fixed_scales_not_the_library():
    # Brightness differs by 50 (half its range: 1.0 standardised); richness by 5 (also
    # half its range: 0.5 * 2 = 1.0). Standardised, both tracks are equally far.
    query = np.zeros(10)
    query[5] = 50
    a = query.copy()
    a[5] += 25
    b = query.copy()
    b[0] += 5
    dist = TrackIndex([a, b]).distances(query)
    np.testing.assert_allclose(dist, [0.5, 0.5])
    dist_raw = TrackIndex([a, b]).distances(query, MatchSettings.create(raw=True))
    np.testing.assert_allclose(dist_raw, [25, 5])
    # Adding a wildly different track does not move anyone's distance.
    far = np.full(10, 1000.0)
    np.testing.assert_allclose(TrackIndex([a, b, far]).distances(query)[:2], [0.5, 0.5])


def test_weights_act_as_square_root_scaling():
    base = np.random.default_rng(1).normal(size=(50, 10)) * 5
    query = np.zeros(10)
    weights = {"rhythm": 4.0, "valence": 0.25}
    weighted = TrackIndex(base).distances(query, MatchSettings.create(raw=True, weights=weights))
    scaled = base.astype(np.float32).astype(np.float64).copy()
    scaled[:, MUSIC.index("rhythm")] *= 2.0
    scaled[:, MUSIC.index("valence")] *= 0.5
    np.testing.assert_allclose(weighted, np.linalg.norm(scaled, axis=1), rtol=1e-7)


def test_selecting_dims_equals_zero_weights_elsewhere():
    base = np.random.default_rng(2).normal(size=(30, 10)) * 20
    query = np.random.default_rng(3).normal(size=10)
    index = TrackIndex(base)
    for metric in ("euclidean", "cosine"):
        chosen = index.distances(query, MatchSettings.create(metric=metric, dims="va"))
        zeroed = index.distances(
            query,
            MatchSettings.create(metric=metric, weights={d: 0 for d in MUSIC.ids if d not in MUSIC.va_ids}),
        )
        np.testing.assert_allclose(chosen, zeroed)


def test_shares_explain_the_distance():
    rng = np.random.default_rng(4)
    base = rng.normal(size=(20, 10)) * 10
    query = rng.normal(size=10) * 10
    index = TrackIndex(base)
    for metric in ("euclidean", "cosine"):
        config = MatchSettings.create(metric=metric, dims="rhythm,warmth,valence", top_k=20)
        result = index.rank(query, config)
        assert result.shares.shape == (20, 3)
        np.testing.assert_allclose(result.shares.sum(axis=1), 1.0)
    # Euclidean: the share is exactly the dimension's term over d^2.
    result = index.rank(query, MatchSettings.create(raw=True, dims="rhythm,valence", top_k=1))
    row = base[result.indices[0]].astype(np.float32).astype(np.float64)
    terms = (row - query)[[MUSIC.index("rhythm"), MUSIC.index("valence")]] ** 2
    np.testing.assert_allclose(result.shares[0], terms / terms.sum())
    # A perfect match has no share to give.
    exact = index.rank(index.features[3], MatchSettings.create(top_k=1))
    assert exact.distances[0] == 0 and not exact.shares[0].any()


def test_top_k_larger_than_library_and_empty_library():
    index = TrackIndex(np.ones((3, 10)))
    assert len(index.rank(np.ones(10), MatchSettings.create(top_k=10))) == 3
    empty = TrackIndex(np.empty((0, 10)))
    assert len(empty.rank(np.ones(10))) == 0


def test_repeated_queries_with_new_weights_reuse_one_matrix():
    rng = np.random.default_rng(5)
    index = TrackIndex(rng.normal(size=(10_000, 10)) * 10)
    with mock.patch.object(match_module, "ApproxPass", wraps=match_module.ApproxPass) as built:
        for weight in (1.0, 2.0, 0.5):
            index.rank(np.zeros(10), MatchSettings.create(weights={"arousal": weight}))
            index.rank(np.zeros(10), MatchSettings.create(metric="cosine", weights={"arousal": weight}))
        assert built.call_count == 1  # built once, reused for every weight and metric
        index.rank(np.zeros(10), MatchSettings.create(raw=True))
        assert built.call_count == 2  # the unscaled variant is cached separately


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "manhattan"}, "unknown metric 'manhattan'"),
        ({"dims": "tempo"}, "unknown music dimension 'tempo'"),
        ({"weights": {"arousal": -1}}, "negative"),
        ({"weights": {"arousal": float("nan")}}, "not finite"),
        ({"weights": {"loudness": 1}}, "unknown music dimension 'loudness'"),
        ({"top_k": 0}, "at least 1"),
        ({"top_k": True}, "whole number"),
        ({"top_k": 2.5}, "whole number"),
    ],
)
def test_settings_reject_bad_options(kwargs, message):
    with pytest.raises(InputError, match=message):
        MatchSettings.create(**kwargs)


def test_library_and_query_validation():
    with pytest.raises(InputError, match="10 music columns"):
        TrackIndex(np.zeros((3, 9)))
    bad = np.zeros((3, 10))
    bad[2, 4] = np.nan
    with pytest.raises(InputError, match=r"row 2 \(harmony\)"):
        TrackIndex(bad)
    bad[2, 4] = 1e39  # beyond float32
    with pytest.raises(InputError, match=r"row 2 \(harmony\) is implausibly large"):
        TrackIndex(bad)
    with pytest.raises(InputError, match="2 names for 3"):
        TrackIndex(np.zeros((3, 10)), ["a", "b"])
    index = TrackIndex(np.zeros((3, 10)))
    with pytest.raises(InputError, match="10 music values"):
        index.rank(np.zeros(11))
    with pytest.raises(InputError, match="non-finite"):
        index.rank(np.full(10, np.inf))


def test_parse_weights():
    assert parse_weights("arousal=2, valence=0.5") == {"arousal": 2.0, "valence": 0.5}
    for text, message in [
        ("arousal", "not of the form"),
        ("tempo=2", "unknown music dimension"),
        ("arousal=-2", "negative"),
        ("arousal=x", "not a number"),
        ("", "no weights"),
    ]:
        with pytest.raises(InputError, match=message):
            parse_weights(text)


def test_json_document_shape():
    index = TrackIndex(np.eye(10)[:3] * 10, ["a", "b", "中文.wav"])
    doc = index.rank(np.zeros(10), MatchSettings.create(dims="va", top_k=3)).to_json()
    assert doc["metric"] == "euclidean" and doc["dims"] == ["arousal", "valence"]
    assert [r["rank"] for r in doc["results"]] == [1, 2, 3]
    assert set(doc["results"][0]) >= {"rank", "index", "name", "distance", "shares"}


@pytest.mark.parametrize("exact_below", [0, 4096])
def test_degenerate_queries_fall_back_to_library_order(exact_below):
    rng = np.random.default_rng(6)
    index = TrackIndex(rng.normal(size=(5000, 10)) * 10)
    centers = np.array([d.center for d in MUSIC])
    with mock.patch.object(match_module, "_EXACT_BELOW", exact_below):
        zero_weights = MatchSettings.create(weights={d: 0 for d in MUSIC.ids}, top_k=3)
        result = index.rank(rng.normal(size=10), zero_weights)
        assert result.indices.tolist() == [0, 1, 2] and not result.distances.any()
        neutral = index.rank(centers, MatchSettings.create(metric="cosine", top_k=3))
        assert neutral.indices.tolist() == [0, 1, 2]
        np.testing.assert_array_equal(neutral.distances, 1.0)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_ranks_of_equals_the_position_in_rank(metric):
    """The batched evaluation measure gives every own track the position rank() lists it at."""
    rng = np.random.default_rng(11)
    library = MUSIC.centers + MUSIC.scales * rng.normal(size=(120, 10))
    library[50] = library[10]  # ties: library order decides
    library[90] = 0.0  # a zero vector (cosine distance 1 to everything)
    queries = library[rng.integers(0, 120, 60)] + rng.normal(scale=0.5, size=(60, 10)) * MUSIC.scales
    queries[0] = library[10]
    own = rng.integers(0, 120, 60)
    own[0] = 50
    settings = MatchSettings.create(metric=metric, weights={"arousal": 3, "richness": 0}, top_k=120)
    index = TrackIndex(library)
    ranks = index.ranks_of(queries, own, settings)
    expected = [list(index.rank(q, settings).indices).index(o) + 1 for q, o in zip(queries, own, strict=True)]
    assert ranks.tolist() == expected
    assert ranks[0] == 2  # identical to row 10, which comes first
