import threading
import time
from datetime import date

import faiss
import numpy as np
import pytest

from assistant.domain import Entry, Participant
from assistant.errors import ConfigError, InvalidEntryError, NotFittedError
from assistant.peers import (
    REASON_CODES,
    PeerIndex,
    PeerProfile,
    build_peer_profiles,
    listed_topics,
    peer_representation,
    shared_topics,
)
from assistant.scores import ScoreRows, null_quantile
from assistant.texts import peer_reason

TOPIC_IDS = ("social_media", "conflict", "work_life")
TOPIC_LABELS = {
    "social_media": "Social Media",
    "conflict": "Konflikte",
    "work_life": "Vereinbarkeit",
}

# Unit text vectors (4-dim); cosines between them are worked out by hand in each test.
E1 = (1.0, 0.0, 0.0, 0.0)
E2 = (0.0, 1.0, 0.0, 0.0)
E3 = (0.0, 0.0, 1.0, 0.0)


def profile(
    participant_id,
    organisation="amt-a",
    role="peer",
    need=None,
    need_topics=None,
    offer=None,
    offer_topics=None,
):
    def f32(values):
        return None if values is None else np.array(values, dtype=np.float32)

    def f64(values):
        return None if values is None else np.array(values, dtype=np.float64)

    return PeerProfile(
        participant_id,
        organisation,
        role,
        f32(need),
        f64(need_topics),
        f32(offer),
        f64(offer_topics),
    )


def build(profiles, **params):
    return PeerIndex(**params).fit(profiles, TOPIC_IDS, TOPIC_LABELS)


def ids(matches):
    return [m.participant_id for m in matches]


@pytest.fixture
def cohort():
    """Reverse mentoring: three mentees, two mentors, one peer who both seeks and offers."""
    return [
        profile("alice", "amt-a", "mentee", need=E1, need_topics=(0.7, 0.2, 0.0)),
        profile("bob", "amt-b", "mentee", need=E1, need_topics=(0.7, 0.2, 0.0)),
        profile("carla", "amt-a", "mentee", need=E2, need_topics=(0.0, 0.8, 0.0)),
        profile("max", "amt-b", "mentor", offer=E1, offer_topics=(0.8, 0.0, 0.0)),
        profile("mia", "amt-c", "mentor", offer=E2, offer_topics=(0.0, 0.8, 0.0)),
        profile(
            "pia",
            "amt-c",
            "peer",
            need=E3,
            need_topics=(0.0, 0.0, 0.85),
            offer=E3,
            offer_topics=(0.0, 0.0, 0.85),
        ),
    ]


# -- profiles from stored analyses -----------------------------------------------------------


def person(participant_id, organisation="amt-a", role="peer"):
    return Participant(participant_id, organisation, role, None, True, True)


def entry(entry_id, participant_id, kind):
    return Entry(entry_id, 1, participant_id, kind, f"Text {entry_id}", date(2026, 1, 1))


