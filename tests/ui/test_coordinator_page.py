"""AppTest of the coordinator page on the demo data (hashing embedder, mini pool).

The demo is loaded once per module into a shared data folder: building the Assistant and
loading 231 entries is the slow part, the page itself is quick.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal
from tests.ui.conftest import app_environment, sign_in_as

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
MINE = "Reverse Mentoring Stadt Nordhafen 2026"
OTHER = "Cross-Mentoring Frauen in Führung 2026"
ALL = frozenset({MINE, OTHER, "Peer-Group-Mentoring Führungskräfte 2026"})  # may edit the pool
HEADER = (ROOT / "tests" / "fixtures" / "programme.csv").read_text(encoding="utf-8").splitlines()[0]


@pytest.fixture(scope="module")
def data_dir(demo_copy):
    # The mini pool as the folder's edited pool, so the page may save changes to it.
    with app_environment(demo_copy, edited_pool=True) as folder:
        yield folder


def _entries(name: str) -> list:
    """Entries of a programme, read straight from the database (no model, no pool fit)."""
    from assistant import load_settings
    from assistant.storage import Stores, make_engine

    engine = make_engine(load_settings().database_url)
    try:
        stores = Stores.open(engine)
        programme = stores.programmes.get(name)
        assert programme is not None
        return stores.entries.of_programme(programme.id)
    finally:
        engine.dispose()


def _confirm_roster(name: str) -> int:
    """What an admin does on the command line: the programme's people count toward k."""
    from assistant.policy import operator
    from assistant.ui import state

    return state.assistant().confirm_roster(operator("cli:admin"), name)


def coordinator(programmes=frozenset({MINE})) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    who = Principal(username="koordination", role="coordinator", programmes=frozenset(programmes))
    return sign_in_as(at, who)


