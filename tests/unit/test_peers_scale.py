"""PeerIndex above EXACT_MAX_ROWS: an IVF index, tuned for recall, that still removes people."""

import numpy as np
import pytest

from assistant.peers import PeerIndex, PeerProfile, build_search_index

TOPICS = ("a", "b", "c")
LABELS = {"a": "A", "b": "B", "c": "C"}


def clustered_rows(n, dimension=16, centres=20, seed=0):
    rng = np.random.default_rng(seed)
    middle = rng.standard_normal((centres, dimension))
    rows = middle[rng.integers(centres, size=n)] + 0.3 * rng.standard_normal((n, dimension))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def profiles(rows, prefix="p"):
    return [
        PeerProfile(f"{prefix}{i}", "Amt", "peer", row, None, None, None)
        for i, row in enumerate(rows)
    ]


def test_build_search_index_is_exact_up_to_the_limit_and_ivf_above():
    rows = clustered_rows(600)
    ids = np.arange(600, dtype=np.int64)
    exact, info = build_search_index(rows, ids, exact_max_rows=600)
    assert info["lists"] == 0 and info["recall"] == 1.0
    approximate, info = build_search_index(rows, ids, exact_max_rows=599, target_recall=0.95)
    assert type(approximate).__name__ == "IndexIVFFlat"
    assert info["lists"] >= 16 and 1 <= info["nprobe"] <= info["lists"]
    assert info["recall"] >= 0.95
    _, truth = exact.search(rows[:50], 10)
    _, found = approximate.search(rows[:50], 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.9  # measured on other queries than the tuning sample, so a margin


def test_peer_index_switches_to_ivf_when_it_grows_and_still_erases():
    index = PeerIndex(exact_max_rows=300).fit(profiles(clustered_rows(200)), TOPICS, LABELS)
    assert type(index._indexes["need"]).__name__ == "IndexIDMap2"
    index.add(profiles(clustered_rows(200, seed=1), prefix="q"))
    assert type(index._indexes["need"]).__name__ == "IndexIVFFlat"
    assert index.search_info_["need"]["rows"] == 400
    found = index.find_peers("p0", k=5)
    assert len(found) == 5 and "p0" not in {m.participant_id for m in found}
    gone = found[0].participant_id
    assert index.remove([gone]) == 1
    assert gone not in {m.participant_id for m in index.find_peers("p0", k=20)}
    with pytest.raises(Exception, match="not in the peer index"):
        index.find_peers(gone)


def test_cross_organisation_ranking_fetches_enough_for_an_exact_order():
    rows = clustered_rows(120, seed=3)
    people = [
        PeerProfile(f"p{i}", "Amt A" if i % 10 else "Amt B", "peer", row, None, None, None)
        for i, row in enumerate(rows)
    ]
    index = PeerIndex(cross_org_penalty=0.5).fit(people, TOPICS, LABELS)
    found = index.find_peers("p1", k=5, prefer_other_organisation=True)
    # Brute force over everyone with the same penalty and tie-breaks.
    query = index._representations["need"]["p1"]
    ranked = sorted(
        (p for p in people if p.participant_id != "p1"),
        key=lambda p: (
            -(
                float(index._representations["need"][p.participant_id] @ query)
                - (0.5 if p.organisation == "Amt A" else 0.0)
            ),
            p.participant_id,
        ),
    )
    assert [m.participant_id for m in found] == [p.participant_id for p in ranked[:5]]
