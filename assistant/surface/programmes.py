"""The programme's part of the ``Assistant``: imports, themes, forum."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from assistant.domain import Entry, Programme, TopicPool
from assistant.forum import ForumTopic
from assistant.importer import ParsedFile
from assistant.importing.mapping import ColumnMapping
from assistant.policy import Action, Principal, allowed
from assistant.services.analyses import Progress
from assistant.services.imports import ImportReport, demo_programme_names
from assistant.services.theming import ThemeRun
from assistant.surface.base import SurfaceBase, _people_of, _programme_of_group
from assistant.topics.pool_edit import save_pool as save_topic_pool

__all__ = ["ProgrammeSurface"]


class ProgrammeSurface(SurfaceBase):
    """Checked methods on whole programmes and peer groups."""

    # -- imports ----------------------------------------------------------------------------

    def import_file(
        self,
        who: Principal | None,
        path: str | Path,
        *,
        programme: str | None = None,
        kind: str = "tandem",
        skip_invalid: bool = False,
        rejects_path: str | Path | None = None,
        progress: Progress = None,
        ends_on: date | None = None,
        mapping: ColumnMapping | None = None,
    ) -> ImportReport:
        """Import a file (its programme column, or ``programme``); saved first, then analysed.

        ``ends_on`` sets the end of the file's programmes, from which retention counts;
        ``mapping`` reads another layout (Forms, LimeSurvey, German headers).
        """
        me = self._allow(who, Action.IMPORT, programme=programme)
        report = self._services().imports.import_file(
            path,
            programme=programme,
            kind=kind,
            skip_invalid=skip_invalid,
            rejects_path=rejects_path,
            progress=progress,
            by=me.username,
            may_import=self._may_import(me),
            ends_on=ends_on,
            confirmed=allowed(me, Action.CONFIRM_ROSTER),
            mapping=mapping,
        )
        return self._imported(me, report, programme, mapping)

    def import_upload(
        self,
        who: Principal | None,
        filename: str,
        data: bytes,
        *,
        programme: str,
        kind: str = "tandem",
        progress: Progress = None,
        ends_on: date | None = None,
        mapping: ColumnMapping | None = None,
    ) -> ImportReport:
        """Import an uploaded file into a programme the coordinator coordinates."""
        me = self._allow(who, Action.IMPORT, programme=programme)
        report = self._services().imports.import_upload(
            filename,
            data,
            programme=programme,
            kind=kind,
            progress=progress,
            by=me.username,
            may_import=self._may_import(me),
            ends_on=ends_on,
            confirmed=allowed(me, Action.CONFIRM_ROSTER),
            mapping=mapping,
        )
        return self._imported(me, report, programme, mapping)

    def preview_import(
        self,
        who: Principal | None,
        path: str | Path,
        *,
        programme: str | None = None,
        mapping: ColumnMapping | None = None,
    ) -> ParsedFile:
        """Validate a file as ``import_file`` would (rows as mapped, rejects); writes nothing."""
        self._allow(who, Action.IMPORT, programme=programme)
        return self._services().imports.preview(path, programme=programme, mapping=mapping)

    def preview_upload(
        self,
        who: Principal | None,
        filename: str,
        data: bytes,
        *,
        programme: str,
        mapping: ColumnMapping | None = None,
    ) -> ParsedFile:
        """Validate an uploaded file as ``import_upload`` would; writes nothing."""
        self._allow(who, Action.IMPORT, programme=programme)
        return self._services().imports.preview_upload(
            filename, data, programme=programme, mapping=mapping
        )

    def import_header(
        self, who: Principal | None, filename: str, data: bytes, *, programme: str
    ) -> list[str]:
        """Return the column names of an uploaded file, for the mapping step; writes nothing."""
        self._allow(who, Action.IMPORT, programme=programme)
        return self._services().imports.upload_header(filename, data)

    def import_mapping(self, who: Principal | None, programme: str) -> ColumnMapping | None:
        """Return the column mapping saved for ``programme`` (None before its first save)."""
        self._allow(who, Action.IMPORT, programme=programme)
        return self._services().imports.saved_mapping(programme)

    def save_import_mapping(
        self, who: Principal | None, programme: str, mapping: ColumnMapping
    ) -> None:
        """Keep ``mapping`` for the programme's next import (a coordinator of it, or an admin)."""
        me = self._allow(who, Action.IMPORT, programme=programme)
        services = self._services()
        prog = services.lookups.programme(programme)
        services.imports.save_mapping(prog.id, mapping)
        detail = {
            "mapping_saved": mapping.name,
            "columns": len(mapping.columns),
            "answers": len(mapping.answers),
        }
        self._audit(me, Action.IMPORT, programme=prog.name, detail=detail)

    def load_demo(self, who: Principal | None, progress: Progress = None) -> ImportReport:
        """Import the fictional demo programmes (idempotent)."""
        me = self._allow(who, Action.IMPORT)
        report = self._services().imports.load_demo(progress, by=me.username)
        return self._imported(me, report, None)

    def confirm_roster(self, who: Principal | None, programme: str) -> int:
        """Confirm that a programme's people are genuine: they count toward k from now on.

        Admins (and the operator) only: the coordinator who imported them may not vouch for
        them. Returns how many were not confirmed before.
        """
        me = self._allow(who, Action.CONFIRM_ROSTER, programme=programme)
        services = self._services()
        prog = services.lookups.programme(programme)
        people = [p.id for p in services.stores.programmes.participants_of(prog.id)]
        confirmed = services.stores.programmes.confirm(people)
        self._audit(me, Action.CONFIRM_ROSTER, programme=prog.name, detail={"confirmed": confirmed})
        return confirmed

    def set_programme_end(
        self, who: Principal | None, programme: str, ends_on: date | None
    ) -> Programme:
        """Set (or with ``None`` clear) the end of a programme; retention counts from it."""
        me = self._allow(who, Action.END_PROGRAMME, programme=programme)
        services = self._services()
        prog = services.lookups.programme(programme)
        with services.stores.db.transaction() as tx:
            services.stores.programmes.upsert(tx, prog.name, prog.kind, ends_on=ends_on)
        detail = {"ends_on": ends_on.isoformat() if ends_on else None}
        self._audit(me, Action.END_PROGRAMME, programme=prog.name, detail=detail)
        return services.lookups.programme(programme)

    def may_edit_pool(self, who: Principal | None, programme: str | None = None) -> bool:
        """Whether ``who`` may change a programme's pool (or, without one, the installation's)."""
        me = self._allow(who, Action.VIEW_POOL, programme=programme)
        return allowed(me, Action.EDIT_POOL, programme=programme)

    def pool_programmes(self, who: Principal | None) -> list[str]:
        """Programmes whose pool ``who`` may read: an admin all, everyone else their own."""
        me = self._allow(who, Action.VIEW_POOL)
        if me.role in ("admin", "operator") and self._svc is not None:
            return sorted(p.name for p in self._svc.stores.programmes.all())
        return sorted(me.programmes | {p for p, _ in me.groups})

    def pool_of(self, who: Principal | None, programme: str | None = None) -> TopicPool:
        """Return a programme's pool (its own once edited); without a programme, the base one."""
        self._allow(who, Action.VIEW_POOL, programme=programme)
        if programme is None:
            return self.pool
        return self._pools.pool_of(self._services().lookups.programme(programme).id)

    def has_own_pool(self, who: Principal | None, programme: str) -> bool:
        """Whether a programme has its own pool (else it uses the installation's)."""
        self._allow(who, Action.VIEW_POOL, programme=programme)
        return self._pools.has_own(self._services().lookups.programme(programme).id)

    def _may_import(self, me: Principal) -> Callable[[str], bool]:
        return lambda programme: allowed(me, Action.IMPORT, programme=programme)

    def _imported(
        self,
        me: Principal,
        report: ImportReport,
        programme: str | None,
        mapping: ColumnMapping | None = None,
    ) -> ImportReport:
        self._services().peering.refresh(report.affected)
        detail: dict[str, object] = {
            "imported": report.imported,
            "rows": report.rows,
            "rejected": len(report.rejected),
            "kept": {person: list(fields) for person, fields in report.kept.items()},
            # Field names only: the values (an e-mail address) stay out of the audit log.
            "changed": {person: list(fields) for person, fields in report.changed.items()},
        }
        if mapping is not None:
            detail["mapping"] = mapping.name
        self._audit(me, Action.IMPORT, programme=programme, detail=detail)
        return report

    def start(
        self, who: Principal | None, *, demo: bool, progress: Progress = None
    ) -> tuple[ImportReport | None, dict[str, str] | None]:
        """Finish what a crash left pending; on an empty database load the demo if asked.

        Returns the demo's import report and the demo accounts' passwords (each None when the
        demo was there already or not asked for).
        """
        me = self._allow(who, Action.REPROCESS)
        services = self._services()
        pending = services.analyses.complete_pending()
        self._audit(me, Action.REPROCESS, detail={"entries": len(pending)})
        if not demo or services.stores.programmes.all():
            return None, None
        report = self.load_demo(me, progress)
        passwords = self._services().accounts.ensure_demo_accounts(demo_programme_names())
        return report, passwords

    def reprocess(self, who: Principal | None, progress: Progress = None) -> list[Entry]:
        """Analyse every entry left pending (by a crash or a failing stage); return them."""
        me = self._allow(who, Action.REPROCESS)
        pending = self._services().analyses.complete_pending(progress)
        self._services().peering.refresh(_people_of(pending))
        self._audit(me, Action.REPROCESS, detail={"entries": len(pending)})
        return pending

    # -- themes -----------------------------------------------------------------------------

    def themes(self, who: Principal | None, programme: str) -> ThemeRun:
        """Theme clusters of a programme as ``who`` may see them.

        Only entries of people who consented to analysis are clustered, sentences are masked,
        and a cluster of fewer than ``k`` distinct people shows no sentence. Entry ids stay
        only in the operator's view (``assistant themes``); coordinators see aggregates.
        """
        me = self._allow(who, Action.VIEW_THEMES, programme=programme)
        with_ids = allowed(me, Action.VIEW_THEME_ENTRIES, programme=programme)
        run = self._services().theming.visible(programme, entry_ids=with_ids)
        self._audit(me, Action.VIEW_THEMES, programme=run.programme.name)
        return run

    def themes_over_time(
        self, who: Principal | None, programme: str, period: str = "month"
    ) -> list[tuple[str, str, int]]:
        """(period, cluster id, entries) of a programme, for its coordinators."""
        me = self._allow(who, Action.VIEW_THEMES, programme=programme)
        found = self._services().theming.over_time(programme, period)
        self._audit(me, Action.VIEW_THEMES, programme=programme, detail={"over_time": period})
        return found

    # -- forum ------------------------------------------------------------------------------

    def forum(
        self, who: Principal | None, group: str, programme: str | None = None
    ) -> tuple[Programme, list[ForumTopic]]:
        """Ranked forum topics of a group: counts, never texts."""
        programme = programme or _programme_of_group(who, group)
        me = self._allow(who, Action.VIEW_FORUM, programme=programme, group=group)
        prog, topics = self._services().forum.topics(group, programme=programme)
        self._audit(me, Action.VIEW_FORUM, programme=prog.name, group=group)
        return prog, topics

    def forum_history(
        self, who: Principal | None, group: str, programme: str | None = None
    ) -> list[tuple[str, date]]:
        """(topic label, forum date) of topics chosen for a group, oldest first."""
        programme = programme or _programme_of_group(who, group)
        me = self._allow(who, Action.VIEW_FORUM, programme=programme, group=group)
        found = self._services().forum.history(group, programme=programme)
        self._audit(me, Action.VIEW_FORUM, programme=programme, group=group)
        return found

    def choose_forum(
        self,
        who: Principal | None,
        group: str,
        topic: str,
        session_date: date,
        programme: str | None = None,
    ) -> bool:
        """Record a forum topic for a group; False when it was recorded already.

        A new choice also becomes the group's session of stage Forum on that date, titled by
        the topic and carrying its forum prompts.
        """
        programme = programme or _programme_of_group(who, group)
        me = self._allow(who, Action.CHOOSE_FORUM, programme=programme, group=group)
        services = self._services()
        added = services.forum.choose(group, topic, session_date, programme=programme)
        detail: dict[str, object] = {"topic": topic}
        if added:
            ref, prog = services.group_sessions.group(group, programme)
            by = me.username
            detail["session"] = services.group_sessions.plan_forum(
                ref, prog, topic, session_date, by
            )
        self._audit(me, Action.CHOOSE_FORUM, programme=programme, group=group, detail=detail)
        return added

    # -- the topic pool -----------------------------------------------------------------------

    def save_pool(
        self, who: Principal | None, pool: TopicPool, programme: str | None = None
    ) -> Path:
        """Save an edited pool in the data folder and return the file.

        With ``programme``: that programme's own pool (its coordinators or an admin); the first
        save copies the installation's pool, later changes there no longer reach it. Without:
        the installation's pool, for every programme without its own (admins only). Topic ids
        already in use are kept: they are a contract (README). Every process refits on the new
        file at its next request.
        """
        me = self._allow(who, Action.EDIT_POOL, programme=programme)
        if programme is None:
            path, keep = self.settings.edited_pool_path, self.pool.ids
        else:
            prog = self._services().lookups.programme(programme)
            path = self.settings.programme_pool_path(prog.id)
            keep = self._pools.pool_of(prog.id).ids
        save_topic_pool(pool, path, keep_ids=keep)
        self._audit(me, Action.EDIT_POOL, programme=programme, detail={"topics": len(pool.topics)})
        return path
