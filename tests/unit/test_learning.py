"""Learning from use: the k-people guard, the dismissal veto, masking, refits, erasure."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.domain import Participant
from assistant.errors import AccessDenied
from assistant.policy import Principal, operator
from assistant.service import Assistant
from assistant.storage import Stores, make_engine, migrate
from assistant.topics.fitting import SuggesterFit
from assistant.topics.learning import Feedback, LearnedExample, counted_examples, with_learned
from tests.unit.privacy_support import stores_of

PROGRAMME = "Testprogramm"
CSV = Path(__file__).resolve().parents[1] / "fixtures" / "programme.csv"
OPERATOR = operator("cli:test")
COORD = Principal("koord", "coordinator", programmes=frozenset({PROGRAMME}))
INSTAGRAM = "Ich möchte, dass unser Amt auf Instagram mehr Follower bekommt und gute Posts plant."


def accepted(person: str, topic: str = "social_media", text: str = "") -> Feedback:
    return Feedback(person, topic, "accepted", text or f"Instagram-Text von {person}")


# -- the rule ---------------------------------------------------------------------------------


def test_two_people_do_not_move_a_topic_three_do():
    two = [accepted("a"), accepted("b"), accepted("b", text="noch ein Text von b")]
    assert counted_examples(two, min_people=3) == []
    three = [*two, accepted("c")]
    found = counted_examples(three, min_people=3)
    assert {x.text for x in found} == {
        "Instagram-Text von a",
        "Instagram-Text von b",
        "noch ein Text von b",
        "Instagram-Text von c",
    }
    assert {x.topic_id for x in found} == {"social_media"}


def test_a_dismissed_pair_is_never_a_positive_and_confirmed_examples_count_alone():
    events = [
        accepted("a", text="gemeinsam"),
        accepted("b"),
        accepted("c"),
        Feedback("d", "social_media", "dismissed", "gemeinsam"),
        Feedback(None, "conflict", "confirmed", "Streit im Team klären"),
        Feedback(None, "gone", "confirmed", "ein Thema, das es nicht mehr gibt"),
    ]
    found = counted_examples(events, min_people=3, topic_ids=("social_media", "conflict"))
    assert LearnedExample("social_media", "gemeinsam") not in found
    assert LearnedExample("conflict", "Streit im Team klären") in found
    assert all(x.topic_id != "gone" for x in found)


def test_learned_examples_join_the_pool_and_change_the_fit_cache_key(mini_pool, hashing_assistant):
    learned = [LearnedExample("conflict", "Zoff mit der Kollegin um die Urlaubsplanung")]
    pool = with_learned(mini_pool, learned)
    assert "Zoff mit der Kollegin um die Urlaubsplanung" in pool.get("conflict").examples["de"]
    assert (
        mini_pool.get("conflict").examples == with_learned(mini_pool, []).get("conflict").examples
    )
    lent = hashing_assistant._analyzer
    key = SuggesterFit(mini_pool, lent.embedder, lent.preprocessor, Path("c"))._path(".joblib")
    learned_key = SuggesterFit(pool, lent.embedder, lent.preprocessor, Path("c"))._path(".joblib")
    assert key != learned_key


# -- through the assistant --------------------------------------------------------------------


@pytest.fixture
def engine(hashing_assistant, tmp_path) -> Assistant:
    """The 12-entry test programme; refits after 3 events, in the foreground."""
    db = make_engine(f"sqlite:///{tmp_path / 'learn.db'}")
    migrate(db)
    settings = Settings(
        embedder="hashing",
        data_dir=str(tmp_path),
        learn_enabled=True,
        learn_refit_after=3,
        learn_min_people=3,
        learn_background=False,
    )
    assistant = Assistant(hashing_assistant._analyzer, Stores.open(db), settings=settings)
    assistant.import_file(OPERATOR, CSV, kind="peer_group")
    with stores_of(assistant).db.transaction() as tx:  # a known given name, to be masked
        pid = stores_of(assistant).programmes.get(PROGRAMME).id
        named = Participant("t-09", "Stadt X", "peer", None, True, True, given_name="Jürgen")
        stores_of(assistant).programmes.upsert_participant(tx, pid, named, by="test")
    yield assistant
    db.dispose()


@pytest.fixture
def engine_off(engine) -> Assistant:
    """The same programme with the default settings: learning from use switched off."""
    from dataclasses import replace

    settings = replace(engine.settings, learn_enabled=False)
    return Assistant(engine._analyzer, engine._services().stores, settings=settings)


def me(participant_id: str) -> Principal:
    return Principal(
        participant_id.replace("-", ""),
        "participant",
        participant_id=participant_id,
        programmes=frozenset({PROGRAMME}),
    )


def accept(engine: Assistant, who: str, text: str = INSTAGRAM, status: str = "accepted") -> str:
    entry = engine.add_entry(me(who), PROGRAMME, "goal", text)
    engine.set_suggestion_status(me(who), entry.id, "social_media", status)
    return entry.id


def learned(engine: Assistant) -> list[LearnedExample]:
    services = engine._services()
    return services.learning.examples(services.lookups.programme(PROGRAMME).id)


def test_feedback_is_stored_masked_and_refits_after_n_events(engine):
    text = "Mit Jürgen will ich unseren Instagram-Kanal aufbauen, mehr Follower gewinnen."
    accept(engine, "t-01", text)
    accept(engine, "t-02")
    stored = stores_of(engine).learning.of_programme(
        engine._services().lookups.programme(PROGRAMME).id
    )
    assert stored[0].text.startswith("Mit [Name] will ich")
    assert all("Jürgen" not in e.text for e in stored)
    status = engine.learning_status(COORD, PROGRAMME)
    assert (status.learned_at, status.pending) == (None, 2)
    pid = engine._services().lookups.programme(PROGRAMME).id
    before = engine._services().analyses.analyzer_for(pid)
    accept(engine, "t-03")  # the third event: a refit, three people accepted social_media
    status = engine.learning_status(COORD, PROGRAMME)
    assert status.learned_at is not None and (status.n_feedback, status.pending) == (3, 0)
    assert {x.topic_id for x in learned(engine)} == {"social_media"}
    after = engine._services().analyses.analyzer_for(pid)
    assert after is not before and after.pool_key != before.pool_key
    assert any("[Name]" in p for p in after.pool.get("social_media").examples["de"])
    # The pool as the coordinator reads and edits it holds none of it.
    assert engine.pool_of(COORD, PROGRAMME) == before.pool
    # The person's own export lists what they taught, as stored.
    exported = engine.export(OPERATOR, "t-01")["learned_feedback"]
    assert [(f["topic_id"], f["kind"]) for f in exported] == [("social_media", "accepted")]
    assert exported[0]["text"].startswith("Mit [Name] will ich")


def test_two_people_are_not_learned_from(engine):
    accept(engine, "t-01")
    accept(engine, "t-02")
    accept(engine, "t-02", "Wir wollen auf Instagram mehr Reichweite für das Amt erreichen.")
    assert engine.learning_status(COORD, PROGRAMME).learned_at is not None  # it refitted
    assert learned(engine) == []  # ... but two people did not move the topic


def test_people_without_consent_to_analysis_teach_nothing(engine):
    accept(engine, "t-05")
    pid = engine._services().lookups.programme(PROGRAMME).id
    assert stores_of(engine).learning.count(pid) == 0
    assert engine.learning_status(COORD, PROGRAMME).pending == 0


@pytest.mark.parametrize("how", ["erase", "withdraw"])
def test_erasure_and_withdrawn_consent_remove_contributions_and_refit(engine, how):
    for who in ("t-01", "t-02", "t-03"):
        accept(engine, who)
    assert learned(engine)
    first = engine.learning_status(COORD, PROGRAMME).learned_at
    if how == "erase":
        engine.erase(OPERATOR, "t-03")
    else:
        engine.set_consent(me("t-03"), "t-03", analysis=False)
    pid = engine._services().lookups.programme(PROGRAMME).id
    assert stores_of(engine).learning.programmes_of("t-03") == []
    assert learned(engine) == []  # two people left: the topic is back as the pool has it
    assert engine.learning_status(COORD, PROGRAMME).learned_at > first  # it refitted
    plain = engine._services().analyses.pools.pool_of(pid)
    assert engine._services().analyses.analyzer_for(pid).pool == plain


def test_confirmed_example_and_refit_on_request_are_for_the_coordinator(engine):
    assert (
        engine.confirm_example(COORD, PROGRAMME, "Streit im Team schlichten", "conflict") is False
    )
    assert engine.relearn(COORD, PROGRAMME) == 1
    assert learned(engine) == [LearnedExample("conflict", "Streit im Team schlichten")]
    other = Principal("k2", "coordinator", programmes=frozenset({"Anderes"}))
    with pytest.raises(AccessDenied):
        engine.confirm_example(other, PROGRAMME, "Streit im Team schlichten", "conflict")
    with pytest.raises(AccessDenied):
        engine.confirm_example(me("t-01"), PROGRAMME, "Streit im Team schlichten", "conflict")
    with pytest.raises(AccessDenied):
        engine.learning_status(other, PROGRAMME)
    assert stores_of(engine).audit.rows()[0].outcome == "denied"


def test_background_refit_serves_the_previous_analyzer_until_the_swap(hashing_assistant, tmp_path):
    import threading
    import time

    from assistant.services.pools import PoolAnalyzers
    from assistant.topics.analyser import TopicAnalyzer

    base = hashing_assistant._analyzer
    gate, made = threading.Event(), []

    def refit(pool, like):  # the lent fit stands in for the seconds a real fit takes
        gate.wait(30)
        made.append(TopicAnalyzer(pool, like.embedder, like.preprocessor, like.suggester))
        return made[-1]

    pools = PoolAnalyzers(base, Settings(embedder="hashing", data_dir=str(tmp_path)), refit)
    examples = [LearnedExample("conflict", "Zoff im Team um die Urlaubsplanung")]
    pools.learned = lambda programme_id: examples

    def settled() -> None:
        deadline = time.monotonic() + 30
        while 1 in pools._refitting and time.monotonic() < deadline:
            time.sleep(0.01)

    assert pools.relearn(1, background=True)
    assert pools.analyzer_for(1) is base  # nothing learned yet: the pool's own fit answers
    assert not pools.relearn(1, background=True)  # one refit per programme at a time
    gate.set()
    settled()
    first = pools.analyzer_for(1)
    assert (
        first is made[0]
        and "Zoff im Team um die Urlaubsplanung" in first.pool.get("conflict").examples["de"]
    )

    gate.clear()
    examples = [*examples, LearnedExample("social_media", "Mehr Reichweite auf Mastodon")]
    assert pools.relearn(1, background=True)
    assert pools.analyzer_for(1) is first  # the old fit serves while the new one is fitted
    gate.set()
    settled()
    assert pools.analyzer_for(1) is made[1] and len(made) == 2


def test_by_default_nothing_is_stored_and_nothing_is_learned(engine_off):
    assert not engine_off.settings.learn_enabled and not Settings().learn_enabled
    for who in ("t-01", "t-02", "t-03", "t-04"):
        accept(engine_off, who)
    pid = engine_off._services().lookups.programme(PROGRAMME).id
    assert stores_of(engine_off).learning.of_programme(pid) == []
    status = engine_off.learning_status(COORD, PROGRAMME)
    assert (status.learned_at, status.pending) == (None, 0)
    assert engine_off._services().learning.learn(pid) == 0
    analyzer = engine_off._services().analyses.analyzer_for(pid)
    assert analyzer.pool_key == engine_off._services().analyses.analyzer_for(None).pool_key
