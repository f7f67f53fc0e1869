"""The invitation to a tandem's next meeting as an iCalendar file (RFC 5545, ``icalendar``).

The event is a whole day (the agreement fixes a rhythm, not an hour): the partners agree on
the time; the description names the agreed duration. No names and no texts of the tandem go
into the file, only the programme's name.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from assistant import texts

__all__ = ["invitation_ics"]

PRODID = "-//Mentoring-Assistent//Treffen//DE"


def invitation_ics(programme: str, on: date, minutes: int, *, key: str, now: datetime) -> bytes:
    """Return a calendar with one whole-day event on ``on`` for the tandem named by ``key``.

    ``key`` makes the UID stable per tandem and date (a re-sent invitation updates the same
    event) without showing who is in the tandem: only its hash enters the file.
    """
    from icalendar import Calendar, Event  # imported by the one command that writes a file

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    digest = hashlib.sha256(f"{key}\x00{on.isoformat()}".encode()).hexdigest()[:32]
    event.add("uid", f"{digest}@mentoring-assistent")
    event.add("dtstamp", now)
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    event.add("summary", texts.INVITATION_SUMMARY.format(programme=programme))
    event.add("description", texts.INVITATION_DESCRIPTION.format(minutes=minutes))
    cal.add_component(event)
    return bytes(cal.to_ical())
