import dataclasses
import random
import time
from datetime import date

import numpy as np
import pytest

from assistant import themes
from assistant.nlp.preprocess import DOMAIN_STOP_WORDS
from assistant.nlp.text import fold
from assistant.themes import (
    ThemeClusterer,
    ThemeInput,
    class_tfidf_keywords,
    cluster_residue,
    is_boilerplate,
    residue,
    themes_over_time,
)

TOPIC_IDS = ("digital", "fuehrung", "konflikt")
TOPIC_LABELS = {"digital": "Digitalisierung", "fuehrung": "Führung", "konflikt": "Konflikte"}

DIGITAL = (0.8, 0.1, 0.05, 0.05)
FUEHRUNG = (0.1, 0.7, 0.1, 0.1)
NO_TOPIC = (0.1, 0.1, 0.1, 0.7)


def axis(i, wobble=0.0, dim=8):
    """Unit vector along axis ``i``, tilted by ``wobble`` towards axis ``i + 1``."""
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1.0
    v[(i + 1) % dim] = wobble
    return v / np.linalg.norm(v)


def make(
    entry_id,
    participant,
    text,
    lemmas=(),
    vector=None,
    scores=NO_TOPIC,
    when=date(2026, 3, 10),
    sentences=None,
):
    return ThemeInput(
        entry_id=entry_id,
        participant_id=participant,
        text=text,
        lemmas=tuple(lemmas),
        sentences=tuple(sentences) if sentences is not None else (text,),
        vector=axis(7) if vector is None else vector,
        topic_scores=np.array(scores, dtype=np.float64),
        created_at=when,
    )


