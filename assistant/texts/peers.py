"""German copy of issue #17 (items 6-7): what a peer suggestion without a shared topic compared."""

from __future__ import annotations

__all__ = ["REASON_SIMILAR_WORDING"]

# PeerMatch.reasons "similar_wording": the topic profiles share no topic, so only the texts'
# wording (their embeddings) was compared; "Ähnliche Ziele" would claim more than that.
REASON_SIMILAR_WORDING = "Ähnlich formulierte Texte, kein gemeinsames Thema"
