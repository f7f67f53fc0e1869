"""The participant workspace of the engine: own entries, suggestion feedback, peers, forum."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.errors import AccessDenied, InvalidEntryError
from assistant.policy import Principal, operator
from assistant.service import Assistant
from assistant.storage import Stores, make_engine, migrate
from assistant.texts import peer_reason
from tests.unit.privacy_support import stores_of

PROGRAMME = "Testprogramm"
CSV = Path(__file__).resolve().parents[1] / "fixtures" / "programme.csv"
INSTAGRAM = "Ich möchte, dass unser Amt auf Instagram mehr Follower bekommt und gute Posts plant."
OPERATOR = operator("cli:test")
MOD = Principal(
    "mod",
    "moderator",
    programmes=frozenset({PROGRAMME}),
    groups=frozenset({(PROGRAMME, "Gruppe Eins"), (PROGRAMME, "Gruppe Zwei")}),
)


def me(participant_id: str) -> Principal:
    """The signed-in participant ``participant_id`` of the test programme."""
    return Principal(
        participant_id.replace("-", ""),
        "participant",
        participant_id=participant_id,
        programmes=frozenset({PROGRAMME}),
    )


@pytest.fixture
def engine(hashing_assistant, tmp_path) -> Assistant:
    """A fresh database with the 12-entry test programme (a peer-group programme)."""
    db = make_engine(f"sqlite:///{tmp_path / 'ws.db'}")
    migrate(db)
    assistant = Assistant(hashing_assistant._analyzer, Stores.open(db))
    assistant.import_file(OPERATOR, CSV, kind="peer_group")
    yield assistant
    db.dispose()


def statuses(engine: Assistant, entry_id: str) -> dict[str, str]:
    """Suggestion statuses of an entry, as its owner reads them."""
    [owner] = {e.participant_id for e in stores_of(engine).entries.by_id([entry_id])}
    found = engine.suggestions_of(me(owner), [entry_id])
    return {s.topic_id: s.status for s in found.get(entry_id, [])}


def test_add_entry_stores_entry_analysis_and_suggestions(engine):
    entry = engine.add_entry(me("t-01"), PROGRAMME, "goal", f"  {INSTAGRAM}  ", stage="seminar")
    assert entry.id.startswith("w-") and entry.text == INSTAGRAM and entry.stage == "seminar"
    mine = engine.entries(me("t-01"), PROGRAMME)
    assert [e.id for e in mine][-1] == entry.id and mine[-1].status == "processed"
    assert statuses(engine, entry.id) == {"social_media": "suggested"}
    analyser = engine._analyzer
    derived = stores_of(engine).entries.analyses(
        [entry.id], analyser.embedder.model_id, analyser.pool_key
    )
    assert derived.entry_ids == [entry.id]  # the analysis was stored with the entry


def test_new_entry_ids_are_unique_for_equal_texts(engine):
    first = engine.add_entry(me("t-01"), PROGRAMME, "goal", INSTAGRAM)
    second = engine.add_entry(me("t-01"), PROGRAMME, "goal", INSTAGRAM)
    assert first.id != second.id
    assert len(engine.entries(me("t-01"), PROGRAMME)) == 4


@pytest.mark.parametrize(
    ("kind", "text", "stage", "code"),
    [
        ("goal", "   ", None, "empty"),
        ("goal", "<script>alert(1)</script> Instagram", None, "markup"),
        ("wish", INSTAGRAM, None, "bad_kind"),
        ("goal", INSTAGRAM, "party", "bad_stage"),
    ],
)
def test_add_entry_refuses_bad_input_and_stores_nothing(engine, kind, text, stage, code):
    before = stores_of(engine).db.count("entries")
    with pytest.raises(InvalidEntryError) as err:
        engine.add_entry(me("t-01"), PROGRAMME, kind, text, stage=stage)
    assert err.value.code == code
    assert stores_of(engine).db.count("entries") == before


def test_add_entry_only_in_ones_own_programme(engine):
    other = "Ein anderes Programm"
    with pytest.raises(AccessDenied):  # not one of the principal's programmes
        engine.add_entry(me("t-01"), other, "goal", INSTAGRAM)
    # Even with the programme in a (stale or forged) principal, the database decides.
    forged = Principal("t01", "participant", participant_id="t-01", programmes=frozenset({other}))
    with pytest.raises(InvalidEntryError) as err:
        engine.add_entry(forged, other, "goal", INSTAGRAM)
    assert err.value.code == "unknown_participant"


def test_accept_and_dismiss_are_stored_and_accepted_pairs_become_feedback(engine):
    entry = engine.add_entry(me("t-02"), PROGRAMME, "goal", INSTAGRAM)
    engine.set_suggestion_status(me("t-02"), entry.id, "social_media", "accepted")
    assert statuses(engine, entry.id) == {"social_media": "accepted"}
    assert (INSTAGRAM, "social_media") in engine.feedback_examples(OPERATOR)
    assert (INSTAGRAM, "social_media") in engine.feedback_examples(OPERATOR, PROGRAMME)
    engine.set_suggestion_status(me("t-02"), entry.id, "social_media", "dismissed")
    assert statuses(engine, entry.id) == {"social_media": "dismissed"}
    assert (INSTAGRAM, "social_media") not in engine.feedback_examples(OPERATOR)


def test_feedback_leaves_out_people_without_consent_to_analysis(engine):
    engine.set_suggestion_status(me("t-05"), "t-009", "work_life_balance", "accepted")
    assert statuses(engine, "t-009")["work_life_balance"] == "accepted"
    assert all(topic != "work_life_balance" for _, topic in engine.feedback_examples(OPERATOR))


def test_suggestion_status_checks_owner_status_and_topic(engine):
    with pytest.raises(AccessDenied):
        engine.set_suggestion_status(me("t-02"), "t-001", "social_media", "accepted")
    assert statuses(engine, "t-001") == {"social_media": "suggested"}
    with pytest.raises(InvalidEntryError) as err:
        engine.set_suggestion_status(me("t-01"), "t-001", "social_media", "liked")
    assert err.value.code == "bad_status"
    with pytest.raises(InvalidEntryError) as err:
        engine.set_suggestion_status(me("t-01"), "t-001", "conflict", "accepted")
    assert err.value.code == "unknown_suggestion"
    with pytest.raises(InvalidEntryError) as err:
        engine.set_suggestion_status(me("t-01"), "nope", "conflict", "accepted")
    assert err.value.code == "unknown_entry"


def test_edit_own_entry_reanalyses_and_resets_feedback(engine):
    engine.set_suggestion_status(me("t-03"), "t-005", "conflict", "accepted")
    edited = engine.edit_entry(me("t-03"), "t-005", INSTAGRAM)
    assert edited.text == INSTAGRAM and edited.created_at == date(2026, 2, 3)
    stored = stores_of(engine).entries.by_id(["t-005"])[0]
    assert stored.text == INSTAGRAM and stored.status == "processed"
    assert statuses(engine, "t-005") == {"social_media": "suggested"}


def test_editing_someone_elses_entry_is_denied_and_changes_nothing(engine):
    with pytest.raises(AccessDenied):
        engine.edit_entry(me("t-02"), "t-001", INSTAGRAM)
    stored = stores_of(engine).entries.by_id(["t-001"])[0]
    assert stored.text.startswith("Ich möchte mehr Follower")
    with pytest.raises(InvalidEntryError) as err:
        engine.edit_entry(me("t-01"), "t-001", "")
    assert err.value.code == "empty"


def test_entry_suggestions_give_evidence_and_status(engine):
    entry = engine.add_entry(me("t-01"), PROGRAMME, "goal", INSTAGRAM)
    engine.set_suggestion_status(me("t-01"), entry.id, "social_media", "accepted")
    view = engine.entry_suggestions(me("t-01"), entry.id)
    assert view.entry.id == entry.id and view.status == {"social_media": "accepted"}
    [topic] = view.result.topics
    assert topic.topic_id == "social_media" and topic.evidence and not view.result.no_fit
    with pytest.raises(AccessDenied):
        engine.entry_suggestions(me("t-02"), entry.id)


def test_peers_are_consenting_and_show_pseudonym_and_organisation(engine):
    peers = engine.peer_suggestions(me("t-01"), PROGRAMME, k=10)
    ids = [p.participant_id for p in peers]
    assert "t-04" not in ids and "t-01" not in ids  # t-04 did not consent to matching
    assert ids[0] in {"t-02", "t-06"}  # the other Instagram goals
    assert peers[0].organisation in {"Stadt B", "Stadt C"}
    assert "Social Media" in peers[0].shared_topics and peers[0].reasons
    assert "Social Media" in peer_reason(peers[0].reasons, peers[0].shared_topics)
    with pytest.raises(InvalidEntryError) as err:
        engine.peer_suggestions(me("t-04"), PROGRAMME)
    assert err.value.code == "no_consent"


def test_a_new_or_edited_goal_updates_the_cached_peer_index(engine):
    before = {p.participant_id: p for p in engine.peer_suggestions(me("t-01"), PROGRAMME, k=10)}
    assert "Social Media" not in before["t-03"].shared_topics  # t-03 wrote about conflict
    engine.edit_entry(me("t-03"), "t-005", INSTAGRAM)
    after = {p.participant_id: p for p in engine.peer_suggestions(me("t-01"), PROGRAMME, k=10)}
    assert "Social Media" in after["t-03"].shared_topics
    assert after["t-03"].score > before["t-03"].score


def test_forum_history_names_chosen_topics_by_label(engine):
    engine.choose_forum(MOD, "Gruppe Eins", "conflict", date(2026, 4, 1), programme=PROGRAMME)
    engine.choose_forum(MOD, "Gruppe Eins", "social_media", date(2026, 3, 1))  # from the grant
    assert engine.forum_history(MOD, "Gruppe Eins", programme=PROGRAMME) == [
        ("Social Media", date(2026, 3, 1)),
        ("Konflikte", date(2026, 4, 1)),
    ]
    assert engine.forum_history(MOD, "Gruppe Zwei") == []


@pytest.fixture
def cached_engine(hashing_assistant, tmp_path):
    """An engine on its own database whose embedder keeps vectors in an on-disk cache."""
    from assistant.nlp.cache import CachedEmbedder, EmbeddingCache
    from assistant.topics.analyser import TopicAnalyzer

    inner = hashing_assistant._analyzer
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    embedder = CachedEmbedder(inner.embedder, cache)
    db = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    migrate(db)
    engine = Assistant(
        TopicAnalyzer(inner.pool, embedder, inner.preprocessor, inner.suggester), Stores.open(db)
    )
    yield engine, cache, embedder.model_id
    db.dispose()


def test_editing_drops_the_old_texts_cached_vectors(cached_engine):
    from assistant.nlp.cache import cache_key

    engine, cache, model_id = cached_engine
    engine.import_file(OPERATOR, CSV)
    old = "Ich will Konflikte lösen. Und Streit im Team schlichten."
    entry = engine.add_entry(me("t-01"), PROGRAMME, "goal", old)
    pieces = (old, "Ich will Konflikte lösen.", "Und Streit im Team schlichten.")
    # Every key a text can be cached under: alone, its sentences, read in context.
    keys = [cache_key(m, t) for m in (model_id, f"{model_id}/in-context") for t in pieces]
    assert cache.get_many(keys)  # cached: in context (and the sentences alone, by embedder)
    engine.edit_entry(me("t-01"), entry.id, INSTAGRAM)
    assert cache.get_many(keys) == {}
    assert cache.get_many([cache_key(f"{model_id}/in-context", INSTAGRAM)])


def test_a_suggestion_leaves_nothing_in_the_cache_but_a_stored_entry_does(cached_engine):
    engine, cache, _ = cached_engine
    engine.suggest(me("t-01"), INSTAGRAM)
    assert len(cache) == 0  # looked at, not stored: no vector on disk
    engine.import_file(OPERATOR, CSV)
    assert len(cache) > 0


@pytest.mark.parametrize("text", ["s.o.", "-", "k. A."])
def test_boilerplate_entry_is_saved_as_a_no_fit_entry(engine, text):
    entry = engine.add_entry(me("t-01"), PROGRAMME, "reflection", text)
    assert entry.status == "processed" and entry.text == text
    view = engine.entry_suggestions(me("t-01"), entry.id)
    assert view.result.no_fit and view.result.topics == ()
    assert statuses(engine, entry.id) == {}  # no topic signal stored for it