def programme():
    """Hand-made programme; expected clusters in the comments."""
    return [
        # digital (anchored): 4 entries by 3 participants
        make("d1", "p1", "Digitalisierung der Verwaltung voranbringen.",
             ["Digitalisierung", "Verwaltung", "Mentoring"], axis(0), DIGITAL, date(2026, 1, 15)),
        make("d2", "p2", "E-Akte in der Verwaltung einführen.",
             ["E-Akte", "Verwaltung", "einführen"], axis(0, 0.05), DIGITAL, date(2026, 2, 3)),
        make("d3", "p3", "Digitalisierung im Tandem besprechen.",
             ["Digitalisierung", "Tandem", "besprechen"], axis(0, 0.1), DIGITAL, date(2026, 2, 20)),
        make("d4", "p3", "Digitale Formulare für Bürgerinnen.",
             ["digital", "Formular", "Bürgerin"], axis(0, 0.15), DIGITAL, date(2026, 4, 1)),
        # fuehrung (anchored): 2 participants, below min_cluster_size, kept as a pool topic
        make("f1", "p4", "Führung auf Distanz lernen.", ["Führung", "Distanz", "lernen"],
             axis(1), FUEHRUNG),
        make("f2", "p5", "Als Führungskraft Feedback geben.", ["Führungskraft", "Feedback"],
             axis(1, 0.05), FUEHRUNG),
        # residue, tight, 3 participants: emerging "Barrierefreiheit"
        make("r1", "p6", "Ich möchte im Mentoring die Barrierefreiheit als Maßnahme stärken.",
             ["möchte", "Mentoring", "Barrierefreiheit", "Maßnahme"], axis(2)),
        make("r2", "p7", "Wir treffen uns monatlich. Die Webseite braucht Barrierefreiheit.",
             ["Tandem", "Webseite", "Barrierefreiheit"], axis(2, 0.05),
             sentences=["Wir treffen uns monatlich.", "Die Webseite braucht Barrierefreiheit."]),
        make("r3", "p8", "Mit [Name] die Barrierefreiheit als Maßnahme planen.",
             ["Schmidt", "Name", "Barrierefreiheit", "Maßnahme", "planen"], axis(2, 0.1)),
        make("r4", "p8", "Eine Barrierefreiheitsprüfung für Barrierefreiheit.",
             ["Barrierefreiheitsprüfung", "Barrierefreiheit"], axis(2, 0.2)),
        # residue, tight, but one participant: other
        make("o1", "p9", "Haushalt planen.", ["Haushalt"], axis(3)),
        make("o2", "p9", "Haushalt prüfen.", ["Haushalt"], axis(3, 0.05)),
        make("o3", "p9", "Haushalt abschließen.", ["Haushalt"], axis(3, 0.1)),
        # residue, scattered: other
        make("s1", "p10", "Resilienz stärken.", ["Resilienz"], axis(4)),
        make("s2", "p11", "Ehrenamt fördern.", ["Ehrenamt"], axis(5)),
        make("s3", "p12", "Sport im Büro.", ["Sport", "Büro"], axis(6)),
        # set aside: 3 boilerplate, 2 duplicates (of d1; of r1, differing in case and spaces)
        make("b1", "p1", "keine"),
        make("b2", "p2", "s.o."),
        make("b3", "p13", "-"),
        make("x1", "p14", "Digitalisierung der Verwaltung voranbringen.", when=date(2026, 5, 1)),
        make("x2", "p15", "ich möchte im  mentoring die barrierefreiheit als Maßnahme stärken.",
             when=date(2026, 5, 1)),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def fitted():
    return ThemeClusterer().fit(programme(), TOPIC_IDS, TOPIC_LABELS)


def by_id(result):
    return {c.id: c for c in result.clusters}


def test_clusterer_orders_clusters_largest_first_and_other_last(fitted):
    assert [c.id for c in fitted.result_.clusters] == [
        "digital",
        "emerging-barrierefreiheit",
        "fuehrung",
        "other",
    ]


@pytest.mark.parametrize(
    ("cluster_id", "label", "topic", "emerging", "entry_ids", "size"),
    [
        ("digital", "Digitalisierung", "digital", False, ("d1", "d2", "d3", "d4"), 3),
        ("fuehrung", "Führung", "fuehrung", False, ("f1", "f2"), 2),
        (
            "emerging-barrierefreiheit",
            "Barrierefreiheit",
            None,
            True,
            ("r1", "r2", "r3", "r4"),
            3,
        ),
        ("other", "Sonstiges (6)", None, False, ("o1", "o2", "o3", "s1", "s2", "s3"), 4),
    ],
)
def test_clusterer_builds_expected_cluster(
    fitted, cluster_id, label, topic, emerging, entry_ids, size
):
    cluster = by_id(fitted.result_)[cluster_id]
    assert cluster.label == label
    assert (cluster.topic, cluster.emerging) == (topic, emerging)
    assert cluster.entry_ids == entry_ids
    assert (cluster.size, cluster.n_entries) == (size, len(entry_ids))


def test_clusterer_counts_set_aside_entries(fitted):
    result = fitted.result_
    assert (result.n_entries, result.n_boilerplate, result.n_duplicates) == (16, 3, 2)
    assert not result.too_few
    assert not {"b1", "b2", "b3", "x1", "x2"} & set(result.assignments)
    assert len(result.assignments) == 16


def test_clusterer_labels_follow_input_order(fitted):
    entries = programme()
    expected = [fitted.result_.assignments.get(e.entry_id, "") for e in entries]
    assert fitted.labels_.tolist() == expected
    assert fitted.labels_.tolist()[:2] == ["digital", "digital"]
    assert fitted.labels_.tolist()[-5:] == ["", "", "", "", ""]


def test_clusterer_leaves_empty_pool_topics_out(fitted):
    assert "konflikt" not in by_id(fitted.result_)


def test_clusterer_never_shows_an_outlier_label(fitted):
    assert all(c.id != "-1" and "-1" not in c.label for c in fitted.result_.clusters)


def test_keywords_drop_domain_stop_words_and_keep_umlauts_and_compounds(fitted):
    emerging = by_id(fitted.result_)["emerging-barrierefreiheit"]
    # All five terms occur only in this cluster, where c·log(1 + A/c) grows with the count c:
    # 4 > 2 > 1 = 1 = 1, ties alphabetical. "möchte", "Mentoring", "Tandem" are stop words.
    assert emerging.keywords == (
        "Barrierefreiheit",
        "Maßnahme",
        "Barrierefreiheitsprüfung",
        "planen",
        "Webseite",
    )
    for cluster in fitted.result_.clusters:
        assert not {fold(k) for k in cluster.keywords} & DOMAIN_STOP_WORDS, cluster.id
    # digital: Digitalisierung 2, Verwaltung 2, six terms once; at most eight, ties alphabetical
    # on the folded form ("buergerin" < "digital"), shown with umlauts.
    assert by_id(fitted.result_)["digital"].keywords == (
        "Digitalisierung",
        "Verwaltung",
        "besprechen",
        "Bürgerin",
        "digital",
        "E-Akte",
        "einführen",
        "Formular",
    )


def test_keywords_never_show_masked_names(fitted):
    # r3 was masked ("[Name]"): its lemma "Schmidt" is gone from the text, and so is "Name";
    # "planen", still in the masked text, stays (previous test).
    keywords = {k for c in fitted.result_.clusters for k in c.keywords}
    assert not {"Schmidt", "Name"} & keywords


def test_sentences_come_from_entries_closest_to_the_centroid(fitted):
    emerging = by_id(fitted.result_)["emerging-barrierefreiheit"]
    # Similarity to the centroid: r3 0.9973, r2 0.9967, r1 0.9936, r4 0.9913; from r2 the
    # sentence with the cluster's keywords.
    assert emerging.sentences == (
        "Mit [Name] die Barrierefreiheit als Maßnahme planen.",
        "Die Webseite braucht Barrierefreiheit.",
        "Ich möchte im Mentoring die Barrierefreiheit als Maßnahme stärken.",
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clusterer_is_independent_of_input_order(fitted, seed):
    entries = programme()
    random.Random(seed).shuffle(entries)
    shuffled = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS)
    assert shuffled.result_ == fitted.result_
    assert dict(zip((e.entry_id for e in entries), shuffled.labels_.tolist(), strict=True)) == {
        e.entry_id: label for e, label in zip(programme(), fitted.labels_.tolist(), strict=True)
    }


def test_clusterer_refit_gives_identical_result(fitted):
    clusterer = ThemeClusterer()
    first = clusterer.fit(programme(), TOPIC_IDS, TOPIC_LABELS).result_
    second = clusterer.fit(programme(), TOPIC_IDS, TOPIC_LABELS).result_
    assert first == second == fitted.result_


@pytest.mark.parametrize(
    ("scores", "threshold", "margin", "expected"),
    [
        ((0.35, 0.1, 0.1, 0.2), 0.35, 0.0, "digital"),  # exactly at the threshold
        ((0.34, 0.1, 0.1, 0.2), 0.35, 0.0, "other"),  # below it
        ((0.5, 0.1, 0.0, 0.5), 0.35, 0.0, "other"),  # ties with "no topic": does not beat it
        ((0.5, 0.1, 0.0, 0.45), 0.35, 0.0, "digital"),
        ((0.5, 0.1, 0.0, 0.45), 0.35, 0.1, "other"),  # beats "no topic" by less than the margin
        ((0.2, 0.6, 0.1, 0.1), 0.35, 0.0, "fuehrung"),
        ((0.2, 0.6, 0.1, 0.1), 0.7, 0.0, "other"),  # the caller's calibrated threshold
    ],
)
def test_clusterer_anchors_by_threshold_and_no_topic_score(scores, threshold, margin, expected):
    entries = [e for e in programme() if e.entry_id != "s3"]
    entries.append(make("probe", "p99", "Sport im Büro.", ["Sport"], axis(6), scores))
    clusterer = ThemeClusterer(anchor_threshold=threshold, anchor_margin=margin)
    assert clusterer.fit(entries, TOPIC_IDS, TOPIC_LABELS).result_.assignments["probe"] == expected


def test_clusterer_size_counts_participants_not_entries():
    # Six entries, tight, but by two participants: not an emerging theme.
    entries = [
        make(f"e{i}", f"p{i % 2}", f"Homeoffice Text {i}", ["Homeoffice"], axis(0, i / 100))
        for i in range(6)
    ]
    result = ThemeClusterer(min_cluster_size=3).fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    assert [(c.id, c.label, c.size, c.n_entries) for c in result.clusters] == [
        ("other", "Sonstiges (6)", 2, 6)
    ]
    result = ThemeClusterer(min_cluster_size=2).fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    assert [(c.id, c.size, c.n_entries) for c in result.clusters] == [("emerging-homeoffice", 2, 6)]


@pytest.mark.parametrize(
    ("lemma", "expected_id"),
    [
        ("Führung", "emerging-fuehrung"),
        ("Maßnahme", "emerging-massnahme"),
        ("Öffentlichkeitsarbeit", "emerging-oeffentlichkeitsarbeit"),
        ("E-Akte", "emerging-e-akte"),
        ("Café", "emerging-cafe"),
    ],
)
def test_emerging_id_is_an_ascii_slug_of_the_top_keyword(lemma, expected_id):
    entries = [make(f"e{i}", f"p{i}", f"{lemma} {i}", [lemma], axis(0, i / 50)) for i in range(5)]
    result = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    assert [c.id for c in result.clusters] == [expected_id]
    assert result.clusters[0].label == lemma


def test_emerging_ids_number_collisions_largest_first():
    larger = [
        make(f"a{i}", f"pa{i}", f"Homeoffice A{i}", ["Homeoffice"], axis(0)) for i in range(4)
    ]
    smaller = [
        make(f"b{i}", f"pb{i}", f"Homeoffice B{i}", ["Homeoffice"], axis(1)) for i in range(3)
    ]
    for entries in (larger + smaller, smaller + larger):
        result = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
        clusters = by_id(result)
        assert [c.id for c in result.clusters] == ["emerging-homeoffice", "emerging-homeoffice-2"]
        assert clusters["emerging-homeoffice"].entry_ids == ("a0", "a1", "a2", "a3")
        assert clusters["emerging-homeoffice-2"].entry_ids == ("b0", "b1", "b2")


@pytest.mark.parametrize(
    ("n_usable", "n_boilerplate", "too_few"),
    [(0, 0, True), (4, 0, True), (4, 3, True), (5, 0, False), (5, 2, False)],
)
def test_clusterer_below_min_entries_says_too_few(n_usable, n_boilerplate, too_few):
    entries = [
        make(f"e{i}", f"p{i}", f"Thema Nummer {i}", ["Nummer"], axis(i % 8), DIGITAL)
        for i in range(n_usable)
    ]
    entries += [make(f"b{i}", f"q{i}", "k.A.") for i in range(n_boilerplate)]
    fitted = ThemeClusterer(min_entries=5).fit(entries, TOPIC_IDS, TOPIC_LABELS)
    result = fitted.result_
    assert (result.too_few, result.n_entries, result.n_boilerplate) == (
        too_few,
        n_usable,
        n_boilerplate,
    )
    if too_few:
        assert result.clusters == () and result.assignments == {}
        assert fitted.labels_.tolist() == [""] * len(entries)
    else:
        assert [c.id for c in result.clusters] == ["digital"]


def test_duplicates_keep_the_earliest_entry():
    entries = [
        make("a-late", "p1", "Digitalisierung   der Verwaltung", when=date(2026, 2, 1)),
        make("z-early", "p2", "digitalisierung der verwaltung", when=date(2026, 1, 1)),
        make("m-same-day", "p3", "DIGITALISIERUNG DER VERWALTUNG", when=date(2026, 2, 1)),
    ] + [make(f"e{i}", f"p{i + 10}", f"Anderes Thema {i}", vector=axis(i)) for i in range(4)]
    result = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    assert result.n_duplicates == 2
    assert "z-early" in result.assignments
    assert not {"a-late", "m-same-day"} & set(result.assignments)


@pytest.mark.parametrize(
    "text",
    ["keine", "Keine.", "s.o.", "S. o.", "-", "---", " ? ", "weiß nicht", "Weiss nicht!",
     "k.A.", "KA", "nichts Neues", "Nichts neues.", "n/a", "0"],
)  # fmt: skip
def test_is_boilerplate_recognises_empty_answers(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    ["Keine Zeit für Weiterbildung", "Barrierefreiheit", "KI", "Nichts Neues zur E-Akte",
     "Weiß nicht, wie ich Konflikte anspreche"],
)  # fmt: skip
def test_is_boilerplate_keeps_real_answers(text):
    assert not is_boilerplate(text)


def test_class_tfidf_keywords_by_hand():
    # counts: c0 haus 2, baum 1; c1 baum 1, auto 1; A = 5 / 2 = 2.5
    # idf: haus, baum log(1 + 2.5/2) = 0.81; auto log(1 + 2.5) = 1.25
    # c0: haus 2/3·0.81 = 0.54 > baum 0.27; c1: auto 0.63 > baum 0.41
    documents = [["haus", "baum"], ["haus"], ["baum", "auto"]]
    classes = np.array([0, 0, 1])
    assert class_tfidf_keywords(documents, classes, 2, 8) == [("haus", "baum"), ("auto", "baum")]
    assert class_tfidf_keywords(documents, classes, 2, 1) == [("haus",), ("auto",)]


def test_class_tfidf_keywords_of_classes_without_terms_are_empty():
    assert class_tfidf_keywords([[], []], np.array([0, 1]), 2, 8) == [(), ()]
    assert class_tfidf_keywords([["haus"], []], np.array([0, 1]), 2, 8) == [("haus",), ()]


def over_time_entries():
    return [
        make("d1", "p1", "Digital eins", vector=axis(0), scores=DIGITAL, when=date(2026, 1, 15)),
        make("d2", "p2", "Digital zwei", vector=axis(0), scores=DIGITAL, when=date(2026, 2, 3)),
        make("d3", "p3", "Digital drei", vector=axis(0), scores=DIGITAL, when=date(2026, 4, 1)),
        make("s1", "p4", "Anderes eins", vector=axis(1), when=date(2026, 1, 20)),
        make("s2", "p5", "Anderes zwei", vector=axis(2), when=date(2026, 3, 31)),
        make("s3", "p6", "Anderes drei", vector=axis(3), when=date(2026, 4, 2)),
        make("b1", "p7", "keine", when=date(2026, 1, 2)),
    ]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (
            "month",
            [
                ("2026-01", "digital", 1),
                ("2026-01", "other", 1),
                ("2026-02", "digital", 1),
                ("2026-03", "other", 1),
                ("2026-04", "digital", 1),
                ("2026-04", "other", 1),
            ],
        ),
        (
            "quarter",
            [
                ("2026-Q1", "digital", 2),
                ("2026-Q1", "other", 2),
                ("2026-Q2", "digital", 1),
                ("2026-Q2", "other", 1),
            ],
        ),
    ],
)
def test_themes_over_time_counts_clustered_entries_per_period(period, expected):
    entries = over_time_entries()
    result = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    dates = {e.entry_id: e.created_at for e in entries}
    assert themes_over_time(result.assignments, dates, period) == expected  # b1 set aside


