"""German copy of issue #17 (items 6-7): what a peer suggestion without a shared topic compared."""

from __future__ import annotations

__all__ = ["PROBABILITY_CAPTION", "REASON_SIMILAR_WORDING", "probability_caption"]

# PeerMatch.reasons "similar_wording": the topic profiles share no topic, so only the texts'
# wording (their embeddings) was compared; "Ähnliche Ziele" would claim more than that.
REASON_SIMILAR_WORDING = "Ähnlich formulierte Texte, kein gemeinsames Thema"

# TopicSuggestion.probability: calibrated on the pool's own example texts (isotonic, out of
# fold), so the sentence names where the share was observed.
PROBABILITY_CAPTION = (
    "Vorschläge mit diesem Wert trafen bei den Beispieltexten des Themenpools in etwa "
    "{n} von 10 Fällen zu."
)


def probability_caption(probability: float) -> str:
    """Return the line under a topic's score saying how often such a suggestion was right.

    Rounded to tenths ("in etwa 8 von 10 Fällen"): the calibration rests on a few hundred
    pool texts, so a finer number would claim more than it knows.
    """
    return PROBABILITY_CAPTION.format(n=round(min(max(probability, 0.0), 1.0) * 10))
