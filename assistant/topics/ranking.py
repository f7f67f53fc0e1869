"""Ranking: ``rank_topics`` turns a text's scores into a SuggestionResult with evidence."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from assistant.domain import ProcessedText, SuggestionResult, TopicPool, TopicSuggestion
from assistant.nlp.keyterms import evidence_keywords
from assistant.nlp.text import fold
from assistant.scores import SECOND_RATIO, ScoreRows

MAX_EVIDENCE_SENTENCES = 2
MAX_EVIDENCE_CHARS = 240
MAX_KEYWORDS = 6


def combine_scores(
    doc_scores: NDArray[np.float64], sentence_scores: NDArray[np.float64] | None
) -> NDArray[np.float64]:
    """Lift each topic towards its best sentence, never below the whole-text score.

    A text about two topics dilutes both in one embedding; its sentences often carry
    one topic each, which brings the second topic back up the ranking.
    """
    if sentence_scores is None or len(sentence_scores) < 2:
        return doc_scores
    doc = ScoreRows(doc_scores)
    best_sentence = ScoreRows(sentence_scores).best_per_topic
    lifted = np.maximum(doc.topics, (doc.topics + best_sentence) / 2.0)
    combined: NDArray[np.float64] = doc.with_topics(lifted).values[0]
    return combined


def matching_keywords(processed: ProcessedText, keywords: tuple[str, ...]) -> list[str]:
    """Return pool keywords found in the text, compounds included ("Führungsverantwortung")."""
    words = {fold(w) for w in processed.lemmas} | {
        fold(w) for s in processed.sentences for w in s.split()
    }
    found = []
    for keyword in keywords:
        key = fold(keyword)
        if len(key) < 3:
            continue
        if key in words or (len(key) >= 4 and any(key in w for w in words if len(w) > len(key))):
            found.append(keyword)
    return found


def _shorten(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_EVIDENCE_CHARS else sentence[:MAX_EVIDENCE_CHARS] + "…"


def rank_topics(
    processed: ProcessedText,
    scores: NDArray[np.float64],
    sentence_scores: NDArray[np.float64] | None,
    pool: TopicPool,
    *,
    threshold: float,
    k: int = 3,
    second_ratio: float = SECOND_RATIO,
    terms: dict[str, list[str]] | None = None,
    strength: Callable[[str, float], float] | None = None,
    probability: Callable[[float], float] | None = None,
) -> SuggestionResult:
    """Pick at most ``k`` topics and attach evidence.

    Parameters
    ----------
    scores : ndarray of shape (n_topics + 1,)
        Combined scores of the text; the last entry is "no topic".
    sentence_scores : ndarray of shape (n_sentences, n_topics + 1), optional
    threshold : float
        Calibrated minimum score (``TopicSuggester.threshold_``).
    second_ratio : float, default=0.4
        A further topic is suggested when it reaches this share of the best score.
    terms : dict, optional
        Classifier evidence terms per topic id (``TopicSuggester.evidence_terms``).
    strength : callable (topic id, score) -> float, optional
        The score read against the topic's null (``TopicSuggester.strength``); 1.0 without.
    probability : callable (score) -> float, optional
        The score's calibrated probability (``TopicSuggester.probability``); None without.

    Returns
    -------
    SuggestionResult
        ``no_fit`` with no topics when the best topic misses the threshold or "no topic" wins.
    """
    rows = ScoreRows(scores)
    if rows.no_fit(threshold)[0]:
        return SuggestionResult(processed.language, (), True)
    fitting = set(rows.fitting_topics(threshold, second_ratio)[0].tolist())
    chosen = [i for i in rows.ranked()[0][:k].tolist() if i in fitting]
    topic_scores = rows.topics[0]
    suggestions = []
    for index in chosen:
        topic = pool.topics[index]
        if sentence_scores is not None and len(sentence_scores) > 1:
            by_sentence = np.argsort(-sentence_scores[:, index], kind="stable")
            top = sentence_scores[by_sentence[0], index]
            picked = [
                processed.sentences[j]
                for j in by_sentence[:MAX_EVIDENCE_SENTENCES]
                if sentence_scores[j, index] >= 0.5 * top
            ]
        else:
            picked = [processed.text]
        language = processed.language
        keywords = matching_keywords(
            processed, topic.keywords.get(language, ()) + topic.keywords.get("de", ())
        )
        surface = {fold(lemma): lemma for lemma in processed.lemmas}
        score = round(float(topic_scores[index]), 4)
        suggestions.append(
            TopicSuggestion(
                topic_id=topic.id,
                label=topic.label_in(language),
                score=score,
                evidence=tuple(_shorten(s) for s in picked),
                # The keyword rule of the themes (no stop or filler word, one form per word)
                # applies to pool keywords and classifier terms alike.
                keywords=evidence_keywords(
                    keywords, (terms or {}).get(topic.id, []), surface, MAX_KEYWORDS
                ),
                strength=strength(topic.id, score) if strength is not None else 1.0,
                probability=probability(score) if probability is not None else None,
            )
        )
    return SuggestionResult(processed.language, tuple(suggestions), False)