def test_themes_over_time_by_month_pads_and_sorts_keys():
    assignments = {"a": "digital", "b": "digital", "c": "other", "d": "digital"}
    dates = {
        "a": date(2026, 10, 1),
        "b": date(2026, 9, 30),
        "c": date(2026, 9, 1),
        "d": date(2026, 10, 31),
    }
    assert themes_over_time(assignments, dates) == [
        ("2026-09", "digital", 1),
        ("2026-09", "other", 1),
        ("2026-10", "digital", 2),
    ]


def test_themes_over_time_by_quarter_across_a_year_boundary():
    assignments = {"a": "digital", "b": "digital", "c": "digital", "d": "other"}
    dates = {
        "a": date(2025, 10, 1),
        "b": date(2025, 12, 31),
        "c": date(2026, 1, 1),
        "d": date(2026, 3, 31),
    }
    assert themes_over_time(assignments, dates, "quarter") == [
        ("2025-Q4", "digital", 2),
        ("2026-Q1", "digital", 1),
        ("2026-Q1", "other", 1),
    ]


def test_themes_over_time_skips_entries_without_a_date():
    assignments = {"kept": "digital", "erased": "digital"}
    dates = {"kept": date(2026, 5, 4), "unassigned": date(2026, 5, 5)}
    assert themes_over_time(assignments, dates) == [("2026-05", "digital", 1)]
    assert themes_over_time({}, dates) == []


