"""Peers: profiles of consenting participants, a faiss PeerIndex over them, find_peers.

Modules, top to bottom: ``index`` (PeerIndex: building, updates, search), ``matches`` (modes,
PeerMatch, shared topics, reason codes), ``profiles`` (PeerProfile and its unit row),
``search`` (faiss structures sized to the data).
"""

from assistant.peers.index import PeerIndex
from assistant.peers.matches import (
    MAX_SHARED_TOPICS,
    MODES,
    REASON_CODES,
    Mode,
    PeerMatch,
    ReasonCode,
    shared_topics,
)
from assistant.peers.profiles import (
    PeerProfile,
    build_peer_profiles,
    listed_topics,
    peer_representation,
)
from assistant.peers.search import EXACT_MAX_ROWS, TARGET_RECALL, build_search_index

__all__ = [
    "EXACT_MAX_ROWS",
    "MAX_SHARED_TOPICS",
    "MODES",
    "REASON_CODES",
    "TARGET_RECALL",
    "Mode",
    "PeerIndex",
    "PeerMatch",
    "PeerProfile",
    "ReasonCode",
    "build_peer_profiles",
    "build_search_index",
    "listed_topics",
    "peer_representation",
    "shared_topics",
]
