import copy

import pytest
import yaml

from assistant.errors import TopicPoolError
from assistant.topics import load_topic_pool, parse_topic_pool

CONTRACT_IDS = [
    "social_media",
    "new_work",
    "career_planning",
    "leadership",
    "self_marketing",
    "conflict",
    "work_life_balance",
    "networking",
    "strategy",
    "digital_tools",
    "data_protection",
    "change_innovation",
    "communication",
    "generations",
    "self_reflection",
    "negotiation",
    "ai_automation",
    "learning",
]


def test_default_pool_has_exactly_the_contract_ids(default_pool):
    assert list(default_pool.ids) == CONTRACT_IDS


def test_default_pool_meets_content_minimums(default_pool):
    for topic in default_pool.topics:
        assert topic.label["de"] and topic.label["en"], topic.id
        assert topic.description["de"] and topic.description["en"], topic.id
        assert len(topic.examples["de"]) >= 15, topic.id
        assert len(topic.examples["en"]) >= 5, topic.id
        assert len(topic.reflection_questions["de"]) >= 3, topic.id
        assert len(topic.forum_prompts["de"]) >= 2, topic.id
        assert topic.keywords["de"], topic.id
    assert len(default_pool.off_pool["de"]) >= 20


def test_default_pool_examples_are_unique_across_topics(default_pool):
    phrases = [p for t in default_pool.topics for lang in ("de", "en") for p in t.examples[lang]]
    assert len(phrases) == len(set(phrases))


@pytest.fixture
def raw_pool(tmp_path):
    from tests.conftest import MINI_POOL

    return yaml.safe_load(MINI_POOL.read_text(encoding="utf-8"))


def test_pool_duplicate_id_names_file_and_id(raw_pool):
    raw = copy.deepcopy(raw_pool)
    raw["topics"][1]["id"] = "social_media"
    with pytest.raises(
        TopicPoolError, match=r"pool\.yaml: topics\[1\] → id: duplicate topic id 'social_media'"
    ):
        parse_topic_pool(raw, "pool.yaml")


def test_pool_missing_field_names_topic_and_field(raw_pool):
    raw = copy.deepcopy(raw_pool)
    del raw["topics"][2]["forum_prompts"]
    with pytest.raises(
        TopicPoolError,
        match=r"topic 'work_life_balance' \(topics\[2\]\) → forum_prompts: Field required",
    ):
        parse_topic_pool(raw, "pool.yaml")


def test_pool_too_few_examples_is_reported(raw_pool):
    raw = copy.deepcopy(raw_pool)
    raw["topics"][0]["examples"]["de"] = raw["topics"][0]["examples"]["de"][:2]
    with pytest.raises(
        TopicPoolError, match=r"topic 'social_media' \(topics\[0\]\) → examples\.de: .*at least 3"
    ):
        parse_topic_pool(raw, "pool.yaml")


def test_pool_unknown_key_and_bad_id_are_reported_together(raw_pool):
    raw = copy.deepcopy(raw_pool)
    raw["topics"][0]["colour"] = "red"
    raw["topics"][1]["id"] = "Bad Id"
    with pytest.raises(TopicPoolError) as info:
        parse_topic_pool(raw, "pool.yaml")
    message = str(info.value)
    assert "colour: Extra inputs are not permitted" in message
    assert "(topics[1]) → id" in message


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"topics: [unclosed", r"not valid YAML at line \d+, column \d+"),
        (b"\xff\xfe not utf8", "not valid UTF-8"),
        (b"- just a list", "expected a mapping"),
    ],
)
def test_load_pool_rejects_broken_files(tmp_path, content, match):
    path = tmp_path / "pool.yaml"
    path.write_bytes(content)
    with pytest.raises(TopicPoolError, match=match):
        load_topic_pool(path)


def test_load_pool_missing_file(tmp_path):
    with pytest.raises(TopicPoolError, match="does not exist"):
        load_topic_pool(tmp_path / "nope.yaml")


def test_pool_get_unknown_id_lists_available(mini_pool):
    with pytest.raises(KeyError, match="Available: social_media, conflict, work_life_balance"):
        mini_pool.get("budget")
