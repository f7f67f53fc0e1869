"""German text output of the command line (its JSON holds no German apart from data)."""

from __future__ import annotations

from assistant.texts.common import Counted

# -- command line: text output (JSON output has no German apart from data) -------------------
CLI_LANGUAGE = "Sprache: {language}"
CLI_NO_FIT = "Kein Thema des Themenpools passt zu diesem Text."
CLI_TOPIC_LINE = "{rank}. {label} [{id}]  Wert {score:.2f}"
CLI_EVIDENCE = "   Beleg: {sentence}"
CLI_KEYWORDS = "   Stichworte: {keywords}"
CLI_POOL_VALID = Counted("OK: {source} ist gültig ({n:Thema|Themen}).")
CLI_POOL_HEADER = Counted("{name} ({source}), {n:Thema|Themen}")
CLI_POOL_TOPIC = "- {id}: {label} – {description}"
CLI_INFO = Counted(
    "Version: {version}\n"
    "Embedder: {kind} ({model_id}, {dimension} dim)\n"
    "Themenpool: {pool} ({source}), {topics:Thema|Themen}\n"
    "Datenbank: {database}"
)
CLI_IMPORT_REPORT = Counted(
    "{imported:Eintrag|Einträge} importiert, {unchanged} unverändert, {rejected} abgelehnt "
    "({participants:Teilnehmende:r|Teilnehmende}, Programme: {programmes})."
)
CLI_IMPORT_KEPT = Counted(
    "Bei {n:bereits bekannten Person|bereits bekannten Personen} wurden Einwilligung, "
    "Organisation und Altersgruppe wie gespeichert belassen (die Datei weicht ab; "
    "siehe --json, Feld kept)."
)
CLI_IMPORT_CHANGED = Counted(
    "Bei {n:bereits bekannten Person|bereits bekannten Personen} wurden Kapazität, Stufe oder "
    "E-Mail-Adresse im Programm aus der Datei übernommen (siehe --json, Feld changed)."
)
CLI_REJECTS_FILE = "Abgelehnte Zeilen mit Grund: {path}"
CLI_REPROCESSED = Counted("{n:offener Eintrag|offene Einträge} analysiert.")
CLI_PEERS_HEADER = "Passende Personen für {participant} ({programme}):"
CLI_PEERS_NONE = "Keine passenden Personen mit Einwilligung zum Matching gefunden."
CLI_PEER_LINE = "{rank}. {participant}  Wert {score:.2f} – {reason}"
THEMES_TOO_FEW = "zu wenige Texte"
CLI_THEMES_HEADER = Counted(
    "Themen in {programme} ({n:Text|Texte}; {boilerplate:Floskel|Floskeln}, "
    "{duplicates:Duplikat|Duplikate} "
    "beiseitegelegt)"
)
CLI_THEMES_TOO_FEW = "Zu wenige Texte für Themencluster."
CLI_THEME_LINE = Counted("- {label} [{id}, {kind}] {size:Person|Personen}: {keywords}")
CLI_THEME_NEW = "neu"
CLI_FORUM_CHOSEN = "Vorgemerkt: {topic} am {date} für {group}."
CLI_FORUM_CHOSEN_BEFORE = "War bereits vorgemerkt: {topic} am {date} für {group}."
CLI_FORUM_HEADER = "Forumsthemen für {group} ({programme}):"
CLI_FORUM_LINE = Counted("{rank}. {label} [{id}] – {members:Person|Personen}{seen}")
CLI_FORUM_SEEN = ", besprochen am {dates}"
CLI_ERASED = "{participant} gelöscht: {counts}"
CLI_ROLE_CHANGED = "Rolle von {username}: {role}"
CLI_USER_ADDED = (
    "Konto {username} ({role}) angelegt. Passwort (wird nur jetzt angezeigt): {password}"
)
CLI_USER_CHANGED = {
    "disable": "Konto {username} gesperrt; offene Sitzungen enden.",
    "enable": "Konto {username} wieder freigegeben.",
    "delete": "Konto {username} gelöscht.",
}
CLI_CONSENT = "{participant}: Analyse {analysis}, Matching {matching}"
CLI_YES, CLI_NO = "ja", "nein"
CLI_AUDIT_INTACT = Counted(
    "Protokoll unverändert: {rows:verketteter Eintrag|verkettete Einträge} geprüft."
)
CLI_PROGRAMME_END = "{programme}: Programmende {ends_on} (die Löschfrist zählt ab diesem Tag)."
CLI_ROSTER = Counted(
    "{programme}: {n:Person|Personen} neu bestätigt, ab jetzt für die k-Regel mitgezählt."
)
CLI_RETENTION_NONE = "Keine Programme über ihrer Aufbewahrungsfrist."
CLI_RETENTION_LINE = Counted("{programme}: {entries:Eintrag|Einträge} {verb} (Frist {deadline})")
CLI_RETENTION_DRY, CLI_RETENTION_DONE = "würden gelöscht", "gelöscht"
CLI_MATCH_HEADER = "Tandems in {programme} ({kind}), {status}:"
CLI_GROUPS_HEADER = "Peer-Gruppen in {programme}, {status}:"
CLI_MATCH_STATUS = {"draft": "Entwurf", "published": "veröffentlicht"}
CLI_MATCH_NONE = "Noch keine Tandems."
CLI_GROUPS_NONE = "Noch keine Gruppen."
CLI_MATCH_PAIR = "{mentee} → {mentor}  {score:.2f}  {topics}"
CLI_MATCH_GROUP = Counted("{id} ({n:Person|Personen}): {members}  {topics}")
CLI_MATCH_ORGANISATIONS = "    Behörden: {organisations}"
CLI_MATCH_REASON = "    {line}"
CLI_MATCH_TRADE_OFF = "    Abwägung: {line}"
CLI_MATCH_UNMATCHED = "Ohne Zuordnung:"
CLI_MATCH_UNMATCHED_LINE = "- {participant}: {reason}"
CLI_MATCH_BINDING = "Bindende Regel: {message}"
CLI_MATCH_OBJECTIVE = "Zielwert {value:.4f}, Optimalitätslücke {gap}"
CLI_GROUPS_PUBLISHED = (
    "Die Gruppen sind angelegt; Moderation zuweisen mit: "
    "assistant user role NAME --role moderator --group PROGRAMM:GRUPPE"
)
