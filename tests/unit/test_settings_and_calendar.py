"""Settings and the working calendar through the desk, on SQLite and PostgreSQL: a one-off bank
holiday moves exactly the open deadlines counted in working days across it (and removing it
moves them back), refusals change nothing, settings are checked, and the request period
setting sets an information request's due date."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dhr_desk.models import AuditEvent
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.calendar_book import CalendarChangeError
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.lifecycle import ComplaintInput, NewAsbApplication, NewDhrNotification
from dhr_desk.workflows.settings_registry import SettingError
from dhr_desk.workflows.working_calendar import WorkingCalendar

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


def next_working_day(after: dt.date) -> dt.date:
    calendar = WorkingCalendar.england_and_wales()
    day = after + DAY
    while not calendar.is_working_day(day):
        day += DAY
    return day


def test_a_one_off_holiday_moves_the_deadlines_across_it_and_back(desk: Desk) -> None:
    made = desk.lifecycle().register_asb(
        NewAsbApplication(
            received_on=TODAY,
            applicant_name="A. Fictional",
            district="Norwich",
            complaints=(ComplaintInput(TODAY - 9 * DAY, TODAY - 9 * DAY),),
        )
    )
    # every deadline of the review, however far off (the dashboard shows only the next 30 days)
    before = {
        entry.text: entry.on
        for entry in desk.timeline(made.reference)
        if entry.kind == "deadline" and entry.status != "met"
    }
    holiday = next_working_day(TODAY)
    # WHEN a one-off holiday is added on the next working day
    moved = desk.add_holiday(holiday, "State funeral (fictional)", "Proclamation")
    # THEN every open deadline due on or after it moves on by a working day, and only those
    assert moved and all(m.reference == made.reference for m in moved)
    calendar_after = {d.day for d in desk.holidays(holiday.year)}
    assert holiday in calendar_after
    for m in moved:  # each moves to the next working day after its old date
        assert m.was in before.values() and m.was >= holiday
        assert m.now == next_working_day(m.was) or (
            next_working_day(m.was) == holiday and m.now == next_working_day(holiday)
        )
    # AND only deadlines counted in working days move: a calendar-day one due after it stays
    unmoved = set(before.values()) - {m.was for m in moved}
    assert any(due >= holiday for due in unmoved)
    listed = next(d for d in desk.holidays(holiday.year) if d.day == holiday)
    assert listed.name == "State funeral (fictional)" and listed.source == "added"
    # AND adding it twice, or a weekend, is refused with nothing changed
    with pytest.raises(CalendarChangeError, match="already a holiday"):
        desk.add_holiday(holiday, "Again")
    saturday = TODAY + dt.timedelta(days=(5 - TODAY.weekday()) % 7 or 7)
    with pytest.raises(CalendarChangeError, match="weekends"):
        desk.add_holiday(saturday, "Weekend")
    # AND removing it moves the same deadlines back
    back = desk.remove_holiday(holiday)
    assert sorted((m.reference, m.name, m.now, m.was) for m in back) == sorted(
        (m.reference, m.name, m.was, m.now) for m in moved
    )


def test_settings_are_checked_saved_and_used(desk: Desk) -> None:
    assert desk.settings()["requests.default_weeks"] == 6
    for key, bad, message in (
        ("dhr.display_name", "DAHR", "DHR or DARDR"),
        ("requests.default_weeks", 0, "1 to 26"),
        ("deadlines.due_soon_window", "400d", "90 days"),
        ("letters.sender", {"name": "A", "email": "not-an-address"}, "not an email"),
        ("letters.sender", {"signature": "x"}, "fields only"),
    ):
        with pytest.raises(SettingError, match=message):
            desk.change_setting(key, bad)
    desk.change_setting(
        "letters.sender",
        {"name": "Casey Officer", "role": "Review officer", "email": "reviews@example.org"},
    )
    sender = desk.settings()["letters.sender"]
    assert sender["name"] == "Casey Officer" and sender["phone"] == ""
    # WHEN agencies are given four weeks THEN a request without a date is due in four weeks
    desk.change_setting("requests.default_weeks", 4)
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=TODAY - 3 * DAY, referrer="Police", title="'Ash'")
    )
    desk.lifecycle().issue_information_request(
        made.reference, agency="Fictional Police", kind="scoping", requested_on=TODAY - DAY
    )
    (request,) = desk.requests(made.reference)
    assert request.due_on == (TODAY - DAY + dt.timedelta(weeks=4)).strftime("%d/%m/%Y")
    # AND the name of DHRs follows its setting in the register
    desk.change_setting("dhr.display_name", "DARDR")
    assert desk.register()[0][0].kind_label == "DARDR"


def test_saving_a_setting_it_already_has_changes_and_audits_nothing(
    any_store: Store, desk: Desk
) -> None:
    def setting_changes() -> int:
        with any_store.sessions() as session:
            return len(
                session.scalars(
                    select(AuditEvent).where(AuditEvent.action == "setting changed")
                ).all()
            )

    desk.change_setting("deadlines.due_soon_window", "5wd")  # the default: nothing to do
    assert setting_changes() == 0
    desk.change_setting("deadlines.due_soon_window", " 10wd ")
    desk.change_setting("deadlines.due_soon_window", "10wd")  # Save pressed twice
    assert setting_changes() == 1
    assert desk.settings()["deadlines.due_soon_window"] == "10wd"
    with pytest.raises(SettingError, match="no setting"):
        desk.change_setting("deadlines.unknown", "1d")
