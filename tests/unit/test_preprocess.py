import pytest


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ich möchte als Führungskraft besser delegieren lernen.", "de"),
        ("Ich moechte mehr ueber Social Media lernen", "de"),
        ("I would like to build a network across authorities.", "en"),
        ("Mehr Sichtbarkeit", "de"),
        ("KI nutzen", "de"),
    ],
)
def test_preprocessor_detects_language(preprocessor, text, language):
    assert preprocessor(text).language == language


def test_preprocessor_splits_sentences_and_lemmatises(preprocessor):
    processed = preprocessor("Die Konflikte im Team belasten mich. Ich suche Netzwerke!")
    assert processed.sentences == ("Die Konflikte im Team belasten mich.", "Ich suche Netzwerke!")
    assert "Konflikt" in processed.lemmas  # lookup lemmatizer: Konflikte → Konflikt
    assert "die" not in {lemma.lower() for lemma in processed.lemmas}  # stop words dropped


def test_preprocessor_keywords_skip_domain_stop_words(preprocessor):
    processed = preprocessor(
        "Im Mentoring möchte ich mit meiner Mentorin die Führungsverantwortung im Tandem üben."
    )
    assert "Führungsverantwortung" in processed.keywords
    assert not {"Mentoring", "Mentorin", "Tandem", "möchte"} & set(processed.keywords)


def test_preprocessor_keeps_order_across_languages(preprocessor):
    texts = ["Konflikte im Team lösen", "Grow my network", "Familie und Beruf vereinbaren"]
    assert [p.text for p in preprocessor.process_many(texts)] == texts
    assert [p.language for p in preprocessor.process_many(texts)] == ["de", "en", "de"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_lookup_lemmas_match_spacys_lookup_lemmatizer(language):
    import spacy

    from assistant.nlp.preprocess import load_pipeline

    reference = spacy.blank(language)
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    text = (
        "Die Kolleginnen führten schwierige Gespräche über Konflikte, Netzwerke und Teilzeit."
        if language == "de"
        else "The mentees were leading difficult talks about conflicts and networks."
    )
    ours = [t.lemma_ for t in load_pipeline(language)(text)]
    assert ours == [t.lemma_ for t in reference(text)]
    assert ours != [t.text for t in reference(text)]  # the table did change some words
