"""ASB Case Review applications brought in from a file (issue #7, point 1: intake by import),
for example from the partnership's online form: a JSON document of applications, each checked
field by field (every problem reported with where it is) before any is registered, and then all
registered in one transaction, or none.

    {"format": "dhr-desk-asb-applications", "format_version": 1,
     "applications": [{"received_on": "2026-11-30", "applicant_name": "…",
                       "applicant_contact": "…", "applicant_email": "…",
                       "district": "Norwich", "victim_type": "individual",
                       "on_behalf_of": false, "victim_consent": null,
                       "complaints": [{"incident_date": "2026-10-01",
                                       "complained_on": "2026-10-03",
                                       "complained_to": "…", "separate_incident_ref": "…"}]}]}
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dhr_desk.workflows.lifecycle import ComplaintInput, NewAsbApplication

FORMAT = "dhr-desk-asb-applications"
FORMAT_VERSION = 1
MAX_APPLICATIONS = 1000
TEXT_FIELDS = {"applicant_name": 200, "applicant_contact": 2000, "applicant_email": 320,
               "district": 100, "victim_type": 32}  # fmt: skip
COMPLAINT_TEXT = {"complained_to": 200, "separate_incident_ref": 100, "description": 4000}


class ApplicationFileError(ValueError):
    """The file cannot be imported; ``problems`` lists each, with where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
        self.problems = problems


def _date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if not isinstance(value, str):
        problems.append(f"{where}: a date is needed (YYYY-MM-DD).")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: '{value}' is not a date (YYYY-MM-DD).")
        return None


def _text(entry: dict[str, Any], key: str, limit: int, where: str, problems: list[str],
          required: bool = False) -> str | None:  # fmt: skip
    value = entry.get(key)
    if value is None or value == "":
        if required:
            problems.append(f"{where}.{key}: missing.")
        return None
    if not isinstance(value, str):
        problems.append(f"{where}.{key}: text is needed.")
        return None
    if len(value) > limit:
        problems.append(f"{where}.{key}: longer than {limit} characters.")
        return None
    return value.strip()


def _complaint(entry: Any, where: str, problems: list[str]) -> ComplaintInput | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: a complaint is an object.")
        return None
    incident = _date(entry.get("incident_date"), f"{where}.incident_date", problems)
    complained = _date(entry.get("complained_on"), f"{where}.complained_on", problems)
    texts = {k: _text(entry, k, n, where, problems) for k, n in COMPLAINT_TEXT.items()}
    if incident is None or complained is None:
        return None
    return ComplaintInput(incident_date=incident, complained_on=complained, **texts)


def _application(entry: Any, where: str, problems: list[str]) -> NewAsbApplication | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: an application is an object.")
        return None
    before = len(problems)
    received = _date(entry.get("received_on"), f"{where}.received_on", problems)
    texts = {k: _text(entry, k, n, where, problems, k in ("applicant_name", "district"))
             for k, n in TEXT_FIELDS.items()}  # fmt: skip
    on_behalf = entry.get("on_behalf_of", False)
    consent = entry.get("victim_consent")
    if not isinstance(on_behalf, bool):
        problems.append(f"{where}.on_behalf_of: true or false.")
    if consent is not None and not isinstance(consent, bool):
        problems.append(f"{where}.victim_consent: true, false or null.")
    raw = entry.get("complaints", [])
    if not isinstance(raw, list):
        problems.append(f"{where}.complaints: a list is needed.")
        raw = []
    complaints = [_complaint(c, f"{where}.complaints[{i}]", problems) for i, c in enumerate(raw)]
    if len(problems) > before or received is None:
        return None
    return NewAsbApplication(
        received_on=received,
        applicant_name=str(texts["applicant_name"]),
        district=str(texts["district"]),
        victim_type=texts["victim_type"] or "individual",
        on_behalf_of=bool(on_behalf),
        victim_consent=consent,
        complaints=tuple(c for c in complaints if c is not None),
        applicant_contact=texts["applicant_contact"],
        applicant_email=texts["applicant_email"],
    )


def read_applications(data: bytes) -> list[NewAsbApplication]:
    """The applications in the file, or ApplicationFileError listing every problem."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApplicationFileError([f"The file is not JSON text ({exc})."]) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ApplicationFileError([f"$.format: this is not a file of applications "
                                    f"(\"format\": \"{FORMAT}\")."])  # fmt: skip
    if document.get("format_version") != FORMAT_VERSION:
        raise ApplicationFileError(
            [f"$.format_version: {document.get('format_version')!r}; this version reads "
             f"{FORMAT_VERSION}."])  # fmt: skip
    entries = document.get("applications")
    if not isinstance(entries, list) or not entries:
        raise ApplicationFileError(["$.applications: a list of at least one application."])
    if len(entries) > MAX_APPLICATIONS:
        raise ApplicationFileError([f"$.applications: at most {MAX_APPLICATIONS} at a time."])
    problems: list[str] = []
    found = [_application(e, f"$.applications[{i}]", problems) for i, e in enumerate(entries)]
    if problems:
        raise ApplicationFileError(problems)
    return [a for a in found if a is not None]
