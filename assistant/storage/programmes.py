"""ProgrammeStore: programmes, participants and their memberships, peer groups, consents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, insert, select, update

from assistant.domain import MEMBERSHIP_FIELDS, Participant, Programme
from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, aware, chunked, new_id, now
from assistant.storage.records import (
    ConsentChange,
    GroupRef,
    ParticipantUpsert,
    participant_from,
    programme_from,
)

__all__ = ["ProgrammeStore"]

# Joined to a person's row whenever a Participant is read through a programme.
_MEMBERSHIP = (
    t.memberships.c.role,
    t.memberships.c.capacity,
    t.memberships.c.level,
    t.memberships.c.email,
)


class ProgrammeStore:
    """Programmes, the people in them, their groups and consents."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- programmes -------------------------------------------------------------------------

    def upsert(self, tx: Tx, name: str, kind: str, **extra: Any) -> int:
        """Return the id of programme ``name``, creating it when new."""
        found = tx.execute(select(t.programmes.c.id).where(t.programmes.c.name == name)).first()
        if found:
            if extra:
                tx.execute(
                    update(t.programmes).where(t.programmes.c.id == found[0]).values(**extra)
                )
            return int(found[0])
        result = tx.execute(
            insert(t.programmes).values(name=name, kind=kind, created_at=now(), **extra)
        )
        return new_id(result)

    def get(self, name: str) -> Programme | None:
        """Return the programme called ``name``, or None."""
        with self.db.read() as con:
            row = con.execute(select(t.programmes).where(t.programmes.c.name == name)).first()
        return programme_from(row) if row else None

    def all(self) -> list[Programme]:
        """All programmes by name."""
        with self.db.read() as con:
            rows = con.execute(select(t.programmes).order_by(t.programmes.c.name)).all()
        return [programme_from(r) for r in rows]

    # -- the version other processes compare before they trust a cache ----------------------

    def touch(self, tx: Tx, programme_ids: Iterable[int]) -> None:
        """Raise the data version of programmes whose people or entries changed."""
        ids = sorted(set(programme_ids))
        if ids:
            raise_versions(tx, ids)

    def touch_of_participant(self, tx: Tx, participant_id: str) -> None:
        """Raise the data version of every programme a participant takes part in."""
        raise_versions(tx, programmes_of_participant(participant_id))

    def version(self, programme_id: int) -> int:
        """Return a programme's data version (one indexed read: cheap enough for every query)."""
        with self.db.read() as con:
            found = con.execute(
                select(t.programmes.c.data_version).where(t.programmes.c.id == programme_id)
            ).first()
        return int(found[0]) if found else -1

    def names_of_participants(self, participant_ids: Iterable[str]) -> dict[str, list[str]]:
        """Programme names per participant id, for many people in one pass (imports)."""
        found: dict[str, list[str]] = {}
        with self.db.read() as con:
            for chunk in chunked(sorted(set(participant_ids))):
                rows = con.execute(
                    select(t.memberships.c.participant_id, t.programmes.c.name)
                    .join(t.programmes, t.programmes.c.id == t.memberships.c.programme_id)
                    .where(t.memberships.c.participant_id.in_(chunk))
                    .order_by(t.programmes.c.name)
                ).all()
                for pid, name in rows:
                    found.setdefault(str(pid), []).append(str(name))
        return found

    def of_participant(self, participant_id: str) -> list[Programme]:
        """Programmes ``participant_id`` takes part in, by name."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.programmes)
                .join(t.memberships, t.memberships.c.programme_id == t.programmes.c.id)
                .where(t.memberships.c.participant_id == participant_id)
                .order_by(t.programmes.c.name)
            ).all()
        return [programme_from(r) for r in rows]

    # -- participants -----------------------------------------------------------------------

    def upsert_participant(
        self, tx: Tx, programme_id: int, participant: Participant, *, by: str
    ) -> ParticipantUpsert:
        """Add a participant (or their membership of a programme); say what was kept or changed.

        A new participant is stored as given, their first consents go into the history. An
        existing one keeps what is stored: consent belongs to the person, and organisation,
        age band and name are theirs too; the fields where the given values differ are
        returned as ``kept``, so the caller can report them instead of applying them.

        The membership (role, capacity, level, email) belongs to the programme's file: given
        values are applied, ``None`` leaves the stored value as it is, and the membership fields
        of a known membership that took a new value are returned as ``changed``.
        """
        current = tx.execute(
            select(t.participants).where(t.participants.c.id == participant.id)
        ).first()
        kept: tuple[str, ...] = ()
        if current is None:
            moment = now()
            tx.execute(
                insert(t.participants).values(
                    id=participant.id,
                    organisation=participant.organisation,
                    age_band=participant.age_band,
                    consent_analysis=participant.consent_analysis,
                    consent_matching=participant.consent_matching,
                    given_name=participant.given_name or None,
                    consent_updated_at=moment,
                    confirmed=participant.confirmed,
                )
            )
            tx.execute(
                insert(t.consent_history).values(
                    participant_id=participant.id,
                    consent_analysis=participant.consent_analysis,
                    consent_matching=participant.consent_matching,
                    changed_at=moment,
                    changed_by=by,
                )
            )
        else:
            given = {
                "organisation": participant.organisation,
                "age_band": participant.age_band,
                "consent_analysis": participant.consent_analysis,
                "consent_matching": participant.consent_matching,
            }
            kept = tuple(
                name for name, value in given.items() if _differs(getattr(current, name), value)
            )
        return ParticipantUpsert(kept, self._upsert_membership(tx, programme_id, participant))

    def _upsert_membership(
        self, tx: Tx, programme_id: int, participant: Participant
    ) -> tuple[str, ...]:
        """Insert or update a membership; return the membership fields that changed."""
        given = {
            name: getattr(participant, name)
            for name in MEMBERSHIP_FIELDS
            if getattr(participant, name) is not None
        }
        where = (
            t.memberships.c.programme_id == programme_id,
            t.memberships.c.participant_id == participant.id,
        )
        member = tx.execute(select(*_MEMBERSHIP).where(*where)).first()
        if member is None:
            tx.execute(
                insert(t.memberships).values(
                    programme_id=programme_id,
                    participant_id=participant.id,
                    role=participant.role,
                    **given,
                )
            )
            return ()
        changed = tuple(name for name, value in given.items() if getattr(member, name) != value)
        values = {name: given[name] for name in changed}
        if member.role != participant.role:
            values["role"] = participant.role
        if values:
            tx.execute(update(t.memberships).where(*where).values(**values))
        return changed

    def participant(
        self, participant_id: str, programme_id: int | None = None
    ) -> Participant | None:
        """Return the participant with their membership of ``programme_id`` (or their first)."""
        query = (
            select(t.participants, *_MEMBERSHIP)
            .join(t.memberships, t.memberships.c.participant_id == t.participants.c.id)
            .where(t.participants.c.id == participant_id)
            .order_by(t.memberships.c.programme_id)
        )
        if programme_id is not None:
            query = query.where(t.memberships.c.programme_id == programme_id)
        with self.db.read() as con:
            row = con.execute(query).first()
        return participant_from(row) if row else None

    def participants_of(self, programme_id: int) -> list[Participant]:
        """Members of a programme, by id."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.participants, *_MEMBERSHIP)
                .join(t.memberships, t.memberships.c.participant_id == t.participants.c.id)
                .where(t.memberships.c.programme_id == programme_id)
                .order_by(t.participants.c.id)
            ).all()
        return [participant_from(r) for r in rows]

    def confirm(self, participant_ids: Iterable[str]) -> int:
        """Mark people as genuine (they signed in, or an admin confirmed the roster)."""
        ids = sorted(set(participant_ids))
        if not ids:
            return 0
        with self.db.transaction() as tx:
            changed = tx.execute(
                update(t.participants)
                .where(t.participants.c.id.in_(ids), t.participants.c.confirmed.is_(False))
                .values(confirmed=True)
            ).rowcount
            if changed:  # every sign-in confirms: only a real change may make others rebuild
                raise_versions(
                    tx,
                    select(t.memberships.c.programme_id).where(
                        t.memberships.c.participant_id.in_(ids)
                    ),
                )
        return int(changed)

    def known_names(self, programme_id: int) -> list[str]:
        """Given names of a programme's participants (for masking)."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.participants.c.given_name)
                .join(t.memberships, t.memberships.c.participant_id == t.participants.c.id)
                .where(
                    t.memberships.c.programme_id == programme_id,
                    t.participants.c.given_name.is_not(None),
                )
            ).all()
        return sorted({r[0] for r in rows if r[0]})

    # -- consent ----------------------------------------------------------------------------

    def change_consent(
        self, tx: Tx, participant_id: str, *, analysis: bool, matching: bool, by: str
    ) -> bool:
        """Set both consents and append them to the history; False for an unknown person."""
        moment = now()
        changed = tx.execute(
            update(t.participants)
            .where(t.participants.c.id == participant_id)
            .values(consent_analysis=analysis, consent_matching=matching, consent_updated_at=moment)
        ).rowcount
        if not changed:
            return False
        tx.execute(
            insert(t.consent_history).values(
                participant_id=participant_id,
                consent_analysis=analysis,
                consent_matching=matching,
                changed_at=moment,
                changed_by=by,
            )
        )
        return True

    def consent_history(self, participant_id: str) -> list[ConsentChange]:
        """Consent changes of a participant, oldest first."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.consent_history)
                .where(t.consent_history.c.participant_id == participant_id)
                .order_by(t.consent_history.c.id)
            ).all()
        return [
            ConsentChange(
                analysis=bool(r.consent_analysis),
                matching=bool(r.consent_matching),
                changed_at=aware(r.changed_at),
                changed_by=str(r.changed_by),
            )
            for r in rows
        ]

    # -- groups -----------------------------------------------------------------------------

    def ensure_group_member(
        self, tx: Tx, programme_id: int, group: str, participant_id: str
    ) -> None:
        """Create the group if needed and add the participant to it."""
        found = tx.execute(
            select(t.groups.c.id).where(
                t.groups.c.programme_id == programme_id, t.groups.c.name == group
            )
        ).first()
        group_id = (
            int(found[0])
            if found
            else new_id(tx.execute(insert(t.groups).values(programme_id=programme_id, name=group)))
        )
        exists = tx.execute(
            select(t.group_members).where(
                t.group_members.c.group_id == group_id,
                t.group_members.c.participant_id == participant_id,
            )
        ).first()
        if not exists:
            tx.execute(
                insert(t.group_members).values(group_id=group_id, participant_id=participant_id)
            )

    def groups_with_members(self, programme_id: int) -> list[tuple[str, list[str]]]:
        """Return the programme's groups by name with their members' ids."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.groups.c.name, t.group_members.c.participant_id)
                .join(t.group_members, t.group_members.c.group_id == t.groups.c.id)
                .where(t.groups.c.programme_id == programme_id)
                .order_by(t.groups.c.name, t.group_members.c.participant_id)
            ).all()
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(str(row.name), []).append(str(row.participant_id))
        return list(found.items())

    def find_groups(self, name: str) -> list[GroupRef]:
        """Return the groups called ``name``, in any programme."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.groups.c.id, t.groups.c.programme_id, t.groups.c.name).where(
                    t.groups.c.name == name
                )
            ).all()
        return [GroupRef(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def group_members(self, group_id: int) -> list[str]:
        """Participant ids of a group."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.group_members.c.participant_id)
                .where(t.group_members.c.group_id == group_id)
                .order_by(t.group_members.c.participant_id)
            ).all()
        return [str(r[0]) for r in rows]

    def groups_of(self, programme_id: int) -> list[str]:
        """Group names of a programme."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.groups.c.name)
                .where(t.groups.c.programme_id == programme_id)
                .order_by(t.groups.c.name)
            ).all()
        return [str(r[0]) for r in rows]

    def group_names_of(self, participant_id: str) -> list[tuple[str, str]]:
        """(programme name, group name) of the groups a participant belongs to."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.programmes.c.name, t.groups.c.name)
                .join(t.groups, t.groups.c.programme_id == t.programmes.c.id)
                .join(t.group_members, t.group_members.c.group_id == t.groups.c.id)
                .where(t.group_members.c.participant_id == participant_id)
                .order_by(t.programmes.c.name, t.groups.c.name)
            ).all()
        return [(str(r[0]), str(r[1])) for r in rows]


def programmes_of_participant(participant_id: str) -> Select[Any]:
    """Return the ids of a participant's programmes, as a sub-query."""
    return select(t.memberships.c.programme_id).where(
        t.memberships.c.participant_id == participant_id
    )


def raise_versions(tx: Tx, programme_ids: Sequence[int] | Select[Any]) -> None:
    """Raise ``data_version`` of the given programmes in the caller's transaction."""
    tx.execute(
        update(t.programmes)
        .where(t.programmes.c.id.in_(programme_ids))
        .values(data_version=t.programmes.c.data_version + 1)
    )


def _differs(stored: Any, given: Any) -> bool:
    """Whether a given value differs from the stored one (SQLite stores booleans as 0/1)."""
    if isinstance(given, bool):
        return bool(stored) != given
    return (stored or None) != (given or None)
