"""The privacy part of the ``Assistant``: consent, export, erasure, retention, accounts, audit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from assistant.domain import Participant
from assistant.policy import Action, Principal
from assistant.storage.audit import AuditCheck
from assistant.storage.records import AuditRow
from assistant.surface.base import SurfaceBase, _pid

__all__ = ["PrivacySurface"]


class PrivacySurface(SurfaceBase):
    """Checked methods on people's rights, accounts and the audit log."""

    # -- privacy ----------------------------------------------------------------------------

    def my_consent(self, who: Principal | None) -> Participant:
        """Return the signed-in participant's record with their current consents."""
        me = self._own(who, Action.CHANGE_CONSENT, None)
        person = self._services().lookups.person(_pid(me))
        self._audit(me, Action.READ_OWN_ENTRIES, subject=_pid(me), detail={"consent": True})
        return person

    def set_consent(
        self,
        who: Principal | None,
        participant_id: str,
        *,
        analysis: bool | None = None,
        matching: bool | None = None,
    ) -> Participant:
        """Change consents with immediate effect (kept in the history)."""
        me = self._allow(who, Action.CHANGE_CONSENT, participant_id=participant_id)
        person = self._services().privacy.set_consent(
            participant_id, analysis=analysis, matching=matching, by=me.username
        )
        self._audit(
            me,
            Action.CHANGE_CONSENT,
            subject=participant_id,
            detail={"analysis": person.consent_analysis, "matching": person.consent_matching},
        )
        return person

    def export(self, who: Principal | None, participant_id: str | None = None) -> dict[str, Any]:
        """All data about a participant as JSON-ready dicts (Art. 15/20 GDPR)."""
        target = participant_id or (who.participant_id if who else None)
        me = self._allow(who, Action.EXPORT_SELF, participant_id=target)
        assert target is not None
        self._services().lookups.person(target)  # an unknown id is no export: nothing audited
        self._audit(me, Action.EXPORT_SELF, subject=target)
        return self._services().privacy.export(target, self._services().accounts.list_users())

    def erase(self, who: Principal | None, participant_id: str | None = None) -> dict[str, int]:
        """Erase a participant everywhere (their own request, or an operator's on it).

        The audit row names them only by ``erasure_digest`` and holds counts, never text.
        """
        target = participant_id or (who.participant_id if who else None)
        me = self._allow(who, Action.ERASE_SELF, participant_id=target)
        assert target is not None
        counts = self._services().privacy.erase(target)
        self._audit(
            me,
            Action.ERASE_SELF,
            subject=self._services().privacy.digest(target),
            detail={"removed": counts},
        )
        return counts

    def verify_audit(self, who: Principal | None) -> AuditCheck:
        """Check the audit log's chain of keyed hashes; name the first row where it breaks."""
        me = self._allow(who, Action.VIEW_AUDIT)
        check = self._services().stores.audit.verify()
        outcome = "ok" if check.intact else "failed"
        self._audit(me, Action.VIEW_AUDIT, outcome, detail={"verify": check.reason or "intact"})
        return check

    def erasure_digest(self, who: Principal | None, participant_id: str) -> str:
        """Return the audit subject an erasure of ``participant_id`` has (or would have).

        Whoever may read the audit log and knows an id can so prove that it was erased; the
        log itself holds only keyed hashes.
        """
        me = self._allow(who, Action.VIEW_AUDIT)
        digest = self._services().privacy.digest(participant_id)
        self._audit(me, Action.VIEW_AUDIT, detail={"digest": True})
        return digest

    def run_retention(
        self, who: Principal | None, *, today: date | None = None, dry_run: bool = False
    ) -> dict[str, Any]:
        """Delete the entries of programmes past their retention date."""
        me = self._allow(who, Action.RUN_RETENTION)
        result = self._services().privacy.run_retention(today or date.today(), dry_run=dry_run)
        self._audit(me, Action.RUN_RETENTION, detail=result)
        return result

    def feedback_examples(
        self, who: Principal | None, programme: str | None = None
    ) -> list[tuple[str, str]]:
        """Return accepted (text, topic id) pairs of consenting people, for pool review."""
        me = self._allow(who, Action.VIEW_FEEDBACK, programme=programme)
        prog_id = self._services().lookups.programme(programme).id if programme else None
        found = self._services().stores.entries.accepted_suggestions(prog_id)
        self._audit(me, Action.VIEW_FEEDBACK, programme=programme)
        return found

    # -- accounts and audit -----------------------------------------------------------------

    def audit_log(self, who: Principal | None, limit: int | None = None) -> list[AuditRow]:
        """Return the audit log, newest first."""
        me = self._allow(who, Action.VIEW_AUDIT)
        rows = self._services().stores.audit.rows(limit=limit)
        self._audit(me, Action.VIEW_AUDIT)
        return rows

    def users(self, who: Principal | None) -> list[dict[str, Any]]:
        """Accounts without password hashes."""
        me = self._allow(who, Action.MANAGE_USERS)
        found = self._services().accounts.list_users()
        self._audit(me, Action.MANAGE_USERS, detail={"list": True})
        return found

    def add_user(
        self,
        who: Principal | None,
        username: str,
        role: str,
        *,
        password: str | None = None,
        participant_id: str | None = None,
        programmes: Sequence[str] = (),
        groups: Sequence[tuple[str, str]] = (),
        oidc_subject: str | None = None,
    ) -> str:
        """Create an account; return its password, generated when none is given (audited)."""
        me = self._allow(who, Action.MANAGE_USERS)
        return self._services().accounts.add_user(
            username,
            role,
            password,
            participant_id,
            programmes,
            groups,
            oidc_subject=oidc_subject,
            actor=me.username,
        )

    def set_disabled(self, who: Principal | None, username: str, disabled: bool = True) -> None:
        """Disable (or enable) an account: no sign-in; open sessions end at their next page."""
        me = self._allow(who, Action.MANAGE_USERS)
        self._services().accounts.set_disabled(username, disabled, actor=me.username)

    def delete_user(self, who: Principal | None, username: str) -> None:
        """Delete an account and its role grants (a participant's data stays: see ``erase``)."""
        me = self._allow(who, Action.MANAGE_USERS)
        self._services().accounts.delete_user(username, actor=me.username)

    def set_role(
        self,
        who: Principal | None,
        username: str,
        role: str,
        *,
        programmes: Sequence[str] = (),
        groups: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Change an account's role and scope; audited as a role change."""
        me = self._allow(who, Action.MANAGE_USERS)
        self._services().accounts.set_role(
            username, role, programmes=programmes, groups=groups, actor=me.username
        )
