"""Tandems und Gruppen: coordinators draft, adjust and publish a programme's tandems or groups.

A thin view over the facade's matching methods, which check the policy and audit every step.
The coordinator sees pseudonyms, organisations, topics, rules and scores, never texts: the two
sentences behind a pair are shown only to the two people, on "Mein Mentoring". Changes run as
button callbacks, so the page draws the changed draft in the same run. "Tandem eintragen"
publishes a pair formed elsewhere (programmes without matching), even where no draft can be
computed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from assistant import report, texts
from assistant.errors import AssistantError, MatchingError
from assistant.matching import GroupingResult, GroupRules, MatchResult
from assistant.policy import Action, allowed
from assistant.ui import identity, pair_entry_panel, state

NOTICE, ERROR = "match_notice", "match_error"
MAX_PER_ORGANISATION = GroupRules().max_per_organisation  # the rule the service applies


def _say(err: AssistantError) -> str:
    """Return the German message for a failed step (a matching code has its own words)."""
    if isinstance(err, MatchingError):
        return texts.match_error(err.code)
    return texts.ERROR_GENERIC.format(message=err)


def _step(call: Callable[[], object], notice: str, pair: str | None = None) -> None:
    """Run one matching step (a button callback); keep its outcome for the page to show.

    ``pair``: the mentee picked in the pair list. Set again, the list shows the new partner;
    a kept selection would go on showing the old one.
    """
    try:
        call()
    except AssistantError as err:
        st.session_state[ERROR] = _say(err)
    else:
        st.session_state[NOTICE] = notice
        if pair is not None:
            st.session_state["match_pair"] = pair


def _messages() -> None:
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice)
    if error := st.session_state.pop(ERROR, None):
        st.error(error)


def _topics(topic_ids: tuple[str, ...]) -> list[str]:
    return [labels.get(t, t) for t in topic_ids]


def _status(status: str) -> None:
    st.markdown(f"**{texts.MATCH_STATUS_LABEL}:** {texts.MATCH_STATUS[status]}")


def _unmatched(rows: list[tuple[str, str]]) -> None:
    """Show the people without partner or group, each with the reason."""
    st.subheader(texts.MATCH_UNMATCHED_HEADER)
    if not rows:
        st.caption(texts.MATCH_ALL_MATCHED)
        return
    columns = texts.MATCH_UNMATCHED_COLUMNS
    st.dataframe(
        {columns["person"]: [p for p, _ in rows], columns["reason"]: [r for _, r in rows]},
        hide_index=True,
    )


Row = list[str | float]


def _downloads(status: str, mode: str, header: tuple[str, ...], rows: list[Row]) -> None:
    """Offer CSV and XLSX of the published pairs or groups; each download is audited."""
    if not allowed(who, Action.EXPORT_REPORT, programme=name):
        return
    st.subheader(texts.MATCH_EXPORT_HEADER)
    if status != "published":
        st.caption(texts.MATCH_EXPORT_LATER)
        return
    slug = report.file_slug(name)
    stem = texts.MATCH_EXPORT_FILE[mode].format(slug=slug)
    st.download_button(
        texts.MATCH_EXPORT_CSV,
        data=report.table_csv(header, rows),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="match_export_csv",
        on_click=state.assistant().record_download,
        args=(who, name, "matches-csv"),
    )
    st.download_button(
        texts.MATCH_EXPORT_XLSX,
        data=report.table_xlsx(header, rows, texts.MATCH_EXPORT_SHEET[mode]),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="match_export_xlsx",
        on_click=state.assistant().record_download,
        args=(who, name, "matches-xlsx"),
    )


# -- tandems (cross, reverse, tandem) ------------------------------------------------------------


def _pairs_page(
    status: str, result: MatchResult, no_consent: Sequence[str], organisations: Mapping[str, str]
) -> None:
    organisation = organisations.get
    st.write(texts.MATCH_INTRO_PAIRS)
    _status(status)
    if result.binding:
        st.info(texts.match_binding(result.binding[0].code, result.binding[0].numbers))

    st.subheader(texts.MATCH_PAIRS_HEADER)
    columns = texts.MATCH_PAIR_COLUMNS
    if result.pairs:
        st.dataframe(
            {
                columns["mentee"]: [p.mentee for p in result.pairs],
                columns["mentee_organisation"]: [organisation(p.mentee, "") for p in result.pairs],
                columns["mentor"]: [p.mentor for p in result.pairs],
                columns["mentor_organisation"]: [organisation(p.mentor, "") for p in result.pairs],
                columns["score"]: [round(p.score, 2) for p in result.pairs],
                columns["topics"]: [", ".join(_topics(p.shared_topics)) for p in result.pairs],
                columns["reasons"]: [
                    # The topics have their own column: the reason only says there are some.
                    "; ".join(texts.match_pair_lines(p.reasons, ()))
                    for p in result.pairs
                ],
            },
            hide_index=True,
            # A number, written with the browser's decimal ("localized": 0,86 in German).
            column_config={
                columns["score"]: st.column_config.NumberColumn(
                    format="localized", help=texts.MATCH_SCORE_HELP
                )
            },
        )
        st.caption(texts.MATCH_SCORE_HELP)
    else:
        st.info(texts.MATCH_NO_PAIRS)
    traded = [p for p in result.pairs if p.trade_offs] if status == "draft" else []
    if traded:
        st.markdown(f"**{texts.MATCH_TRADE_OFFS}**")
        for pair in traded:
            lines = [
                texts.match_trade_off(t.code, texts.plain(t.mentor), t.score, t.rule)
                for t in pair.trade_offs
            ]
            st.caption(
                texts.MATCH_TRADE_OFF_LINE.format(
                    mentee=texts.plain(pair.mentee), lines="; ".join(lines)
                )
            )

    paired = {p.mentee for p in result.pairs} | {p.mentor for p in result.pairs}
    _unmatched(
        [(u.participant, texts.match_unmatched(u.reason, u.numbers)) for u in result.unmatched]
        + [(p, texts.MATCH_NO_CONSENT) for p in no_consent if p not in paired]
    )

    st.subheader(texts.MATCH_ADJUST_HEADER)
    if status == "draft" and result.pairs:
        mentor_of = {p.mentee: p.mentor for p in result.pairs}
        mentee = st.selectbox(
            texts.MATCH_PAIR_PICK,
            list(mentor_of),
            format_func=lambda m: texts.MATCH_PAIR_OPTION.format(mentee=m, mentor=mentor_of[m]),
            key="match_pair",
            placeholder=texts.PICK_ONE,
        )
        st.caption(texts.MATCH_ADJUST_HELP)
        chosen = {"mentee": texts.plain(mentee), "mentor": texts.plain(mentor_of[mentee])}
        lock, exclude, rematch = st.columns(3)
        with lock:
            st.button(
                texts.MATCH_LOCK,
                key="match_lock",
                on_click=_step,
                args=(
                    lambda: engine.match_lock(who, name, mentee, mentor_of[mentee]),
                    texts.MATCH_DONE["lock"].format(**chosen),
                    mentee,
                ),
            )
        with exclude:
            st.button(
                texts.MATCH_EXCLUDE,
                key="match_exclude",
                on_click=_step,
                args=(
                    lambda: engine.match_exclude(who, name, mentee, mentor_of[mentee]),
                    texts.MATCH_DONE["exclude"].format(**chosen),
                    mentee,
                ),
            )
        with rematch:
            st.button(
                texts.MATCH_REMATCH,
                key="match_rematch",
                on_click=_step,
                args=(
                    lambda: engine.match_rematch(who, name, mentee),
                    texts.MATCH_DONE["rematch"].format(**chosen),
                    mentee,
                ),
            )
    elif status == "published":
        st.caption(texts.MATCH_PUBLISHED_FIXED)
    _finish(
        status,
        lambda: engine.match(who, name, recompute=True),
        lambda: engine.match_publish(who, name),
        texts.MATCH_PUBLISH_HELP_PAIRS,
    )
    _downloads(
        status,
        "pairs",
        texts.MATCH_EXPORT_PAIR_COLUMNS,
        [
            [
                p.mentee,
                organisation(p.mentee, ""),
                p.mentor,
                organisation(p.mentor, ""),
                ", ".join(_topics(p.shared_topics)),
                round(p.score, 2),
            ]
            for p in result.pairs
        ],
    )


def _finish(
    status: str,
    recompute: Callable[[], object],
    publish: Callable[[], object],
    publish_help: str,
) -> None:
    """Recompute and publish buttons, with what participants will see once published."""
    again, out = st.columns(2)
    with again:
        st.button(
            texts.MATCH_RECOMPUTE,
            key="match_recompute",
            on_click=_step,
            args=(recompute, texts.MATCH_DONE["recompute"]),
        )
    with out:
        st.button(
            texts.MATCH_PUBLISH,
            key="match_publish",
            type="primary",
            disabled=status != "draft",
            on_click=_step,
            args=(publish, texts.MATCH_DONE["publish"]),
        )
    if status == "draft":
        st.caption(publish_help)
    _messages()


# -- peer groups (peer_group) --------------------------------------------------------------------


def _size() -> tuple[int, int]:
    low, high = st.columns(2)
    with low:
        smallest = st.number_input(
            texts.MATCH_SIZE_MIN, min_value=2, max_value=30, value=5, step=1, key="match_size_min"
        )
    with high:
        largest = st.number_input(
            texts.MATCH_SIZE_MAX, min_value=2, max_value=30, value=8, step=1, key="match_size_max"
        )
    return int(smallest), int(largest)


def _groups_page() -> None:
    st.write(texts.MATCH_INTRO_GROUPS)
    try:
        with st.spinner(texts.MATCH_COMPUTING):
            view = engine.groups(who, name)
    except AssistantError as err:  # e.g. locked groups that break a rule: sizes may help
        st.error(_say(err))
        view = None
    if view is not None:
        _groups_view(view.status, view.result, view.no_consent, view.organisations)
    else:
        size = _size()
        _finish(
            "none",
            lambda: engine.groups(who, name, size=size, recompute=True),
            lambda: engine.groups_publish(who, name),
            texts.MATCH_PUBLISH_HELP_GROUPS,
        )


def _groups_view(
    status: str, result: GroupingResult, no_consent: Sequence[str], organisations: Mapping[str, str]
) -> None:
    organisation = organisations.get
    _status(status)
    if result.binding:
        st.info(texts.match_binding(result.binding[0].code, result.binding[0].numbers))
    st.subheader(texts.MATCH_GROUPS_HEADER)
    columns = texts.MATCH_GROUP_COLUMNS
    if result.groups:
        st.dataframe(
            {
                columns["group"]: [g.id for g in result.groups],
                columns["people"]: [", ".join(g.members) for g in result.groups],
                columns["organisations"]: [", ".join(g.organisations) for g in result.groups],
                columns["score"]: [round(g.score, 2) for g in result.groups],
                columns["topics"]: [", ".join(_topics(g.shared_topics)) for g in result.groups],
                columns["reasons"]: [
                    "; ".join(texts.match_group_lines(g.reasons, (), MAX_PER_ORGANISATION))
                    for g in result.groups
                ],
            },
            hide_index=True,
            column_config={
                columns["score"]: st.column_config.NumberColumn(
                    format="localized", help=texts.MATCH_GROUP_SCORE_HELP
                )
            },
        )
        st.caption(texts.MATCH_GROUP_SCORE_HELP)
    else:
        st.info(texts.MATCH_NO_GROUPS)
    grouped = {m for g in result.groups for m in g.members}
    _unmatched(
        [(u.participant, texts.match_unmatched(u.reason, u.numbers)) for u in result.unassigned]
        + [(p, texts.MATCH_NO_CONSENT) for p in no_consent if p not in grouped]
    )

    st.subheader(texts.MATCH_ADJUST_HEADER)
    size = _size()
    people = sorted(grouped | {u.participant for u in result.unassigned})
    names = [g.id for g in result.groups]
    if people and names:
        person_column, group_column = st.columns(2)
        with person_column:
            person = st.selectbox(
                texts.MATCH_GROUP_PERSON,
                people,
                key="match_group_person",
                placeholder=texts.PICK_ONE,
            )
        with group_column:
            group = st.selectbox(
                texts.MATCH_GROUP_PICK, names, key="match_group_pick", placeholder=texts.PICK_ONE
            )
        st.caption(texts.MATCH_GROUP_ADJUST_HELP)
        moved = {"person": texts.plain(person), "group": texts.plain(group)}
        lock, exclude = st.columns(2)
        with lock:
            st.button(
                texts.MATCH_GROUP_LOCK,
                key="match_group_lock",
                on_click=_step,
                args=(
                    lambda: engine.groups_lock(who, name, person, group),
                    texts.MATCH_DONE["group_lock"].format(**moved),
                ),
            )
        with exclude:
            st.button(
                texts.MATCH_GROUP_EXCLUDE,
                key="match_group_exclude",
                on_click=_step,
                args=(
                    lambda: engine.groups_exclude(who, name, person, group),
                    texts.MATCH_DONE["group_exclude"].format(**moved),
                ),
            )
    _finish(
        status,
        lambda: engine.groups(who, name, size=size, recompute=True),
        lambda: engine.groups_publish(who, name),
        texts.MATCH_PUBLISH_HELP_GROUPS,
    )
    _downloads(
        status,
        "groups",
        texts.MATCH_EXPORT_GROUP_COLUMNS,
        [
            [g.id, m, organisation(m, ""), ", ".join(_topics(g.shared_topics)), round(g.score, 2)]
            for g in result.groups
            for m in g.members
        ],
    )


# -- the page ------------------------------------------------------------------------------------

st.header(texts.MATCH_HEADER)
who, name = identity.require_programme(Action.MATCH, key="match_programme")

engine = state.assistant()
labels: Mapping[str, str] = {t.id: t.label_in("de") for t in engine.pool_of(who, name).topics}
peer_groups = True  # until the kind is known: no tandem form for a programme that failed
try:
    peer_groups = engine.matching_mode(who, name) == "groups"
    if not peer_groups:
        with st.spinner(texts.MATCH_COMPUTING):
            view = engine.match(who, name)
except AssistantError as err:
    st.error(_say(err))
    if not peer_groups:  # nobody to match (yes), yet a pair formed elsewhere can be entered
        pair_entry_panel.show(engine, who, name, _say)
    st.stop()
if peer_groups:
    _groups_page()
else:
    _pairs_page(view.status, view.result, view.no_consent, view.organisations)
    pair_entry_panel.show(engine, who, name, _say)
