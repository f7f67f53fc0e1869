"""Who may see and do what: every role × action, each forbidden path refused (and audited)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import AccessDenied
from assistant.policy import (
    Action,
    Principal,
    allowed,
    authorize,
    may_show_sentences,
    operator,
)
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _close_engines():
    yield
    dispose_engines()


PARTICIPANT = Principal("pia", "participant", participant_id="t-01", programmes=frozenset({"A"}))
MODERATOR = Principal(
    "mo", "moderator", programmes=frozenset({"A"}), groups=frozenset({("A", "G1")})
)
COORDINATOR = Principal("co", "coordinator", programmes=frozenset({"A"}))
ADMIN = Principal("ad", "admin")
WHO = {
    "participant": PARTICIPANT,
    "moderator": MODERATOR,
    "coordinator": COORDINATOR,
    "admin": ADMIN,
}
# The operator is no account: whoever runs the command line on the database's machine.
WITH_OPERATOR = {**WHO, "operator": operator("cli:test")}
EVERYONE = set(WITH_OPERATOR)

OWN = {"participant_id": "t-01"}
OTHER = {"participant_id": "t-02"}
PROG = {"programme": "A"}
OTHER_PROG = {"programme": "B"}
GROUP = {"programme": "A", "group": "G1"}
# A published tandem of t-01 (the participant above) and t-09 in programme A.
TANDEM = {"programme": "A", "tandem": frozenset({"t-01", "t-09"})}
# Peer group G1 of programme A (the moderator's) with the participant above among its members.
MEMBERS = {"programme": "A", "group": "G1", "members": frozenset({"t-01", "t-03"})}

# action → (scope of the call, roles allowed with that scope).
ALLOWED_IN_SCOPE: dict[Action, tuple[dict[str, str], set[str]]] = {
    Action.SUGGEST: ({}, EVERYONE),
    Action.VIEW_POOL: ({}, EVERYONE),
    # Only the person themselves reads and writes their words; never the operator.
    Action.READ_OWN_ENTRIES: (OWN, {"participant"}),
    Action.WRITE_OWN_ENTRIES: (OWN, {"participant"}),
    Action.VIEW_PEERS: (OWN, {"participant"}),
    # An admin or the operator fulfils a data subject's request for export, erasure, consent.
    Action.EXPORT_SELF: (OWN, {"participant", "admin", "operator"}),
    Action.ERASE_SELF: (OWN, {"participant", "admin", "operator"}),
    Action.CHANGE_CONSENT: (OWN, {"participant", "admin", "operator"}),
    Action.VIEW_THEMES: (PROG, {"coordinator", "operator"}),
    Action.EXPORT_REPORT: (PROG, {"coordinator", "operator"}),
    Action.IMPORT: (PROG, {"coordinator", "operator"}),
    Action.END_PROGRAMME: (PROG, {"coordinator", "operator"}),
    Action.MATCH: (PROG, {"coordinator", "operator"}),
    Action.VIEW_MY_MATCH: (OWN, {"participant"}),
    # A tandem's guide and agreement: its partners only; the operator prints on request.
    Action.VIEW_TANDEM: (TANDEM, {"participant"}),
    Action.EDIT_AGREEMENT: (TANDEM, {"participant"}),
    Action.LOG_MEETING: (TANDEM, {"participant"}),
    Action.PRINT_TANDEM: (TANDEM, {"operator"}),
    Action.VIEW_FORUM: (GROUP, {"moderator", "operator"}),
    Action.CHOOSE_FORUM: (GROUP, {"moderator", "operator"}),
    # A group's sessions: its moderator plans; its members check in; both see them.
    Action.PLAN_GROUP_SESSION: (MEMBERS, {"moderator"}),
    Action.CHECK_IN: (MEMBERS, {"participant"}),
    Action.VIEW_GROUP_SESSIONS: (MEMBERS, {"participant", "moderator", "operator"}),
    # A programme's own pool: its coordinators (the installation's pool: admins, below).
    Action.EDIT_POOL: (PROG, {"coordinator", "admin", "operator"}),
    Action.VIEW_AUDIT: ({}, {"admin", "operator"}),
    Action.MANAGE_USERS: ({}, {"admin", "operator"}),
    Action.RUN_RETENTION: ({}, {"admin", "operator"}),
    # Never the coordinator who imported the people: they count toward k once confirmed.
    Action.CONFIRM_ROSTER: (PROG, {"admin", "operator"}),
    # The operator's own commands (configuration, reprocessing, evaluation reads).
    Action.VIEW_CONFIG: ({}, {"operator"}),
    Action.REPROCESS: ({}, {"operator"}),
    Action.VIEW_THEME_ENTRIES: (PROG, {"operator"}),
    Action.VIEW_ANY_PEERS: (OTHER, {"operator"}),
    Action.VIEW_FEEDBACK: (PROG, {"operator"}),
    # A browser session is an account's; the operator has none.
    Action.SESSION_START: ({}, set(WHO)),
    Action.SESSION_END: ({}, set(WHO)),
    # The programme evaluation: aggregates for its coordinators; per-tandem meeting counts
    # only for the operator (like ``assistant match``); the questionnaire: one's own answer.
    Action.EVALUATE: (PROG, {"coordinator", "operator"}),
    Action.LIST_MEETINGS: (PROG, {"operator"}),
    Action.ANSWER_QUESTIONNAIRE: (OWN, {"participant"}),
}

# Out-of-scope calls refused for every account role (another person, programme or group).
FORBIDDEN_SCOPES: dict[Action, list[dict[str, str]]] = {
    Action.READ_OWN_ENTRIES: [OTHER, {}, {"participant_id": "t-01", "programme": "B"}],
    Action.WRITE_OWN_ENTRIES: [OTHER, {}],
    Action.VIEW_PEERS: [OTHER, {}],
    Action.VIEW_THEMES: [OTHER_PROG, {}],
    Action.EXPORT_REPORT: [OTHER_PROG, {}],
    Action.IMPORT: [OTHER_PROG, {}],
    Action.END_PROGRAMME: [OTHER_PROG, {}],
    Action.MATCH: [OTHER_PROG, {}],
    Action.EVALUATE: [OTHER_PROG, {}],
    Action.ANSWER_QUESTIONNAIRE: [OTHER, {}, {"participant_id": "t-01", "programme": "B"}],
    Action.VIEW_MY_MATCH: [OTHER, {}],
    Action.VIEW_TANDEM: [
        {"programme": "A", "tandem": frozenset({"t-02", "t-09"})},  # another tandem
        {"programme": "B", "tandem": frozenset({"t-01", "t-09"})},  # another programme
        {"programme": "A"},  # no published tandem
    ],
    Action.EDIT_AGREEMENT: [{"programme": "A", "tandem": frozenset({"t-02", "t-09"})}, {}],
    Action.LOG_MEETING: [{"programme": "A", "tandem": frozenset({"t-02", "t-09"})}, {}],
    Action.VIEW_FORUM: [
        {"programme": "A", "group": "G2"},
        {"programme": "B", "group": "G1"},
        {"programme": "A"},
    ],
    Action.CHOOSE_FORUM: [{"programme": "A", "group": "G2"}, {"group": "G1"}],
    Action.PLAN_GROUP_SESSION: [{**MEMBERS, "group": "G2"}, {"group": "G1"}],
    Action.CHECK_IN: [
        {**MEMBERS, "members": frozenset({"t-02"})},  # not a member
        {**MEMBERS, "programme": "B"},  # another programme
        GROUP,  # no members named
    ],
    Action.VIEW_GROUP_SESSIONS: [
        {**MEMBERS, "group": "G2", "members": frozenset({"t-02"})},
        {**MEMBERS, "programme": "B", "members": frozenset({"t-02"})},
    ],
}


def test_every_action_has_a_row():
    assert set(ALLOWED_IN_SCOPE) == set(Action)


CASES = [
    (role, action, scope, role in roles)
    for action, (scope, roles) in ALLOWED_IN_SCOPE.items()
    for role in WITH_OPERATOR
]


@pytest.mark.parametrize(
    ("role", "action", "scope", "expected"),
    CASES,
    ids=[f"{role}-{action.value}" for role, action, _, _ in CASES],
)
def test_role_action_in_scope(role, action, scope, expected):
    assert allowed(WITH_OPERATOR[role], action, **scope) is expected
    if not expected:
        with pytest.raises(AccessDenied) as err:
            authorize(WITH_OPERATOR[role], action, **scope)
        assert err.value.action == action.value


def _scope_id(value: object) -> str:
    return "+".join(sorted(value)) if isinstance(value, frozenset) else str(value)


FORBIDDEN = [
    (role, action, scope)
    for action, scopes in FORBIDDEN_SCOPES.items()
    for scope in scopes
    for role in WHO
]


@pytest.mark.parametrize(
    ("role", "action", "scope"),
    FORBIDDEN,
    ids=[
        f"{r}-{a.value}-{'-'.join(map(_scope_id, s.values())) or 'noscope'}"
        for r, a, s in FORBIDDEN
    ],
)
def test_out_of_scope_is_refused_for_every_role(role, action, scope):
    assert not allowed(WHO[role], action, **scope)


def test_admin_on_request_needs_a_named_participant():
    for action in (Action.EXPORT_SELF, Action.ERASE_SELF, Action.CHANGE_CONSENT):
        assert not allowed(ADMIN, action)
    assert not allowed(ADMIN, Action.READ_OWN_ENTRIES, **OWN)  # never reads the words


def test_operator_on_request_needs_a_named_participant_and_never_reads_words():
    op = WITH_OPERATOR["operator"]
    for action in (Action.EXPORT_SELF, Action.ERASE_SELF, Action.CHANGE_CONSENT):
        assert not allowed(op, action)
    for action in (Action.READ_OWN_ENTRIES, Action.WRITE_OWN_ENTRIES, Action.VIEW_PEERS):
        assert not allowed(op, action, **OWN)
        assert not allowed(op, action)


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_may_do_nothing_but_suggest(action):
    scope, _ = ALLOWED_IN_SCOPE[action]
    # A text typed now is analysed and nothing is stored: visitors may try it before sign-in.
    assert allowed(None, action, **scope) is (action is Action.SUGGEST)


def test_participant_without_binding_reads_nothing():
    unbound = Principal("x", "participant")
    assert not allowed(unbound, Action.READ_OWN_ENTRIES, participant_id=None)


def test_sentences_need_k_people():
    assert not may_show_sentences(4, 5)
    assert may_show_sentences(5, 5)


# -- service level: a forbidden call raises and is audited ----------------------------------


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    return engine


PROGRAMME = "Testprogramm"
T01 = Principal("t01", "participant", participant_id="t-01", programmes=frozenset({PROGRAMME}))
MOD = Principal(
    "mod",
    "moderator",
    programmes=frozenset({PROGRAMME}),
    groups=frozenset({(PROGRAMME, "Gruppe Eins")}),
)
COORD = Principal("coord", "coordinator", programmes=frozenset({PROGRAMME}))
OTHER_COORD = Principal("other", "coordinator", programmes=frozenset({"Anderes Programm"}))
OPERATOR = operator("cli:test")

FORBIDDEN_CALLS = {
    "participant views themes": lambda e: e.themes(T01, PROGRAMME),
    "moderator views themes": lambda e: e.themes(MOD, PROGRAMME),
    "coordinator of another programme": lambda e: e.themes(OTHER_COORD, PROGRAMME),
    "anonymous views themes": lambda e: e.themes(None, PROGRAMME),
    "coordinator views forum": lambda e: e.forum(COORD, "Gruppe Eins", PROGRAMME),
    "moderator of another group": lambda e: e.forum(MOD, "Gruppe Zwei", PROGRAMME),
    "moderator chooses for another group": lambda e: e.choose_forum(
        MOD, "Gruppe Zwei", "social_media", date(2026, 4, 1), PROGRAMME
    ),
    "forged id reads entries": lambda e: e.entries(T01, participant_id="t-02"),
    "coordinator reads entries": lambda e: e.entries(COORD, participant_id="t-01"),
    "operator reads entries": lambda e: e.entries(OPERATOR, participant_id="t-01"),
    "operator writes as a participant": lambda e: e.add_entry(
        OPERATOR, PROGRAMME, "goal", "Ich möchte mehr Follower auf Instagram."
    ),
    "forged id exports": lambda e: e.export(T01, "t-02"),
    "forged id erases": lambda e: e.erase(T01, "t-02"),
    "forged id changes consent": lambda e: e.set_consent(T01, "t-02", analysis=False),
    "moderator asks for peers": lambda e: e.peers(MOD),
    "participant asks for another's peers": lambda e: e.peers(T01, "t-02"),
    "coordinator reads audit": lambda e: e.audit_log(COORD),
    "participant manages users": lambda e: e.users(T01),
    "moderator adds a user": lambda e: e.add_user(MOD, "x", "admin"),
    "coordinator runs retention": lambda e: e.run_retention(COORD),
    "coordinator reads feedback": lambda e: e.feedback_examples(COORD, PROGRAMME),
    "coordinator reprocesses": lambda e: e.reprocess(COORD),
    "moderator imports": lambda e: e.import_upload(MOD, "a.csv", b"", programme=PROGRAMME),
    "coordinator imports elsewhere": lambda e: e.import_upload(
        COORD, "a.csv", b"", programme="Anderes Programm"
    ),
}


def test_forbidden_service_calls_raise_and_are_audited(engine):
    stores = stores_of(engine)
    for name, call in FORBIDDEN_CALLS.items():
        before = len(stores.audit.rows())
        with pytest.raises(AccessDenied):
            call(engine)
        rows = stores.audit.rows()
        assert len(rows) == before + 1, name
        assert rows[0].outcome == "denied", name
    denied = [r for r in stores.audit.rows() if r.action == "entries.read"]
    assert denied[-1].subject == "t-02" and denied[-1].actor == "t01"
    # Nothing was changed, written or erased by the refused calls.
    assert stores.programmes.participant("t-02").consent_analysis is True
    assert stores.db.count("entries") == 12


def test_allowed_service_calls_return_data_and_views_are_audited(engine):
    run = engine.themes(COORD, PROGRAMME)
    assert run.themes.n_entries > 0
    _, topics = engine.forum(MOD, "Gruppe Eins")  # programme inferred from the grant
    assert all(t.members >= 1 for t in topics)
    assert {e.id for e in engine.entries(T01)} == {"t-001", "t-002"}
    actions = [r.action for r in stores_of(engine).audit.rows()]
    assert "themes.view" in actions and "forum.view" in actions


def test_coordinator_sees_sentences_only_of_clusters_of_k_people_and_no_entry_ids(engine):
    engine.k = 1  # the operator's view at k=1: every sentence and every entry id
    raw = engine.themes(OPERATOR, PROGRAMME).themes
    assert raw.assignments and any(c.entry_ids for c in raw.clusters)
    largest = max(c.size for c in raw.clusters if c.sentences)
    engine.k = largest
    view = engine.themes(COORD, PROGRAMME).themes
    assert view.assignments == {}
    assert all(c.entry_ids == () for c in view.clusters)
    assert all(not c.sentences for c in view.clusters if c.size < largest)
    assert any(c.sentences for c in view.clusters if c.size == largest)
    engine.k = largest + 1  # one person fewer than k: nothing of any cluster of its own
    view = engine.themes(COORD, PROGRAMME).themes
    assert not any(c.sentences or c.keywords for c in view.clusters)
    assert [c.id for c in view.clusters] == ["other"]  # all folded into "Sonstiges"
    assert view.clusters[0].n_entries == sum(c.n_entries for c in raw.clusters)


def test_coordinator_never_sees_text_of_people_without_analysis_consent(engine):
    engine.k = 2
    view = engine.themes(COORD, PROGRAMME).themes
    shown = " ".join(s for c in view.clusters for s in c.sentences)
    assert shown  # something is shown at k=2
    assert "Vertrauliches" not in shown and "Kinder" not in shown  # t-05 did not consent


def test_moderator_gets_counts_not_text(engine):
    _, topics = engine.forum(MOD, "Gruppe Eins", PROGRAMME)
    stores = stores_of(engine)
    texts = [e.text for e in stores.entries.of_programme(stores.programmes.get(PROGRAMME).id)]
    for topic in topics:
        for value in (topic.label, *topic.prompts):
            assert value not in texts


def test_only_admins_edit_the_installations_pool_and_programme_pools_are_read_by_members():
    """Pool per programme (issue #15, item 9): the base pool every programme shares is the
    admin's; a programme's own pool is read by its people and edited by its coordinators."""
    assert not allowed(COORDINATOR, Action.EDIT_POOL)
    assert not allowed(COORDINATOR, Action.EDIT_POOL, programme="B")
    assert allowed(ADMIN, Action.EDIT_POOL)
    assert allowed(PARTICIPANT, Action.VIEW_POOL, programme="A")
    assert allowed(MODERATOR, Action.VIEW_POOL, programme="A")
    assert not allowed(PARTICIPANT, Action.VIEW_POOL, programme="B")
    assert not allowed(COORDINATOR, Action.VIEW_POOL, programme="B")
    assert allowed(ADMIN, Action.VIEW_POOL, programme="B")


def test_tandem_documents_are_the_partners_and_never_read_by_the_operator():
    op = WITH_OPERATOR["operator"]
    for action in (Action.VIEW_TANDEM, Action.EDIT_AGREEMENT, Action.LOG_MEETING):
        assert not allowed(op, action, **TANDEM)  # prints on request, never reads in the app
    assert not allowed(op, Action.PRINT_TANDEM, programme="A")  # a named tandem only
    for role in ("coordinator", "moderator", "admin"):
        assert not allowed(WHO[role], Action.PRINT_TANDEM, **TANDEM)