@pytest.mark.parametrize("period", ["week", "Month", ""])
def test_themes_over_time_rejects_unknown_period(period):
    with pytest.raises(ValueError, match="Available: month, quarter"):
        themes_over_time({"a": "digital"}, {"a": date(2026, 1, 1)}, period)


def _replace(index, **changes):
    def build():
        entries = programme()
        entries[index] = dataclasses.replace(entries[index], **changes)
        return entries

    return build


@pytest.mark.parametrize(
    ("build", "kwargs", "message"),
    [
        (_replace(2, vector=np.ones(4, np.float32) / 2), {}, "entry 'd3': vector has dimension 4"),
        (_replace(0, vector=axis(0) * 2), {}, "entry 'd1': vector has norm 2"),
        (_replace(0, vector=np.full(8, np.nan, np.float32)), {}, "entry 'd1': vector has norm"),
        (_replace(0, vector=np.eye(2, dtype=np.float32)), {}, "vector must be one non-empty row"),
        (_replace(1, topic_scores=np.array([0.5, 0.5])), {}, "entry 'd2': topic_scores"),
        (_replace(1, topic_scores=np.array([np.nan, 0, 0, 0])), {}, "must be finite"),
        (_replace(1, entry_id="d1"), {}, "entry ids must be unique; repeated: d1"),
        (programme, {"topic_ids": ("digital", "fuehrung")}, "entry 'b1': topic_scores"),
        (programme, {"topic_labels": {"digital": "D"}}, "no label for: fuehrung, konflikt"),
        (programme, {"topic_ids": ("digital", "digital", "x")}, "repeated: digital"),
        (programme, {"topic_ids": ("digital", "other", "x")}, "reserved"),
        (programme, {"distance_threshold": 0.0}, "distance_threshold"),
        (programme, {"min_entries": 0}, "min_entries must be a positive integer"),
        (programme, {"anchor_threshold": float("nan")}, "anchor_threshold must be a finite"),
    ],
)
def test_clusterer_rejects_bad_input_with_clear_message(build, kwargs, message):
    params = {k: v for k, v in kwargs.items() if k not in ("topic_ids", "topic_labels")}
    topic_ids = kwargs.get("topic_ids", TOPIC_IDS)
    labels = kwargs.get("topic_labels", {t: t for t in topic_ids})
    with pytest.raises(ValueError, match=message):
        ThemeClusterer(**params).fit(build(), topic_ids, labels)


