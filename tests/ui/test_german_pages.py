"""Every page in German: no listed English word in any element's text (issue #14, item 8).

Streamlit's own English defaults ("Choose options", "Select all") are filled in by the browser
when a widget leaves them unset, so the check also asks every selectbox and multiselect for a
placeholder and no "Select all". AppTest exposes each element's protobuf: labels,
placeholders, help texts, captions, options and Markdown are all string fields of it, so the
check reads every string field of every element, plus the column names of the tables (their
cells travel as Arrow bytes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from assistant.policy import Principal
from tests.browser.english import STREAMLIT_UNTRANSLATABLE, english_in
from tests.ui.conftest import APP, sign_in_as

pytestmark = pytest.mark.usefixtures("demo_app")

REVERSE = "Reverse Mentoring Stadt Nordhafen 2026"
PEER_GROUPS = "Peer-Group-Mentoring Führungskräfte 2026"
PAGES = "assistant/ui/pages/"

VISITOR = None
PARTICIPANT = Principal("demo-rm-01", "participant", "rm-01", frozenset({REVERSE}))
MODERATOR = Principal("german-moderator", "moderator", groups=frozenset({(PEER_GROUPS, "A")}))
COORDINATOR = Principal("german-coordinator", "coordinator", programmes=frozenset({REVERSE}))
ADMIN = Principal("demo-admin", "admin")

CASES = [
    (VISITOR, "signin.py"),
    (VISITOR, "suggest.py"),
    (VISITOR, "privacy.py"),
    (PARTICIPANT, "participant.py"),
    (PARTICIPANT, "my_data.py"),
    (MODERATOR, "moderator.py"),
    (COORDINATOR, "coordinator.py"),
    (COORDINATOR, "matching.py"),
    (COORDINATOR, "pool.py"),
    (COORDINATOR, "evaluation.py"),
    (ADMIN, "audit.py"),
]


def strings(message: Message) -> Iterator[str]:
    """Every string field of a protobuf message, nested messages included."""
    for field, value in message.ListFields():
        if field.type not in (field.TYPE_STRING, field.TYPE_MESSAGE):
            continue
        items = [value] if isinstance(value, str | Message) else list(value)
        for item in items:
            if isinstance(item, str):
                yield item
            elif isinstance(item, Message):
                yield from strings(item)


def element_texts(node: Any) -> Iterator[str]:
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message):
        yield from strings(proto)
    for child in getattr(node, "children", {}).values():
        yield from element_texts(child)


@pytest.mark.parametrize(("who", "page"), CASES, ids=[p for _, p in CASES])
def test_no_english_word_on_the_page(who, page):
    at = AppTest.from_file(APP, default_timeout=180)
    if who is not None:
        sign_in_as(at, who)
    at.run()
    at = at.switch_page(PAGES + page).run()
    assert not at.exception
    found = list(element_texts(at._tree))
    found += [str(c) for frame in at.dataframe for c in frame.value.columns]
    assert len(found) > 3  # the page rendered something to check
    # The coordinator page holds the file uploader, whose own words Streamlit cannot translate.
    allow = STREAMLIT_UNTRANSLATABLE if page == "coordinator.py" else ()
    assert not english_in(found, allow), page
    # Streamlit's English defaults live in the browser, not in the proto: an empty placeholder
    # shows "Choose options", an unset select_all shows "Select all".
    for widget in [*at.selectbox, *at.multiselect]:
        assert widget.proto.placeholder, (page, widget.label)
    assert all(m.proto.select_all == 0 for m in at.multiselect), page


def test_the_tandem_panels_are_german_once_tandems_are_published(engine):
    """Runs last: publishing shows the guide, agreement and meetings panels on the page."""
    from assistant.policy import operator

    setup = operator("test:setup")
    engine.match(setup, REVERSE)
    pairs = engine.match_publish(setup, REVERSE).result.pairs
    mentee = next(p.mentee for p in pairs)
    who = Principal(f"demo-{mentee}", "participant", mentee, frozenset({REVERSE}))
    at = sign_in_as(AppTest.from_file(APP, default_timeout=180), who).run()
    assert not at.exception
    keys = {w.key for w in [*at.selectbox, *at.multiselect]}
    assert {"agr_rhythm", "mt_topics"} <= keys  # the panels are there
    assert not english_in(list(element_texts(at._tree)), ())
    for widget in [*at.selectbox, *at.multiselect]:
        assert widget.proto.placeholder, widget.label