def _table(at: AppTest, column: str):
    """The first table of the page with ``column`` (dataframes carry no key in AppTest)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def _charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def test_coordinator_sees_ranked_themes_with_tables_and_no_ids(data_dir):
    at = coordinator().run()
    assert not at.exception, at.exception
    table = _table(at, "Zuordnung")
    assert "Social Media" in list(table["Thema"])
    assert any(label.startswith("Sonstiges (") for label in table["Thema"])
    assert "neu (emerging)" not in list(table["Zuordnung"])
    charts = _charts(at)
    assert len(charts) >= 2  # themes by size, themes over time
    # Issue #14: no PCA map; a ranked bar list, its table beside it, labels never cut off.
    bars = json.loads(charts[0].proto.spec)
    layer = bars["layer"][0]
    assert layer["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert bars["layer"][1]["mark"]["type"] == "text"  # the number on each bar
    frequency = _table(at, texts.COORD_KIND)
    people = list(frequency[texts.COORD_PERSONS])
    assert people == sorted(people, reverse=True)  # the biggest first, as the bars
    assert layer["encoding"]["y"]["sort"] == list(frequency["Thema"])
    named = [t for t in table["Thema"] if not t.startswith("Sonstiges")]
    assert sorted(frequency["Thema"]) == sorted(named)
    entries = _entries(MINE)
    secrets = {e.participant_id for e in entries} | {e.id for e in entries}
    for chart in charts:
        blob = chart.proto.SerializeToString()
        assert b"Inhaltliche Achse" not in blob and b'"x:Q"' not in blob
        leaked = [s for s in secrets if s.encode() in blob]
        assert not leaked, leaked[:3]


def test_themes_over_time_keep_eighteen_themes_apart():
    from assistant.ui import widgets

    labels = [f"Thema {i}" for i in range(18)] + ["Sonstiges (3)"]
    colours = widgets.theme_colours(labels, "Sonstiges (3)")
    assert len(set(colours[:18])) == 18 and colours[18] == widgets.OTHER_COLOUR
    chart = widgets.over_time_chart([], labels, "Sonstiges (3)").to_dict()
    assert chart["encoding"]["color"]["legend"]["labelLimit"] == 0


def test_ranked_bars_give_each_theme_its_own_row():
    # A pixel height made Streamlit draw all bars in one collapsed row, labels on top of each
    # other (seen in the browser screenshot); a step per bar grows with the number of themes.
    from assistant import texts
    from assistant.ui import widgets

    records = [
        {texts.COORD_THEME: f"Thema {i}", texts.COORD_PERSONS: 9 - i, texts.COORD_KIND: "neu"}
        for i in range(5)
    ]
    chart = widgets.frequency_chart(records).to_dict()
    assert chart["height"] == {"step": widgets._BAR_PX}
    y = chart["layer"][0]["encoding"]["y"]
    assert y["axis"]["labelLimit"] == 0
    assert y["sort"] == [f"Thema {i}" for i in range(5)]  # the ranking, kept by both layers


def test_coordinator_of_one_programme_cannot_open_another(data_dir):
    at = coordinator()
    at.query_params["programm"] = OTHER
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [texts.ACCESS_DENIED]
    assert not at.dataframe and not _charts(at)
    # The refused link is in the audit log (issue #15, finding 10), with who and what.
    (row, *_) = _audit_rows()
    assert (row.actor, row.action, row.outcome, row.programme) == (
        "koordination",
        "themes.view",
        "denied",
        OTHER,
    )


def _audit_rows() -> list:
    from assistant.policy import operator
    from assistant.ui import state

    return state.assistant().audit_log(operator("cli:test"))


def test_exports_are_offered_and_each_download_is_audited(data_dir):
    at = coordinator().run()
    labels = {b.label for b in at.get("download_button")}
    assert {texts.COORD_EXPORT_CSV, texts.COORD_EXPORT_HTML} <= labels
    # AppTest cannot click a download; the page hands Streamlit this callback for the click.
    from assistant.ui import state

    state.assistant().record_download(at.session_state["principal"], MINE, "csv")
    (row, *_) = _audit_rows()
    assert (row.action, row.programme, row.detail) == ("report.export", MINE, {"format": "csv"})
    page = (Path(APP).parent / "assistant" / "ui" / "pages" / "coordinator.py").read_text()
    assert page.count("on_click=state.assistant().record_download") == 2


def _upload(at: AppTest, name: str, content: str) -> AppTest:
    at.file_uploader(key="coord_upload").set_value((name, content.encode("utf-8"), "text/csv"))
    at.run()
    at.button(key="coord_import").click()
    return at.run()


def test_invalid_import_shows_the_report_and_imports_nothing(data_dir, tmp_path):
    before = len(_entries(MINE))
    rows = [
        HEADER,
        ",n-901,peer,Stadt A,40-49,true,true,n-901-1,goal,Ein gültiger Satz über Konflikte.,"
        "2026-02-01,",
        ",n-902,chefin,Stadt B,30-39,true,true,n-902-1,goal,Rolle ist ungültig.,2026-02-01,",
        ",n-903,peer,Stadt C,30-39,true,true,n-903-1,goal,Datum fehlt im Format.,31/02/2026,",
        # Issue #14: a row of another programme is not moved into the chosen one.
        f"{OTHER},n-904,peer,Stadt D,25-34,true,true,n-904-1,goal,Ein Satz.,2026-02-01,",
    ]
    at = _upload(coordinator().run(), "fehler.csv", "\n".join(rows) + "\n")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [texts.COORD_IMPORT_REJECTED.format(n=3)]
    report = _table(at, "Grund")
    assert list(report["Zeile"]) == [3, 4, 5]
    # Issue #14: the importer's reasons in German, not its English messages.
    assert list(report["Grund"]) == [
        "Unbekannte Rolle „chefin“: möglich sind Mentee, Mentor:in und Peer.",
        "„31/02/2026“ ist kein Datum (etwa 31.03.2026 oder 2026-03-31).",
        f"Die Zeile nennt das Programm „{OTHER}“, gewählt ist „{MINE}“. Leeren Sie die Zelle "
        "oder importieren Sie die Zeile in ihr eigenes Programm.",
    ]
    assert len(_entries(MINE)) == before


def test_valid_import_adds_entries_and_a_new_theme_can_be_adopted(data_dir):
    before = len(_entries(MINE))
    # Close to the mini pool's own off-pool texts, so they form a new (emerging) theme.
    texts_ = [
        "Die Kantine sollte mehr vegetarisches Essen anbieten, gern auch vegan.",
        "Die Kantine sollte mehr vegetarisches Essen anbieten und regionale Zutaten nutzen.",
        "Mehr vegetarisches Essen in der Kantine anbieten wäre schön.",
        "Die Kantine sollte öfter vegetarisches Essen anbieten.",
        "Vegetarisches Essen in der Kantine sollte es täglich geben.",
        "Die Kantine sollte mehr vegetarisches Essen anbieten, bitte auch mittags.",
    ]
    rows = [HEADER] + [
        f',n-95{i},peer,Stadt {i},30-39,true,true,n-95{i}-1,goal,"{text}",2026-03-0{i + 1},'
        for i, text in enumerate(texts_)
    ]
    at = coordinator(ALL)
    at.query_params["programm"] = MINE  # the page opens on the linked programme
    at = _upload(at.run(), "kantine.csv", "\n".join(rows) + "\n")
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        texts.COORD_IMPORT_DONE.format(imported=6, unchanged=0, participants=6)
    ]
    assert len(_entries(MINE)) == before + 6
    # Six people the coordinator made up by import open no theme of their own (issue #15) ...
    assert not [b for b in at.button if b.key and b.key.startswith("coord_adopt_emerging-")]
    assert _confirm_roster(MINE) == 6  # ... until an admin confirms the roster
    at.run()

    adopt = [b for b in at.button if b.key and b.key.startswith("coord_adopt_emerging-")]
    assert adopt, [b.key for b in at.button]
    adopt[0].click()
    at.run()
    assert not at.exception, at.exception
    # The form is empty: no participant's sentence in any input; they stand beside it.
    form = "coord_adopt_form"
    inputs = [at.text_input(key=f"{form}_label")] + [
        at.text_area(key=f"{form}_{field}")
        for field in ("description", "examples_de", "examples_en")
    ]
    assert [i.value for i in inputs] == ["", "", "", ""]
    shown = [t.value for t in at.text if t.value.startswith("„")]
    assert any("Kantine" in sentence for sentence in shown)
    pool_files = sorted((data_dir / "pools").glob("programme-*.yaml"))
    before = {p: p.read_bytes() for p in pool_files}

    # A participant's sentence pasted as an example is refused; nothing is saved.
    at.text_input(key=f"{form}_label").input("Vegetarisches Essen")
    at.text_area(key=f"{form}_description").input("Wünsche an Kantine und Verpflegung.")
    _lines(
        at.text_area(key=f"{form}_examples_de"),
        [shown[0].strip("„“"), "Gibt es bald ein Angebot ohne Fleisch?", "Wie geht das?"],
    )
    at.button(key=f"FormSubmitter:{form}-{texts.ADOPT_SAVE}").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [texts.ADOPT_COPIED.format(n=1)]
    assert {p: p.read_bytes() for p in pool_files} == before

    # Three examples in the coordinator's own words: adopted.
    own = [
        "Ich möchte, dass es mittags ein Gericht ohne Fleisch gibt.",
        "Wie kann ich Wünsche zur Verpflegung im Haus einbringen?",
        "Gesunde Ernährung am Arbeitsplatz fördern.",
    ]
    _lines(at.text_area(key=f"{form}_examples_de"), own)
    at.button(key=f"FormSubmitter:{form}-{texts.ADOPT_SAVE}").click().run()
    assert not at.exception, at.exception
    assert texts.POOL_SAVED_FOR.format(programme=MINE) in [s.value for s in at.success]
    pool = engine_pool(MINE)
    topic = pool.get("vegetarisches_essen")
    assert topic.examples["de"] == tuple(own) and topic.label["de"] == "Vegetarisches Essen"
    written = "".join(p.read_text(encoding="utf-8") for p in (data_dir / "pools").glob("*.yaml"))
    assert "Gericht ohne Fleisch" in written
    # No participant's sentence in the pool: neither the shown ones nor the imported texts.
    assert not [t for t in [*texts_, *(x.strip("„“") for x in shown)] if t in written]


def _lines(area, lines: list[str]) -> None:
    area.input("\n".join(lines))


def engine_pool(name: str):
    from assistant.policy import operator
    from assistant.ui import state

    return state.assistant().pool_of(operator("cli:test"), name)


def test_coordinator_sets_the_programme_end_that_retention_counts_from(data_dir):
    """Issue #15, finding 11: nothing but the demo set a programme's end (now also in the app)."""
    from datetime import date

    from assistant.policy import operator
    from assistant.ui import state

    at = coordinator().run()
    assert not at.exception, at.exception
    at.date_input(key="coord_end").set_value(date(2026, 12, 31))
    at.button(key="FormSubmitter:coord_end_form-Programmende speichern").click().run()
    assert not at.exception, at.exception
    assert texts.COORD_END_SAVED.format(date="31.12.2026") in [s.value for s in at.success]
    engine = state.assistant()
    admin = operator("cli:admin")
    due = engine.run_retention(admin, today=date(2028, 1, 1), dry_run=True)
    assert MINE in [p["programme"] for p in due["programmes"]]
    rows = [r for r in engine.audit_log(admin) if r.action == "programme.end"]
    assert rows[0].actor == "koordination" and rows[0].programme == MINE


