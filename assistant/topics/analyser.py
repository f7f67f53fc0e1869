"""Analyser: ``TopicAnalyzer`` runs validate → preprocess → embed → score → rank on texts."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from assistant.domain import LANGUAGES, ProcessedText, SuggestionResult, TopicPool
from assistant.errors import InvalidEntryError
from assistant.nlp.boilerplate import is_boilerplate_answer
from assistant.nlp.text import validate_text
from assistant.scores import ScoreRows
from assistant.topics.frozen import FrozenSuggester
from assistant.topics.ranking import combine_scores, rank_topics
from assistant.topics.suggester import TextFeatures, TopicSuggester, pool_training_texts

if TYPE_CHECKING:
    from assistant.nlp.embed import Embedder
    from assistant.nlp.preprocess import Preprocessor

log = logging.getLogger(__name__)

MAX_SENTENCES_SCORED = 40  # beyond this, sentence scores add cost but no ranking signal
# How a text's vector is made; part of the stored analyses' key, so a change recomputes them.
VECTOR_METHOD = "in-context-v1"


class SuggesterSource(Protocol):
    """Where an analyzer's suggester comes from when it is first needed (``SuggesterFit``)."""

    def load(self) -> TopicSuggester | FrozenSuggester:
        """Return the fitted suggester (loaded from disk, or fitted now)."""
        ...

    def summary(self) -> dict[str, Any] | None:
        """Return ``{"threshold", "calibration"}`` of the fit without loading it, if known."""
        ...


@dataclass(frozen=True)
class ItemResult:
    """Outcome of one text of a batch: a result, or the input error that stopped it."""

    result: SuggestionResult | None
    error: InvalidEntryError | None


@dataclass(frozen=True)
class Analysis:
    """Everything the pipeline learned about one text: kept with a stored entry."""

    processed: ProcessedText
    vector: NDArray[np.float32]
    scores: NDArray[np.float64]  # combined, shape (n_topics + 1,), last = "no topic"
    result: SuggestionResult


