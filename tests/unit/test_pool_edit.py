"""pool_edit: adding topics and examples keeps the pool valid, its ids, and the shipped file."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from assistant import texts
from assistant.config import Settings, default_pool_path
from assistant.errors import TopicPoolError
from assistant.topics import load_topic_pool, parse_topic_pool
from assistant.topics.pool_edit import (
    TopicDraft,
    add_examples,
    add_topic,
    adoption_draft,
    pool_to_raw,
    problems_of,
    save_pool,
    suggest_topic_id,
    to_yaml,
)


def _draft(**changes: object) -> TopicDraft:
    values: dict[str, object] = {
        "id": "drohnen",
        "label_de": "Drohnen im Einsatz",
        "description_de": "Drohnen bei Feuerwehr und Katastrophenschutz.",
        "keywords_de": ("Drohne", "Einsatz"),
        "examples_de": tuple(f"Drohnen-Beispiel Nummer {i}" for i in range(15)),
        "examples_en": tuple(f"Drone example {i}" for i in range(5)),
        "reflection_questions_de": ("Frage eins?", "Frage zwei?", "Frage drei?"),
        "forum_prompts_de": ("Impuls eins", "Impuls zwei"),
    }
    values.update(changes)
    return TopicDraft(**values)  # type: ignore[arg-type]


def test_raw_and_yaml_round_trip(mini_pool):
    assert parse_topic_pool(pool_to_raw(mini_pool), mini_pool.source) == mini_pool
    again = parse_topic_pool(yaml.safe_load(to_yaml(mini_pool)), mini_pool.source)
    assert again == mini_pool


def test_add_topic_appends_and_keeps_every_id(mini_pool):
    new = add_topic(mini_pool, _draft())
    assert new.ids == (*mini_pool.ids, "drohnen")
    topic = new.get("drohnen")
    assert topic.label == {"de": "Drohnen im Einsatz", "en": "Drohnen im Einsatz"}
    assert len(topic.examples["de"]) == 15 and topic.keywords["de"] == ("Drohne", "Einsatz")


@pytest.mark.parametrize(
    ("changes", "field", "german"),
    [
        ({"examples_de": ("nur eins",)}, "examples.de", "mindestens 3 nötig, 1 angegeben"),
        ({"id": "Neues Thema"}, "id", "nur Kleinbuchstaben"),
        ({"id": "conflict"}, "id", "gibt es im Themenpool schon"),
        ({"id": "other"}, "id", "reserviert"),
        ({"label_de": "  "}, "label.de", "darf nicht leer sein"),
        ({"forum_prompts_de": ()}, "forum_prompts.de", "mindestens 2 nötig, 0 angegeben"),
    ],
)
def test_invalid_topics_name_the_field(mini_pool, changes, field, german):
    with pytest.raises(TopicPoolError) as caught:
        add_topic(mini_pool, _draft(**changes))
    problems = problems_of(caught.value)
    assert field in [p.field for p in problems]
    shown = [texts.pool_problem(p.field, p.message) for p in problems]
    assert any(german in line for line in shown), shown


def test_several_problems_are_reported_together(mini_pool):
    with pytest.raises(TopicPoolError) as caught:
        add_topic(mini_pool, _draft(examples_de=("eins",), reflection_questions_de=("eine?",)))
    fields = {p.field for p in problems_of(caught.value)}
    assert {"examples.de", "reflection_questions.de"} <= fields


def test_add_examples_skips_known_phrases_and_blank_lines(mini_pool):
    known = mini_pool.get("conflict").examples["de"][0]
    new = add_examples(
        mini_pool, "conflict", [known.upper(), "", "  Ein neuer Satz über Streit  "], "de"
    )
    added = new.get("conflict").examples["de"]
    assert added[-1] == "Ein neuer Satz über Streit"
    assert len(added) == len(mini_pool.get("conflict").examples["de"]) + 1
    assert new.ids == mini_pool.ids


def test_add_examples_refuses_nothing_new_and_unknown_topics(mini_pool):
    with pytest.raises(TopicPoolError) as caught:
        add_examples(mini_pool, "conflict", ["   "], "de")
    assert problems_of(caught.value)[0].field == "examples.de"
    with pytest.raises(TopicPoolError, match="Unknown topic id 'nope'"):
        add_examples(mini_pool, "nope", ["Satz"], "de")
    with pytest.raises(TopicPoolError, match="Unknown language"):
        add_examples(mini_pool, "conflict", ["Satz"], "fr")


@pytest.mark.parametrize(
    ("text", "taken", "expected"),
    [
        ("emerging-drohne", [], "drohne"),
        ("emerging-drohne", ["drohne"], "drohne_2"),
        ("emerging-bürgerdialog", [], "buergerdialog"),
        ("emerging-3d-druck", [], "thema_3d_druck"),
        ("other", [], "other_2"),
    ],
)
def test_suggested_ids_are_valid_and_unused(text, taken, expected):
    assert suggest_topic_id(text, taken) == expected


def test_adopted_topic_needs_only_a_label_a_description_and_three_own_examples(mini_pool):
    own = (
        "Ich möchte lernen, wie Drohnen bei Einsätzen helfen.",
        "Wie plane ich einen Drohnenflug über einem Brandort?",
        "Drohnenbilder für die Lage auswerten.",
    )
    draft = adoption_draft(mini_pool, "Drohnen im Einsatz", "Drohnen bei der Feuerwehr.", own)
    new = add_topic(mini_pool, draft)
    topic = new.get("drohnen_im_einsatz")
    assert new.ids == (*mini_pool.ids, "drohnen_im_einsatz")  # every id kept, in order
    assert topic.examples == {"de": own, "en": ()}
    assert topic.keywords["de"] == ("Drohnen", "Einsatz")  # the label's words, no stop word
    # Questions and prompts are made from the label, so the pool stays usable in the forum.
    assert len(topic.reflection_questions["de"]) == 3 and len(topic.forum_prompts["de"]) == 2
    assert all("„Drohnen im Einsatz“" in q for q in topic.reflection_questions["de"])


@pytest.mark.parametrize(
    ("label", "description", "examples", "field"),
    [
        (
            "Drohnen",
            "Drohnen bei der Feuerwehr.",
            ("eins zwei drei", "vier fünf sechs"),
            "examples.de",
        ),
        ("  ", "Drohnen bei der Feuerwehr.", ("a b c", "d e f", "g h i"), "label.de"),
        ("Drohnen", "", ("a b c", "d e f", "g h i"), "description.de"),
    ],
)
def test_adopted_topic_without_enough_own_words_is_refused(
    mini_pool, label, description, examples, field
):
    with pytest.raises(TopicPoolError) as caught:
        add_topic(mini_pool, adoption_draft(mini_pool, label, description, examples))
    assert field in [p.field for p in problems_of(caught.value)]


def test_save_pool_writes_a_loadable_file_and_never_the_shipped_one(mini_pool, tmp_path):
    shipped = hashlib.sha256(default_pool_path().read_bytes()).hexdigest()
    new = add_topic(mini_pool, _draft())
    target = save_pool(new, tmp_path / "data" / "topic_pool.yaml", keep_ids=mini_pool.ids)
    loaded = load_topic_pool(target)
    assert loaded.ids == new.ids and loaded.get("drohnen") == new.get("drohnen")
    with pytest.raises(TopicPoolError, match="never written"):
        save_pool(new, default_pool_path(), keep_ids=())
    assert hashlib.sha256(default_pool_path().read_bytes()).hexdigest() == shipped
    assert not list(target.parent.glob("*.tmp"))


def test_save_pool_refuses_to_drop_ids(mini_pool, tmp_path):
    with pytest.raises(TopicPoolError, match="cannot be removed or renamed: gone"):
        save_pool(mini_pool, tmp_path / "p.yaml", keep_ids=(*mini_pool.ids, "gone"))
    assert not (tmp_path / "p.yaml").exists()


def test_settings_use_the_edited_pool_unless_a_pool_is_configured(tmp_path):
    settings = Settings(data_dir=str(tmp_path))
    assert settings.pool_file == default_pool_path()
    settings.edited_pool_path.write_text("schema_version: 1\n", encoding="utf-8")
    assert settings.pool_file == tmp_path / "topic_pool.yaml"
    explicit = Settings(data_dir=str(tmp_path), pool="mine.yaml")
    assert str(explicit.pool_file) == "mine.yaml"