def test_build_peer_profiles_averages_each_side_from_the_analysed_rows():
    people = [person("alice"), person("bob", "amt-b", "mentor"), person("carla"), person("dan")]
    entries = [
        entry("g1", "alice", "goal"),
        entry("g2", "alice", "goal"),
        entry("r1", "alice", "reflection"),  # alice has goals: her reflection is not her need
        entry("o1", "bob", "offer"),
        entry("r2", "carla", "reflection"),
        entry("r3", "carla", "reflection"),
        entry("d1", "dan", "goal"),  # not analysed: no row
        entry("x1", "eve", "goal"),  # eve is not among the people (no consent)
    ]
    # rows in another order than the entries; the last score column is "no topic"
    entry_ids = ["r3", "g1", "x1", "o1", "g2", "r1", "r2"]
    vectors = np.array([E3, E1, E1, E2, E2, E3, (0.0, 0.0, 0.6, 0.8)], dtype=np.float32)
    scores = ScoreRows(
        [
            [0.1, 0.1, 0.6, 0.2],
            [0.8, 0.1, 0.0, 0.1],
            [0.9, 0.0, 0.0, 0.1],
            [0.2, 0.6, 0.1, 0.1],
            [0.4, 0.3, 0.1, 0.2],
            [0.0, 0.0, 1.0, 0.0],
            [0.3, 0.1, 0.2, 0.4],
        ]
    )
    alice, bob, carla, dan = build_peer_profiles(people, entries, entry_ids, vectors, scores)

    assert (alice.participant_id, bob.participant_id, carla.participant_id) == (
        "alice",
        "bob",
        "carla",
    )
    assert (bob.organisation, bob.role) == ("amt-b", "mentor")
    # goals only on the need side: mean of E1 and E2, made unit length again
    np.testing.assert_allclose(alice.need_vector, [np.sqrt(0.5), np.sqrt(0.5), 0.0, 0.0])
    assert alice.need_vector.dtype == np.float32
    np.testing.assert_allclose(alice.need_topics, [0.6, 0.2, 0.05])  # "no topic" left out
    assert alice.offer_vector is None and alice.offer_topics is None
    # offers only
    assert bob.need_vector is None and bob.need_topics is None
    np.testing.assert_allclose(bob.offer_vector, E2)
    np.testing.assert_allclose(bob.offer_topics, [0.2, 0.6, 0.1])
    # reflections only: they are the need side
    np.testing.assert_allclose(carla.need_vector, np.array([0.0, 0.0, 1.6, 0.8]) / np.sqrt(3.2))
    np.testing.assert_allclose(carla.need_topics, [0.2, 0.1, 0.4])
    assert carla.offer_vector is None
    # no analysed rows at all
    assert dan == PeerProfile("dan", "amt-a", "peer", None, None, None, None)


def test_build_peer_profiles_leaves_out_a_mean_vector_that_cancels_out():
    entries = [entry("g1", "alice", "goal"), entry("g2", "alice", "goal")]
    vectors = np.array([E1, (-1.0, 0.0, 0.0, 0.0)], dtype=np.float32)
    scores = ScoreRows([[0.5, 0.2, 0.2, 0.1], [0.3, 0.4, 0.2, 0.1]])
    (alice,) = build_peer_profiles([person("alice")], entries, ["g1", "g2"], vectors, scores)
    assert alice.need_vector is None
    np.testing.assert_allclose(alice.need_topics, [0.4, 0.3, 0.2])


def test_build_peer_profiles_without_any_analysis_or_people():
    scores = ScoreRows(np.zeros((0, 4)))
    vectors = np.zeros((0, 4), dtype=np.float32)
    entries = [entry("g1", "alice", "goal")]
    (alice,) = build_peer_profiles([person("alice")], entries, [], vectors, scores)
    assert alice.need_vector is None and alice.need_topics is None
    assert build_peer_profiles([], entries, [], vectors, scores) == []


def test_build_peer_profiles_rejects_rows_of_different_lengths():
    with pytest.raises(ValueError, match="one row per analysed entry"):
        build_peer_profiles(
            [], [], ["g1", "g2"], np.zeros((1, 4), np.float32), ScoreRows(np.zeros((2, 4)))
        )


# -- representation and shared topics ------------------------------------------------------


@pytest.mark.parametrize("topic_weight", [0.0, 0.3, 0.8, 1.0])
def test_peer_representation_inner_product_mixes_cosines(topic_weight):
    # cos(topics) = 0.6*0.8 + 0.8*0.6 = 0.96, cos(text) = 0.6
    a = peer_representation(np.array(E1), np.array([0.6, 0.8, 0.0]), topic_weight, 3)
    b = peer_representation(np.array([0.6, 0.8, 0, 0]), np.array([0.8, 0.6, 0.0]), topic_weight, 3)
    assert float(np.linalg.norm(a)) == pytest.approx(1.0, abs=1e-6)
    assert float(a @ b) == pytest.approx(topic_weight * 0.96 + (1 - topic_weight) * 0.6, abs=1e-6)


def test_peer_representation_is_none_without_text_vector():
    assert peer_representation(None, None, 0.8, 3) is None


@pytest.mark.parametrize(
    ("min_score", "expected"),
    [
        # Issue #17: profiles hold listed topics only, so a topic positive in both counts,
        # strongest shared first: t1 (min 0.25), t2 (0.2), then t0 and t3 (0.15; t0's sum is
        # higher), of which only the first three are named.
        (0.0, ("t1", "t2", "t0")),
        (0.21, ("t1",)),
        (0.30, ()),
    ],
)
def test_shared_topics_names_topics_positive_in_both_up_to_three(min_score, expected):
    a = np.array([0.40, 0.25, 0.20, 0.15])
    b = np.array([0.15, 0.30, 0.20, 0.35])
    assert shared_topics(a, b, ("t0", "t1", "t2", "t3"), min_score) == expected


