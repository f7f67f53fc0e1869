"""spaCy German/English pipeline: language, sentences, lemmas, stop words → ProcessedText.

A trained pipeline (de_core_news_sm, en_core_web_sm) is used when installed; otherwise
``spacy.blank`` with a rule-based sentencizer and the lemma lookup table of
spacy-lookups-data (``lookup_lemmas``), which works offline.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import pickle
import threading
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.domain import LANGUAGES, Language, ProcessedText
from assistant.nlp.loadcache import cached
from assistant.nlp.text import fold

if TYPE_CHECKING:  # spaCy (with thinc and torch) loads with the first text, not at import
    from spacy.language import Language as SpacyLanguage
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

TRAINED_PIPELINES = {"de": "de_core_news_sm", "en": "en_core_web_sm"}

# Words that every mentoring text uses: they say nothing about a theme.
DOMAIN_STOP_WORDS = frozenset(
    fold(w)
    for w in [
        "mentoring",
        "mentor",
        "mentorin",
        "mentorinnen",
        "mentoren",
        "mentee",
        "mentees",
        "tandem",
        "tandems",
        "programm",
        "ziel",
        "ziele",
        "möchte",
        "möchten",
        "mögen",
        "gerne",
        "gern",
        "wünschen",
        "wunsch",
        "lernen",
        "thema",
        "themen",
        "bereich",
        "treffen",
        "sitzung",
        "austausch",
        "gespräch",
        "erfahrung",
        "erfahrungen",
        "frage",
        "fragen",
        "gut",
        "besser",
        "mehr",
        "dabei",
        "einfach",
        "wirklich",
        "etwas",
        "immer",
        "viel",
        "vielen",
        "neue",
        "neuen",
        "neu",
        "letzte",
        "letzten",
        "nächste",
        "amt",
        "dienststelle",
        "want",
        "would",
        "like",
        "goal",
        "goals",
        "learn",
        "topic",
        "topics",
        "session",
        "meeting",
        "better",
        "more",
        "really",
        "new",
    ]
)


def load_pipeline(language: Language, cache_dir: Path | None = None) -> SpacyLanguage:
    """Return a trained pipeline if installed, else a blank one with sentencizer and lemmas.

    ``cache_dir``: where the lemma table is kept in a fast-loading form (``lemma_table``).
    """
    import spacy

    name = TRAINED_PIPELINES[language]
    if spacy.util.is_package(name):
        log.info("using trained spaCy pipeline %s", name)
        return spacy.load(name, disable=["parser"] if language == "de" else [])
    lemma_table(language, cache_dir)  # read now, from the cache when there is one
    _register_lookup_lemmas()
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lookup_lemmas")
    nlp.initialize()
    return nlp


class LemmaTable:
    """A word → lemma lookup kept as pickled buckets, each read when a word first needs it.

    Unpickling the whole German table (355,000 entries) still took 0.3 s of a first
    suggestion; one text touches a few dozen of the 256 buckets (crc32 of the word, the same
    in every process).
    """

    N_BUCKETS = 256

    def __init__(self, buckets: list[bytes]) -> None:
        self.buckets = buckets
        self._read: list[dict[str, str] | None] = [None] * len(buckets)

    @classmethod
    def of(cls, table: dict[str, str]) -> LemmaTable:
        """Split ``table`` into buckets."""
        parts: list[dict[str, str]] = [{} for _ in range(cls.N_BUCKETS)]
        for word, lemma in table.items():
            parts[zlib.crc32(word.encode()) % cls.N_BUCKETS][word] = lemma
        return cls([pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in parts])

    def get(self, word: str, default: str) -> str:
        """Return the lemma of ``word``, else ``default``."""
        i = zlib.crc32(word.encode()) % len(self.buckets)
        part = self._read[i]
        if part is None:
            part = self._read[i] = pickle.loads(self.buckets[i])
        return part.get(word, default)

    def to_dict(self) -> dict[str, str]:
        """Return every entry (for tests)."""
        out: dict[str, str] = {}
        for bucket in self.buckets:
            out.update(pickle.loads(bucket))
        return out


_LEMMA_TABLES: dict[str, LemmaTable] = {}


def lemma_table(language: str, cache_dir: Path | None = None) -> LemmaTable:
    """Return the lemma lookup table of spacy-lookups-data for ``language`` (once a process).

    With ``cache_dir`` its buckets come from the cache folder after the first read
    (``loadcache``): 0.65 s of gzipped JSON became a few milliseconds per text.
    """
    found = _LEMMA_TABLES.get(language)
    if found is None:
        import spacy_lookups_data

        path = (
            Path(spacy_lookups_data.__file__).parent / "data" / f"{language}_lemma_lookup.json.gz"
        )

        def read() -> list[bytes]:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                table: dict[str, str] = json.load(handle)
            return LemmaTable.of(table).buckets

        found = LemmaTable(cached(cache_dir, f"lemmas-{language}", [path], "2", read, list))
        _LEMMA_TABLES[language] = found
    return found


@functools.cache
def _register_lookup_lemmas() -> None:
    """Register ``lookup_lemmas`` as the spaCy component of that name (once a process)."""
    from spacy.language import Language as SpacyLanguage

    SpacyLanguage.component("lookup_lemmas", func=lookup_lemmas)


def lookup_lemmas(doc: Doc) -> Doc:
    """Set each token's lemma from the lookup table, as spaCy's lemmatizer does in "lookup" mode.

    Same table, same rule (the token's text, else the text itself); spaCy's own component
    copies the 355,000 German entries into its bloom-filtered ``Table`` one by one, which took
    2.4 s of a 14 s cold start; a plain dict takes 0.3 s.
    """
    table = lemma_table(doc.lang_)
    for token in doc:
        token.lemma_ = table.get(token.text, token.text)
    return doc


class LanguageDetector:
    """German/English detection with py3langid's naive Bayes model, restricted to both.

    Ambiguous texts (below ``min_confidence``) count as German: the programmes are German-first.
    """

    def __init__(self, min_confidence: float = 0.7, cache_dir: Path | None = None) -> None:
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        self.min_confidence = min_confidence
        # The model restricted to German and English, pickled in the cache folder: the xz
        # archive of all 97 languages took 0.5 to 0.7 s to read on every start.
        ptc, pc, classes, nextmove, row, output = cached(
            cache_dir,
            "langid-de-en",
            [MODEL_DIR / MODEL_FILE],
            f"1:{','.join(LANGUAGES)}",
            _restricted_langid_model,
            tuple,
        )
        self._identifier = LanguageIdentifier(
            ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row
        )
        self._identifier.set_languages(list(LANGUAGES))

    def __call__(self, text: str) -> Language:
        """Return "de" or "en"."""
        language, confidence = self._identifier.classify(text)
        if language == "en" and confidence >= self.min_confidence:
            return "en"
        return "de"


def _restricted_langid_model() -> tuple[object, ...]:
    """py3langid's model tables, its class columns cut to ``LANGUAGES``."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages(list(LANGUAGES))
    return (
        full.nb_ptc.copy(),  # a view of all 97 languages' columns until copied
        full.nb_pc.copy(),
        list(full.nb_classes),
        full.tk_nextmove,
        full.tk_row,
        full.tk_output,
    )


class Preprocessor:
    """Turn a validated text into a ``ProcessedText`` (language, sentences, lemmas, keywords).

    Parameters
    ----------
    pipelines : dict, optional
        spaCy pipelines per language; loaded lazily with ``load_pipeline`` when absent.
    max_keywords : int, default=8
    cache_dir : Path, optional
        Where the language model and the lemma tables are kept in a fast-loading form
        (``assistant.nlp.loadcache``); ``None`` reads the packaged files each time.
    """

    def __init__(
        self,
        pipelines: dict[Language, SpacyLanguage] | None = None,
        detector: LanguageDetector | None = None,
        max_keywords: int = 8,
        cache_dir: Path | None = None,
    ) -> None:
        self.pipelines = dict(pipelines or {})
        self._detector = detector
        self.max_keywords = max_keywords
        self.cache_dir = cache_dir
        self._lock = threading.Lock()

    @property
    def detector(self) -> LanguageDetector:
        """The language detector, loaded with the first text (py3langid's model: 0.7 s)."""
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    self._detector = LanguageDetector(cache_dir=self.cache_dir)
        return self._detector

    def load(self) -> None:
        """Load the language detector now rather than with the first text."""
        _ = self.detector

    def after_fork(self) -> None:
        """In a forked worker: a fresh lock (a thread of the parent may have held it)."""
        self._lock = threading.Lock()

    def pipeline(self, language: Language) -> SpacyLanguage:
        """Return (and load once) the pipeline for ``language``."""
        with self._lock:
            if language not in self.pipelines:
                self.pipelines[language] = load_pipeline(language, self.cache_dir)
            return self.pipelines[language]

    def __call__(self, text: str) -> ProcessedText:
        """Process one text (already validated)."""
        return self.process_many([text])[0]

    def process_many(self, texts: Iterable[str]) -> list[ProcessedText]:
        """Process texts in order; spaCy batches them per language."""
        texts = list(texts)
        languages = [self.detector(t) for t in texts]
        results: list[ProcessedText | None] = [None] * len(texts)
        for language in LANGUAGES:
            idx = [i for i, lang in enumerate(languages) if lang == language]
            if not idx:
                continue
            docs = self.pipeline(language).pipe(texts[i] for i in idx)
            for i, doc in zip(idx, docs, strict=True):
                results[i] = self._to_processed(texts[i], language, doc)
        return [r for r in results if r is not None]

    def _to_processed(self, text: str, language: Language, doc: Doc) -> ProcessedText:
        spans = [s for s in doc.sents if s.text.strip()]
        sentences = tuple(s.text.strip() for s in spans) or (text,)
        lemmas = content_lemmas(doc)
        # Sentence lemmas come from this parse: the sentences need no second pass of spaCy.
        sentence_lemmas = tuple(content_lemmas(s) for s in spans) if spans else (lemmas,)
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        for token in doc:
            lemma = token.lemma_ or token.text
            key = fold(lemma)
            if (
                not token.is_alpha
                or token.is_stop
                or len(token.text) < 4
                or key in DOMAIN_STOP_WORDS
            ):
                continue
            counts[key] += 1
            surface.setdefault(key, lemma)
        # German nouns are capitalised: prefer them, then frequency, then first occurrence.
        order = sorted(
            counts, key=lambda k: (-(surface[k][:1].isupper() and language == "de"), -counts[k])
        )
        keywords = tuple(surface[k] for k in order[: self.max_keywords])
        return ProcessedText(text, language, sentences, lemmas, keywords, sentence_lemmas)


def content_lemmas(tokens: Iterable[Token]) -> tuple[str, ...]:
    """Lemmas of the words that carry content: letters only, no stop words, two letters up."""
    return tuple(
        (t.lemma_ or t.text) for t in tokens if t.is_alpha and not t.is_stop and len(t.text) > 1
    )
