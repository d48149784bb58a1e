"""The ASB Case Review annual return on a real store (SQLite and PostgreSQL): each figure counted
by the date of its own event inside the period (an application received in March and decided
in April counts in each year for what happened in it), per district and in total, against the
previous period of the same length (whole months: the previous financial year, leap day or
not); a period ending before it starts refused; every output read back (CSV, XLSX with
openpyxl, PDF with pypdf, the documented JSON)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.asb_return import financial_year, previous_period
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.lifecycle import ComplaintInput, Lifecycle, NewAsbApplication

D = dt.date
FY_2026 = (D(2026, 4, 1), D(2027, 3, 31))
FY_2027 = (D(2027, 4, 1), D(2028, 3, 31))


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


@pytest.fixture
def life(any_store: Store) -> Lifecycle:
    return Lifecycle(any_store.sessions, actor="officer.one", today=D(2028, 6, 30))


def apply(life: Lifecycle, received: D, district: str) -> str:
    complaints = tuple(
        ComplaintInput(incident_date=received - dt.timedelta(days=40 - i),
                       complained_on=received - dt.timedelta(days=30 - i))
        for i in range(3)
    )  # fmt: skip
    new = NewAsbApplication(received_on=received, applicant_name="Applicant (fictional)",
                            district=district, complaints=complaints)  # fmt: skip
    return life.register_asb(new).reference


def decide(life: Lifecycle, ref: str, decision: str, on: D) -> None:
    life.record_threshold_decision(ref, decision=decision, decided_on=on, decided_by="Panel",
                                   reasons="As the panel found.")  # fmt: skip


def test_periods_of_the_same_length() -> None:
    assert financial_year(D(2027, 3, 31)) == FY_2026 and financial_year(D(2027, 4, 1)) == FY_2027
    assert previous_period(*FY_2027) == FY_2026  # 366 days (29/02/2028) after 365: still a year
    assert previous_period(D(2028, 3, 1), D(2028, 3, 31)) == (D(2028, 2, 1), D(2028, 2, 29))
    assert previous_period(D(2027, 5, 10), D(2027, 5, 19)) == (D(2027, 4, 30), D(2027, 5, 9))


def test_each_figure_counts_in_the_period_of_its_own_event(
    desk: Desk, life: Lifecycle, tmp_path: Path
) -> None:
    # GIVEN an application received on 31 March and decided on 1 April
    march = apply(life, D(2027, 3, 31), "Norwich")
    decide(life, march, "met_automatically", D(2027, 4, 1))
    # AND another received in April in Breckland, its review held in May with recommendations
    april = apply(life, D(2027, 4, 20), "Breckland")
    decide(life, april, "met_automatically", D(2027, 4, 28))
    life.record_event(april, "review_meeting", D(2027, 5, 12))
    life.record_event(april, "recommendations_made", D(2027, 5, 12))
    # AND one from the year before, in Norwich
    apply(life, D(2026, 6, 1), "Norwich")
    first = desk.asb_return(*FY_2026)
    second = desk.asb_return(*FY_2027)
    # THEN the March application counts as received in 2026-27, and its decision in 2027-28
    assert first.districts["Norwich"].applications == 2
    assert first.total.applications == 2 and first.total.reviews_carried_out == 0
    assert second.total.applications == 1 and second.districts["Breckland"].applications == 1
    assert second.total.reviews_carried_out == 1
    assert second.total.reviews_with_recommendations == 1
    # AND every district of the partnership is listed, with the previous period's total
    assert list(second.districts)[:2] == ["Breckland", "Broadland"]
    assert second.districts["Great Yarmouth"].applications == 0
    assert second.previous_total == first.total and second.change("applications") == -1
    # AND the documented JSON
    data = second.as_json()
    assert data["period"] == {"from": "2027-04-01", "to": "2028-03-31"}
    assert data["districts"]["Breckland"] == {
        "applications": 1, "threshold_not_met": 0, "reviews_carried_out": 1,
        "reviews_with_recommendations": 1,
    }  # fmt: skip
    assert data["total"]["applications"] == 1 and data["previous_total"]["applications"] == 2


def test_threshold_not_met_is_counted_when_decided(desk: Desk, life: Lifecycle) -> None:
    new = NewAsbApplication(
        received_on=D(2027, 3, 20), applicant_name="Applicant (fictional)", district="Norwich",
        complaints=(ComplaintInput(incident_date=D(2027, 3, 1), complained_on=D(2027, 3, 2)),),
    )  # fmt: skip
    ref = life.register_asb(new).reference
    decide(life, ref, "not_met", D(2027, 4, 2))
    assert desk.asb_return(*FY_2026).total.threshold_not_met == 0
    assert desk.asb_return(*FY_2026).total.applications == 1
    assert desk.asb_return(*FY_2027).districts["Norwich"].threshold_not_met == 1


def test_a_period_ending_before_it_starts_is_refused(desk: Desk) -> None:
    with pytest.raises(DeskError, match=r"ends .* before it starts"):
        desk.asb_return(D(2027, 4, 1), D(2027, 3, 31))


def test_the_return_is_written_as_csv_xlsx_pdf_and_json(
    desk: Desk, life: Lifecycle, tmp_path: Path
) -> None:
    apply(life, D(2026, 9, 1), "North Norfolk")
    report = desk.save_asb_return(tmp_path / "return.csv", *FY_2026)
    rows = list(csv.reader(io.StringIO((tmp_path / "return.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["District", "Applications received", "Threshold not met",
                       "Case reviews carried out",
                       "Case reviews resulting in recommendations"]  # fmt: skip
    assert ["North Norfolk", "1", "0", "0", "0"] in rows
    assert rows[-3][:2] == ["Total", "1"] and rows[-1][:2] == ["Change", "1"]
    desk.save_asb_return(tmp_path / "return.xlsx", *FY_2026)
    sheet = load_workbook(tmp_path / "return.xlsx").active
    assert sheet["A1"].value == "OFFICIAL"
    assert [c.value for c in sheet[sheet.max_row - 2]][:2] == ["Total", 1]
    desk.save_asb_return(tmp_path / "return.pdf", *FY_2026)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "return.pdf").pages)
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "01/04/2026 to 31/03/2027" in text and "What each figure counts" in text
    assert "Change +1" in text.replace("\n", " ")
    assert "Applicant" not in text  # figures only
    desk.save_asb_return(tmp_path / "return.json", *FY_2026)
    assert json.loads((tmp_path / "return.json").read_text()) == report.as_json()
    with pytest.raises(DeskError, match="not 'txt'"):
        desk.save_asb_return(tmp_path / "return.txt", *FY_2026)


def test_a_year_once_reported_does_not_change_when_an_escalation_reopens_a_review(
    desk: Desk, life: Lifecycle
) -> None:
    # GIVEN a review carried out with recommendations in 2026-27
    ref = apply(life, D(2027, 1, 5), "South Norfolk")
    life.record_event(ref, "spoc_assigned", D(2027, 1, 6))
    life.move(ref, "spoc_contact")
    life.record_event(ref, "applicant_contacted", D(2027, 1, 7))
    life.move(ref, "information_gathering")
    life.move(ref, "threshold_decision")
    decide(life, ref, "met_automatically", D(2027, 1, 20))
    life.record_event(ref, "applicant_informed", D(2027, 1, 21))
    life.move(ref, "review_meeting")
    life.record_event(ref, "review_meeting", D(2027, 2, 10))
    life.record_event(ref, "recommendations_made", D(2027, 2, 10))
    life.record_event(ref, "outcome_communicated", D(2027, 2, 12))
    life.move(ref, "outcome_communicated")
    before = desk.asb_return(*FY_2026).as_json()
    assert before["total"]["reviews_carried_out"] == 1
    # WHEN the applicant's escalation is upheld in 2027-28, reopening the review
    escalation = life.request_escalation(ref, requested_on=D(2027, 4, 10),
                                         grounds="Not invited to the meeting.")  # fmt: skip
    life.move(ref, "escalation")
    life.decide_escalation(ref, escalation, outcome="upheld", decided_on=D(2027, 4, 20),
                           reasons="Should have been invited.")  # fmt: skip
    # THEN 2026-27's return is as it was; and the escalation cannot be decided again
    assert desk.asb_return(*FY_2026).as_json() == before
    with pytest.raises(Exception, match="already decided"):
        life.decide_escalation(ref, escalation, outcome="not_upheld", decided_on=D(2027, 4, 21),
                               reasons="Second thoughts.")  # fmt: skip