def test_shared_topics_ignores_a_topic_listed_on_one_side_only():
    # Listed-topic profiles: zero where no text lists the topic.
    a = np.array([0.5, 0.0, 0.2])
    b = np.array([0.0, 0.6, 0.0])
    assert shared_topics(a, b, TOPIC_IDS) == ()
    assert shared_topics(a, np.array([0.0, 0.6, 0.1]), TOPIC_IDS) == ("work_life",)


def test_shared_topics_is_empty_when_a_profile_is_missing():
    assert shared_topics(np.array([1.0, 0.0, 0.0]), None, TOPIC_IDS) == ()


# -- similar mode ----------------------------------------------------------------------------


def test_find_peers_similar_ranks_same_main_topic_first_and_names_shared_topic():
    index = build(
        [
            profile("alice", need=E1, need_topics=(0.7, 0.2, 0.0)),
            profile("bob", need=E2, need_topics=(0.6, 0.0, 0.3)),  # same topic, other words
            profile("carla", need=E1, need_topics=(0.0, 0.8, 0.0)),  # same words, other topic
        ]
    )
    bob, carla = index.find_peers("alice")
    # Listed-topic profiles (0 where no text lists the topic):
    # bob:   0.8 * 0.42 / sqrt(0.53 * 0.45) + 0.2 * 0 = 0.8 * 0.86002 = 0.68801
    # carla: 0.8 * 0.16 / sqrt(0.53 * 0.64) + 0.2 * 1 = 0.8 * 0.27472 + 0.2 = 0.41978
    assert (bob.participant_id, carla.participant_id) == ("bob", "carla")
    assert bob.score == pytest.approx(0.68801, abs=1e-4)
    assert carla.score == pytest.approx(0.41978, abs=1e-4)
    assert bob.shared_topics == ("social_media",)
    assert bob.reasons == ("similar_goals", "shared_topics")
    assert carla.shared_topics == ("conflict",)  # alice 0.2, carla 0.8: listed by both


@pytest.mark.parametrize(
    ("topic_weight", "expected"),
    [
        # query topics (0.6, 0.8, 0), text E1. cos(topics): a 0.96, b 0.6, c 0.8;
        # cos(text): a 0, b 1, c 0.6. score = w * cos(topics) + (1 - w) * cos(text).
        (1.0, [("a", 0.96), ("c", 0.8), ("b", 0.6)]),
        (0.8, [("a", 0.768), ("c", 0.76), ("b", 0.68)]),
        (0.5, [("b", 0.8), ("c", 0.7), ("a", 0.48)]),
        (0.0, [("b", 1.0), ("c", 0.6), ("a", 0.0)]),
    ],
)
def test_find_peers_topic_weight_sets_the_mix_of_topic_and_text(topic_weight, expected):
    index = build(
        [
            profile("q", need=E1, need_topics=(0.6, 0.8, 0.0)),
            profile("a", need=E2, need_topics=(0.8, 0.6, 0.0)),
            profile("b", need=E1, need_topics=(1.0, 0.0, 0.0)),
            profile("c", need=(0.6, 0.8, 0.0, 0.0), need_topics=(0.0, 1.0, 0.0)),
        ],
        topic_weight=topic_weight,
    )
    matches = index.find_peers("q")
    assert ids(matches) == [pid for pid, _ in expected]
    assert [m.score for m in matches] == pytest.approx([s for _, s in expected], abs=1e-5)


# -- need-offer mode -------------------------------------------------------------------------


def test_find_peers_need_offer_matches_mentee_need_to_mentor_offer(cohort):
    index = build(cohort)
    assert ids(index.find_peers("alice"))[0] == "bob"  # same goals: bob is alice's nearest peer
    matches = index.find_peers("alice", mode="need-offer")
    assert ids(matches) == ["max", "mia", "pia"]  # bob offers nothing, so he is not a match
    assert matches[0].reasons == ("need_offer", "shared_topics")
    assert matches[0].shared_topics == ("social_media",)
    assert matches[1].reasons == ("need_offer", "shared_topics")
    assert matches[1].shared_topics == ("conflict",)  # alice 0.2, mia 0.8
    # Nothing shared: only the wording was compared, and the reason says so (issue #17).
    assert matches[2].reasons == ("similar_wording",)


