"""Seedable synthetic German programme entries for bench/speed.py.

Entries are built from the pool's German examples (the primary topic's, sometimes a second
topic's) with context sentences from templates, so that lengths vary from 10 to 150 words and
sentences rarely repeat verbatim (real programmes repeat few sentences; a generator that did
would flatter the embedding cache). About 8% of entries belong to three themes that are not in
the pool ("emerging" themes for the clustering), labelled ``emerging-*``.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from assistant.importer import COLUMNS

ORGS = [
    f"{kind} {place}"
    for kind in ("Stadtverwaltung", "Landratsamt", "Ministerium", "Bezirksamt", "Landesamt")
    for place in ("Nord", "Süd", "Ost", "West", "Mitte", "am See", "an der Ruhr", "im Tal")
]
UNITS = [
    "Bürgerbüro", "Jugendamt", "Ordnungsamt", "Personalamt", "Bauamt", "Sozialamt",
    "Standesamt", "Kämmerei", "Pressestelle", "IT-Referat", "Hauptamt", "Umweltamt",
    "Gesundheitsamt", "Schulamt", "Vergabestelle", "Rechtsamt", "Kulturamt", "Grünflächenamt",
]  # fmt: skip
CITIES = [
    "Kassel", "Bremen", "Erfurt", "Mainz", "Kiel", "Potsdam", "Schwerin", "Magdeburg",
    "Dresden", "Saarbrücken", "Hannover", "Wiesbaden", "Düsseldorf", "Stuttgart", "München",
    "Bonn", "Lübeck", "Rostock", "Jena", "Trier", "Ulm", "Fulda", "Gießen", "Siegen",
]  # fmt: skip
MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
]  # fmt: skip
CONTEXT = [
    "Ich arbeite seit {n} Jahren im {unit} in {city}.",
    "Seit {month} leite ich ein Team von {n} Leuten im {unit}.",
    "Bei uns im {unit} in {city} ist das seit {month} ein großes Thema.",
    "Im Gespräch am {day}. {month} haben wir darüber lange gesprochen.",
    "Mein Tandem kommt aus dem {unit} und kennt das seit {n} Jahren aus {city}.",
    "Das betrifft in unserem Haus in {city} ungefähr {n} Kolleginnen und Kollegen.",
    "Ich bin {n} Jahre im öffentlichen Dienst, zuletzt im {unit}.",
    "Wir haben das im {month} im {unit} mit {n} Leuten ausprobiert.",
    "Die Amtsleitung in {city} unterstützt das seit {month} ausdrücklich.",
    "Bis zum {month} möchte ich im {unit} einen ersten Schritt gehen.",
]
CLAUSES = [
    "vor allem im {unit}",
    "gerade seit {month}",
    "zusammen mit {n} Kolleginnen",
    "für unser Team in {city}",
    "auch mit Blick auf {city}",
    "und zwar bis {month}",
    "wie schon im {unit} besprochen",
    "seit {n} Wochen",
    "so die Leitung in {city}",
    "zuletzt am {day}. {month}",
    "mit {n} Beteiligten aus dem {unit}",
]
# Themes that are not pool topics: what the residue clustering should find.
EMERGING = {
    "emerging-kantine": [
        "Das Essen in der Kantine ist zu teuer und die Auswahl zu klein.",
        "Die Kantine schließt zu früh für die Spätschicht.",
        "Wir wünschen uns vegetarische Gerichte in der Kantine.",
        "In der Kantine ist mittags kein Platz mehr frei.",
    ],
    "emerging-parken": [
        "Es gibt zu wenige Parkplätze am Dienstgebäude.",
        "Die Parkplatzsuche am Morgen kostet mich jeden Tag Zeit.",
        "Für Fahrräder fehlen überdachte Stellplätze vor dem Rathaus.",
        "Die Parkausweise für Beschäftigte sind seit Monaten vergriffen.",
    ],
    "emerging-drucker": [
        "Der Drucker auf unserem Flur ist ständig defekt.",
        "Druckaufträge bleiben hängen und niemand fühlt sich zuständig.",
        "Für den Toner des Druckers muss man drei Formulare ausfüllen.",
        "Der neue Multifunktionsdrucker scannt nur in schlechter Qualität.",
    ],
}
KINDS = ("goal", "goal", "goal", "reflection", "reflection", "offer")


@dataclass(frozen=True)
class Entry:
    entry_id: str
    participant_id: str
    organisation: str
    kind: str
    text: str
    label: str  # the generator's theme: a pool topic id or an emerging-* id
    created_at: date


def load_examples(pool_file: Path) -> dict[str, list[str]]:
    """German examples per pool topic id."""
    pool = yaml.safe_load(pool_file.read_text(encoding="utf-8"))
    return {t["id"]: list(t["examples"]["de"]) for t in pool["topics"]}


class EntryGenerator:
    """Deterministic for a given ``seed`` and pool."""

    def __init__(self, pool_file: Path, seed: int = 0) -> None:
        self.examples = {**load_examples(pool_file), **EMERGING}
        self.pool_ids = [t for t in self.examples if not t.startswith("emerging-")]
        self.rng = random.Random(seed)

    def _fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            n=r.randrange(2, 36),
            unit=UNITS[r.randrange(len(UNITS))],
            city=CITIES[r.randrange(len(CITIES))],
            month=MONTHS[r.randrange(12)],
            day=r.randrange(1, 29),
        )

    def _example(self, topic: str) -> str:
        pool = self.examples[topic]
        sentence = pool[self.rng.randrange(len(pool))].strip()
        end = sentence[-1] if sentence[-1] in ".?!" else "."
        body = sentence.rstrip(".?!")
        if self.rng.random() < 0.9:  # context clauses: few sentences repeat verbatim
            clauses = self.rng.sample(range(len(CLAUSES)), self.rng.randrange(1, 3))
            body = ", ".join([body, *(self._fill(CLAUSES[int(c)]) for c in clauses)])
        return body + end

    def text(self, label: str, words: int) -> str:
        """One text of about ``words`` words (10 to 150) on ``label``."""
        r = self.rng
        second = self.pool_ids[r.randrange(len(self.pool_ids))] if r.random() < 0.2 else None
        parts = [self._example(label)]
        n = len(parts[0].split())
        while n < words:
            roll = r.random()
            if roll < 0.55:
                part = self._example(label)
            elif roll < 0.7 and second is not None:
                part = self._example(second)
            else:
                part = self._fill(CONTEXT[r.randrange(len(CONTEXT))])
            parts.append(part)
            n += len(part.split())
        tokens = " ".join(parts).split()
        if len(tokens) > 150:
            tokens = tokens[:150]
            tokens[-1] = tokens[-1].rstrip(",;:") + "."
        return " ".join(tokens)

    def length(self) -> int:
        """Words of one entry: many short, a few long (10 to 150, median 30, mean about 38)."""
        return int(min(max(self.rng.lognormvariate(math.log(30), 0.6), 10), 150))

    def label(self) -> str:
        if self.rng.random() < 0.08:
            return list(EMERGING)[self.rng.randrange(len(EMERGING))]
        return self.pool_ids[self.rng.randrange(len(self.pool_ids))]

    def entries(self, n: int, prefix: str = "e") -> list[Entry]:
        """``n`` entries of about n/3 participants; each participant keeps one theme mostly."""
        out: list[Entry] = []
        start = date(2024, 9, 2)  # 540 days: up to early 2026, never in the future
        p = 0
        while len(out) < n:
            pid = f"{prefix}p{p:07d}"
            org = ORGS[self.rng.randrange(len(ORGS))]
            theme = self.label()
            for _ in range(self.rng.randrange(1, 6)):
                if len(out) == n:
                    break
                label = theme if self.rng.random() < 0.8 else self.label()
                out.append(
                    Entry(
                        entry_id=f"{prefix}{len(out):08d}",
                        participant_id=pid,
                        organisation=org,
                        kind=KINDS[self.rng.randrange(len(KINDS))],
                        text=self.text(label, self.length()),
                        label=label,
                        created_at=start + timedelta(days=self.rng.randrange(0, 540)),
                    )
                )
            p += 1
        return out


def write_csv(entries: list[Entry], path: Path, programme: str) -> None:
    """Write ``entries`` in the import format (every participant consents)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)  # the import contract, from the importer itself
        for e in entries:
            writer.writerow(
                [
                    programme,
                    e.participant_id,
                    "peer",
                    e.organisation,
                    "30-39",
                    "true",
                    "true",
                    e.entry_id,
                    e.kind,
                    e.text,
                    e.created_at.isoformat(),
                    "",
                ]
            )
