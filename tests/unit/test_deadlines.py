"""Deadline derivation (pure): from recorded events by the template's rules, with pauses,
overrides, the due-soon window and the working-day calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from dhr_desk.workflows.deadlines import Deadline, DeadlineEngine, pause_shift
from dhr_desk.workflows.guards import ReviewFacts
from dhr_desk.workflows.review_facts import Override, PauseSpan, RequestDue, ReviewRecord
from dhr_desk.workflows.working_calendar import Span, WorkingCalendar

D = dt.date
CALENDAR = WorkingCalendar.england_and_wales()


def dhr(
    events: dict[str, dt.date],
    *,
    decision: str | None = "hold",
    status: str = "open",
    pauses: tuple[PauseSpan, ...] = (),
    overrides: dict[str, Override] | None = None,
    requests: tuple[RequestDue, ...] = (),
) -> ReviewRecord:
    return ReviewRecord(
        1, "DHR-2027-001", "dhr", status, "dhr", "2016.1",
        ReviewFacts("dhr", "commissioning", events=events, values={"decision": decision}),
        pauses=pauses, overrides=overrides or {}, requests=requests,
    )  # fmt: skip


def by_key(deadlines: list[Deadline]) -> dict[str, Deadline]:
    return {d.key: d for d in deadlines}


def test_completion_is_six_calendar_months_from_the_decision() -> None:
    # GIVEN a review decided on 03/02/2027
    record = dhr({"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)})
    # WHEN its deadlines are derived on 01/03/2027
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 3, 1), include_met=True))
    # THEN completion is due 03/08/2027 with its basis in words, and the decision was met
    assert found["completion"].due == D(2027, 8, 3)
    assert found["completion"].basis == "6 calendar months from the decision on 03/02/2027"
    assert found["completion"].status == "upcoming"
    assert found["decision"].status == "met" and found["decision"].met_on == D(2027, 2, 3)


def test_month_arithmetic_clamps_to_the_month_end() -> None:
    record = dhr({"notified": D(2027, 8, 1), "decided": D(2027, 8, 31)})
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 9, 1)))
    assert found["completion"].due == D(2028, 2, 29)


def test_home_office_notification_counts_working_days_over_christmas() -> None:
    # GIVEN a decision on Thursday 24/12/2026 (25 Fri, 28 Mon substitute Boxing Day)
    record = dhr({"notified": D(2026, 12, 1), "decided": D(2026, 12, 24)})
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2026, 12, 24)))
    # THEN 5 working days (29, 30, 31/12, then 4 and 5/01 past New Year's Day) is Tue 05/01/2027
    assert found["home_office_notification"].due == D(2027, 1, 5)
    assert found["home_office_notification"].status == "due_soon"


def test_overdue_reports_the_days_overdue() -> None:
    record = dhr({"notified": D(2027, 1, 10)})
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 2, 20)))
    assert found["decision"].due == D(2027, 2, 10)
    assert (found["decision"].status, found["decision"].days_overdue) == ("overdue", 10)


def test_the_due_soon_window_is_a_setting() -> None:
    record = dhr({"notified": D(2027, 1, 10)})
    wide = DeadlineEngine(CALENDAR, Span(20, "wd")).for_record(record, D(2027, 1, 15))
    narrow = DeadlineEngine(CALENDAR, Span(1, "wd")).for_record(record, D(2027, 1, 15))
    assert by_key(wide)["decision"].status == "due_soon"
    assert by_key(narrow)["decision"].status == "upcoming"


def test_a_decision_not_to_hold_has_no_completion_clock() -> None:
    record = dhr({"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)}, decision="not_hold")
    keys = set(by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 3, 1))))
    assert "completion" not in keys and "first_panel_meeting" not in keys
    assert "home_office_notification" in keys


def test_pausing_stops_the_clocks_and_resuming_moves_them_on_by_the_paused_span() -> None:
    # GIVEN a review paused for 40 days (01/03 to 10/04/2027) after its decision
    pause = PauseSpan(D(2027, 3, 1), D(2027, 4, 10), "trial")
    record = dhr({"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)}, pauses=(pause,))
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 5, 1)))
    # THEN completion moves from 03/08 to 12/09/2027 and says why
    assert found["completion"].due == D(2027, 9, 12)
    assert found["completion"].basis.endswith("moved on 40 days for pauses")
    # AND a deadline already overdue when the pause began is not rescued by it
    assert found["home_office_notification"].due == D(2027, 2, 10)


def test_while_paused_open_deadlines_say_paused_but_overdue_ones_stay_overdue() -> None:
    # GIVEN a review paused on 01/03/2027 (still paused on 20/03)
    pause = PauseSpan(D(2027, 3, 1), None, "inquest")
    record = dhr({"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)}, status="paused",
                 pauses=(pause,))  # fmt: skip
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 3, 20)))
    # THEN deadlines still running when it paused are paused and move on day by day
    assert found["completion"].status == "paused"
    assert found["completion"].due == D(2027, 8, 22)  # 19 days paused so far
    assert found["first_panel_meeting"].status == "paused"
    # AND the Home Office notification, overdue since 10/02, is still overdue
    assert found["home_office_notification"].status == "overdue"
    assert found["home_office_notification"].days_overdue == 38


def test_a_pause_beginning_on_the_due_day_stops_the_clock() -> None:
    due, anchor, as_of = D(2027, 2, 10), D(2027, 1, 10), D(2027, 6, 1)
    on_the_day = PauseSpan(D(2027, 2, 10), D(2027, 2, 20), "x")
    day_after = PauseSpan(D(2027, 2, 11), D(2027, 2, 20), "x")
    assert pause_shift(due, anchor, [on_the_day], as_of) == 10
    assert pause_shift(due, anchor, [day_after], as_of) == 0


@pytest.mark.parametrize(
    ("pause", "shift"),
    [
        (PauseSpan(D(2027, 1, 1), D(2027, 1, 10), "before the anchor"), 0),
        (PauseSpan(D(2027, 1, 5), D(2027, 1, 25), "straddles the anchor"), 15),
        (PauseSpan(D(2027, 3, 1), D(2027, 3, 11), "after the due date"), 0),
    ],
)
def test_only_pauses_between_anchor_and_due_date_count(pause: PauseSpan, shift: int) -> None:
    assert pause_shift(D(2027, 2, 10), D(2027, 1, 10), [pause], D(2027, 6, 1)) == shift


def test_an_agreed_revised_date_replaces_the_due_date_and_says_so() -> None:
    revised = Override(D(2028, 1, 31), "trial adjourned", "CSP Chair")
    record = dhr({"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)},
                 overrides={"completion": revised})  # fmt: skip
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 9, 1)))
    assert found["completion"].due == D(2028, 1, 31)
    assert found["completion"].status == "upcoming"
    assert "agreed revised date (was 03/08/2027" in found["completion"].basis
    assert (
        "trial adjourned" in found["completion"].basis and "CSP Chair" in found["completion"].basis
    )


def test_each_information_request_is_a_deadline_of_its_own() -> None:
    requests = (
        RequestDue(7, "IMR from Fictional Police", D(2027, 3, 1), D(2027, 4, 12), None),
        RequestDue(8, "IMR from Fictional Trust", D(2027, 3, 1), D(2027, 4, 12), D(2027, 4, 1)),
    )
    record = dhr({"notified": D(2027, 1, 10)}, requests=requests)
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 4, 20), include_met=True))
    assert found["information_request:7"].status == "overdue"
    assert found["information_request:7"].days_overdue == 8
    assert found["information_request:8"].status == "met"


def test_a_new_bank_holiday_moves_a_working_day_deadline() -> None:
    # GIVEN an ASB application received on Friday 04/06/2027: acknowledgement due in 2 wd
    record = ReviewRecord(
        2, "ASB-2027-001", "asb", "open", "asb", "2023.1",
        ReviewFacts("asb", "application_received", events={"received": D(2027, 6, 4)}),
    )  # fmt: skip
    before = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 6, 4)))
    # WHEN a one-off bank holiday is added on Monday 07/06/2027
    extra = WorkingCalendar.england_and_wales(additions={D(2027, 6, 7): "One-off holiday"})
    after = by_key(DeadlineEngine(extra).for_record(record, D(2027, 6, 4)))
    # THEN the deadline moves from Tuesday 08/06 to Wednesday 09/06/2027
    assert before["acknowledgement"].due == D(2027, 6, 8)
    assert after["acknowledgement"].due == D(2027, 6, 9)


def test_a_pause_after_a_revised_date_was_agreed_moves_that_date_on() -> None:
    # GIVEN a completion date revised to 31/01/2028, agreed on 01/09/2027
    revised = Override(D(2028, 1, 31), "inquest", "CSP Chair", approved_on=D(2027, 9, 1))
    events = {"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)}
    # AND a pause before the agreement (already allowed for) and one of 10 days after it
    pauses = (
        PauseSpan(D(2027, 5, 1), D(2027, 6, 1), "trial"),
        PauseSpan(D(2027, 10, 1), D(2027, 10, 11), "inquest hearing"),
    )
    record = dhr(events, overrides={"completion": revised}, pauses=pauses)
    # WHEN the deadline is derived THEN only the later pause moves the agreed date on
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 11, 1)))
    assert found["completion"].due == D(2028, 2, 10)
    assert found["completion"].basis.endswith("moved on 10 days for a later pause")
    # AND with no later pause the agreed date stands
    alone = dhr(events, overrides={"completion": revised}, pauses=pauses[:1])
    assert by_key(DeadlineEngine(CALENDAR).for_record(alone, D(2027, 11, 1)))[
        "completion"
    ].due == D(2028, 1, 31)


def test_a_directed_review_runs_its_clocks_from_the_direction() -> None:
    record = dhr(
        {"notified": D(2027, 1, 10), "decided": D(2027, 2, 3), "home_office_notified":
         D(2027, 2, 5), "directed": D(2027, 4, 1)},
        decision="not_hold",
    )  # fmt: skip
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 4, 2)))
    assert set(found) == {"first_panel_meeting_directed", "completion_directed"}
    assert found["completion_directed"].due == D(2027, 10, 1)


def test_a_pause_already_running_when_the_date_was_agreed_does_not_move_it() -> None:
    revised = Override(D(2028, 1, 31), "inquest", "CSP Chair", approved_on=D(2027, 9, 1))
    running = (PauseSpan(D(2027, 8, 1), D(2027, 10, 1), "inquest"),)
    record = dhr({"notified": D(2027, 1, 10), "decided": D(2027, 2, 3)},
                 overrides={"completion": revised}, pauses=running)  # fmt: skip
    found = by_key(DeadlineEngine(CALENDAR).for_record(record, D(2027, 11, 1)))
    assert found["completion"].due == D(2028, 1, 31)
    assert "later pause" not in found["completion"].basis
