"""The partnership's settings: everything the law leaves to local choice, each with its
default from domain.md, a check, and a place in the ``settings`` table (JSON values)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dhr_desk.models import Setting
from dhr_desk.security import audit_chain
from dhr_desk.workflows.asb_threshold import validate_local_threshold
from dhr_desk.workflows.chasing import DEFAULT_POLICY, ChasingError, checked_policy
from dhr_desk.workflows.pack_metadata import DEFAULT_FIELDS, MetadataFieldsError, checked_fields
from dhr_desk.workflows.working_calendar import parse_span


class SettingError(ValueError):
    """A setting value refused; the message says what is allowed."""


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: Any
    check: Callable[[Any], Any]


def _display_name(value: Any) -> str:
    if value not in ("DHR", "DARDR"):
        raise SettingError("The review name must be DHR or DARDR.")
    return str(value)


def _recipients(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise SettingError("List at least one recipient of the final report.")
    return [v.strip() for v in value]


def _span(value: Any) -> str:
    span = parse_span(str(value))
    longest = {"m": 3, "wd": 64, "d": 90}.get(span.unit, 90)  # 64 working days: about 90 days
    if span.amount > longest:
        raise SettingError("A due-soon window of more than 90 days (or 3 months) is not useful.")
    return str(value)


def _threshold(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SettingError("The local threshold is a whole number of qualifying complaints.")
    return validate_local_threshold(value)


def _request_weeks(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 26:
        raise SettingError("The time an agency is given is a whole number of weeks, 1 to 26.")
    return value


def _amber_days(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 90:
        raise SettingError("An action turns amber a whole number of days, 1 to 90, before its "
                           "target date.")  # fmt: skip
    return value


def _chasing(value: Any) -> dict[str, Any]:
    try:
        return checked_policy(value)
    except ChasingError as exc:
        raise SettingError(str(exc)) from exc


def _metadata_fields(value: Any) -> list[dict[str, str]]:
    try:
        return checked_fields(value)
    except MetadataFieldsError as exc:
        raise SettingError(str(exc)) from exc


def _asb_letters(value: Any) -> dict[str, dict[str, str]]:
    from dhr_desk.workflows.asb_letters import LetterError, checked_wording

    try:
        return checked_wording(value)
    except LetterError as exc:
        raise SettingError(str(exc)) from exc


def _route(value: Any) -> str:
    text = " ".join(str(value or "").split())
    if not text or len(text) > 200:
        raise SettingError("Name who hears escalations (under 200 characters).")
    return text


SENDER_FIELDS = ("name", "role", "organisation", "address", "email", "phone")


def _sender(value: Any) -> dict[str, str]:
    """The person letters are signed by: every field text, none over 300 characters, an
    email address with an @ in it."""
    if not isinstance(value, dict) or set(value) - set(SENDER_FIELDS):
        raise SettingError(f"The letter sender has these fields only: {', '.join(SENDER_FIELDS)}.")
    sender = {key: str(value.get(key) or "").strip() for key in SENDER_FIELDS}
    if any(len(text) > 300 for text in sender.values()):
        raise SettingError("Keep each of the letter sender's details under 300 characters.")
    if sender["email"] and "@" not in sender["email"]:
        raise SettingError(f"'{sender['email']}' is not an email address.")
    return sender


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "dhr.display_name",
            "Name of domestic homicide reviews (DHR, or DARDR once s.19 VPA 2024 is in force)",
            "DHR",
            _display_name,
        ),
        SettingSpec(
            "dhr.final_report_recipients",
            "Who must receive the final report",
            ["Home Office Quality Assurance Panel", "Domestic Abuse Commissioner"],
            _recipients,
        ),
        SettingSpec(
            "deadlines.due_soon_window",
            "A deadline is 'due soon' within",
            "5wd",
            _span,
        ),
        SettingSpec(
            "requests.default_weeks",
            "Weeks an agency is given to answer an information request (unless a date is set)",
            6,
            _request_weeks,
        ),
        SettingSpec(
            "actions.amber_days",
            "Days before its target date an open action turns amber",
            28,
            _amber_days,
        ),
        SettingSpec(
            "chasing.policy",
            "Chasing: reminder days before, escalation days overdue (lead, board), cooling "
            "days, the CSP chair's name and email",
            DEFAULT_POLICY,
            _chasing,
        ),
        SettingSpec(
            "letters.sender",
            "Who letters are from (name, role, organisation, address, email, phone)",
            dict.fromkeys(SENDER_FIELDS, ""),
            _sender,
        ),
        SettingSpec(
            "packs.metadata_fields",
            "Fields of the submission pack's metadata sheet (label = default; a default may "
            "name {year_of_death}, {victim_age_band} …)",
            DEFAULT_FIELDS,
            _metadata_fields,
        ),
        SettingSpec(
            "asb.escalation_route",
            "Who hears an ASB Case Review applicant's escalation",
            "the Office of the Police and Crime Commissioner for Norfolk (OPCCN)",
            _route,
        ),
        SettingSpec(
            "asb.letters",
            "The partnership's own wording of the letters to ASB Case Review applicants",
            {},
            _asb_letters,
        ),
        SettingSpec(
            "asb.local_threshold",
            "Qualifying complaints that meet the ASB Case Review threshold (3 at most)",
            3,
            _threshold,
        ),
    )
}


def get_setting(session: Session, key: str) -> Any:
    spec = SETTINGS[key]
    row = session.get(Setting, key)
    if row is None:
        return spec.default
    try:
        return spec.check(json.loads(row.value))
    except (ValueError, SettingError):
        return spec.default


def set_setting(session: Session, key: str, value: Any, *, actor: str = "unknown user") -> Any:
    """Check and save one setting, audited; saving the value it already has does nothing."""
    if key not in SETTINGS:
        raise SettingError(f"There is no setting '{key}'; known: {', '.join(sorted(SETTINGS))}.")
    try:
        checked = SETTINGS[key].check(value)
    except ValueError as exc:
        raise SettingError(str(exc)) from exc
    if get_setting(session, key) == checked:
        return checked  # already so: nothing to save or audit
    row = session.get(Setting, key)
    previous = None if row is None else row.value
    if row is None:
        session.add(Setting(key=key, value=json.dumps(checked)))
    else:
        row.value = json.dumps(checked)
    audit_chain.record(
        session, actor=actor, action="setting changed", entity_type="setting", entity_id=key,
        detail={"from": previous, "to": json.dumps(checked)},
    )  # fmt: skip
    return checked
