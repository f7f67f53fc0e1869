"""Trust (issue #15), the topic pools: each test replays an attack and shows that it now fails.

Finding 6: an erased person's words survived in the edited pool (adopted examples).
Finding 12: the pool was global: any coordinator changed every programme's topics.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import AccessDenied
from assistant.policy import Principal, operator
from assistant.topics import load_topic_pool
from assistant.topics.pool_edit import TopicDraft, add_examples, add_topic
from assistant.topics.pool_scrub import scrub_pool
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, second_process

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
PROGRAMME = "Testprogramm"
OTHER = "Anderes Programm"
# A private reflection (the probe's example), imported for one person and adopted by the
# coordinator as an example phrase, once as written and once lightly edited after masking.
PRIVATE = "Meine Mutter hatte im Frühjahr einen Schlaganfall und ich bin noch in der Probezeit."
ADOPTED = "Meine Mutter hatte einen Schlaganfall und ich bin noch in der Probezeit."
HEADER = (FIXTURES / "programme.csv").read_text(encoding="utf-8").splitlines()[0]


def coordinator(*programmes: str) -> Principal:
    return Principal("koordination", "coordinator", programmes=frozenset(programmes))


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({PROGRAMME}))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    rows = [
        HEADER,
        f'{PROGRAMME},t-09,peer,Stadt C,50-59,true,true,t-090,reflection,"{PRIVATE}",2026-03-05,',
        f"{OTHER},o-01,peer,Stadt D,40-49,true,true,o-001,goal,Mehr Reichweite auf Instagram,"
        "2026-03-01,",
    ]
    extra = tmp_path / "extra.csv"
    extra.write_text("\n".join(rows) + "\n", encoding="utf-8")
    engine.import_file(OPERATOR, extra)
    yield engine
    dispose_engines()


def _learned_topic(*examples: str) -> TopicDraft:
    return TopicDraft(
        id="pflege_angehoerige",
        label_de="Pflege von Angehörigen",
        description_de="Beruf und die Pflege von Angehörigen vereinbaren.",
        keywords_de=("Pflege",),
        examples_de=examples,
        examples_en=tuple(f"Caring for a relative while working, case {i}" for i in range(5)),
        reflection_questions_de=("Was entlastet Sie?", "Wer hilft?", "Was brauchen Sie?"),
        forum_prompts_de=("Wie gelingt Pflege neben dem Amt?", "Welche Angebote gibt es?"),
    )


GENERAL = tuple(f"Pflege und Dienst vereinbaren, Beispiel Nummer {i}" for i in range(15))


def _adopt(engine, topic_examples: tuple[str, ...]) -> Path:
    """The coordinator adopts the private sentence into their programme's pool, twice."""
    me = coordinator(PROGRAMME)
    pool = add_examples(engine.pool_of(me, PROGRAMME), "work_life_balance", [ADOPTED])
    pool = add_topic(pool, _learned_topic(*topic_examples))
    return engine.save_pool(me, pool, PROGRAMME)


def _files_holding(folder: Path, word: bytes) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file() and word in p.read_bytes()]


def test_erasure_takes_adopted_examples_out_of_the_programmes_pool(engine):
    path = _adopt(engine, (*GENERAL, PRIVATE))
    # A suggester fitted on that pool and cached on disk holds its words too (TF-IDF terms).
    fit = engine.settings.cache_path.parent / "suggester-0123456789abcdef.joblib"
    fit.write_bytes(PRIVATE.encode())
    other_process = second_process(engine)  # running before the erasure, pool already fitted
    assert (
        ADOPTED
        in other_process.pool_of(OPERATOR, PROGRAMME).get("work_life_balance").examples["de"]
    )

    removed = engine.erase(OPERATOR, "t-09")

    assert removed["pools"] == 1
    saved = load_topic_pool(path)
    assert ADOPTED not in saved.get("work_life_balance").examples["de"]
    assert list(saved.get("pflege_angehoerige").examples["de"]) == list(GENERAL)
    assert _files_holding(engine.settings.data_path, b"Schlaganfall") == []
    # The other process refits on the cleaned file at its next request, no restart.
    found = other_process.pool_of(OPERATOR, PROGRAMME)
    assert ADOPTED not in found.get("work_life_balance").examples["de"]
    assert "Schlaganfall" not in str(other_process._services().analyses.analyzer_for(1).pool)