@pytest.mark.parametrize(
    ("mentor", "expected"),
    [("max", ["alice", "bob", "carla", "pia"]), ("mia", ["carla", "alice", "bob", "pia"])],
)
def test_find_peers_mentor_in_need_offer_mode_gets_mentees(cohort, mentor, expected):
    matches = build(cohort).find_peers(mentor, mode="need-offer")
    # alice and bob have the same goals, so they tie and are ordered by id. Topic cosines
    # (text cosines are 0 or 1 only with the matching mentee):
    # max vs carla 0.17 / 0.66 = 0.258, vs pia 0.135 / sqrt(0.66 * 0.735) = 0.194
    assert ids(matches) == expected
    assert matches[0].reasons == ("offer_need", "shared_topics")


def test_find_peers_need_offer_is_empty_without_any_offer():
    index = build([profile("alice", need=E1), profile("bob", need=E1)])
    assert index.find_peers("alice", mode="need-offer") == []


# -- cross-organisation preference -----------------------------------------------------------


@pytest.fixture
def two_authorities():
    # topic_weight=0 below, so the score is the text cosine with E1: dora 0.9, emil 0.8,
    # gus 0.7, fritz 0.6; dora and gus work in the querying participant's authority.
    return [
        profile("q", "amt-a", need=E1),
        profile("dora", "amt-a", need=(0.9, np.sqrt(0.19), 0.0, 0.0)),
        profile("emil", "amt-b", need=(0.8, 0.6, 0.0, 0.0)),
        profile("fritz", "amt-b", need=(0.6, 0.0, 0.8, 0.0)),
        profile("gus", "amt-a", need=(0.7, 0.0, 0.0, np.sqrt(0.51))),
    ]


@pytest.mark.parametrize(
    ("penalty", "expected"),
    [
        (0.05, ["dora", "emil", "gus", "fritz"]),  # dora 0.85 still beats emil 0.8
        (0.15, ["emil", "dora", "fritz", "gus"]),  # dora 0.75, gus 0.55
        (0.35, ["emil", "fritz", "dora", "gus"]),  # dora 0.55, gus 0.35
    ],
)
def test_find_peers_prefer_other_organisation_reranks_by_penalty(
    two_authorities, penalty, expected
):
    index = build(two_authorities, topic_weight=0.0, cross_org_penalty=penalty)
    assert ids(index.find_peers("q")) == ["dora", "emil", "gus", "fritz"]
    matches = index.find_peers("q", prefer_other_organisation=True)
    assert ids(matches) == expected
    scores = {m.participant_id: m.score for m in matches}  # the similarity, not the penalised one
    assert scores == pytest.approx({"dora": 0.9, "emil": 0.8, "gus": 0.7, "fritz": 0.6}, abs=1e-5)


def test_find_peers_names_other_authority_only_when_preferring_it(two_authorities):
    index = build(two_authorities, topic_weight=0.0)
    preferred = {
        m.participant_id: m.reasons
        for m in index.find_peers("q", k=2, prefer_other_organisation=True)
    }
    # No topic profiles: only the texts were compared, so no claim of similar goals.
    assert preferred == {
        "emil": ("similar_wording", "other_organisation"),
        "dora": ("similar_wording",),
    }
    assert all(m.reasons == ("similar_wording",) for m in index.find_peers("q"))


# -- reasons in words ------------------------------------------------------------------------


@pytest.fixture
def reason_cohort():
    """Every reason case: q seeks social media (and some conflict) and offers work-life balance."""
    return [
        profile(
            "q",
            "amt-a",
            need=E1,
            need_topics=(0.7, 0.2, 0.0),
            offer=E3,
            offer_topics=(0.0, 0.0, 0.8),
        ),
        profile("a", "amt-b", need=E1, need_topics=(0.6, 0.3, 0.0)),
        profile("b", "amt-b", need=E2, need_topics=(0.0, 0.0, 0.9)),
        profile("c", "amt-b", offer=E1, offer_topics=(0.8, 0.0, 0.0)),
        profile("d", "amt-b", offer=E2, offer_topics=(0.0, 0.0, 0.9)),
        profile("m", "amt-c", "mentor", offer=E1, offer_topics=(0.9, 0.0, 0.0)),
        profile("e", "amt-a", need=E3, need_topics=(0.0, 0.0, 0.8)),
    ]


