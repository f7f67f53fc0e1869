"""The tandem's journey: first-meeting guide and goal agreement, composed and printed.

Pure functions over data (``model``: the tandem, the agreement's content, a printable
document); ``guide`` and ``agreement`` compose them in German from ``assistant.texts``,
``documents`` renders a document as PDF (fpdf2) or DOCX (python-docx). Nothing here knows
who asks or where anything is stored.
"""

from __future__ import annotations

from assistant.journey.agreement import (
    LIMITS,
    agreement_document,
    draft_agreement,
    validate_agreement,
)
from assistant.journey.documents import to_docx, to_pdf
from assistant.journey.guide import compose_guide
from assistant.journey.model import (
    AgreementContent,
    AgreementDefaults,
    Document,
    GoalItem,
    Section,
    Tandem,
)

__all__ = [
    "LIMITS",
    "AgreementContent",
    "AgreementDefaults",
    "Document",
    "GoalItem",
    "Section",
    "Tandem",
    "agreement_document",
    "compose_guide",
    "draft_agreement",
    "to_docx",
    "to_pdf",
    "validate_agreement",
]
