"""A tandem's meetings through the facade: partners only, private notes, reflections, privacy.

Runs on the hashing embedder and a fresh database (SQLite, or PostgreSQL under
``.ci/postgres.sh``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from assistant.errors import AccessDenied, InvalidEntryError
from assistant.journey import GoalItem
from assistant.policy import Principal, operator
from assistant.service import MeetingInput
from tests.matching_cohort import CROSS
from tests.unit.journey_support import cross_assistant
from tests.unit.privacy_support import stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
COORDINATOR = Principal("koordination", "coordinator", programmes=frozenset({CROSS}))
ADMIN = Principal("admin", "admin")
TODAY = date.today()


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    yield from cross_assistant(hashing_assistant, tmp_path)


@pytest.fixture
def tandem(engine):
    engine.match(COORDINATOR, CROSS)
    pairs = {p.mentee: p.mentor for p in engine.match_publish(COORDINATOR, CROSS).result.pairs}
    return "me-1", pairs["me-1"]


def _meeting(days_ago: int, **kw):
    return MeetingInput(TODAY - timedelta(days=days_ago), 90, **kw)


def test_both_partners_log_and_see_meetings_with_their_own_notes_only(engine, tandem):
    mentee, mentor = tandem
    agreement = engine.tandem_agreement(person(mentee), CROSS)
    topic = next(g.topic for g in agreement.content.goals if g.topic)
    engine.log_meeting(
        person(mentee), CROSS, _meeting(40, topics=(topic,), progress=((0, 2),), private_note="A")
    )
    engine.log_meeting(person(mentor), CROSS, _meeting(3, progress=((0, 4),), private_note="B"))
    mine = engine.tandem_meetings(person(mentee), CROSS)
    theirs = engine.tandem_meetings(person(mentor), CROSS)
    assert [m.note for m in mine.meetings] == ["A", ""]
    assert [m.note for m in theirs.meetings] == ["", "B"]
    assert [(p.goal, p.value) for p in mine.progress] == [(0, 2), (0, 4)]
    assert (topic, 1, True) in mine.topics
    assert mine.schedule.next_on > TODAY - timedelta(days=3) and not mine.schedule.overdue
    audit = [r for r in stores_of(engine).audit.rows() if r.action == "meeting.log"]
    assert len(audit) == 2 and all("A" not in str(r.detail) for r in audit)


def test_overdue_when_the_rhythm_has_passed(engine, tandem):
    mentee, _ = tandem
    engine.log_meeting(person(mentee), CROSS, _meeting(70))
    view = engine.tandem_meetings(person(mentee), CROSS)
    assert view.schedule.overdue and view.schedule.next_on < TODAY


@pytest.mark.parametrize("who", [COORDINATOR, ADMIN, person("me-2"), Principal("mod", "moderator")])
def test_nobody_else_logs_or_reads_and_each_refusal_is_audited(engine, tandem, who):
    mentee, _ = tandem
    engine.log_meeting(person(mentee), CROSS, _meeting(1, private_note="geheim"))
    before = len(stores_of(engine).audit.rows())
    with pytest.raises(AccessDenied):
        engine.log_meeting(who, CROSS, _meeting(1), mentee=mentee)
    with pytest.raises(AccessDenied):
        engine.tandem_meetings(who, CROSS, mentee=mentee)
    rows = stores_of(engine).audit.rows()
    assert len(rows) == before + 2 and {r.outcome for r in rows[:2]} == {"denied"}


def test_bad_input_stores_nothing(engine, tandem):
    mentee, _ = tandem
    for bad in (MeetingInput(TODAY + timedelta(days=1), 60), _meeting(1, progress=((0, 6),))):
        with pytest.raises(InvalidEntryError):
            engine.log_meeting(person(mentee), CROSS, bad)
    assert stores_of(engine).db.count("meetings") == 0


def test_reflection_becomes_an_entry_only_with_consent(engine, tandem):
    mentee, mentor = tandem
    stores = stores_of(engine)
    before = stores.db.count("entries")
    text = "Im Treffen haben wir über Delegation und Vertrauen im Team gesprochen."
    logged = engine.log_meeting(person(mentee), CROSS, _meeting(1, reflection=text))
    assert logged.reflection is True
    mine = [e for e in stores.entries.of_participant(mentee) if e.text == text]
    assert len(mine) == 1 and mine[0].kind == "reflection"
    engine.set_consent(person(mentor), mentor, analysis=False)
    logged = engine.log_meeting(person(mentor), CROSS, _meeting(1, reflection=text))
    assert logged.reflection is False
    assert stores.db.count("entries") == before + 1
    assert engine.log_meeting(person(mentor), CROSS, _meeting(1)).reflection is None


def test_export_erasure_and_retention_remove_meetings(engine, tandem):
    mentee, mentor = tandem
    engine.log_meeting(person(mentee), CROSS, _meeting(2, progress=((0, 3),), private_note="A"))
    exported = engine.export(OPERATOR, mentor)
    assert [(m["programme"], m["private_note"]) for m in exported["meetings"]] == [(CROSS, "")]
    assert engine.export(OPERATOR, mentee)["meetings"][0]["private_note"] == "A"
    engine.erase(OPERATOR, mentor)
    for table in ("meetings", "meeting_progress", "meeting_notes"):
        assert stores_of(engine).db.count(table) == 0


def test_retention_removes_the_programmes_meetings(engine, tandem):
    mentee, _ = tandem
    engine.log_meeting(person(mentee), CROSS, _meeting(2))
    stores = stores_of(engine)
    prog = stores.programmes.get(CROSS)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, CROSS, prog.kind, ends_on=date(2026, 3, 31))
    planned = engine.run_retention(ADMIN, today=date(2030, 1, 1), dry_run=True)
    assert planned["programmes"][0]["meetings"] == 1
    done = engine.run_retention(ADMIN, today=date(2030, 1, 1), dry_run=False)
    assert done["programmes"][0]["removed"]["meetings"] == 1
    assert stores.db.count("meetings") == 0


def test_goal_drift_lists_own_reflections_outside_the_agreement(engine, tandem):
    mentee, mentor = tandem
    text = "Heute ging es vor allem um Social Media und Instagram im Amt."
    entry = engine.add_entry(person(mentee), CROSS, "reflection", text)
    stores = stores_of(engine)
    suggested = [s for s in stores.entries.suggestions_of([entry.id]) if s.status != "dismissed"]
    best = min(suggested, key=lambda s: s.rank).topic_id
    other = next(t.id for t in engine.pool.topics if t.id != best)
    content = engine.tandem_agreement(person(mentee), CROSS).content
    outside = replace(content, goals=(GoalItem(other, "Ein anderes Ziel"),))
    engine.save_agreement(person(mentee), CROSS, outside)
    drift = engine.tandem_meetings(person(mentee), CROSS).drift
    assert [(d, t) for d, t in drift if t == best] == [(entry.created_at, best)]
    assert engine.tandem_meetings(person(mentor), CROSS).drift == ()  # only one's own texts
    inside = replace(content, goals=(GoalItem(best, "Genau dieses Ziel"),))
    engine.save_agreement(person(mentee), CROSS, inside)
    assert all(t != best for _, t in engine.tandem_meetings(person(mentee), CROSS).drift)