# The lines PeerIndex wrote into PeerMatch.reason before reasons became codes; since issue #17
# a peer without a shared topic is worded by what was compared (the texts), not as similar goals.
OLD_REASONS = {
    ("q", "similar", False): {
        "a": "Ähnliche Ziele; gemeinsame Themen: Social Media, Konflikte",
        "b": "Ähnlich formulierte Texte, kein gemeinsames Thema",
        "e": "Ähnlich formulierte Texte, kein gemeinsames Thema",
    },
    ("q", "similar", True): {
        "a": "Ähnliche Ziele; gemeinsame Themen: Social Media, Konflikte; andere Behörde",
        "b": "Ähnlich formulierte Texte, kein gemeinsames Thema; andere Behörde",
        "e": "Ähnlich formulierte Texte, kein gemeinsames Thema",
    },
    ("q", "need-offer", False): {
        "c": "Bietet an, was gesucht wird: Social Media",
        "m": "Bietet an, was gesucht wird: Social Media",
        "d": "Ähnlich formulierte Texte, kein gemeinsames Thema",
    },
    ("q", "need-offer", True): {
        "c": "Bietet an, was gesucht wird: Social Media; andere Behörde",
        "m": "Bietet an, was gesucht wird: Social Media; andere Behörde",
        "d": "Ähnlich formulierte Texte, kein gemeinsames Thema; andere Behörde",
    },
    ("m", "need-offer", False): {
        "q": "Sucht, was angeboten wird: Social Media",
        "a": "Sucht, was angeboten wird: Social Media",
        "b": "Ähnlich formulierte Texte, kein gemeinsames Thema",
        "e": "Ähnlich formulierte Texte, kein gemeinsames Thema",
    },
    ("m", "need-offer", True): {
        "q": "Sucht, was angeboten wird: Social Media; andere Behörde",
        "a": "Sucht, was angeboten wird: Social Media; andere Behörde",
        "b": "Ähnlich formulierte Texte, kein gemeinsames Thema; andere Behörde",
        "e": "Ähnlich formulierte Texte, kein gemeinsames Thema; andere Behörde",
    },
}


@pytest.mark.parametrize(("query", "mode", "prefer"), list(OLD_REASONS))
def test_peer_reason_words_the_codes_as_the_old_reason_lines(reason_cohort, query, mode, prefer):
    matches = build(reason_cohort).find_peers(
        query, k=10, mode=mode, prefer_other_organisation=prefer
    )
    worded = {
        m.participant_id: peer_reason(m.reasons, [TOPIC_LABELS[t] for t in m.shared_topics])
        for m in matches
    }
    assert worded == OLD_REASONS[(query, mode, prefer)]


def test_peer_reason_covers_every_code_and_rejects_unknown_ones():
    assert REASON_CODES == (
        "similar_goals",
        "need_offer",
        "offer_need",
        "similar_wording",
        "shared_topics",
        "other_organisation",
    )
    assert peer_reason(("similar_wording",), []) == (
        "Ähnlich formulierte Texte, kein gemeinsames Thema"
    )
    assert peer_reason(("similar_goals", "shared_topics"), ["Social Media"]) == (
        "Ähnliche Ziele; gemeinsame Themen: Social Media"
    )
    assert peer_reason(("offer_need", "other_organisation"), []) == (
        "Sucht, was angeboten wird; andere Behörde"
    )
    with pytest.raises(ValueError, match="mystery"):
        peer_reason(("similar_goals", "mystery"), [])


# -- incremental updates ---------------------------------------------------------------------


def test_peer_index_remove_drops_participant_from_results_and_membership(cohort):
    index = build(cohort)
    assert "bob" in index and len(index) == 6
    assert index.remove(["bob", "nobody"]) == 1
    assert "bob" not in index and len(index) == 5
    assert "bob" not in ids(index.find_peers("alice", k=10))
    with pytest.raises(InvalidEntryError) as info:
        index.find_peers("bob")
    assert info.value.code == "unknown_participant"
    assert index.remove(["bob"]) == 0


