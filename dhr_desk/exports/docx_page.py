"""The page every dhr-desk Word document is made on: the protective marking in header and
footer (bold, centred), and the title, author and marking in the core properties (domain.md,
"Information governance": OFFICIAL-SENSITIVE on drafts and working documents, OFFICIAL on
approved publications)."""

from __future__ import annotations

from typing import Any


def marked_document(marking: str, title: str, author: str) -> Any:
    """A new python-docx Document, marked and titled."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    word = Document()
    section = word.sections[0]
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.text = marking
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.runs[0].bold = True
    word.core_properties.title = title
    word.core_properties.author = author
    word.core_properties.keywords = marking
    return word
