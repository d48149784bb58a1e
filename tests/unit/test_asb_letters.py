"""The letters to an ASB Case Review applicant on a real store (SQLite and PostgreSQL): each made
as PDF and DOCX and read back (pypdf, python-docx), kept in the documents register and shown on
the timeline; refused until the records support it (a threshold letter before the decision, the
not-met letter without signposting, the outcome before the meeting, the escalation letters before
the escalation); the partnership's own wording used, and wording naming an unknown placeholder
refused; an upheld escalation reopening the review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.lifecycle import ComplaintInput, LifecycleError, NewAsbApplication
from dhr_desk.workflows.settings_registry import SettingError

TODAY = dt.date.today()
APPLICANT = "Perpetua Lindqvist-Ames"  # invented


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


def apply(desk: Desk, complaints: int) -> str:
    new = NewAsbApplication(
        received_on=ago(30), applicant_name=APPLICANT, district="Norwich",
        complaints=tuple(ComplaintInput(incident_date=ago(60 - i), complained_on=ago(55 - i))
                         for i in range(complaints)),
    )  # fmt: skip
    return desk.lifecycle().register_asb(new).reference


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_the_letters_follow_the_review_and_are_kept_with_it(desk: Desk, tmp_path: Path) -> None:
    reference = apply(desk, 3)
    life = desk.lifecycle()
    # GIVEN an application just received THEN the acknowledgement can be made
    pdf, docx = desk.asb_letter(reference, "acknowledgement", tmp_path)
    text = pdf_text(pdf)
    assert APPLICANT in text and reference in text and "OFFICIAL-SENSITIVE" in text
    assert f"which we received on {ago(30):%d/%m/%Y}" in text
    word = WordDocument(str(docx))
    assert word.paragraphs[0].text == APPLICANT and word.sections[0].header.paragraphs[0].text == (
        "OFFICIAL-SENSITIVE")  # fmt: skip
    kept = [v for v in desk.documents(reference) if v.title.startswith("Letter to the applicant")]
    assert [(v.title, v.number, v.file_name) for v in kept] == [
        ("Letter to the applicant: Acknowledgement", 1, pdf.name)]  # fmt: skip
    timeline = [e.text for e in desk.timeline(reference)]
    assert "Letter to the applicant: Acknowledgement (v1)" in timeline
    # AND a threshold letter waits for the decision, the outcome for the meeting
    with pytest.raises(DeskError, match="Record a threshold decision of 'met' first"):
        desk.asb_letter(reference, "threshold_met", tmp_path)
    with pytest.raises(DeskError, match="Record the review meeting first"):
        desk.asb_letter(reference, "outcome", tmp_path)
    with pytest.raises(DeskError, match="escalation request first"):
        desk.asb_letter(reference, "escalation_acknowledgement", tmp_path)
    life.record_event(reference, "spoc_assigned", ago(28), by="Sam Okonjo (fictional)")
    text = pdf_text(desk.asb_letter(reference, "acknowledgement", tmp_path)[0])
    assert "Sam Okonjo (fictional), your single point of contact, will contact you" in text
    life.move(reference, "spoc_contact")
    life.record_event(reference, "applicant_contacted", ago(27))
    life.move(reference, "information_gathering")
    life.move(reference, "threshold_decision")
    life.record_threshold_decision(reference, decision="met_automatically", decided_on=ago(20),
                                   decided_by="ASB panel", reasons="Three qualifying "
                                   "complaints within six months.")  # fmt: skip
    text = pdf_text(desk.asb_letter(reference, "threshold_met", tmp_path)[0])
    assert "the threshold is met" in text and "Three qualifying complaints" in text
    assert "3 qualifying" in text  # the count, from the assessment
    # AND the outcome letter lists every recommendation with its actions
    life.record_event(reference, "applicant_informed", ago(19))
    life.move(reference, "review_meeting")
    life.record_event(reference, "review_meeting", ago(10))
    life.add_recommendation(reference, text="Patrols at the shops after 6 pm.",
                            level="multi_agency", scope="local",
                            actions=[("Fictional Constabulary", "Add the route to patrols.",
                                      TODAY + dt.timedelta(days=30))])  # fmt: skip
    text = pdf_text(desk.asb_letter(reference, "outcome", tmp_path)[0])
    assert "1. Patrols at the shops after 6 pm." in text
    assert "lead: Fictional Constabulary" in text and "OPCCN" in text
    life.record_event(reference, "outcome_communicated", ago(9))
    life.move(reference, "outcome_communicated")
    # AND an escalation, upheld, is acknowledged and decided by letter, and reopens the review
    escalation = life.request_escalation(reference, requested_on=ago(5),
                                         grounds="The meeting did not hear me.")  # fmt: skip
    text = pdf_text(desk.asb_letter(reference, "escalation_acknowledgement", tmp_path)[0])
    assert "The meeting did not hear me." in text
    life.move(reference, "escalation")
    life.decide_escalation(reference, escalation, outcome="upheld", decided_on=ago(1),
                           reasons="The applicant was not invited to speak.")  # fmt: skip
    text = pdf_text(desk.asb_letter(reference, "escalation_decision", tmp_path)[0])
    assert "your request is upheld" in text and "will now be reviewed again" in text
    assert desk.overview(reference).summary.stage == "information_gathering"
    assert len([v for v in desk.documents(reference) if v.kind == "Letter"]) == 6


def test_not_met_needs_signposting_and_own_wording_is_used(desk: Desk, tmp_path: Path) -> None:
    reference = apply(desk, 1)
    life = desk.lifecycle()
    life.record_threshold_decision(reference, decision="not_met", decided_on=ago(20),
                                   decided_by="ASB panel",
                                   reasons="One complaint only.")  # fmt: skip
    with pytest.raises(DeskError, match="Record the signposting"):
        desk.asb_letter(reference, "threshold_not_met", tmp_path)
    # WHEN the partnership words the letter its own way, naming an unknown placeholder
    with pytest.raises(SettingError, match=r"names \{applicant_address\}"):
        desk.change_setting("asb.letters", {"threshold_not_met": {
            "subject": "Your review", "body": "Dear {applicant_address}"}})  # fmt: skip
    assert desk.settings()["asb.letters"] == {}
    body = "We decided not to hold a review: {threshold_reasons}\n\nHelp: {signposting}"
    desk.change_setting("asb.letters", {"threshold_not_met": {
        "subject": "About your application {reference}", "body": body}})  # fmt: skip
    # AND another not met, decided with its signposting, gets the letter in that wording
    reference = apply(desk, 1)
    life.record_threshold_decision(reference, decision="not_met", decided_on=ago(20),
                                   decided_by="ASB panel", reasons="One complaint only.",
                                   signposting="Norfolk Victim Care (fictional).")  # fmt: skip
    pdf, docx = desk.asb_letter(reference, "threshold_not_met", tmp_path)
    text = pdf_text(pdf)
    assert f"About your application {reference}" in text
    assert "We decided not to hold a review: One complaint only." in text
    assert "Help: Norfolk Victim Care (fictional)." in text
    assert [p.text for p in WordDocument(str(docx)).paragraphs if p.text.startswith("Help:")]


@pytest.mark.parametrize("body", ["{applicant:>100000}", "{applicant.__class__}", "{applicant!r}",
                                  "{0}", "a lone { brace"])  # fmt: skip
def test_wording_may_use_bare_placeholders_only(desk: Desk, body: str) -> None:
    with pytest.raises(SettingError):
        desk.change_setting("asb.letters", {"outcome": {"subject": "S", "body": body}})
    assert desk.settings()["asb.letters"] == {}


def test_the_review_meeting_keeps_who_took_part_the_applicant_and_the_findings(
    desk: Desk,
) -> None:
    reference = apply(desk, 3)
    life = desk.lifecycle()
    meeting = {
        "attendees": "Fictional Constabulary, Norwich City Council",
        "applicant": "represented",
        "findings": "Calls were logged but not linked.",
    }
    # GIVEN the threshold decided THEN a meeting cannot be dated before it
    life.record_threshold_decision(reference, decision="met_automatically", decided_on=ago(20),
                                   decided_by="ASB panel", reasons="Three complaints.")  # fmt: skip
    with pytest.raises(LifecycleError, match="before"):
        life.record_asb_review_meeting(reference, held_on=ago(25), **meeting)
    with pytest.raises(LifecycleError, match="what the review found"):
        life.record_asb_review_meeting(reference, held_on=ago(10), **{**meeting, "findings": " "})
    with pytest.raises(LifecycleError, match="invited"):
        life.record_asb_review_meeting(reference, held_on=ago(10),
                                       **{**meeting, "applicant": "maybe"})  # fmt: skip
    # WHEN it is recorded THEN the date, the meeting and the findings are kept
    life.record_asb_review_meeting(reference, held_on=ago(10), **meeting)
    [held] = [m for m in desk.meetings(reference) if m.kind == "Review meeting"]
    assert held.held == f"Held on {ago(10):%d/%m/%Y}"
    assert dict(desk.overview(reference).facts)["The review meeting"] == f"{ago(10):%d/%m/%Y}"