def test_peer_index_remove_also_clears_the_offer_side(cohort):
    index = build(cohort)
    assert index.remove(["max", "max"]) == 1
    assert ids(index.find_peers("alice", mode="need-offer")) == ["mia", "pia"]


def test_peer_index_add_replaces_existing_participant(cohort):
    index = build(cohort)
    # pia now writes what alice writes and no longer offers anything
    index.add([profile("pia", "amt-c", "peer", need=E1, need_topics=(0.7, 0.2, 0.0))])
    assert len(index) == 6
    matches = index.find_peers("alice", k=10)
    assert ids(matches).count("pia") == 1
    assert sorted(ids(matches)[:2]) == ["bob", "pia"]
    assert matches[0].score == pytest.approx(1.0, abs=1e-5)
    assert "pia" not in ids(index.find_peers("alice", mode="need-offer", k=10))


def test_peer_index_add_after_empty_fit_equals_fit(cohort):
    grown = build([])
    assert len(grown) == 0
    for one in cohort:
        grown.add([one])
    fitted = build(cohort)
    for mode in ("similar", "need-offer"):
        assert grown.find_peers("alice", mode=mode) == fitted.find_peers("alice", mode=mode)


def test_peer_index_add_rejects_a_bad_batch_without_changing_the_index(cohort):
    index = build(cohort)
    bad = profile("zoe", need=(1.0, 0.0, 0.0))  # 3 values, the index holds 4-dim vectors
    with pytest.raises(ValueError, match="zoe"):
        index.add([profile("yann", need=E1), bad])
    assert "yann" not in index and len(index) == 6


_REAL_ID_MAP = faiss.IndexIDMap2


class _OneAtATime:
    """Wraps a faiss index; counts how many calls into it overlap (each lingers 0.5 ms)."""

    lock = threading.Lock()
    active = 0
    max_active = 0

    def __init__(self, flat):
        self._index = _REAL_ID_MAP(flat)

    def __getattr__(self, name):
        attribute = getattr(self._index, name)
        if name not in {"add_with_ids", "remove_ids", "search"}:
            return attribute

        def call(*args):
            with _OneAtATime.lock:
                _OneAtATime.active += 1
                _OneAtATime.max_active = max(_OneAtATime.max_active, _OneAtATime.active)
            time.sleep(0.0005)  # releases the GIL: unguarded calls from other threads overlap
            try:
                return attribute(*args)
            finally:
                with _OneAtATime.lock:
                    _OneAtATime.active -= 1

        return call


def test_peer_index_concurrent_adds_and_searches_never_overlap_in_faiss(monkeypatch):
    monkeypatch.setattr(faiss, "IndexIDMap2", _OneAtATime)
    monkeypatch.setattr(_OneAtATime, "max_active", 0)
    index = build([profile("seed", need=E1, need_topics=(1.0, 0.0, 0.0))])
    rng = np.random.default_rng(0)
    batches = [
        [profile(f"p{t}-{i}", need=rng.random(4), need_topics=rng.random(3)) for i in range(10)]
        for t in range(8)
    ]

    def worker(batch):
        for one in batch:
            index.add([one])
            index.find_peers(one.participant_id, k=3)
        index.remove([batch[0].participant_id])

    threads = [threading.Thread(target=worker, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _OneAtATime.max_active == 1
    assert len(index) == 1 + 8 * 9
    matches = index.find_peers("seed", k=100)
    assert len(matches) == 8 * 9 and len(set(ids(matches))) == 8 * 9


# -- result invariants -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("participant", "mode"),
    [("alice", "similar"), ("pia", "similar"), ("pia", "need-offer"), ("max", "need-offer")],
)
def test_find_peers_never_returns_the_participant(cohort, participant, mode):
    # pia's own offer is identical to her need: without the exclusion she would match herself
    assert participant not in ids(build(cohort).find_peers(participant, k=10, mode=mode))


@pytest.mark.parametrize(("k", "n_expected"), [(1, 1), (2, 2), (3, 3), (10, 3)])
def test_find_peers_returns_at_most_k(cohort, k, n_expected):
    assert len(build(cohort).find_peers("alice", k=k)) == n_expected  # bob, carla, pia


def test_find_peers_scores_lie_in_unit_interval_and_descend():
    index = build(
        [
            profile("q", need=E1),
            profile("same", need=E1),
            profile("half", need=(0.5, np.sqrt(0.75), 0.0, 0.0)),
            profile("opposite", need=(-1.0, 0.0, 0.0, 0.0)),
        ],
        topic_weight=0.0,
    )
    matches = index.find_peers("q")
    assert ids(matches) == ["same", "half", "opposite"]
    assert [m.score for m in matches] == pytest.approx([1.0, 0.5, 0.0], abs=1e-5)
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert matches[2].score == 0.0  # cosine -1 is clipped, not mapped to 0.5


@pytest.mark.parametrize(
    ("participant", "mode"), [("alice", "similar"), ("alice", "need-offer"), ("max", "need-offer")]
)
def test_find_peers_scores_descend_without_organisation_preference(cohort, participant, mode):
    scores = [m.score for m in build(cohort).find_peers(participant, k=10, mode=mode)]
    assert len(scores) >= 3
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_find_peers_is_empty_for_a_participant_alone():
    assert build([profile("alice", need=E1)]).find_peers("alice") == []


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda index: index.find_peers("alice"),
        lambda index: index.add([profile("alice", need=E1)]),
        lambda index: index.remove(["alice"]),
    ],
    ids=["find_peers", "add", "remove"],
)
def test_peer_index_before_fit_raises_not_fitted(call):
    index = PeerIndex()
    with pytest.raises(NotFittedError):
        call(index)
    assert len(index) == 0 and "alice" not in index


