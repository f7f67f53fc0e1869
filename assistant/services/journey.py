"""Journey: a published tandem's first-meeting guide and goal agreement, kept and printed.

Unaware of who asks (the facade checks that only the two partners, or the operator printing
on their request, get here); it finds the tandem, composes its documents from the pool and
what the partners wrote, and keeps every version of the agreement with its confirmations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from assistant import texts
from assistant.domain import Programme, TopicPool
from assistant.errors import InvalidEntryError
from assistant.journey import (
    AgreementContent,
    AgreementDefaults,
    Document,
    Tandem,
    agreement_document,
    compose_guide,
    draft_agreement,
    to_docx,
    to_pdf,
    validate_agreement,
)
from assistant.services.analyses import Analyses
from assistant.services.lookups import Lookups
from assistant.services.matching import Matching, mode_of
from assistant.storage import Stores
from assistant.storage.agreements import StoredAgreement, StoredConfirmation
from assistant.storage.records import StoredSuggestion

__all__ = ["AgreementView", "DocumentFormat", "DocumentKind", "Journey", "agreement_defaults"]

DocumentKind = Literal["guide", "agreement"]
DocumentFormat = Literal["pdf", "docx"]


@dataclass(frozen=True)
class AgreementView:
    """A tandem's agreement as it stands: the current version (or the first draft) and history.

    Attributes
    ----------
    version : int
        The current stored version; 0 while only the prefilled draft exists (nothing stored).
    confirmations : tuple of StoredConfirmation
        Confirmations of the current version.
    history : tuple of StoredAgreement
        Every stored version, oldest first.
    printable : Document or None
        What a print shows: the version in force, else the current draft (marked Entwurf).
    """

    tandem: Tandem
    content: AgreementContent
    version: int
    confirmations: tuple[StoredConfirmation, ...]
    history: tuple[StoredAgreement, ...]
    printable: Document | None = None

    @property
    def confirmed(self) -> bool:
        """Whether both partners confirmed the current version."""
        return self.tandem.partners <= {c.participant_id for c in self.confirmations}

    def confirmed_by(self, participant_id: str) -> bool:
        """Whether ``participant_id`` confirmed the current version."""
        return any(c.participant_id == participant_id for c in self.confirmations)

    @property
    def in_force(self) -> StoredAgreement | None:
        """The latest version both partners confirmed (it stays in force during a change)."""
        return next(
            (
                a
                for a in reversed(self.history)
                if self.tandem.partners <= {c.participant_id for c in a.confirmations}
            ),
            None,
        )


def agreement_defaults(programme: Programme) -> AgreementDefaults:
    """Return the frame of a new draft: monthly, 90 minutes, the programme's length in months.

    Programmes store no meeting rhythm yet; their run time (``starts_on`` to ``ends_on``)
    sets the duration when both dates are known, else 12 months (the cross-mentoring year).
    """
    if programme.starts_on and programme.ends_on and programme.ends_on > programme.starts_on:
        start, end = programme.starts_on, programme.ends_on
        months = (end.year - start.year) * 12 + end.month - start.month
        return AgreementDefaults(months=min(max(months, 1), 36))
    return AgreementDefaults()


class Journey:
    """Guide and agreement of published tandems (cross, reverse, tandem programmes)."""

    def __init__(
        self,
        stores: Stores,
        analyses: Analyses,
        lookups: Lookups,
        matching: Matching,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self.matching = matching
        self.now = now

    def tandem(self, programme: str, participant_id: str) -> Tandem | None:
        """Return the published tandem ``participant_id`` is in, or None (none, or groups)."""
        prog = self.lookups.programme(programme)
        if mode_of(prog.kind) != "pairs":
            return None
        pair = self.matching.partner_of(programme, participant_id)
        if pair is None:
            return None
        people = {p.id: p for p in self.stores.programmes.participants_of(prog.id)}
        entries = self.stores.entries.of_programme(prog.id)
        suggestions = self.stores.entries.suggestions_of([e.id for e in entries])
        by_entry: dict[str, list[StoredSuggestion]] = {}
        for s in suggestions:
            if s.status != "dismissed":
                by_entry.setdefault(s.entry_id, []).append(s)

        def topics(pid: str, kind: str) -> list[tuple[str, str]]:
            """(best topic or "", text) of each entry of ``kind`` by ``pid``, in order."""
            found = []
            for e in entries:
                if e.participant_id == pid and e.kind == kind:
                    ranked = sorted(
                        by_entry.get(e.id, []), key=lambda s: (s.status != "accepted", s.rank)
                    )
                    found.append((ranked[0].topic_id if ranked else "", e.text))
            return found

        def all_topics(pid: str, kind: str) -> tuple[str, ...]:
            ranked = sorted(
                (
                    s
                    for e in entries
                    if e.participant_id == pid and e.kind == kind
                    for s in by_entry.get(e.id, [])
                ),
                key=lambda s: (s.status != "accepted", s.rank),
            )
            return tuple(dict.fromkeys(s.topic_id for s in ranked))

        mentee = people.get(pair.mentee)
        # The mentee's goals reach the mentor only while the mentee consents to matching
        # (as the partner view of my_match shows them).
        goals = tuple(topics(pair.mentee, "goal")) if mentee and mentee.consent_matching else ()
        return Tandem(
            programme=prog,
            mentee=pair.mentee,
            mentor=pair.mentor,
            shared_topics=pair.shared_topics,
            mentee_topics=all_topics(pair.mentee, "goal"),
            mentor_topics=all_topics(pair.mentor, "offer"),
            goals_by_topic=goals,
        )

    def pool(self, tandem: Tandem) -> TopicPool:
        """Return the pool the tandem's programme uses now."""
        return self.analyses.pools.pool_of(tandem.programme.id)

    def guide(self, tandem: Tandem) -> Document:
        """Compose the tandem's first-meeting guide."""
        return compose_guide(tandem, self.pool(tandem))

    def agreement(self, tandem: Tandem) -> AgreementView:
        """Return the agreement as it stands, or the prefilled draft when none is stored."""
        history = tuple(
            self.stores.agreements.versions(tandem.programme.id, tandem.mentee, tandem.mentor)
        )
        if not history:
            draft = draft_agreement(tandem, self.pool(tandem), agreement_defaults(tandem.programme))
            view = AgreementView(tandem, draft, 0, (), ())
        else:
            last = history[-1]
            content = AgreementContent.from_dict(last.content)
            view = AgreementView(tandem, content, last.version, last.confirmations, history)
        return replace(view, printable=self._printable(view))

    def save(self, tandem: Tandem, content: AgreementContent, *, by: str) -> AgreementView:
        """Store a changed agreement as a new version: confirmations start again.

        Content equal to the current version stores nothing (its confirmations stay).

        Raises
        ------
        InvalidEntryError
            A field over its length or out of range (``validate_agreement``); nothing stored.
        """
        content = validate_agreement(content)
        current = self.agreement(tandem)
        if current.version and content == current.content:
            return current
        self.stores.agreements.add_version(
            tandem.programme.id,
            tandem.mentee,
            tandem.mentor,
            content.as_dict(),
            by=by,
            at=self.now(),
        )
        return self.agreement(tandem)

    def confirm(
        self, tandem: Tandem, participant_id: str, version: int, *, username: str
    ) -> AgreementView:
        """Record a partner's confirmation of ``version`` (0: the prefilled draft, stored now).

        Raises
        ------
        InvalidEntryError
            ``stale`` when the tandem stored a newer version since the partner read it.
        """
        current = self.agreement(tandem)
        if version != current.version:
            message = texts.INVALID_AGREEMENT["stale"].format(version=current.version)
            raise InvalidEntryError(message, "stale", {"version": current.version})
        if version == 0:
            current = self.save(tandem, current.content, by=participant_id)
        stored = current.history[-1]
        self.stores.agreements.confirm(stored.id, participant_id, username, self.now())
        return self.agreement(tandem)

    def _printable(self, view: AgreementView) -> Document:
        """Compose the version in force (both confirmed), else the current draft (Entwurf)."""
        tandem = view.tandem
        chosen = view.in_force
        if chosen is None:
            content, version = view.content, view.version
            confirmations = view.confirmations
        else:
            content, version = AgreementContent.from_dict(chosen.content), chosen.version
            confirmations = chosen.confirmations
        return agreement_document(
            tandem,
            content,
            self.pool(tandem),
            version=version,
            confirmations=[(c.participant_id, c.at) for c in confirmations],
        )

    def document(self, tandem: Tandem, kind: DocumentKind, fmt: DocumentFormat) -> bytes:
        """Render the guide or the agreement (``AgreementView.printable``) as PDF or DOCX."""
        if kind == "guide":
            doc = self.guide(tandem)
        else:
            printable = self.agreement(tandem).printable
            assert printable is not None  # agreement() always composes it
            doc = printable
        return to_pdf(doc) if fmt == "pdf" else to_docx(doc)
