"""ASB applications imported from a file (intake, issue #7 point 1) on a real store (SQLite and
PostgreSQL): a good file registers every application with its complaints and contact details;
a file with any problem (a date that is not one, a missing applicant, a district not the
partnership's, a complaint before its behaviour, not JSON, not this format) registers none and
says where each problem is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.desk import Desk, DeskError

TODAY = dt.date.today()


def day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


def application(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "received_on": day(3), "applicant_name": "Applicant (fictional)",
        "applicant_contact": "2 Invented Row\nNowhere", "applicant_email": "a@example.invalid",
        "district": "Broadland", "victim_type": "individual", "on_behalf_of": False,
        "complaints": [{"incident_date": day(40), "complained_on": day(38),
                        "complained_to": "Fictional Constabulary",
                        "separate_incident_ref": "INC-1"}],
    }  # fmt: skip
    entry.update(changes)
    return entry


def write(folder: Path, *entries: dict[str, Any], **top: Any) -> Path:
    path = folder / "applications.json"
    document = {"format": "dhr-desk-asb-applications", "format_version": 1,
                "applications": list(entries), **top}  # fmt: skip
    path.write_text(json.dumps(document))
    return path


def test_every_application_in_a_good_file_is_registered(desk: Desk, tmp_path: Path) -> None:
    made = desk.import_asb_applications(
        write(
            tmp_path,
            application(),
            application(district="Norwich", on_behalf_of=True, victim_consent=True),
        )
    )
    assert [m.stage for m in made] == ["application_received"] * 2
    rows = {r.reference: r for r in desk.register()[0]}
    assert [rows[m.reference].district for m in made] == ["Broadland", "Norwich"]
    assessment = desk.lifecycle().assess_threshold(made[0].reference)
    assert assessment.qualifying_count == 1


def test_a_file_with_any_problem_registers_nothing_and_says_where(
    desk: Desk, tmp_path: Path
) -> None:
    bad = write(
        tmp_path,
        application(),
        application(received_on="31/02/2026", applicant_name=""),
        application(complaints=[{"incident_date": day(10), "complained_on": "soon"}]),
    )
    with pytest.raises(DeskError) as refused:
        desk.import_asb_applications(bad)
    said = str(refused.value)
    assert "nothing was registered" in said
    assert "$.applications[1].received_on: '31/02/2026' is not a date" in said
    assert "$.applications[1].applicant_name: missing." in said
    assert "$.applications[2].complaints[0].complained_on: 'soon' is not a date" in said
    # AND the service's own checks name the application; still nothing is registered
    with pytest.raises(Exception, match="Application 2: 'Atlantis' is not a district"):
        desk.import_asb_applications(write(tmp_path, application(),
                                           application(district="Atlantis")))  # fmt: skip
    with pytest.raises(Exception, match=r"Application 1: Complaint 1: made on .* before the"):
        desk.import_asb_applications(write(tmp_path, application(complaints=[
            {"incident_date": day(5), "complained_on": day(9)}])))  # fmt: skip
    assert desk.register()[0] == []
    (tmp_path / "notes.json").write_text("not json at all")
    with pytest.raises(DeskError, match="not JSON text"):
        desk.import_asb_applications(tmp_path / "notes.json")
    with pytest.raises(DeskError, match="not a file of applications"):
        desk.import_asb_applications(write(tmp_path, application(), format="something-else"))
