"""A tandem's documents on the command line (issue #13, item 8): `tandem guide|agreement`.

Hashing embedder and mini pool (``cli_env``); the operator prints on the tandem's request,
audited; the JSON contract also through the installed console script.
"""

from __future__ import annotations

import io
import json

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from tests.cli.invoke import in_process, via_script
from tests.cli.test_match_cli import imported, pairs_of, run_json
from tests.matching_cohort import CROSS


@pytest.fixture(scope="module")
def published(cli_env, tmp_path_factory):
    """A database with the cross programme's tandems published; (env, mentee, mentor)."""
    env = imported(cli_env, tmp_path_factory.mktemp("tandem"))
    run_json(env, "match", "--programme", CROSS)  # the draft
    pairs = pairs_of(run_json(env, "match", "publish", "--programme", CROSS))
    mentee = sorted(pairs)[0]
    return env, mentee, pairs[mentee]


def _pdf(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_guide_json_contract_through_the_console_script(console_script, published, tmp_path):
    env, mentee, mentor = published
    out = tmp_path / "leitfaden.pdf"
    code, stdout, err = via_script(
        console_script, env, "tandem", "guide", "--programme", CROSS, mentee,
        "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(stdout)
    assert list(data) == ["programme", "mentee", "document", "format", "out", "bytes"]
    assert (data["document"], data["format"], data["bytes"]) == ("guide", "pdf", out.stat().st_size)
    text = _pdf(out)
    assert "Leitfaden für das Erstgespräch" in text and mentor in text


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_agreement_is_the_draft_marked_entwurf_in_both_formats(published, tmp_path, suffix):
    env, mentee, _ = published
    out = tmp_path / f"vereinbarung{suffix}"
    code, stdout, err = in_process(
        env, "tandem", "agreement", "--programme", CROSS, mentee, "--out", str(out)
    )
    assert code == 0, err
    assert str(out) in stdout
    if suffix == ".pdf":
        text = _pdf(out)
    else:
        text = "\n".join(p.text for p in read_docx(io.BytesIO(out.read_bytes())).paragraphs)
    assert "Zielvereinbarung (Entwurf)" in text


def test_each_print_is_audited_as_the_operators(published, tmp_path):
    env, mentee, _ = published
    out = tmp_path / "a.docx"
    assert (
        in_process(env, "tandem", "agreement", "--programme", CROSS, mentee, "--out", str(out))[0]
        == 0
    )
    rows = run_json(env, "audit", "--limit", "1")["audit"]
    assert rows[0]["action"] == "tandem.print" and rows[0]["subject"] == mentee
    assert rows[0]["detail"] == {"document": "agreement", "format": "docx"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["guide", "--out", "x.docx"], 2, "must end in .pdf"),
        (["agreement", "--out", "x.txt"], 2, ".pdf or .docx"),
        (["guide", "--out", "/no/such/folder/x.pdf"], 2, "Cannot write"),
    ],
)
def test_bad_out_is_a_usage_error(published, args, code, message):
    env, mentee, _ = published
    document, *rest = args
    got, _, err = in_process(env, "tandem", document, "--programme", CROSS, mentee, *rest)
    assert got == code and message in err


def test_a_person_without_tandem_or_an_unknown_programme_exits_1(published, tmp_path):
    env, _, _ = published
    out = str(tmp_path / "x.pdf")
    code, _, err = in_process(env, "tandem", "guide", "--programme", CROSS, "me-4", "--out", out)
    assert code == 1 and "No published tandem" in err
    code, _, err = in_process(env, "tandem", "guide", "--programme", "Nope", "me-1", "--out", out)
    assert code == 1 and "Unknown programme" in err
    assert not (tmp_path / "x.pdf").exists()
