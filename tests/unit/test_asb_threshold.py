"""ASB Case Review threshold rules: qualifying complaints, separate incidents, the local
threshold and the automatic "must be treated as met" (s.104 and Schedule 4 ASBCPA 2014)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhr_desk.workflows.asb_threshold import (
    Complaint,
    ThresholdAssessment,
    assess_threshold,
    validate_local_threshold,
)

APPLICATION = date(2027, 3, 10)


def complaint(
    incident: date, complained: date, ref: str | None = None, label: str = ""
) -> Complaint:
    return Complaint(
        incident_date=incident, complained_on=complained, separate_incident_ref=ref, label=label
    )


def three_in_time() -> list[Complaint]:
    return [
        complaint(date(2027, 2, 1), date(2027, 2, 3), label="A"),
        complaint(date(2027, 2, 10), date(2027, 2, 10), label="B"),
        complaint(date(2027, 2, 20), date(2027, 2, 25), label="C"),
    ]


# --- the count and the local threshold ------------------------------------------------------


def test_exactly_three_qualifying_complaints_meet_the_threshold_automatically() -> None:
    # GIVEN three complaints about separate incidents, each in time
    complaints = three_in_time()
    # WHEN the threshold is assessed with the default setting
    result = assess_threshold(complaints, APPLICATION)
    # THEN it must be treated as met
    assert result.qualifying_count == 3
    assert result.required == 3
    assert result.met_automatically
    assert result.not_qualifying == ()
    assert result.problems == ()
    assert [f.name for f in result.qualifying] == ["complaint A", "complaint B", "complaint C"]


def test_two_qualifying_complaints_are_not_automatic() -> None:
    # GIVEN two qualifying complaints
    complaints = three_in_time()[:2]
    # WHEN assessed against the default threshold of 3
    result = assess_threshold(complaints, APPLICATION)
    # THEN the threshold is not met automatically, and the decision is left to people
    assert result.qualifying_count == 2
    assert not result.met_automatically
    assert "not met automatically" in result.explanation
    assert "persistence" in result.explanation


def test_a_local_threshold_of_two_is_met_by_two_qualifying_complaints() -> None:
    # GIVEN a local procedure that requires only two qualifying complaints
    complaints = three_in_time()[:2]
    # WHEN assessed with that setting
    result = assess_threshold(complaints, APPLICATION, local_threshold=2)
    # THEN two complaints meet it
    assert result.required == 2
    assert result.met_automatically


@pytest.mark.parametrize("setting", [4, 5, 100])
def test_a_local_threshold_above_three_is_refused(setting: int) -> None:
    # GIVEN a setting higher than the statute allows
    # WHEN it is validated or used
    # THEN it is refused, saying why
    message = r"cannot be higher than 3 qualifying complaints \(s\.104 and Schedule 4 ASBCPA 2014"
    with pytest.raises(ValueError, match=message):
        validate_local_threshold(setting)
    with pytest.raises(ValueError, match=message):
        assess_threshold(three_in_time(), APPLICATION, local_threshold=setting)


@pytest.mark.parametrize("setting", [0, -1])
def test_a_local_threshold_below_one_is_refused(setting: int) -> None:
    with pytest.raises(ValueError, match="at least 1 qualifying complaint"):
        validate_local_threshold(setting)
    with pytest.raises(ValueError, match="at least 1"):
        assess_threshold(three_in_time(), APPLICATION, local_threshold=setting)


@pytest.mark.parametrize("setting", [1, 2, 3])
def test_settings_from_one_to_three_are_accepted(setting: int) -> None:
    assert validate_local_threshold(setting) == setting


def test_a_threshold_that_is_not_a_whole_number_is_refused() -> None:
    with pytest.raises(TypeError):
        validate_local_threshold(True)
    with pytest.raises(TypeError):
        validate_local_threshold(2.0)  # type: ignore[arg-type]


# --- one month from the behaviour -----------------------------------------------------------


def test_a_complaint_on_the_same_day_one_month_later_still_qualifies() -> None:
    # GIVEN behaviour on 15/03/2027 and a complaint on 15/04/2027 (the last day)
    c = complaint(date(2027, 3, 15), date(2027, 4, 15))
    # WHEN assessed
    result = assess_threshold([c], date(2027, 4, 20))
    # THEN it qualifies
    assert result.qualifying_count == 1


def test_a_complaint_the_day_after_one_month_is_too_late() -> None:
    # GIVEN behaviour on 15/03/2027 and a complaint on 16/04/2027 (the first day too late)
    c = complaint(date(2027, 3, 15), date(2027, 4, 16))
    # WHEN assessed
    result = assess_threshold([c], date(2027, 4, 20))
    # THEN it does not qualify, and the reason names the last day
    assert result.qualifying_count == 0
    (finding,) = result.not_qualifying
    assert finding.reason == (
        "made 32 days after the behaviour (more than one month: by 15/04/2027 at the latest)"
    )


def test_one_month_from_the_31st_of_january_ends_on_the_28th_of_february() -> None:
    # GIVEN behaviour on 31/01/2027 (2027 is not a leap year)
    behaviour = date(2027, 1, 31)
    application = date(2027, 3, 31)
    # WHEN complaints are made on 28/02/2027 and on 01/03/2027
    on_last_day = assess_threshold([complaint(behaviour, date(2027, 2, 28))], application)
    day_after = assess_threshold([complaint(behaviour, date(2027, 3, 1))], application)
    # THEN the month is clamped to 28/02: that day qualifies, 01/03 does not
    assert on_last_day.qualifying_count == 1
    assert day_after.qualifying_count == 0
    assert "by 28/02/2027 at the latest" in day_after.not_qualifying[0].reason


def test_the_brief_example_of_a_complaint_45_days_after_the_behaviour() -> None:
    # GIVEN behaviour on 31/01/2027 and a complaint 45 days later (17/03/2027)
    c = complaint(date(2027, 1, 31), date(2027, 1, 31) + timedelta(days=45))
    # WHEN assessed
    result = assess_threshold([c], date(2027, 3, 20))
    # THEN the reason is plain English with the last day
    assert result.not_qualifying[0].reason == (
        "made 45 days after the behaviour (more than one month: by 28/02/2027 at the latest)"
    )


def test_one_month_from_the_31st_of_january_in_a_leap_year_ends_on_the_29th_of_february() -> None:
    # GIVEN behaviour on 31/01/2028 (2028 is a leap year)
    behaviour = date(2028, 1, 31)
    application = date(2028, 3, 31)
    # WHEN complaints are made on 29/02/2028 and on 01/03/2028
    on_last_day = assess_threshold([complaint(behaviour, date(2028, 2, 29))], application)
    day_after = assess_threshold([complaint(behaviour, date(2028, 3, 1))], application)
    # THEN 29/02/2028 qualifies and 01/03/2028 does not
    assert on_last_day.qualifying_count == 1
    assert day_after.qualifying_count == 0
    assert "by 29/02/2028 at the latest" in day_after.not_qualifying[0].reason


def test_a_complaint_on_the_day_of_the_behaviour_qualifies() -> None:
    day = date(2027, 2, 1)
    result = assess_threshold([complaint(day, day)], day)
    assert result.qualifying_count == 1
    assert "on the day of the behaviour" in result.qualifying[0].reason
    assert "on the day the application was received" in result.qualifying[0].reason


# --- six months from the complaint to the application ----------------------------------------


def test_an_application_on_the_same_day_six_months_later_still_counts_the_complaint() -> None:
    # GIVEN a complaint on 02/01/2026
    c = complaint(date(2026, 1, 1), date(2026, 1, 2))
    # WHEN the application is received on 02/07/2026 (the last day)
    result = assess_threshold([c], date(2026, 7, 2))
    # THEN the complaint qualifies
    assert result.qualifying_count == 1


def test_an_application_the_day_after_six_months_does_not_count_the_complaint() -> None:
    # GIVEN a complaint on 02/01/2026
    c = complaint(date(2026, 1, 1), date(2026, 1, 2))
    # WHEN the application is received on 03/07/2026 (the first day too late)
    result = assess_threshold([c], date(2026, 7, 3))
    # THEN the complaint does not qualify
    assert result.qualifying_count == 0
    assert result.not_qualifying[0].reason.startswith(
        "made more than six months before the application "
        "(complaint 02/01/2026, application 03/07/2026"
    )


def test_the_brief_example_of_a_stale_complaint() -> None:
    c = complaint(date(2026, 1, 1), date(2026, 1, 2))
    result = assess_threshold([c], date(2026, 7, 10))
    assert result.not_qualifying[0].reason == (
        "made more than six months before the application (complaint 02/01/2026, application "
        "10/07/2026; six months from the complaint ended 02/07/2026)"
    )


def test_six_months_from_the_31st_of_august_ends_at_the_end_of_february() -> None:
    # GIVEN a complaint on 31/08/2026 and one on 31/08/2027
    # WHEN applications arrive on the last day of February, and on 1 March
    # THEN the last day of February (28th, or 29th in 2028) is the last day that counts
    ordinary = complaint(date(2026, 8, 30), date(2026, 8, 31))
    assert assess_threshold([ordinary], date(2027, 2, 28)).qualifying_count == 1
    assert assess_threshold([ordinary], date(2027, 3, 1)).qualifying_count == 0
    leap = complaint(date(2027, 8, 30), date(2027, 8, 31))
    assert assess_threshold([leap], date(2028, 2, 29)).qualifying_count == 1
    assert assess_threshold([leap], date(2028, 3, 1)).qualifying_count == 0


def test_a_complaint_both_late_and_stale_gives_both_reasons() -> None:
    c = complaint(date(2026, 1, 1), date(2026, 3, 1))
    result = assess_threshold([c], date(2026, 12, 1))
    reason = result.not_qualifying[0].reason
    assert "more than one month" in reason
    assert "more than six months" in reason


def test_dates_at_the_end_of_the_calendar_do_not_crash_the_assessment() -> None:
    # GIVEN dates so late that "one month on" cannot be held (a typo for 2099, say)
    c = complaint(date(9999, 12, 15), date(9999, 12, 20))
    # WHEN assessed
    result = assess_threshold([c], date(9999, 12, 31))
    # THEN the complaint is simply in time
    assert result.qualifying_count == 1


# --- separate incidents ---------------------------------------------------------------------


def test_complaints_about_the_same_incident_count_once() -> None:
    # GIVEN three qualifying complaints, two of them about incident INC-4
    complaints = [
        complaint(date(2027, 2, 1), date(2027, 2, 5), ref="INC-4", label="X"),
        complaint(date(2027, 2, 1), date(2027, 2, 2), ref="INC-4", label="Y"),
        complaint(date(2027, 2, 10), date(2027, 2, 11), ref="INC-5", label="Z"),
    ]
    # WHEN assessed
    result = assess_threshold(complaints, APPLICATION)
    # THEN INC-4 counts once, through the earliest complaint (Y), and X is explained
    assert result.qualifying_count == 2
    assert not result.met_automatically
    assert [f.complaint.label for f in result.qualifying] == ["Y", "Z"]
    (duplicate,) = result.not_qualifying
    assert duplicate.complaint.label == "X"
    assert duplicate.reason == "same incident as complaint Y (ref INC-4)"


def test_complaints_without_a_ref_are_each_a_separate_incident() -> None:
    # GIVEN three qualifying complaints with no ref (or an empty one), all on the same dates
    complaints = [
        complaint(date(2027, 2, 1), date(2027, 2, 2), ref=None),
        complaint(date(2027, 2, 1), date(2027, 2, 2), ref=""),
        complaint(date(2027, 2, 1), date(2027, 2, 2), ref="  "),
    ]
    # WHEN assessed
    result = assess_threshold(complaints, APPLICATION)
    # THEN each counts
    assert result.qualifying_count == 3
    assert result.met_automatically
    assert [f.position for f in result.qualifying] == [1, 2, 3]


def test_the_earliest_qualifying_complaint_about_an_incident_is_the_one_kept() -> None:
    # GIVEN two complaints about INC-9: the earlier one is too late, the later is in time
    complaints = [
        complaint(date(2027, 1, 1), date(2027, 2, 20), ref="INC-9"),  # too late
        complaint(date(2027, 2, 19), date(2027, 2, 21), ref="INC-9"),
    ]
    # WHEN assessed
    result = assess_threshold(complaints, APPLICATION)
    # THEN the qualifying one counts; the late one is refused for lateness, not as a duplicate
    assert [f.position for f in result.qualifying] == [2]
    assert "more than one month" in result.not_qualifying[0].reason


def test_refs_are_compared_without_surrounding_spaces() -> None:
    complaints = [
        complaint(date(2027, 2, 1), date(2027, 2, 2), ref="INC-4"),
        complaint(date(2027, 2, 1), date(2027, 2, 3), ref=" INC-4 "),
    ]
    result = assess_threshold(complaints, APPLICATION)
    assert result.qualifying_count == 1
    assert result.not_qualifying[0].reason == "same incident as complaint 1 (ref INC-4)"


# --- impossible records ---------------------------------------------------------------------


def test_a_complaint_dated_before_the_behaviour_is_reported_as_a_problem() -> None:
    # GIVEN a complaint recorded as made before the behaviour it complains of
    c = complaint(date(2027, 2, 10), date(2027, 2, 5), label="B")
    # WHEN assessed
    result = assess_threshold([*three_in_time()[:2], c], APPLICATION)
    # THEN it is not counted, and it is reported rather than dropped
    assert result.qualifying_count == 2
    assert [f.complaint for f in result.not_qualifying] == [c]
    assert result.problems == (
        "Complaint B: complaint dated 05/02/2027, before the behaviour it complains of "
        "(10/02/2027); please check the dates recorded",
    )


def test_an_application_before_a_complaint_is_reported_as_a_problem() -> None:
    # GIVEN a complaint made after the application was received
    c = complaint(date(2027, 3, 11), date(2027, 3, 12))
    # WHEN assessed
    result = assess_threshold([c], APPLICATION)
    # THEN it is reported as a problem, naming both dates
    assert result.qualifying_count == 0
    assert len(result.problems) == 1
    assert "Complaint 1" in result.problems[0]
    assert (
        "application received 10/03/2027, before the complaint (12/03/2027)" in (result.problems[0])
    )
    assert result.not_qualifying[0].reason.startswith("cannot be counted")


# --- the explanation for the decision letter ------------------------------------------------


def test_the_explanation_when_met_gives_the_count_and_the_dates() -> None:
    result = assess_threshold(three_in_time(), APPLICATION)
    assert result.explanation == (
        "3 qualifying complaints about separate incidents were made (on 03/02/2027, "
        "10/02/2027 and 25/02/2027), each within one month of the behaviour complained of and "
        "within six months before the application received on 10/03/2027. This meets the "
        "threshold of 3 qualifying complaints, so the threshold must be treated as met."
    )


def test_the_explanation_when_not_met_gives_the_count_the_dates_and_the_threshold() -> None:
    result = assess_threshold(three_in_time()[:1], APPLICATION, local_threshold=2)
    assert result.explanation.startswith(
        "1 qualifying complaint was made (on 03/02/2027), within one month"
    )
    assert "received on 10/03/2027" in result.explanation
    assert "fewer than the threshold of 2 qualifying complaints" in result.explanation
    assert "not met automatically" in result.explanation


def test_the_explanation_with_no_qualifying_complaints() -> None:
    result = assess_threshold([], APPLICATION)
    assert result.qualifying_count == 0
    assert result.explanation.startswith(
        "No qualifying complaints were found for the application received on 10/03/2027"
    )
    assert "fewer than the threshold of 3" in result.explanation


def test_a_local_threshold_of_one_reads_in_the_singular() -> None:
    result = assess_threshold(three_in_time()[:1], APPLICATION, local_threshold=1)
    assert result.met_automatically
    assert "This meets the threshold of 1 qualifying complaint," in result.explanation


# --- monotonicity (property) ----------------------------------------------------------------

BASE_DAY = date(2027, 1, 1)
days = st.integers(min_value=0, max_value=400)
refs = st.one_of(st.none(), st.sampled_from(["INC-1", "INC-2", "INC-3"]))


@st.composite
def any_complaint(draw: st.DrawFn) -> Complaint:
    """Anything, including late, stale and impossible records."""
    incident = BASE_DAY + timedelta(days=draw(days))
    complained = incident + timedelta(days=draw(st.integers(min_value=-5, max_value=60)))
    return complaint(incident, complained, ref=draw(refs))


@st.composite
def a_case(draw: st.DrawFn) -> tuple[list[Complaint], date, int]:
    complaints = draw(st.lists(any_complaint(), max_size=6))
    application = BASE_DAY + timedelta(days=draw(days))
    return complaints, application, draw(st.integers(min_value=1, max_value=3))


@st.composite
def non_qualifying_for(draw: st.DrawFn, application: date) -> Complaint:
    """A complaint that cannot qualify, whatever its ref: over a month late (no month has more
    than 31 days), stale (six months never exceed 184 days), or impossible."""
    kind = draw(st.sampled_from(["late", "stale", "before the behaviour", "after application"]))
    ref = draw(refs)
    if kind == "late":
        complained = application - timedelta(days=draw(st.integers(0, 100)))
        incident = complained - timedelta(days=draw(st.integers(32, 200)))
    elif kind == "stale":
        complained = application - timedelta(days=draw(st.integers(185, 400)))
        incident = complained - timedelta(days=draw(st.integers(0, 20)))
    elif kind == "before the behaviour":
        incident = application - timedelta(days=draw(st.integers(0, 20)))
        complained = incident - timedelta(days=draw(st.integers(1, 20)))
    else:
        complained = application + timedelta(days=draw(st.integers(1, 20)))
        incident = complained - timedelta(days=draw(st.integers(0, 20)))
    return complaint(incident, complained, ref=ref)


@st.composite
def qualifying_new_incident_for(draw: st.DrawFn, application: date) -> Complaint:
    """A complaint that must qualify (under 28 days after the behaviour, under 181 days before
    the application), about an incident no other complaint has a ref for."""
    complained = application - timedelta(days=draw(st.integers(0, 180)))
    incident = complained - timedelta(days=draw(st.integers(0, 28)))
    ref = draw(st.sampled_from([None, "NEW-INCIDENT"]))
    return complaint(incident, complained, ref=ref)


def _assess(complaints: list[Complaint], application: date, threshold: int) -> ThresholdAssessment:
    return assess_threshold(complaints, application, local_threshold=threshold)


@settings(max_examples=150)
@given(case=a_case(), data=st.data())
def test_more_evidence_never_turns_an_automatic_threshold_off(
    case: tuple[list[Complaint], date, int], data: st.DataObject
) -> None:
    # GIVEN any set of complaints and an application date
    complaints, application, threshold = case
    before = _assess(complaints, application, threshold)
    extra_bad = data.draw(non_qualifying_for(application))
    extra_good = data.draw(qualifying_new_incident_for(application))
    where = data.draw(st.integers(min_value=0, max_value=len(complaints)))

    # WHEN a complaint that cannot qualify is added, anywhere in the list
    with_bad = _assess(
        [*complaints[:where], extra_bad, *complaints[where:]], application, threshold
    )
    # THEN the count is unchanged, and "met automatically" is never turned off
    assert with_bad.qualifying_count == before.qualifying_count
    assert with_bad.met_automatically or not before.met_automatically

    # WHEN a qualifying complaint about a new incident is added
    with_good = _assess(
        [*complaints[:where], extra_good, *complaints[where:]], application, threshold
    )
    # THEN it counts once more, and met never becomes not met
    assert with_good.qualifying_count == before.qualifying_count + 1
    assert with_good.met_automatically or not before.met_automatically

    # AND every complaint is accounted for exactly once
    for result, size in ((with_bad, len(complaints) + 1), (with_good, len(complaints) + 1)):
        positions = sorted(f.position for f in (*result.qualifying, *result.not_qualifying))
        assert positions == list(range(1, size + 1))