class TopicAnalyzer:
    """Runs the text stages: validate → preprocess → embed → score → rank.

    Built by ``assistant.factory.build_assistant``; pass other stage objects there to swap
    implementations. Callers use the methods and properties below (``model_id``,
    ``threshold``, ``labels``, ``sentences``, ``forget``, ``describe``), not the stages.

    ``suggester`` is a fitted ``TopicSuggester`` or a ``SuggesterSource`` that gives one at
    the first text scored: until then ``threshold`` and ``describe`` read the fit's summary
    when the source has one, so commands that read stored vectors load no model and no
    scikit-learn.
    """

    def __init__(
        self,
        pool: TopicPool,
        embedder: Embedder,
        preprocessor: Preprocessor,
        suggester: TopicSuggester | FrozenSuggester | SuggesterSource,
    ) -> None:
        self.pool = pool
        self.embedder = embedder
        self.preprocessor = preprocessor
        if isinstance(suggester, TopicSuggester | FrozenSuggester):
            self._suggester: TopicSuggester | FrozenSuggester | None = suggester
            self._source: SuggesterSource | None = None
        else:
            self._suggester, self._source = None, suggester
        self._lock = threading.Lock()
        texts, labels = pool_training_texts(pool)
        # Stored scores are only valid for this pool: they are recomputed when it changes.
        self.pool_key = hashlib.sha256(
            "\x00".join([VECTOR_METHOD, *pool.ids, *texts, *labels]).encode()
        ).hexdigest()[:16]

    # -- what callers may ask of the stages ----------------------------------------------------

    @property
    def model_id(self) -> str:
        """The embedder's model id: stored vectors and analyses are keyed by it."""
        return self.embedder.model_id

    @property
    def suggester(self) -> TopicSuggester | FrozenSuggester:
        """The fitted suggester (fitted or loaded from the cache at the first use)."""
        found = self._suggester
        if found is None:
            with self._lock:
                if self._suggester is None:
                    assert self._source is not None
                    self._suggester = self._source.load()
                found = self._suggester
        return found

    def _summary(self) -> dict[str, Any] | None:
        """Return the fit's threshold and calibration while the suggester is not loaded yet."""
        if self._suggester is not None or self._source is None:
            return None
        return self._source.summary()

    def load(self) -> None:
        """Load every stage now (model, suggester, language detector), not at the first text."""
        self.embedder.load()
        self.preprocessor.load()
        _ = self.suggester

    def load_text_stages(self) -> None:
        """Load the stages around the model (detector, both spaCy pipelines, suggester) now."""
        self.preprocessor.load()
        for language in LANGUAGES:
            self.preprocessor.pipeline(language)
        _ = self.suggester

    def after_fork(self) -> None:
        """In a forked worker: fresh locks (a thread of the parent may have held one)."""
        self._lock = threading.Lock()
        self.preprocessor.after_fork()

    @property
    def threshold(self) -> float:
        """The suggester's calibrated minimum score of a fitting topic (``threshold_``)."""
        known = self._summary()
        if known is not None:
            return float(known["threshold"])
        return float(self.suggester.threshold_)

    def labels(self, language: str = "de") -> dict[str, str]:
        """Return the pool's topic labels.

        Parameters
        ----------
        language : str, default="de"
            Language of the labels; a topic without a label in it keeps its German one.

        Returns
        -------
        dict of str to str
            Topic id → label, in pool order.
        """
        return {t.id: t.label_in(language) for t in self.pool.topics}

    def sentences(self, text: str) -> tuple[str, ...]:
        """Return the sentences of ``text`` as the preprocessor splits it.

        Returns
        -------
        tuple of str
            At least one sentence; ``(text,)`` for a blank text, which is not parsed.
        """
        if not text.strip():
            return (text,)
        return tuple(self.preprocessor(text).sentences)

    def forget(self, texts: Sequence[str]) -> int:
        """Drop ``texts`` from the embedding cache, under every key they were stored under.

        A text was cached whole, as its sentences joined by spaces (read in context) and,
        with an embedder that cannot read in context, sentence by sentence: all of these go.

        Returns
        -------
        int
            How many cached vectors went; 0 with an embedder that keeps none
            (``Embedder.forget``).
        """
        if not texts:
            return 0
        units = list(texts)
        for p in self.preprocessor.process_many(texts):
            units += [" ".join(p.sentences), *p.sentences]
        return int(self.embedder.forget(list(dict.fromkeys(units))))

    def describe(self) -> dict[str, Any]:
        """Describe the embedder and the suggester's calibration (no texts, no secrets).

        Returns
        -------
        dict
            ``{"embedder": {"kind", "model_id", "dimension"}, "suggester": {"threshold",
            **calibration_}}``, the calibration being the out-of-fold off-pool recall and
            false no-fit rate of ``TopicSuggester.fit``.
        """
        embedder = self.embedder
        known = self._summary()
        if known is not None:
            threshold, calibration = known["threshold"], known["calibration"]
        else:
            threshold, calibration = self.suggester.threshold_, self.suggester.calibration_
        return {
            "embedder": {
                "kind": embedder.kind,
                "model_id": embedder.model_id,
                "dimension": embedder.dimension,
            },
            "suggester": {"threshold": threshold, **calibration},
        }

    # -- the stages ----------------------------------------------------------------------------

    def features(self, processed: Sequence[ProcessedText]) -> TextFeatures:
        """Embed processed texts into the suggester's input."""
        return TextFeatures(
            [p.text for p in processed],
            [" ".join(p.lemmas) for p in processed],
            self.embedder.encode([p.text for p in processed]),
        )

    def suggest(self, text: str, k: int = 3) -> SuggestionResult:
        """Suggest up to ``k`` pool topics for one text.

        Raises
        ------
        InvalidEntryError
            The text is empty, too long, markup, or has no words (a boilerplate answer such
            as "s.o." or "-" is valid and fits no topic).
        """
        item = self.suggest_many([text], k=k)[0]
        if item.error is not None:
            raise item.error
        assert item.result is not None
        return item.result

    def suggest_many(
        self,
        texts: Sequence[str],
        k: int = 3,
        progress: Callable[[int], None] | None = None,
    ) -> list[ItemResult]:
        """Suggest topics for many texts; a bad text yields its error, the others go on."""
        if k < 1:
            raise InvalidEntryError("top: must be at least 1.", "bad_k")
        outcomes: list[ItemResult | None] = [None] * len(texts)
        valid: list[tuple[int, str]] = []
        for i, raw in enumerate(texts):
            try:
                valid.append((i, validate_text(raw)))
            except InvalidEntryError as err:
                outcomes[i] = ItemResult(None, err)
                if progress:
                    progress(1)
        # Texts only looked at, not stored: their vectors stay out of the on-disk cache, so
        # nothing of them outlives the request (and no cache write delays the answer).
        analyses = self.analyse([t for _, t in valid], k=k, progress=progress, keep=False)
        for (i, _), analysis in zip(valid, analyses, strict=True):
            outcomes[i] = ItemResult(analysis.result, None)
        return [o for o in outcomes if o is not None]

    def analyse(
        self,
        texts: Sequence[str],
        k: int = 3,
        progress: Callable[[int], None] | None = None,
        *,
        keep: bool = True,
    ) -> list[Analysis]:
        """Analyse validated texts: vector, combined scores and suggestions with evidence.

        ``keep=False`` bypasses the embedder's on-disk cache (``uncached()``), for texts that
        are not stored as entries.
        """
        if not texts:
            return []
        processed = self.preprocessor.process_many(texts)
        return self.finish(processed, self.embed_processed(processed, keep=keep), k, progress)

    def embed_processed(
        self, processed: Sequence[ProcessedText], *, keep: bool = True
    ) -> dict[tuple[str, ...], NDArray[np.float32]]:
        """Run the encoder stage: each distinct text's rows, keyed by its sentences.

        One embedding call covers each distinct text with its sentences
        (``Embedder.encode_in_context``): row 0 is the text's vector, row 1 + i sentence i's.
        The only stage that needs the model: ``assistant.topics.overlap`` runs the others
        (preprocessing, ``finish``) beside it.
        """
        distinct = list(dict.fromkeys(p.sentences for p in processed))
        embedder = self.embedder if keep else self.embedder.uncached()
        return dict(zip(distinct, embedder.encode_in_context(distinct), strict=True))

    def finish(
        self,
        processed: Sequence[ProcessedText],
        rows: dict[tuple[str, ...], NDArray[np.float32]],
        k: int = 3,
        progress: Callable[[int], None] | None = None,
    ) -> list[Analysis]:
        """Score and rank processed texts from their encoder rows (``embed_processed``)."""
        processed, vectors, combined, per_sentence = self._score_rows(list(processed), rows)
        wanted = [[self.pool.topics[j].id for j in row[:k]] for row in ScoreRows(combined).ranked()]
        all_terms = self.suggester.evidence_terms([" ".join(p.lemmas) for p in processed], wanted)
        analyses = []
        for p, vector, scores, sentence_scores, terms in zip(
            processed, vectors, combined, per_sentence, all_terms, strict=True
        ):
            result = rank_topics(
                p,
                scores,
                sentence_scores,
                self.pool,
                threshold=self.suggester.threshold_,
                k=k,
                terms=terms,
                strength=self.suggester.strength,
                probability=self.suggester.probability,
            )
            analyses.append(Analysis(p, vector, scores, result))
            if progress:
                progress(1)
        return analyses

    def score_processed(
        self, processed: Sequence[ProcessedText], *, keep: bool = True
    ) -> tuple[
        Sequence[ProcessedText],
        NDArray[np.float32],
        NDArray[np.float64],
        list[NDArray[np.float64] | None],
    ]:
        """Score processed texts: vectors, combined scores (n, n_topics + 1), sentence scores.

        One embedding call covers each distinct text with its sentences
        (``Embedder.encode_in_context``): the text's vector and its sentences' vectors come from one
        pass of the model, so every token goes through it once (``bench/speed.py`` measures
        what a second pass over the sentences cost). Up to ``MAX_SENTENCES_SCORED`` sentences
        of a multi-sentence text are scored for the evidence.
        """
        processed = list(processed)
        return self._score_rows(processed, self.embed_processed(processed, keep=keep))

    def _score_rows(
        self,
        processed: list[ProcessedText],
        rows: dict[tuple[str, ...], NDArray[np.float32]],
    ) -> tuple[
        list[ProcessedText],
        NDArray[np.float32],
        NDArray[np.float64],
        list[NDArray[np.float64] | None],
    ]:
        """``score_processed`` from encoder rows already made."""
        vectors = np.stack([rows[p.sentences][0] for p in processed]).astype(np.float32)
        unit_texts: list[str] = []
        unit_lemmas: list[str] = []
        unit_vectors: list[NDArray[np.float32]] = []
        spans: list[tuple[int, int]] = []
        for p in processed:
            start = len(unit_texts)
            if len(p.sentences) > 1:
                scored = p.sentences[:MAX_SENTENCES_SCORED]
                lemmas = p.sentence_lemmas[: len(scored)]
                if len(lemmas) != len(scored):  # a ProcessedText made elsewhere: parse them
                    lemmas = tuple(u.lemmas for u in self.preprocessor.process_many(scored))
                unit_texts.extend(scored)
                unit_lemmas.extend(" ".join(lemma) for lemma in lemmas)
                unit_vectors.extend(rows[p.sentences][1 : 1 + len(scored)])
            spans.append((start, len(unit_texts)))
        dim = vectors.shape[1]
        features = TextFeatures(
            [p.text for p in processed] + unit_texts,
            [" ".join(p.lemmas) for p in processed] + unit_lemmas,
            np.ascontiguousarray(
                np.concatenate([vectors, np.array(unit_vectors, dtype=np.float32).reshape(-1, dim)])
            ),
        )
        scores = self.suggester.predict_scores(features)
        offset = len(processed)
        per_sentence: list[NDArray[np.float64] | None] = [
            scores[offset + start : offset + end] if end > start else None for start, end in spans
        ]
        combined = np.stack(
            [combine_scores(scores[n], per_sentence[n]) for n in range(len(processed))]
        )
        # A boilerplate answer ("s.o.", "k.A.", "-") fits no topic whatever the model makes of
        # it: its row is all "no topic", so no suggestion, profile or cluster counts it.
        for n, p in enumerate(processed):
            if is_boilerplate_answer(p.text):
                combined[n] = 0.0
                combined[n, -1] = 1.0
                per_sentence[n] = None
        return processed, vectors, combined, per_sentence