def test_peer_index_failed_fit_leaves_it_unfitted():
    index = PeerIndex()
    with pytest.raises(ValueError, match="without the 'no topic' column"):
        index.fit([profile("alice", need=E1, need_topics=(0.5, 0.2, 0.2, 0.1))], TOPIC_IDS, {})
    with pytest.raises(NotFittedError):
        index.find_peers("alice")


@pytest.mark.parametrize(
    ("participant", "mode", "k", "code"),
    [
        ("nobody", "similar", 5, "unknown_participant"),
        ("max", "similar", 5, "no_texts"),  # a mentor without goals
        ("silent", "need-offer", 5, "no_texts"),  # consented but wrote nothing yet
        ("alice", "similar", 0, "bad_k"),
        ("alice", "need-offer", -1, "bad_k"),
        ("alice", "offer-offer", 5, "bad_mode"),
    ],
)
def test_find_peers_rejects_bad_requests_with_typed_error(cohort, participant, mode, k, code):
    index = build([*cohort, profile("silent")])
    with pytest.raises(InvalidEntryError) as info:
        index.find_peers(participant, k=k, mode=mode)
    assert info.value.code == code


@pytest.mark.parametrize(
    "params",
    [
        {"topic_weight": -0.1},
        {"topic_weight": 1.1},
        {"cross_org_penalty": -0.01},
        {"min_shared_score": 1.5},
    ],
)
def test_peer_index_fit_rejects_out_of_range_settings(params):
    with pytest.raises(ConfigError, match=next(iter(params))):
        build([], **params)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (profile("x", need_topics=(1.0, 0.0, 0.0)), "need_topics given without need_vector"),
        (profile("x", offer=E1, offer_topics=(1.0, 0.0)), "offer_topics: expected 3"),
        (profile("x", need=(np.nan, 0.0, 0.0, 0.0)), "need_vector: expected 4"),
    ],
)
def test_peer_index_add_rejects_malformed_profiles(cohort, bad, message):
    with pytest.raises(ValueError, match=message):
        build(cohort).add([bad])


# -- strength: the similarity read against random pairs (issue #14, item 6) --------------------


def test_peer_strength_is_the_share_of_random_pairs_that_are_less_similar():
    index = build(
        [
            profile("alice", need=E1, need_topics=(0.7, 0.2, 0.1)),
            profile("bob", need=E2, need_topics=(0.6, 0.1, 0.3)),
            profile("carla", need=E1, need_topics=(0.1, 0.8, 0.1)),
        ]
    )
    null = index.null_similarities()
    # Three people: every ordered pair of two different people, each similarity twice.
    assert len(null) == 6 and list(null) == sorted(null)
    assert sum(v == pytest.approx(0.75441, abs=1e-4) for v in null) == 2  # alice-bob
    assert sum(v == pytest.approx(0.52161, abs=1e-4) for v in null) == 2  # alice-carla
    # bob-carla: 0.8 * 0.17 / sqrt(0.46 * 0.66) + 0.2 * 0 = 0.24682
    assert sum(v == pytest.approx(0.24682, abs=1e-4) for v in null) == 2
    bob, carla = index.find_peers("alice")
    # bob beats 4 of the 6 pairs and ties 2 (half each); carla beats 2 and ties 2.
    assert bob.strength == pytest.approx(5 / 6)
    assert carla.strength == pytest.approx(1 / 2)
    assert bob.strength == pytest.approx(null_quantile(null, bob.score))


