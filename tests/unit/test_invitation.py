"""The invitation to a tandem's next meeting: the .ics read back with icalendar, and the mail
received by a real local SMTP server (aiosmtpd, started here on a free port); a server that is
down or refuses leaves the meeting stored and says the mail was not sent.
"""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import date, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from assistant import texts
from assistant.policy import Principal, operator
from assistant.service import MeetingInput
from tests.matching_cohort import CROSS, cross_rows, write_csv
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

OPERATOR = operator("cli:test")
COORDINATOR = Principal("koordination", "coordinator", programmes=frozenset({CROSS}))
TODAY = date.today()


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """aiosmtpd handler: keeps what arrives; refuses every recipient when ``refuse``."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 Empfänger abgelehnt"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def _engine(hashing_assistant, tmp_path, **settings):
    engine = make_assistant(hashing_assistant, tmp_path / "data", **settings)
    engine.import_file(OPERATOR, write_csv(tmp_path / "cross.csv", cross_rows()), kind="cross")
    engine.match(COORDINATOR, CROSS)
    pairs = {p.mentee: p.mentor for p in engine.match_publish(COORDINATOR, CROSS).result.pairs}
    stores = stores_of(engine)
    prog = stores.programmes.get(CROSS)
    with stores.db.transaction() as tx:
        for pid in ("me-1", pairs["me-1"]):
            member = stores.programmes.participant(pid, prog.id)
            stores.programmes.upsert_participant(
                tx, prog.id, replace(member, email=f"{pid}@example.org"), by="test"
            )
    return engine, "me-1", pairs["me-1"]


def test_ics_reads_back_with_the_next_date_and_no_names(hashing_assistant, tmp_path):
    engine, mentee, mentor = _engine(hashing_assistant, tmp_path)
    engine.log_meeting(person(mentee), CROSS, MeetingInput(TODAY - timedelta(days=3), 90))
    invitation = engine.meeting_invitation(person(mentor), CROSS)
    event = next(iter(Calendar.from_ical(invitation.ics).walk("VEVENT")))
    expected = engine.tandem_meetings(person(mentee), CROSS).schedule.next_on
    assert event.decoded("dtstart") == expected == invitation.on
    assert str(event["summary"]) == texts.INVITATION_SUMMARY.format(programme=CROSS)
    assert "90 Minuten" in str(event["description"])
    assert mentee not in invitation.ics.decode() and mentor not in invitation.ics.decode()
    assert invitation.mail == ""
    dispose_engines()


def test_mail_is_off_by_default(hashing_assistant, tmp_path):
    engine, mentee, _ = _engine(hashing_assistant, tmp_path)
    assert engine.meeting_invitation(person(mentee), CROSS, send=True).mail == "off"
    dispose_engines()


def test_mail_reaches_both_partners_through_the_smtp_server(hashing_assistant, tmp_path, smtp):
    inbox, port = smtp
    engine, mentee, mentor = _engine(
        hashing_assistant, tmp_path, smtp_host="127.0.0.1", smtp_port=port,
        smtp_from="mentoring@example.org",
    )  # fmt: skip
    sent = engine.meeting_invitation(person(mentee), CROSS, send=True)
    assert (sent.mail, sent.recipients) == ("sent", 2)
    [(to, raw)] = inbox.messages
    assert sorted(to) == sorted([f"{mentee}@example.org", f"{mentor}@example.org"])
    message = message_from_bytes(raw)
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "treffen.ics"
    assert Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    audit = [r for r in stores_of(engine).audit.rows() if r.action == "meeting.log"]
    assert audit[0].detail == {"step": "invite", "mail": "sent", "to": 2}
    dispose_engines()


@pytest.mark.parametrize("refuse", [True, False])
def test_server_refusing_or_down_says_not_sent_and_keeps_the_meeting(
    hashing_assistant, tmp_path, refuse
):
    inbox = Inbox(refuse=True)
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port()) if refuse else None
    port = controller.port if controller else _free_port()  # down: nobody listens there
    if controller:
        controller.start()
    try:
        engine, mentee, _ = _engine(
            hashing_assistant, tmp_path, smtp_host="127.0.0.1", smtp_port=port,
            smtp_from="mentoring@example.org",
        )  # fmt: skip
        engine.log_meeting(person(mentee), CROSS, MeetingInput(TODAY, 60))
        assert engine.meeting_invitation(person(mentee), CROSS, send=True).mail == "failed"
        assert stores_of(engine).db.count("meetings") == 1 and inbox.messages == []
    finally:
        if controller:
            controller.stop()
        dispose_engines()