def test_cluster_residue_micro_path_matches_exact_on_separated_groups(monkeypatch):
    rng = np.random.default_rng(0)
    sizes = [40, 35, 30, 25, 20, 10]
    rows = [np.eye(16)[g] + 0.02 * rng.normal(size=(n, 16)) for g, n in enumerate(sizes)]
    vectors = np.vstack(rows)
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    expected = np.repeat(np.arange(len(sizes)), sizes)
    assert cluster_residue(vectors, 0.35).tolist() == expected.tolist()
    monkeypatch.setattr(residue, "MAX_EXACT_RESIDUE", 50)  # 160 rows: the micro-cluster path
    assert cluster_residue(vectors, 0.35).tolist() == expected.tolist()


def test_clusterer_large_residue_runs_fast_and_recovers_planted_groups():
    rng = np.random.default_rng(0)
    n_noise, dim = 6000, 16
    noise = rng.normal(size=(n_noise, dim))
    noise[:, :2] = 0.0  # orthogonal to the planted groups along axes 0 and 1
    planted = {
        "Barrierefreiheit": np.eye(dim)[0] + 0.02 * rng.normal(size=(40, dim)),
        "Homeoffice": np.eye(dim)[1] + 0.02 * rng.normal(size=(25, dim)),
    }
    entries = [
        make(f"n{i:05d}", f"pn{i}", f"Rauschen {i}", (), row / np.linalg.norm(row))
        for i, row in enumerate(noise.astype(np.float32))
    ]
    for word, rows in planted.items():
        entries += [
            make(f"{word}{i:03d}", f"{word}-p{i}", f"{word} {i}", [word], row / np.linalg.norm(row))
            for i, row in enumerate(rows.astype(np.float32))
        ]
    assert len(entries) > themes.MAX_EXACT_RESIDUE
    start = time.perf_counter()
    result = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    elapsed = time.perf_counter() - start
    clusters = by_id(result)
    assert clusters["emerging-barrierefreiheit"].entry_ids == tuple(
        f"Barrierefreiheit{i:03d}" for i in range(40)
    )
    assert clusters["emerging-homeoffice"].entry_ids == tuple(
        f"Homeoffice{i:03d}" for i in range(25)
    )
    assert result.n_entries == len(entries) and len(result.assignments) == len(entries)
    assert elapsed < 10.0


