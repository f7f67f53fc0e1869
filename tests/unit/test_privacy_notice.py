"""The privacy notice is composed from the settings (issue #14, item 7)."""

from __future__ import annotations

from assistant import texts


def notice_text(*args: object) -> str:
    return "\n".join(
        f"{s.heading}\n" + "\n".join(s.paragraphs) for s in texts.privacy_notice(*args)
    )


def test_the_notice_states_k_retention_and_the_contact_it_is_given():
    text = notice_text(7, 6, "datenschutz@amt.example")
    assert "mindestens 7 Personen" in text
    assert "6 Monate nach dem Ende des Programms" in text
    assert "Fragen zum Datenschutz: datenschutz@amt.example" in text


def test_changing_a_setting_changes_the_notice_and_counts_agree():
    assert notice_text(5, 12) != notice_text(6, 12)
    assert "1 Monat nach" in notice_text(5, 1)
    assert "an die Koordination Ihres Programms" in notice_text(5, 12, "  ")


def test_the_notice_names_every_role_the_policy_knows():
    text = notice_text(5, 12)
    for who in ("Sie selbst", "Programmkoordination", "Tandempartner", "Moderation"):
        assert who in text
    assert "Administration" in text and "Widerruf" in text and "„Meine Daten“" in text
