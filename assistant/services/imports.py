"""Imports: files and uploads into programmes, saved first and analysed second; the demo.

One transaction writes programmes, participants, group memberships and the new entries
(status ``pending``); then the entries are analysed batch by batch. A crash in between leaves
the rows pending, and nothing is lost: ``Analyses.complete_pending`` finishes them.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from assistant.domain import MEMBERSHIP_FIELDS, Entry, Participant
from assistant.errors import ImportRejectedError
from assistant.importer import (
    ImportRow,
    MembershipFields,
    ParsedFile,
    check_size,
    membership_fields,
    parse_file,
    write_rejects,
)
from assistant.importing.mapping import ColumnMapping, load_mapping, mapping_yaml
from assistant.importing.table import read_header
from assistant.services.analyses import Analyses, Progress
from assistant.storage import Stores
from assistant.storage.mappings import MappingFiles

__all__ = ["DEMO_DIR", "ImportReport", "Imports", "demo_programme_names"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


@dataclass
class ImportReport:
    """What an import did.

    ``affected`` names the people per programme id whose data changed; ``kept`` the people who
    existed already, with the fields whose stored values were kept although the file differs
    (consent, organisation and age band belong to the person, not to the file); ``changed`` the
    people whose membership took a new value from the file (capacity, level, email: they
    belong to the programme, so a re-import applies them), with those fields.
    """

    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    participants: int = 0
    affected: dict[int, set[str]] = field(default_factory=dict)
    kept: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person -> fields not changed
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person -> fields applied
    reasons: dict[int, tuple[str, dict[str, str]]] = field(default_factory=dict)  # line -> code


def demo_programme_names() -> list[str]:
    """Names of the fictional demo programmes shipped in ``assistant/demo``."""
    info = json.loads((DEMO_DIR / "programmes.json").read_text(encoding="utf-8"))
    return [str(p["name"]) for p in info]


class Imports:
    """Validate files, store their rows, analyse the new entries."""

    def __init__(
        self,
        stores: Stores,
        analyses: Analyses,
        max_upload_mb: int,
        mappings: MappingFiles | None = None,
    ) -> None:
        self.stores = stores
        self.analyses = analyses
        self.max_upload_mb = max_upload_mb
        self.mappings = mappings

    def preview(
        self,
        path: str | Path,
        *,
        programme: str | None = None,
        mapping: ColumnMapping | None = None,
    ) -> ParsedFile:
        """Validate a file as it would be imported (through ``mapping``); nothing is written."""
        return parse_file(path, programme=programme, max_mb=self.max_upload_mb, mapping=mapping)

    def preview_upload(
        self, filename: str, data: bytes, *, programme: str, mapping: ColumnMapping | None = None
    ) -> ParsedFile:
        """Validate uploaded bytes as ``preview`` does a file; nothing is written."""
        with _upload(filename, data, self.max_upload_mb) as path:
            return self.preview(path, programme=programme, mapping=mapping)

    def upload_header(self, filename: str, data: bytes) -> list[str]:
        """Return the column names of an uploaded file (the mapping step shows them)."""
        with _upload(filename, data, self.max_upload_mb) as path:
            return read_header(path, self.max_upload_mb)

    def saved_mapping(self, programme: str) -> ColumnMapping | None:
        """Return the mapping saved for ``programme`` at its last import, None if none."""
        found = self.stores.programmes.get(programme)
        if found is None or self.mappings is None:
            return None
        text = self.mappings.load(found.id)
        return load_mapping(text, f"programme-{found.id}") if text is not None else None

    def save_mapping(self, programme_id: int, mapping: ColumnMapping) -> None:
        """Keep ``mapping`` as the programme's mapping for its next import."""
        if self.mappings is not None:
            self.mappings.save(programme_id, mapping_yaml(mapping))

    def import_file(
        self,
        path: str | Path,
        *,
        programme: str | None = None,
        kind: str = "tandem",
        skip_invalid: bool = False,
        rejects_path: str | Path | None = None,
        progress: Progress = None,
        programme_info: Mapping[str, Mapping[str, Any]] | None = None,
        given_names: Mapping[str, str] | None = None,
        by: str = "import",
        may_import: Callable[[str], bool] = lambda _programme: True,
        ends_on: date | None = None,
        confirmed: bool = False,
        mapping: ColumnMapping | None = None,
    ) -> ImportReport:
        """Validate a file, store its rows, then analyse its new entries.

        ``mapping`` reads another layout (Forms, LimeSurvey, German headers) as the long format.

        ``confirmed``: the people this import creates count toward k at once (an admin's or the
        operator's import); a coordinator's upload creates people who count only once they
        sign in or an admin confirms the roster, so made-up ids open no small theme cluster.

        ``ends_on`` sets the end of every programme in the file (retention counts from it).

        ``by`` names the actor in the consent history of people this import creates;
        ``may_import(programme)`` says whether the actor may manage a programme: a row naming
        someone who takes part in a programme the actor may not manage is rejected, so nobody
        adds another programme's participant (or texts in their name) to their own.

        Raises
        ------
        ImportRejectedError
            Some rows are invalid and ``skip_invalid`` is off: nothing was imported.
        """
        parsed = parse_file(path, programme=programme, max_mb=self.max_upload_mb, mapping=mapping)
        existing = self.stores.entries.hashes(r.entry_id for r in parsed.rows)
        rejects = [(line, why) for line, _, why in parsed.rejects]
        new_rows: list[ImportRow] = []
        unchanged = 0
        for row in parsed.rows:
            known = existing.get(row.entry_id)
            if known is None:
                new_rows.append(row)
            elif known[0] == row.content_hash:
                unchanged += 1
            else:
                rejects.append((row.line, f"entry_id {row.entry_id} exists with other content"))
                parsed.rejects.append((row.line, {"entry_id": row.entry_id}, rejects[-1][1]))
                parsed.reasons.setdefault(row.line, ("entry_exists", {"entry_id": row.entry_id}))
        for line, why, person in self._foreign_people(parsed.rows, may_import):
            rejects.append((line, why))
            parsed.rejects.append((line, {}, why))
            parsed.reasons.setdefault(line, ("foreign_person", {"participant": person}))
        rejected_lines = {line for line, _ in rejects}
        new_rows = [r for r in new_rows if r.line not in rejected_lines]
        rejects.sort()
        if rejects and rejects_path:
            write_rejects(rejects_path, sorted(parsed.rejects, key=lambda r: r[0]))
        if rejects and not skip_invalid:
            raise ImportRejectedError(
                f"{Path(path).name}: {len(rejects)} invalid row(s); nothing was imported.",
                rejects,
                parsed.reasons,
            )
        info = programme_info or {}
        # The rows that count for a person's membership: the imported ones and the repeats of
        # their entries (a refused row, or a repeat of a refused entry, counts for nothing).
        refused = {r.entry_id for r in parsed.rows if r.line in rejected_lines}
        members = membership_fields(
            [r for r in parsed.rows if r.line not in rejected_lines]
            + [r for r in parsed.repeats if r.entry_id not in refused]
        )
        kept: dict[str, tuple[str, ...]] = {}
        changed: dict[str, tuple[str, ...]] = {}
        programme_ids: dict[str, int] = {}
        entries: list[Entry] = []
        hashes: list[str] = []
        with self.stores.db.transaction() as tx:
            for row in parsed.rows:
                if row.programme not in programme_ids:
                    extra = {k: v for k, v in info.get(row.programme, {}).items() if k != "kind"}
                    if ends_on is not None:
                        extra["ends_on"] = ends_on
                    programme_kind = str(info.get(row.programme, {}).get("kind", kind))
                    programme_ids[row.programme] = self.stores.programmes.upsert(
                        tx, row.programme, programme_kind, **extra
                    )
            seen: set[tuple[int, str]] = set()
            for row in parsed.rows:
                if row.line in rejected_lines:
                    continue
                pid = programme_ids[row.programme]
                if (pid, row.participant_id) not in seen:
                    seen.add((pid, row.participant_id))
                    member = members[(row.programme, row.participant_id)]
                    done = self.stores.programmes.upsert_participant(
                        tx, pid, _participant(row, member, given_names, confirmed), by=by
                    )
                    if done.kept:
                        kept[row.participant_id] = done.kept
                    if done.changed:  # a person in two programmes of the file: both count
                        both = {*changed.get(row.participant_id, ()), *done.changed}
                        changed[row.participant_id] = tuple(
                            f for f in MEMBERSHIP_FIELDS if f in both
                        )
                if row.group:
                    self.stores.programmes.ensure_group_member(
                        tx, pid, row.group, row.participant_id
                    )
            self.stores.programmes.touch(tx, programme_ids.values())
            for row in new_rows:
                entry = Entry(
                    id=row.entry_id,
                    programme_id=programme_ids[row.programme],
                    participant_id=row.participant_id,
                    kind=row.kind,
                    text=row.text,
                    created_at=row.created_at,
                    stage=row.stage,
                    status="pending",
                )
                entries.append(entry)
                hashes.append(row.content_hash)
            self.stores.entries.add_many(tx, list(zip(entries, hashes, strict=True)))
        self.analyses.complete(entries, progress)
        affected: dict[int, set[str]] = {}
        for row in parsed.rows:
            if row.line not in rejected_lines:
                affected.setdefault(programme_ids[row.programme], set()).add(row.participant_id)
        return ImportReport(
            rows=len(parsed.rows) + len(parsed.rejects),
            imported=len(new_rows),
            unchanged=unchanged,
            rejected=rejects,
            programmes=sorted(programme_ids),
            participants=len({r.participant_id for r in parsed.rows}),
            affected=affected,
            kept=kept,
            changed=changed,
            reasons=parsed.reasons,
        )

    def _foreign_people(
        self, rows: Sequence[ImportRow], may_import: Callable[[str], bool]
    ) -> list[tuple[int, str, str]]:
        """Rows naming people of a programme the actor may not manage: line, reason, person."""
        found: list[tuple[int, str, str]] = []
        memberships = self.stores.programmes.names_of_participants(r.participant_id for r in rows)
        for row in rows:
            foreign = [
                p
                for p in memberships.get(row.participant_id, [])
                if p != row.programme and not may_import(p)
            ]
            if foreign:
                found.append(
                    (
                        row.line,
                        f"participant_id {row.participant_id} takes part in another programme "
                        "that this import may not change",
                        row.participant_id,
                    )
                )
        return found

    def import_upload(
        self,
        filename: str,
        data: bytes,
        *,
        programme: str,
        kind: str = "tandem",
        progress: Progress = None,
        by: str = "import",
        may_import: Callable[[str], bool] = lambda _programme: True,
        ends_on: date | None = None,
        confirmed: bool = False,
        mapping: ColumnMapping | None = None,
    ) -> ImportReport:
        """Import an uploaded file's bytes into ``programme`` (the size is checked first)."""
        with _upload(filename, data, self.max_upload_mb) as path:
            return self.import_file(
                path,
                programme=programme,
                kind=kind,
                progress=progress,
                by=by,
                may_import=may_import,
                ends_on=ends_on,
                confirmed=confirmed,
                mapping=mapping,
            )

    def load_demo(self, progress: Progress = None, *, by: str = "demo") -> ImportReport:
        """Import the fictional demo programmes shipped in ``assistant/demo``."""
        info = json.loads((DEMO_DIR / "programmes.json").read_text(encoding="utf-8"))
        programme_info = {
            p["name"]: {
                "kind": p["kind"],
                "description": p.get("description", ""),
                "starts_on": date.fromisoformat(p["starts_on"]) if p.get("starts_on") else None,
                "ends_on": date.fromisoformat(p["ends_on"]) if p.get("ends_on") else None,
            }
            for p in info
        }
        names = json.loads((DEMO_DIR / "names.json").read_text(encoding="utf-8"))
        return self.import_file(
            DEMO_DIR / "entries.csv",
            programme_info=programme_info,
            given_names=names,
            progress=progress,
            by=by,
            confirmed=True,  # the fictional demo's people count as confirmed
        )


def _participant(
    row: ImportRow,
    member: MembershipFields,
    given_names: Mapping[str, str] | None,
    confirmed: bool,
) -> Participant:
    return Participant(
        id=row.participant_id,
        organisation=row.organisation,
        role=row.role,
        age_band=row.age_band,
        consent_analysis=row.consent_analysis,
        consent_matching=row.consent_matching,
        given_name=row.given_name or (given_names or {}).get(row.participant_id),
        confirmed=confirmed,
        capacity=member.capacity,
        level=member.level,
        email=member.email,
    )


@contextmanager
def _upload(filename: str, data: bytes, max_mb: int) -> Iterator[Path]:
    """Write uploaded bytes to a temporary file with the upload's suffix (size checked first)."""
    check_size(len(data), max_mb, Path(filename).name or "The file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{Path(filename).suffix.lower()}"
        path.write_bytes(data)
        yield path