# -- issue #14: keywords without filler, one form per word, key phrases, stable labels ---------


def test_keywords_drop_filler_words_and_verbs_of_no_meaning():
    filler = ["eigentlich", "weiß", "fast", "mal", "halt", "machen", "geben", "finden", "sagen"]
    entries = [
        make(f"e{i}", f"p{i}", f"Eigentlich weiß ich fast nichts über Bauanträge {i}.",
             [*filler, "Bauantrag", "Genehmigung"], axis(0, i / 50))
        for i in range(5)
    ]  # fmt: skip
    (cluster,) = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_.clusters
    assert cluster.keywords == ("Bauantrag", "Genehmigung")


def test_keywords_show_one_form_per_word():
    # The lookup lemmatiser left "Bauanträge" and "Bauantrags" apart; they are one keyword.
    forms = ["Bauanträge", "Bauantrags", "Bauanträge", "Bauantrag", "Bauanträge"]
    entries = [
        make(f"e{i}", f"p{i}", f"Die {form} dauern lange ({i}).", [form, "dauern"], axis(0, i / 50))
        for i, form in enumerate(forms)
    ]
    (cluster,) = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_.clusters
    assert cluster.keywords == ("Bauanträge", "dauern")
    assert cluster.label == "Bauanträge"


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (["Bauanträge", "Bauantrags", "Bauantrag", "Bauantraege"], "bauantrag"),
        (["Formular", "Formulare", "Formularen"], "formular"),
        (["Führung", "Fuehrung"], "fuhrung"),
    ],
)
def test_term_key_groups_the_forms_of_a_word(words, stem):
    from assistant.nlp.keyterms import term_key

    assert {term_key(w) for w in words} == {stem}