def test_a_learned_topic_that_falls_below_the_minimum_goes_with_the_words(engine):
    # Exactly the schema's minimum (3, MIN_EXAMPLES): one of them is the person's.
    path = _adopt(engine, (*GENERAL[:2], PRIVATE))

    engine.erase(OPERATOR, "t-09")

    saved = load_topic_pool(path)
    assert "pflege_angehoerige" not in saved.ids
    assert set(engine.pool.ids) <= set(saved.ids)  # the pool's own topics all stay
    assert "pflege_angehoerige" not in engine.pool_of(OPERATOR, PROGRAMME).ids


def test_withdrawing_the_analysis_takes_the_examples_out_at_once(engine):
    path = _adopt(engine, (*GENERAL, PRIVATE))
    engine.set_consent(person("t-09"), "t-09", analysis=False, matching=None)
    # The entry itself stays (it is the person's, shown to them; in the SQLite file when the
    # database is SQLite); no copy of it anywhere else in the data folder.
    assert set(_files_holding(engine.settings.data_path, b"Schlaganfall")) <= {"assistant.db"}
    assert ADOPTED not in load_topic_pool(path).get("work_life_balance").examples["de"]


def test_examples_of_the_shipped_pool_stay_even_when_someone_wrote_the_same(engine):
    shipped = engine.pool.get("conflict").examples["de"][0]
    result = scrub_pool(engine.pool, [shipped], reference=[engine.pool])
    assert not result.changed


def test_scrub_keeps_examples_that_only_share_common_words():
    pool = load_topic_pool(FIXTURES / "mini_pool.yaml")
    learned = add_examples(pool, "conflict", ["Streit im Team um die Urlaubsplanung im Sommer"])
    erased = ["Ich möchte im Team offener über meine Ziele sprechen."]
    assert not scrub_pool(learned, erased, reference=[pool]).changed
    written = "Im Sommer gab es Streit im Team um die Urlaubsplanung, das war hart. Danke."
    taken = scrub_pool(learned, [written], [pool])
    assert taken.examples == ("Streit im Team um die Urlaubsplanung im Sommer",)


# -- finding 12: a pool per programme --------------------------------------------------------


def test_a_coordinators_topics_reach_their_programme_only(engine):
    me = coordinator(PROGRAMME)
    pool = add_topic(engine.pool_of(me, PROGRAMME), _learned_topic(*GENERAL))
    engine.save_pool(me, pool, PROGRAMME)

    assert "pflege_angehoerige" in engine.pool_of(me, PROGRAMME).ids
    assert "pflege_angehoerige" not in engine.pool_of(OPERATOR, OTHER).ids
    assert "pflege_angehoerige" not in engine.pool.ids  # the installation's pool
    assert engine.has_own_pool(me, PROGRAMME) and not engine.has_own_pool(OPERATOR, OTHER)


@pytest.mark.parametrize("target", [OTHER, None], ids=["other-programme", "installation"])
def test_a_coordinator_cannot_change_another_programmes_or_the_shared_pool(engine, target):
    me = coordinator(PROGRAMME)
    with pytest.raises(AccessDenied):
        engine.save_pool(me, add_topic(engine.pool, _learned_topic(*GENERAL)), target)
    (row, *_) = engine.audit_log(OPERATOR)
    assert (row.actor, row.action, row.outcome) == ("koordination", "pool.edit", "denied")
    assert not engine.settings.edited_pool_path.exists()
    assert not list(engine.settings.pools_path.glob("*.yaml"))


def test_a_programmes_pool_is_read_by_its_people_only(engine):
    with pytest.raises(AccessDenied):
        engine.pool_of(coordinator(OTHER), PROGRAMME)
    assert engine.pool_of(person("t-01"), PROGRAMME).ids == engine.pool.ids