def test_reimport_with_a_new_capacity_says_it_was_taken_over(data_dir):
    import csv
    import io

    demo = ROOT / "assistant" / "demo" / "entries.csv"
    with demo.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["participant_id"] == "rm-13"]
    assert rows and {r["capacity"] for r in rows} == {"1"}  # the demo's young mentor
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows([{**r, "capacity": "2"} for r in rows])  # the same entries, a new capacity
    at = _upload(coordinator().run(), "kapazitaet.csv", out.getvalue())
    assert not at.exception, at.exception
    done = texts.COORD_IMPORT_DONE.format(imported=0, unchanged=len(rows), participants=1)
    assert [s.value for s in at.success] == [done + texts.COORD_IMPORT_CHANGED.format(n=1)]
    from assistant import load_settings
    from assistant.storage import Stores, make_engine

    engine = make_engine(load_settings().database_url)
    try:
        stores = Stores.open(engine)
        prog = stores.programmes.get(MINE)
        assert prog is not None
        assert stores.programmes.participant("rm-13", prog.id).capacity == 2
    finally:
        engine.dispose()


FORMS = ROOT / "tests" / "fixtures" / "forms_export.csv"


def _choose(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    """Upload a file and stop at the mapping step (nothing imported yet)."""
    at.file_uploader(key="coord_upload").set_value((name, data, mime))
    return at.run()


def _mapping_selects(at: AppTest) -> dict[str, str]:
    """Column -> chosen target of the mapping step's selectboxes."""
    prefix = texts.IMPORT_MAP_COLUMN.split("{")[0]
    return {
        box.label.removeprefix(prefix).rstrip("“"): box.value
        for box in at.selectbox
        if box.key and box.key.startswith("coord_map_") and box.key != "coord_map_choice"
    }


def test_forms_export_is_mapped_previewed_imported_and_its_mapping_kept(data_dir):
    from assistant.ui import state

    before = len(_entries(MINE))
    at = _choose(coordinator().run(), "forms.csv", FORMS.read_bytes())
    assert not at.exception, at.exception
    assert at.selectbox(key="coord_map_choice").value == "detected"
    chosen = _mapping_selects(at)
    assert chosen["Ihre Rolle im Programm"] == "role"
    assert chosen["Was können Sie anderen anbieten?"] == "answer:offer"
    assert chosen["E-Mail"] == ""  # the respondent's address is not imported
    preview = _table(at, "Teilnehmer-ID")
    assert list(preview["Teilnehmer-ID"]) == ["fm-01", "fm-01", "fm-02", "fm-03", "fm-03"]
    assert list(preview["Rolle"])[2] == "Mentor:in" and list(preview["Art"])[1] == "Reflexion"
    assert len(_entries(MINE)) == before  # the preview wrote nothing
    at.button(key="coord_import").click()
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        texts.COORD_IMPORT_DONE.format(imported=5, unchanged=0, participants=3)
    ]
    assert len(_entries(MINE)) == before + 5
    saved = state.assistant().import_mapping(at.session_state["principal"], MINE)
    assert saved is not None and saved.answers["Ihre Reflexion"] == "reflection"
    # The next upload starts from the saved mapping of this programme.
    again = _choose(coordinator().run(), "forms-neu.csv", FORMS.read_bytes())
    assert again.selectbox(key="coord_map_choice").value == "saved"


