"""Embedder.encode_in_context: a text's row and its sentences' rows from one embedding call."""

import numpy as np

from assistant.nlp.embed import Embedder, HashingEmbedder, normalise_rows


def test_default_method_makes_the_text_row_the_word_weighted_sentence_mean():
    embedder = HashingEmbedder(64)
    sentences = ("Ich möchte Instagram für die Behörde nutzen.", "Teilzeit")
    rows = embedder.encode_in_context([sentences])[0]
    alone = embedder.encode(list(sentences))
    np.testing.assert_allclose(rows[1:], alone, atol=1e-6)
    expected = normalise_rows((np.array([7.0, 1.0]) @ alone)[np.newaxis, :])[0]
    np.testing.assert_allclose(rows[0], expected, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)


def test_progress_counts_texts_and_repeated_sentences_are_embedded_once():
    seen: list[str] = []

    class Counting(HashingEmbedder):
        def encode(self, texts, *, progress=None):
            seen.extend(texts)
            return super().encode(texts, progress=progress)

    done: list[int] = []
    out = Counting(32).encode_in_context([("A b.", "C d."), ("A b.",)], progress=done.append)
    assert [r.shape for r in out] == [(3, 32), (2, 32)]
    assert seen == ["A b.", "C d."] and sum(done) == 2


def test_protocol_defaults_keep_nothing_to_bypass_or_forget():
    embedder = HashingEmbedder(16)
    assert isinstance(embedder, Embedder)
    assert embedder.uncached() is embedder
    assert embedder.forget(["A b."]) == 0


def test_in_context_of_no_texts_is_empty():
    assert HashingEmbedder(16).encode_in_context([]) == []
