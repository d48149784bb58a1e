"""The overview report and executive summary starters (issue #6, point 4): Word documents laid
out as the Home Office model (Appendix 4 of the 2016 guidance; the layout is read from
``resources/submission``), with real Word headings, filled from the case with pseudonyms only,
and highlighted places, each starting "[For the chair to write:", where the chair writes.

Marked OFFICIAL-SENSITIVE in header and footer (a draft; domain.md, "Information governance").
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from dhr_desk.exports.docx_page import marked_document
from dhr_desk.exports.pdf_page import en_gb_date
from dhr_desk.workflows.action_plan import LEVEL_WORDS, SCOPE_WORDS, RecommendationEntry
from dhr_desk.workflows.submission_facts import CaseFacts
from dhr_desk.workflows.submission_wording import StarterLayout

MARKING = "OFFICIAL-SENSITIVE"
PROMPT_OPENING = "[For the chair to write: "


def _d(day: dt.date | None) -> str:
    return en_gb_date(day) if day else "not recorded"


def timescale_lines(facts: CaseFacts) -> list[str]:
    """The review's timescale in sentences, with the reasons for any delay."""
    lines = [f"{label}: {_d(day)}." for label, day in facts.dates]
    if facts.completion_due is not None:
        if facts.late:
            took = "it took" if facts.signed_off_on else "so far it has taken"
            lines.append(
                f"The review was due to be completed by {_d(facts.completion_due)} "
                f"({facts.completion_basis}); {took} {facts.days_over} days longer."
            )
            lines.append(
                "Reasons for the delay: "
                + (facts.delay_reasons or "not yet recorded (record them before submission).")
            )
        else:
            lines.append(f"The review was due to be completed by {_d(facts.completion_due)} "
                         f"({facts.completion_basis}).")  # fmt: skip
    for started, ended, reason in facts.pauses:
        until = f" to {_d(ended)}" if ended else " (still paused)"
        lines.append(f"Paused from {_d(started)}{until}: {reason}")
    return lines


def proceeding_lines(facts: CaseFacts) -> list[str]:
    lines = []
    for p in facts.proceedings:
        state = f"concluded on {_d(p.concluded_on)}" if p.concluded_on else (
            p.status or "not concluded")  # fmt: skip
        lead = f" ({p.lead_body})" if p.lead_body else ""
        lines.append(f"{p.kind}{lead}: {state}.")
    return lines


def recommendation_lines(plan: Sequence[RecommendationEntry]) -> list[str]:
    """Single- and multi-agency recommendations together, numbered as in the action plan."""
    return [
        f"{r.number}. {r.text} ({LEVEL_WORDS.get(r.level, r.level)}; "
        f"{SCOPE_WORDS.get(r.scope, r.scope).lower()}"
        + (f"; lead: {r.lead_agency}" if r.lead_agency else "")
        + ")"
        for r in plan
    ]


class _Starter:
    """One starter being written with python-docx."""

    def __init__(self, title: str, author: str) -> None:

        self.word: Any = marked_document(MARKING, title, author)

    def prompt(self, text: str) -> None:
        from docx.enum.text import WD_COLOR_INDEX

        run = self.word.add_paragraph().add_run(f"{PROMPT_OPENING}{text}]")
        run.italic = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def lines(self, lines: Sequence[str], style: str | None = None) -> None:
        for line in lines:
            self.word.add_paragraph(line, style=style)

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        table = self.word.add_table(rows=1, cols=len(headings))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()


def _fill(doc: _Starter, fill: str, facts: CaseFacts, plan: Sequence[RecommendationEntry]) -> None:
    if fill == "people":
        doc.lines(["The people in this review are referred to by these pseudonyms:"])
        rows = [(p.pseudonym or "(no pseudonym yet)", p.role, p.relationship, p.age_band)
                for p in facts.people]  # fmt: skip
        doc.table(("Pseudonym", "Role", "Relationship to the victim", "Age band"), rows)
    elif fill == "timescales":
        doc.lines(timescale_lines(facts))
    elif fill == "terms_of_reference":
        start, end = facts.scoping_period
        doc.lines([
            f"The terms of reference were agreed on {_d(facts.terms_of_reference_agreed_on)}.",
            f"The review looked at events from {_d(start)} to {_d(end)}."
            if start or end else "The scoping period is not recorded yet.",
        ])  # fmt: skip
    elif fill == "family":
        n = facts.family_contacts
        told = f"The review recorded {n} contact{'' if n == 1 else 's'} with the family."
        seen = (f"The family saw the draft report on {_d(facts.family_seen_draft_on)}."
                if facts.family_seen_draft_on else "")  # fmt: skip
        doc.lines([line for line in (told, seen) if line])
    elif fill == "agencies":
        doc.lines(["These agencies contributed to the review:"])
        doc.lines(facts.contributing_agencies or ("None recorded yet.",), "List Bullet")
    elif fill == "panel":
        doc.table(("Role", "Agency", "Job title"),
                  [(m.role, m.agency, m.job_title) for m in facts.panel])  # fmt: skip
    elif fill == "chair":
        chair = facts.chair or "not yet appointed"
        statement = facts.chair_independence or "not recorded yet."
        doc.lines([f"The independent chair and author of the report is {chair}.",
                   f"Statement of independence: {statement}"])  # fmt: skip
    elif fill == "proceedings":
        doc.lines(proceeding_lines(facts) or ["No parallel proceedings are recorded."])
    elif fill == "recommendations":
        doc.lines(recommendation_lines(plan) or ["No recommendations are recorded yet."])


def report_starter(
    layout: StarterLayout,
    facts: CaseFacts,
    plan: Sequence[RecommendationEntry],
    made_on: dt.date,
) -> bytes:
    """A starter DOCX for ``layout`` (the overview report or the executive summary)."""
    title = f"{layout.title}: {facts.reference}"
    doc = _Starter(title, facts.partnership)
    doc.word.add_heading(title, level=0)
    doc.word.add_paragraph(f"{facts.review_name} concerning '{facts.victim}'. Starter made on "
                           f"{en_gb_date(made_on)}.")  # fmt: skip
    doc.lines([layout.intro])
    for section in layout.sections:
        doc.word.add_heading(section.heading, level=section.level)
        if section.fill:
            _fill(doc, section.fill, facts, plan)
        if section.prompt:
            doc.prompt(section.prompt)
    return doc.bytes()