def test_german_excel_csv_imports_after_mapping(data_dir):
    header = "Teilnehmer-ID;Rolle;Behörde;Einwilligung Analyse;Einwilligung Matching;Art;Text"
    row = (
        "ex-01;Mentee;Straßenmeisterei Nord;Ja;Ja;Ziel;Ich möchte Präsentationen vor Gremien üben."
    )
    at = _choose(coordinator().run(), "excel.csv", f"{header}\r\n{row}\r\n".encode("cp1252"))
    assert not at.exception, at.exception
    preview = _table(at, "Teilnehmer-ID")
    assert list(preview["Behörde / Organisation"]) == ["Straßenmeisterei Nord"]
    at.button(key="coord_import").click()
    at.run()
    assert not at.exception, at.exception
    assert any(
        e.text == "Ich möchte Präsentationen vor Gremien üben." and e.participant_id == "ex-01"
        for e in _entries(MINE)
    )


def test_xlsx_with_german_headers_imports_after_mapping(data_dir):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Teilnehmer-ID", "Rolle", "Behörde", "Einwilligung Analyse",
                  "Einwilligung Matching", "Art", "Text"])  # fmt: skip
    sheet.append(["xl-01", "Mentor:in", "Landratsamt Süd", "Ja", "Nein", "Angebot",
                  "Ich biete Einblicke in die Haushaltsaufstellung."])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at = _choose(coordinator().run(), "teilnehmende.xlsx", buffer.getvalue(), xlsx)
    assert not at.exception, at.exception
    assert _mapping_selects(at)["Rolle"] == "role"  # recognised without help
    preview = _table(at, "Teilnehmer-ID")
    assert list(preview[texts.IMPORT_KIND]) == ["Angebot"]
    at.button(key="coord_import").click()
    at.run()
    assert not at.exception, at.exception
    assert any(
        e.participant_id == "xl-01" and e.kind == "offer" and "Haushaltsaufstellung" in e.text
        for e in _entries(MINE)
    )


def test_mapped_file_without_consent_is_refused_in_german(data_dir):
    text = FORMS.read_text(encoding="utf-8-sig").replace(
        "Ich willige in die Auswertung meiner Texte ein", "Anmerkung"
    )
    at = _choose(coordinator().run(), "ohne.csv", text.encode("utf-8"))
    assert not at.exception, at.exception
    (error,) = at.error
    assert "Keine Spalte für Einwilligung Auswertung" in error.value
    assert "nie angenommen" in error.value
    assert at.button(key="coord_import").disabled


def test_bad_row_of_a_mapped_file_shows_a_german_reason(data_dir):
    text = FORMS.read_text(encoding="utf-8-sig").replace("30-39", "dreißig")
    at = _choose(coordinator().run(), "alter.csv", text.encode("utf-8"))
    assert not at.exception, at.exception
    report = _table(at, "Grund")
    assert list(report["Zeile"]) == [2]
    assert list(report["Grund"]) == [
        "Die Altersgruppe muss eine Spanne wie 25-34 oder 60+ sein (oder leer)."
    ]
