"""The coordinator's import tab: upload, map the columns, preview, import, keep the mapping.

Nothing is written before the import button: the preview validates the file through the
chosen mapping (``Assistant.preview_upload``). Every problem the importer finds is shown in
German (``texts.import_problem`` over its codes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from assistant import texts
from assistant.errors import AssistantError, ImportRejectedError, InvalidEntryError
from assistant.importer import ImportRow, ParsedFile
from assistant.importing.mapping import (
    FIELDS,
    READY,
    ColumnMapping,
    bind,
    check_mapping,
    detect_mapping,
    ready_mapping,
)
from assistant.policy import Principal
from assistant.service import Assistant

__all__ = ["import_panel"]

ANSWER = "answer:"  # option prefix of a question column in the selectboxes
PREVIEW_ROWS = 10


def import_panel(engine: Assistant, who: Principal, programme: str) -> None:
    """Show the import tab of ``programme`` (the caller checked the import right)."""
    st.caption(texts.COORD_IMPORT_HELP.format(programme=programme))
    st.caption(texts.UPLOAD_HINT.format(mb=engine.settings.max_upload_mb))
    upload = st.file_uploader(
        texts.COORD_IMPORT_FILE,
        type=["csv", "xlsx", "jsonl"],
        key="coord_upload",
        max_upload_size=engine.settings.max_upload_mb,
    )
    if upload is None:
        st.button(texts.COORD_IMPORT_BUTTON, key="coord_import", disabled=True)
        return
    data = upload.getvalue()
    try:
        header = engine.import_header(who, upload.name, data, programme=programme)
        mapping = _mapping_step(engine, who, programme, header)
        preview = engine.preview_upload(
            who, upload.name, data, programme=programme, mapping=mapping
        )
    except InvalidEntryError as err:
        st.error(texts.import_problem(err.code, err.params, str(err)))
        st.button(texts.COORD_IMPORT_BUTTON, key="coord_import", disabled=True)
        return
    _preview(preview)
    save = mapping is not None and st.checkbox(
        texts.IMPORT_SAVE_MAPPING, value=True, key="coord_map_save"
    )
    if st.button(texts.COORD_IMPORT_BUTTON, key="coord_import"):
        _run_import(engine, who, programme, upload.name, data, mapping)
        if mapping is not None and save and "coord_import_done" in st.session_state:
            engine.save_import_mapping(who, programme, mapping)
        if "coord_import_done" in st.session_state:
            st.rerun()  # show the themes with the new entries


def _mapping_step(
    engine: Assistant, who: Principal, programme: str, header: list[str]
) -> ColumnMapping | None:
    """Let the coordinator pick a template and adjust the target of every column."""
    st.subheader(texts.IMPORT_MAP_HEADER)
    st.caption(texts.IMPORT_MAP_HELP)
    saved = engine.import_mapping(who, programme)
    templates: dict[str, ColumnMapping | None] = {}
    if saved is not None and bind(saved, header).fields:
        templates["saved"] = saved
    templates["detected"] = detect_mapping(header)
    templates.update({name: ready_mapping(name) for name in READY})
    templates["long"] = None
    long_file = all(h in FIELDS for h in header if h)
    default = "saved" if "saved" in templates else "long" if long_file else "detected"
    choice = st.selectbox(
        texts.IMPORT_MAPPING_CHOICE,
        list(templates),
        index=list(templates).index(default),
        format_func=texts.IMPORT_MAPPING_CHOICES.__getitem__,
        placeholder=texts.PICK_ONE,
        key="coord_map_choice",
    )
    template = templates[choice]
    if template is None:
        return None  # the long format as it is: the importer's own header check
    bound = bind(template, header)
    if bound.unmatched:
        st.caption(texts.IMPORT_MAP_UNMATCHED.format(columns=", ".join(bound.unmatched)))
    options = ["", *FIELDS, *(ANSWER + kind for kind in texts.IMPORT_ANSWER_LABELS)]
    # A new file or template starts from its own defaults, not from the last one's choices.
    tag = hashlib.sha256("\x1f".join([choice, *header]).encode()).hexdigest()[:8]
    columns: dict[str, str] = {}
    answers: dict[str, str] = {}
    for number, column in enumerate(h for h in header if h):
        current = bound.fields.get(column) or (
            ANSWER + bound.answers[column] if column in bound.answers else ""
        )
        picked = st.selectbox(
            texts.IMPORT_MAP_COLUMN.format(column=column),
            options,
            index=options.index(current),
            format_func=_option_label,
            placeholder=texts.PICK_ONE,
            key=f"coord_map_{tag}_{number}",
        )
        if picked.startswith(ANSWER):
            answers[column] = picked.removeprefix(ANSWER)
        elif picked:
            columns[column] = picked
    if answers:
        st.caption(texts.IMPORT_WIDE_HINT.format(n=len(answers)))
    unchanged = columns == bound.fields and answers == bound.answers
    return check_mapping(
        ColumnMapping(
            name=template.name if unchanged else "custom",
            description=template.description,
            columns=columns,
            answers=answers,
            values=template.values,
            constants=template.constants,
        )
    )


def _option_label(option: str) -> str:
    if not option:
        return texts.IMPORT_MAP_SKIP
    if option.startswith(ANSWER):
        return texts.IMPORT_ANSWER_LABELS[option.removeprefix(ANSWER)]
    return texts.IMPORT_FIELD_LABELS[option]


def _preview(parsed: ParsedFile) -> None:
    """Show the first rows as they would be imported, and rejected lines with German reasons."""
    st.subheader(texts.IMPORT_PREVIEW_HEADER)
    st.caption(texts.IMPORT_PREVIEW_HELP.format(rows=len(parsed.rows), rejects=len(parsed.rejects)))
    if parsed.rows:
        st.dataframe(_rows_table(parsed.rows[:PREVIEW_ROWS]), hide_index=True, key="coord_preview")
    if parsed.rejects:
        st.caption(texts.IMPORT_PREVIEW_REJECTS)
        lines = sorted({line for line, _, _ in parsed.rejects})
        _reasons_table(lines, parsed.reasons, {line: why for line, _, why in parsed.rejects})


def _rows_table(rows: list[ImportRow]) -> dict[str, list[Any]]:
    labels = texts.IMPORT_FIELD_LABELS
    yes_no = {True: texts.IMPORT_YES, False: texts.IMPORT_NO}
    return {
        texts.COORD_REPORT_COLUMNS["line"]: [r.line for r in rows],
        labels["participant_id"]: [r.participant_id for r in rows],
        labels["role"]: [texts.IMPORT_ROLE_LABELS.get(r.role, r.role) for r in rows],
        labels["organisation"]: [r.organisation for r in rows],
        labels["age_band"]: [r.age_band or "" for r in rows],
        labels["consent_analysis"]: [yes_no[r.consent_analysis] for r in rows],
        labels["consent_matching"]: [yes_no[r.consent_matching] for r in rows],
        texts.IMPORT_KIND: [texts.IMPORT_KIND_LABELS.get(r.kind, r.kind) for r in rows],
        labels["created_at"]: [r.created_at.strftime(texts.DATE_FORMAT) for r in rows],
        labels["text"]: [r.text for r in rows],
    }


def _reasons_table(
    lines: list[int],
    reasons: Mapping[int, tuple[str, Mapping[str, str]]],
    english: dict[int, str],
    key: str = "coord_preview_rejects",
) -> None:
    german = [
        texts.import_problem(*reasons[line]) if line in reasons else english.get(line, "")
        for line in lines
    ]
    st.dataframe(
        {
            texts.COORD_REPORT_COLUMNS["line"]: lines,
            texts.COORD_REPORT_COLUMNS["reason"]: german,
        },
        hide_index=True,
        key=key,
    )


def _run_import(
    engine: Assistant,
    who: Principal,
    programme: str,
    filename: str,
    data: bytes,
    mapping: ColumnMapping | None,
) -> None:
    # Rows are not known before parsing; lines are a fair guess for CSV and JSONL.
    total = max(data.count(b"\n"), 1)
    bar = st.progress(0.0, text=texts.COORD_IMPORTING.format(done=0, total=total))
    advance = _advancer(bar, total)
    try:
        result = engine.import_upload(
            who, filename, data, programme=programme, progress=advance, mapping=mapping
        )
    except ImportRejectedError as err:
        bar.empty()
        st.error(texts.COORD_IMPORT_REJECTED.format(n=len(err.rejects)))
        lines = [line for line, _ in err.rejects]
        _reasons_table(lines, err.reasons, dict(err.rejects), key="coord_import_report")
    except InvalidEntryError as err:
        bar.empty()
        st.error(texts.import_problem(err.code, err.params, str(err)))
    except AssistantError as err:
        bar.empty()
        st.error(texts.COORD_IMPORT_FAILED.format(message=err))
    else:
        st.session_state["coord_import_done"] = (
            texts.COORD_IMPORT_DONE.format(
                imported=result.imported,
                unchanged=result.unchanged,
                participants=result.participants,
            )
            + (texts.COORD_IMPORT_KEPT.format(n=len(result.kept)) if result.kept else "")
            + (texts.COORD_IMPORT_CHANGED.format(n=len(result.changed)) if result.changed else "")
        )


def _advancer(bar: Any, total: int) -> Callable[[int], None]:
    embedded = [0]

    def advance(n: int) -> None:
        """Move the bar on by ``n`` embedded entries."""
        embedded[0] += n
        bar.progress(
            min(embedded[0] / total, 1.0),
            text=texts.COORD_IMPORTING.format(done=embedded[0], total=total),
        )

    return advance