def test_peer_null_follows_the_index_when_someone_leaves(cohort):
    index = build(cohort)
    before = index.null_similarities("need-offer")
    index.remove(["max"])
    after = index.null_similarities("need-offer")
    assert len(after) < len(before)


# -- peers that share something (issue #17, item 6) --------------------------------------------


def test_build_peer_profiles_keeps_only_topics_listed_for_a_text():
    entries = [entry("g1", "alice", "goal"), entry("g2", "alice", "goal")]
    vectors = np.array([E1, E2], dtype=np.float32)
    scores = ScoreRows([[0.5, 0.2, 0.2, 0.1], [0.3, 0.4, 0.2, 0.1]])
    # g1 lists social_media (0.99) only; g2 conflict (0.95) only; work_life never clears 0.95.
    strengths = np.array([[0.99, 0.90, 0.50], [0.60, 0.95, 0.94]])
    (alice,) = build_peer_profiles(
        [person("alice")], entries, ["g1", "g2"], vectors, scores, strengths
    )
    np.testing.assert_allclose(alice.need_topics, [0.25, 0.2, 0.0])
    np.testing.assert_allclose(
        listed_topics(scores, strengths).values, [[0.5, 0.0, 0.0, 0.1], [0.0, 0.4, 0.0, 0.1]]
    )
    with pytest.raises(ValueError, match="strengths need shape"):
        listed_topics(scores, strengths[:, :2])


@pytest.fixture
def wording_twin():
    """q and twin wrote the same words about different topics; topical shares q's topic."""
    return [
        profile("q", need=E1, need_topics=(0.6, 0.0, 0.0)),
        profile("twin", need=E1, need_topics=(0.0, 0.0, 0.7)),  # text cosine 1, no topic shared
        profile("topical", need=E2, need_topics=(0.1, 0.5, 0.0)),  # text cosine 0, one shared
    ]


def test_find_peers_ranks_a_peer_sharing_a_topic_above_one_sharing_none(wording_twin):
    twin_first = build(wording_twin, topic_weight=0.1).find_peers("q")
    # Similarities: twin 0.9 * 1 = 0.9, topical 0.1 * 0.196 = 0.0196; the shared topic wins.
    assert ids(twin_first) == ["topical", "twin"]
    topical, twin = twin_first
    assert twin.score > topical.score  # the order is not the score's: the gate comes first
    assert topical.shared_topics == ("social_media",)
    assert topical.reasons == ("similar_goals", "shared_topics")
    assert twin.shared_topics == () and twin.reasons == ("similar_wording",)


def test_peer_without_shared_topic_is_not_worded_as_similar_goals(wording_twin):
    twin = build(wording_twin).find_peers("q")[-1]
    line = peer_reason(twin.reasons, [TOPIC_LABELS[t] for t in twin.shared_topics])
    assert line == "Ähnlich formulierte Texte, kein gemeinsames Thema"
    assert "Ähnliche Ziele" not in line and "gemeinsame Themen:" not in line


def test_find_peers_widens_the_search_to_reach_a_peer_sharing_a_topic():
    # Ten people with q's very words but no shared topic fill the first fetch; the one who
    # shares q's topic writes differently and sits last by similarity.
    twins = [profile(f"t{i}", need=E1, need_topics=(0.0, 0.0, 0.5 + i / 100)) for i in range(10)]
    people = [profile("q", need=E1, need_topics=(0.9, 0.0, 0.0)), *twins]
    people.append(profile("sharer", need=E2, need_topics=(0.2, 0.9, 0.0)))
    for prefer in (False, True):
        matches = build(people, topic_weight=0.2).find_peers(
            "q", k=2, prefer_other_organisation=prefer
        )
        assert ids(matches)[0] == "sharer"
        assert matches[1].reasons[0] == "similar_wording"