def test_label_is_a_noun_phrase_that_occurs_in_the_cluster():
    said = [
        "Die Kantine sollte mehr vegetarisches Essen anbieten.",
        "Vegetarisches Essen wäre in der Kantine schön.",
        "Gibt es bald vegetarisches Essen?",
        "In der Kantine fehlt vegetarisches Essen, sagt [Name].",
        "Das Essen in der Kantine ist zu fleischlastig.",
    ]
    lemmas = [
        ["Kantine", "vegetarisch", "Essen", "anbieten"],
        ["vegetarisch", "Essen", "Kantine", "schön"],
        ["geben", "bald", "vegetarisch", "Essen"],
        ["Kantine", "fehlen", "vegetarisch", "Essen", "sagen", "Name"],
        ["Essen", "Kantine", "fleischlastig"],
    ]
    entries = [
        make(f"e{i}", f"p{i}", text, words, axis(0, i / 50))
        for i, (text, words) in enumerate(zip(said, lemmas, strict=True))
    ]
    (cluster,) = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_.clusters
    assert cluster.label == "Vegetarisches Essen"
    assert cluster.id == "emerging-vegetarisches-essen"
    assert 1 <= len(cluster.label.split()) <= 3
    assert all(fold(word) in fold(" ".join(said)) for word in cluster.label.split())


def test_label_is_the_top_noun_without_a_shared_phrase_and_never_a_mask(fitted):
    assert by_id(fitted.result_)["emerging-barrierefreiheit"].label == "Barrierefreiheit"
    entries = [
        make(f"e{i}", f"p{i}", f"[Name] Krankenstand und [Name] Krankenstand {i}.",
             ["Name", "Krankenstand"], axis(0, i / 50))
        for i in range(5)
    ]  # fmt: skip
    (cluster,) = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_.clusters
    assert cluster.label == "Krankenstand"


def _accessibility(n_new: int) -> list:
    """The programme, plus ``n_new`` entries of new people about screen readers."""
    extra = [
        make(f"r9{i}", f"q{i}", f"Der Screenreader liest den Screenreader-Test {i} vor.",
             ["Screenreader", "Screenreader", "Screenreader", "vorlesen"], axis(2, 0.12 + i / 100))
        for i in range(n_new)
    ]  # fmt: skip
    return programme() + extra


def test_labels_stay_stable_across_a_reimport_that_adds_a_few_entries():
    from assistant.themes.stability import PreviousTheme, carry_over_labels

    before = ThemeClusterer().fit(_accessibility(0), TOPIC_IDS, TOPIC_LABELS).result_
    old = by_id(before)["emerging-barrierefreiheit"]
    after = ThemeClusterer().fit(_accessibility(3), TOPIC_IDS, TOPIC_LABELS).result_
    (grown,) = [c for c in after.clusters if c.emerging]
    assert grown.label != old.label  # recomputed, the screen readers would rename the theme
    previous = [PreviousTheme(old.id, old.label, frozenset(old.entry_ids))]
    stable = carry_over_labels(after, previous)
    (kept,) = [c for c in stable.clusters if c.emerging]
    assert (kept.id, kept.label) == (old.id, old.label)
    assert kept.entry_ids == grown.entry_ids and kept.keywords == grown.keywords
    assert {e for e, c in stable.assignments.items() if c == old.id} == set(grown.entry_ids)


def test_labels_are_not_carried_over_to_a_mostly_different_theme():
    from assistant.themes.stability import PreviousTheme, carry_over_labels

    after = ThemeClusterer().fit(_accessibility(0), TOPIC_IDS, TOPIC_LABELS).result_
    # One old entry in common: Jaccard 1/6, below 0.5. The old theme did not continue, so the
    # new one keeps the name and id it was given.
    previous = [PreviousTheme("emerging-barrierefreiheit", "Alt", frozenset({"r1", "z1", "z2"}))]
    stable = carry_over_labels(after, previous)
    (theme,) = [c for c in stable.clusters if c.emerging]
    assert theme.label == "Barrierefreiheit"
    assert theme.id == "emerging-barrierefreiheit"
    assert stable.assignments["r1"] == theme.id


KANTINE = [
    "Die Kantine sollte mehr vegetarisches Essen anbieten, gern auch vegan.",
    "Die Kantine sollte mehr vegetarisches Essen anbieten und regionale Zutaten nutzen.",
    "Mehr vegetarisches Essen in der Kantine anbieten wäre schön.",
    "Die Kantine sollte öfter vegetarisches Essen anbieten.",
    "Vegetarisches Essen in der Kantine sollte es täglich geben.",
]
CSV_HEADER = (
    "programme,participant_id,role,organisation,age_band,consent_analysis,consent_matching,"
    "entry_id,kind,text,created_at,group"
)


def _kantine_csv(path, texts_):
    rows = [CSV_HEADER] + [
        f'Testprogramm,k-{i},peer,Stadt {i},30-39,true,true,k-{i}-1,goal,"{t}",2026-03-0{i + 1},'
        for i, t in enumerate(texts_)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_theme_names_survive_a_reimport_through_the_stored_run(hashing_assistant, tmp_path):
    from assistant.policy import operator
    from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

    op = operator("cli:test")
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    try:
        engine.k = 3
        engine.import_file(op, _kantine_csv(tmp_path / "a.csv", KANTINE))
        (theme,) = [c for c in engine.themes(op, "Testprogramm").themes.clusters if c.emerging]
        assert theme.label == "Vegetarisches Essen"
        # The name the coordinators know (given by an earlier version, say): kept on re-import.
        runs = stores_of(engine).theme_runs
        programme_id = engine.themes(op, "Testprogramm").programme.id
        stored = runs.latest(programme_id)
        assert stored is not None
        renamed = tuple(
            dataclasses.replace(c, label="Essen in der Kantine") if c.emerging else c
            for c in stored.clusters
        )
        runs.save(programme_id, dataclasses.replace(stored, clusters=renamed))
        more = [*KANTINE, "Die Kantine sollte vegetarisches Essen auch abends anbieten."]
        engine.import_file(op, _kantine_csv(tmp_path / "b.csv", more))
        run = engine.themes(op, "Testprogramm")
        assert run.computed
        (again,) = [c for c in run.themes.clusters if c.emerging]
        assert (again.id, again.label) == (theme.id, "Essen in der Kantine")
        assert again.n_entries == 6
    finally:
        dispose_engines()


def test_a_kept_name_must_still_be_said_in_the_theme():
    from assistant.themes.stability import PreviousTheme, carry_over_labels

    entries = _accessibility(3)
    after = ThemeClusterer().fit(entries, TOPIC_IDS, TOPIC_LABELS).result_
    (grown,) = [c for c in after.clusters if c.emerging]
    said = {e.entry_id: e.text for e in entries}
    members = frozenset(grown.entry_ids)
    kept = carry_over_labels(
        after, [PreviousTheme("emerging-x", "Barrierefreiheit", members)], texts=said
    )
    assert [c.label for c in kept.clusters if c.emerging] == ["Barrierefreiheit"]
    # Nobody in the theme writes "Gebärdensprache" (any more): the old name goes.
    gone = carry_over_labels(
        after, [PreviousTheme("emerging-x", "Gebärdensprache", members)], texts=said
    )
    assert [(c.id, c.label) for c in gone.clusters if c.emerging] == [(grown.id, grown.label)]


def test_evidence_keywords_go_through_the_one_keyword_rule():
    from assistant.nlp.keyterms import evidence_keywords

    shown = evidence_keywords(
        ["Konflikt", "Konflikte", "eigentlich"],  # a second form and a filler word
        ["streit", "und", "konfliktes", "team", "2026"],  # a stop word, a form, a number
        {"streit": "Streit", "team": "Team"},
        limit=3,
    )
    assert shown == ("Konflikt", "Streit", "Team")
