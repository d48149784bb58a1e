"""The working-day calendar and date arithmetic (domain.md "Time"): spans, month ends, bank
holidays with substitute days, one-off changes, the GOV.UK file, and en-GB dates."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhr_desk.workflows.working_calendar import (
    DEFAULT_YEARS,
    CalendarFileError,
    CalendarRangeError,
    Span,
    SpanError,
    WorkingCalendar,
    add_months,
    en_gb,
    parse_en_gb_or_iso,
    parse_govuk_bank_holidays,
    parse_span,
)

#: Built once: the calendar is immutable, and hypothesis dislikes function-scoped fixtures.
CAL = WorkingCalendar.england_and_wales()
FIRST = date(DEFAULT_YEARS.start, 1, 1)
LAST = date(DEFAULT_YEARS.stop - 1, 12, 31)
#: Starts that leave room for the largest working-day steps drawn below (1,000 wd < 5 years).
starts = st.dates(min_value=FIRST, max_value=date(2069, 12, 31))
steps = st.integers(min_value=0, max_value=500)


def d(text: str) -> date:
    return parse_en_gb_or_iso(text)


def reference_working_days_after(cal: WorkingCalendar, day: date, n: int) -> date:
    """The rule by hand: step one calendar day at a time, counting working days."""
    current = day
    while n > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in cal.holidays:
            n -= 1
    return current


# --- known cases: Christmas, New Year, Easter -----------------------------------------------


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("24/12/2026", True, "Thursday before Christmas"),
        ("25/12/2026", False, "Christmas Day (Friday)"),
        ("26/12/2026", False, "Boxing Day on a Saturday"),
        ("28/12/2026", False, "Boxing Day substitute (Monday)"),
        ("29/12/2026", True, "an ordinary Tuesday"),
        ("01/01/2027", False, "New Year's Day (Friday)"),
        ("04/01/2027", True, "an ordinary Monday"),
        ("26/03/2027", False, "Good Friday 2027"),
        ("29/03/2027", False, "Easter Monday 2027"),
        ("30/03/2027", True, "Tuesday after Easter"),
        ("24/12/2027", True, "Friday before Christmas 2027"),
        ("27/12/2027", False, "Christmas Day substitute (Christmas on a Saturday)"),
        ("28/12/2027", False, "Boxing Day substitute (Boxing Day on a Sunday)"),
        ("29/12/2027", True, "an ordinary Wednesday"),
    ],
)
def test_known_working_and_non_working_days(day: str, working: bool, why: str) -> None:
    """GIVEN the default England-and-Wales calendar
    WHEN asked whether a day around Christmas or Easter is a working day
    THEN weekends, bank holidays and substitute days are not."""
    assert CAL.is_working_day(d(day)) is working, why


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("18/12/2026", 1, "21/12/2026"),  # Friday -> the next Monday is an ordinary working day
        ("24/12/2026", 1, "29/12/2026"),  # over Christmas, the weekend and the 28th substitute
        ("24/12/2026", 2, "30/12/2026"),
        ("24/12/2026", 4, "04/01/2027"),  # New Year's Day (Friday) skipped too
        ("25/03/2027", 1, "30/03/2027"),  # over Good Friday, the weekend and Easter Monday
        ("24/12/2027", 1, "29/12/2027"),  # over both 2027 substitute days
        ("01/12/2026", 21, "04/01/2027"),  # 20 in December after the 1st; the 21st after 01/01
        ("26/12/2026", 1, "29/12/2026"),  # from a weekend holiday: the start never counts
    ],
)
def test_known_working_day_additions(start: str, n: int, expected: str) -> None:
    """GIVEN a start date near the holidays
    WHEN n working days are added
    THEN the answer skips weekends, bank holidays and substitute days."""
    result = CAL.working_days_after(d(start), n)
    assert en_gb(result) == expected
    assert CAL.add(d(start), Span(n, "wd")) == result


def test_holidays_between_names_the_package_days_including_substitutes() -> None:
    """GIVEN the default calendar
    WHEN the holidays of Christmas 2026 to New Year 2027 are listed
    THEN they come in date order with their names, the weekend Boxing Day and its substitute."""
    assert CAL.holidays_between(d("20/12/2026"), d("02/01/2027")) == [
        (d("25/12/2026"), "Christmas Day"),
        (d("26/12/2026"), "Boxing Day"),
        (d("28/12/2026"), "Boxing Day (observed)"),
        (d("01/01/2027"), "New Year's Day"),
    ]
    assert CAL.holidays_between(d("26/03/2027"), d("29/03/2027")) == [
        (d("26/03/2027"), "Good Friday"),
        (d("29/03/2027"), "Easter Monday"),
    ]
    assert CAL.holidays_between(d("02/01/2027"), d("01/01/2027")) == []


# --- adding zero, and the other units ------------------------------------------------------


@pytest.mark.parametrize("start", ["25/12/2026", "26/12/2026", "29/12/2026"])
@pytest.mark.parametrize("unit", ["d", "wd", "m"])
def test_adding_zero_never_moves_a_date(start: str, unit: str) -> None:
    """GIVEN any start, working or not (Christmas Day, a Saturday, a Tuesday)
    WHEN a zero span of any unit is added
    THEN the date is unchanged: 0wd does not roll a holiday onto the next working day."""
    assert CAL.add(d(start), parse_span(f"0{unit}")) == d(start)


@pytest.mark.parametrize(
    ("start", "span", "expected"),
    [
        ("31/01/2027", "1m", "28/02/2027"),
        ("31/08/2027", "6m", "29/02/2028"),  # leap year
        ("31/08/2026", "6m", "28/02/2027"),
        ("29/02/2028", "12m", "28/02/2029"),
        ("29/02/2028", "48m", "29/02/2032"),
        ("31/03/2027", "1m", "30/04/2027"),
        ("15/07/2027", "6m", "15/01/2028"),  # across the year end
        ("31/12/2099", "1m", "31/01/2100"),  # months work beyond the holiday years
        ("28/02/2100", "12m", "28/02/2101"),
        ("31/01/2100", "1m", "28/02/2100"),  # 2100 is not a leap year
        ("31/01/2000", "1m", "29/02/2000"),  # 2000 is
        ("25/12/2026", "10d", "04/01/2027"),  # calendar days ignore holidays
    ],
)
def test_months_clamp_to_the_month_end_and_days_are_calendar_days(
    start: str, span: str, expected: str
) -> None:
    """GIVEN a start date and a span in calendar months or days
    WHEN it is added
    THEN months keep the day of the month, clamped to the target month's end."""
    assert en_gb(CAL.add(d(start), parse_span(span))) == expected


def test_add_months_goes_backwards_and_refuses_only_beyond_the_representable_dates() -> None:
    """GIVEN dates near the ends of what Python can hold
    WHEN months are added or subtracted
    THEN the result is exact until it would pass 31/12/9999 or 01/01/0001, then a ValueError."""
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert add_months(date(9999, 7, 31), 5) == date(9999, 12, 31)
    assert add_months(date(1, 2, 28), -1) == date(1, 1, 28)
    with pytest.raises(ValueError, match="after 31/12/9999"):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(ValueError, match="before 01/01/0001"):
        add_months(date(1, 1, 31), -1)
    with pytest.raises(ValueError, match="outside the dates that can be held"):
        CAL.add(date(9999, 12, 30), Span(10, "d"))


# --- one-off additions and removals --------------------------------------------------------


def test_an_added_holiday_moves_a_working_day_deadline() -> None:
    """GIVEN a one-off bank holiday on Monday 07/06/2027
    WHEN 1 working day is added to Friday 04/06/2027
    THEN the answer moves from Monday 07/06 to Tuesday 08/06, and the token changes."""
    start = d("04/06/2027")
    assert en_gb(CAL.working_days_after(start, 1)) == "07/06/2027"
    extra = WorkingCalendar.england_and_wales(additions=[d("07/06/2027")])
    assert en_gb(extra.working_days_after(start, 1)) == "08/06/2027"
    assert not extra.is_working_day(d("07/06/2027"))
    assert extra.holidays_between(d("07/06/2027"), d("07/06/2027")) == [(d("07/06/2027"), "Added")]
    assert extra.version_token() != CAL.version_token()


def test_an_added_holiday_can_carry_its_name() -> None:
    """GIVEN additions given as a mapping of date to name
    WHEN the calendar lists them
    THEN the given name is used; a blank name falls back to "Added"."""
    cal = WorkingCalendar.england_and_wales(
        additions={d("07/06/2027"): "Royal occasion", d("08/06/2027"): "  "}
    )
    assert cal.holidays_between(d("07/06/2027"), d("08/06/2027")) == [
        (d("07/06/2027"), "Royal occasion"),
        (d("08/06/2027"), "Added"),
    ]


def test_a_plain_addition_on_an_existing_holiday_keeps_its_name() -> None:
    """GIVEN an addition (without a name) on a day that is already Christmas Day
    WHEN the calendar is built
    THEN nothing changes: same name, same token."""
    cal = WorkingCalendar.england_and_wales(additions=[d("25/12/2026")])
    assert cal.holidays[d("25/12/2026")] == "Christmas Day"
    assert cal.version_token() == CAL.version_token()


def test_a_removed_substitute_day_becomes_a_working_day() -> None:
    """GIVEN the 28/12/2026 substitute day removed
    WHEN 1 working day is added to Thursday 24/12/2026
    THEN the answer is Monday 28/12/2026 instead of Tuesday 29/12/2026."""
    cal = WorkingCalendar.england_and_wales(removals=[d("28/12/2026")])
    assert cal.is_working_day(d("28/12/2026"))
    assert en_gb(cal.working_days_after(d("24/12/2026"), 1)) == "28/12/2026"
    assert cal.version_token() != CAL.version_token()


def test_removal_wins_over_addition_and_unknown_removals_are_ignored() -> None:
    """GIVEN the same day both added and removed, and a removal of an ordinary Tuesday
    WHEN the calendar is built
    THEN the day is a working day, and the Tuesday removal changes nothing."""
    same = WorkingCalendar.england_and_wales(
        additions=[d("07/06/2027")], removals=[d("07/06/2027"), d("29/12/2026")]
    )
    assert same.is_working_day(d("07/06/2027"))
    assert same.version_token() == CAL.version_token()


def test_the_version_token_is_short_stable_and_ignores_names() -> None:
    """GIVEN two calendars built separately from the same holiday dates
    WHEN their tokens are compared
    THEN they are equal, short hex strings; renaming a holiday does not change the token."""
    token = CAL.version_token()
    assert token == WorkingCalendar.england_and_wales().version_token()
    assert len(token) == 16 and int(token, 16) >= 0
    renamed = WorkingCalendar.england_and_wales(additions={d("25/12/2026"): "Xmas"})
    assert renamed.holidays[d("25/12/2026")] == "Xmas"
    assert renamed.version_token() == token
    fewer_years = WorkingCalendar.england_and_wales(years=range(2020, 2040))
    assert fewer_years.version_token() != token


def test_a_calendar_from_plain_data() -> None:
    """GIVEN a calendar built straight from a mapping (e.g. an imported GOV.UK file)
    WHEN working days are added
    THEN only those holidays and weekends count."""
    cal = WorkingCalendar({d("07/06/2027"): "One-off"}, range(2027, 2028))
    assert en_gb(cal.working_days_after(d("04/06/2027"), 1)) == "08/06/2027"
    assert cal.is_working_day(d("25/12/2027")) is False  # a Saturday
    assert cal.is_working_day(d("27/12/2027")) is True  # no substitute days in this data


def test_dates_outside_the_calendar_years_are_refused_for_working_days() -> None:
    """GIVEN the default calendar (2000–2075)
    WHEN a working-day question reaches outside those years
    THEN CalendarRangeError says so in words; calendar days and months still work."""
    with pytest.raises(CalendarRangeError, match="01/01/2076 is outside the working calendar"):
        CAL.is_working_day(d("01/01/2076"))
    with pytest.raises(CalendarRangeError, match="31/12/1999 is outside"):
        CAL.working_days_after(d("31/12/1999"), 1)
    with pytest.raises(CalendarRangeError, match="falls after 31/12/2075"):
        CAL.add(d("20/12/2075"), Span(21, "wd"))
    with pytest.raises(CalendarRangeError, match="outside the calendar's years 2000–2075"):
        WorkingCalendar.england_and_wales(additions=[d("01/01/2080")])
    with pytest.raises(ValueError, match="cannot be negative"):
        CAL.working_days_after(d("01/01/2027"), -1)
    assert CAL.add(d("31/12/2075"), Span(1, "m")) == d("31/01/2076")


def test_a_date_and_time_is_not_accepted_as_a_holiday() -> None:
    """GIVEN an addition that is a datetime rather than a date
    WHEN the calendar is built
    THEN a TypeError says a date is needed (a datetime would never equal a date key)."""
    with pytest.raises(TypeError, match="must be a date"):
        WorkingCalendar.england_and_wales(additions=[datetime(2027, 6, 7, 9, 0)])


# --- properties ----------------------------------------------------------------------------


@given(day=starts, n=st.integers(min_value=1, max_value=1000))
def test_working_days_always_land_on_a_working_day(day: date, n: int) -> None:
    """GIVEN any start in the supported years and n >= 1
    WHEN n working days are added
    THEN the result is a working day, later than the start."""
    result = CAL.working_days_after(day, n)
    assert CAL.is_working_day(result)
    assert result > day


@given(day=starts, n=st.integers(min_value=0, max_value=60))
def test_working_days_match_counting_one_day_at_a_time(day: date, n: int) -> None:
    """GIVEN any start and n
    WHEN n working days are added
    THEN the answer is the one found by stepping a day at a time (the rule, stated plainly)."""
    assert CAL.working_days_after(day, n) == reference_working_days_after(CAL, day, n)


@given(day=starts, a=steps, b=steps)
def test_working_days_are_monotonic_in_the_count(day: date, a: int, b: int) -> None:
    """GIVEN a start and two counts a <= b
    WHEN each is added
    THEN add(d, a) <= add(d, b)."""
    a, b = min(a, b), max(a, b)
    assert CAL.working_days_after(day, a) <= CAL.working_days_after(day, b)


@given(first=starts, second=starts, n=steps)
def test_working_days_are_monotonic_in_the_start(first: date, second: date, n: int) -> None:
    """GIVEN two starts d1 <= d2 and a count n
    WHEN n working days are added to each
    THEN add(d1, n) <= add(d2, n)."""
    first, second = min(first, second), max(first, second)
    assert CAL.working_days_after(first, n) <= CAL.working_days_after(second, n)


@given(day=starts, a=steps, b=steps)
def test_working_days_add_up(day: date, a: int, b: int) -> None:
    """GIVEN any start (a weekend or holiday included) and counts a, b >= 0
    WHEN a working days then b working days are added
    THEN the result is the same as adding a + b at once. This holds for a or b == 0 too,
    because 0wd is the identity (it never rolls a non-working start forward)."""
    assert CAL.working_days_after(CAL.working_days_after(day, a), b) == CAL.working_days_after(
        day, a + b
    )


@given(
    day=st.dates(),
    months=st.integers(min_value=-12 * 10_000, max_value=12 * 10_000),
)
def test_month_addition_lands_in_the_target_month_or_refuses(day: date, months: int) -> None:
    """GIVEN any representable date and any month count
    WHEN the months are added
    THEN the result is in the target month with the day clamped to its end, or, only when
    the target month lies beyond what can be represented, a ValueError (never OverflowError)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        with pytest.raises(ValueError, match="outside the dates that can be held"):
            add_months(day, months)
        return
    result = add_months(day, months)
    assert (result.year, result.month) == (year, month0 + 1)
    assert result.day == min(day.day, calendar.monthrange(year, month0 + 1)[1])


@given(day=st.dates(), n=st.integers(min_value=0, max_value=100_000))
def test_calendar_days_match_timedelta(day: date, n: int) -> None:
    """GIVEN any date and a calendar-day span
    WHEN it is added
    THEN the answer is the date plus a timedelta (a ValueError where that would overflow)."""
    try:
        expected = day + timedelta(days=n)
    except OverflowError:
        with pytest.raises(ValueError):
            CAL.add(day, Span(n, "d"))
        return
    assert CAL.add(day, Span(n, "d")) == expected


@given(span=st.builds(Span, st.integers(0, 1200), st.sampled_from(["d", "wd", "m"])))
def test_a_span_reads_back_from_its_text(span: Span) -> None:
    """GIVEN any valid span
    WHEN it is written as text and read back
    THEN it is the same span."""
    assert parse_span(str(span)) == span
    assert parse_span(f"  {str(span).upper()} ") == span


# --- spans ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21wd", Span(21, "wd")),
        ("6m", Span(6, "m")),
        ("10d", Span(10, "d")),
        ("0d", Span(0, "d")),
        (" 21WD ", Span(21, "wd")),
        ("6 M", Span(6, "m")),
        ("007d", Span(7, "d")),
        ("100000d", Span(100_000, "d")),
        ("1200m", Span(1200, "m")),
    ],
)
def test_spans_are_read(text: str, expected: Span) -> None:
    """GIVEN a span written with a number and a unit
    WHEN it is parsed
    THEN amount and unit come out, whatever the spacing or letter case."""
    assert parse_span(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3wd", "a span cannot be negative: -3wd"),
        (
            "6x",
            "unknown unit 'x' in '6x': use d (calendar days), wd (working days) or m "
            "(calendar months)",
        ),
        ("", "the span is empty: write a whole number and a unit, e.g. 21wd, 6m or 10d"),
        ("   ", "the span is empty: write a whole number and a unit, e.g. 21wd, 6m or 10d"),
        ("wd", "'wd' has no number: write a whole number and a unit, e.g. 21wd, 6m or 10d"),
        ("3.5d", "a span must be a whole number: '3.5d'"),
        ("3,5d", "a span must be a whole number: '3,5d'"),
        ("6", "'6' has no unit: use d (calendar days), wd (working days) or m (calendar months)"),
        ("100001d", "'100001d' is too long: a span can be at most 100000 calendar days"),
        ("100001wd", "'100001wd' is too long: a span can be at most 100000 working days"),
        ("1201m", "'1201m' is too long: a span can be at most 1200 calendar months"),
        ("9" * 5000 + "d", "is too long: a span can be at most 100000 calendar days"),
        ("21 wd x", "'21 wd x' is not a span: write a whole number and a unit"),
        ("-", "'-' is not a span: write a whole number and a unit"),
        ("٣d", "'٣d' is not a span"),  # Arabic-Indic digit three: only 0-9 are read
    ],
)
def test_bad_spans_are_refused_in_plain_english(text: str, message: str) -> None:
    """GIVEN a span that is not a whole, non-negative number with a known unit
    WHEN it is parsed
    THEN SpanError (a ValueError) says what is wrong."""
    with pytest.raises(SpanError) as caught:
        parse_span(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_spans_are_checked_when_built_directly() -> None:
    """GIVEN a Span built in code rather than parsed
    WHEN its amount or unit is out of bounds
    THEN it is refused just the same."""
    with pytest.raises(SpanError, match="cannot be negative: -3wd"):
        Span(-3, "wd")
    with pytest.raises(SpanError, match="unknown unit 'x'"):
        Span(3, "x")  # type: ignore[arg-type]
    with pytest.raises(SpanError, match="too long"):
        Span(1201, "m")
    with pytest.raises(SpanError, match="whole number"):
        Span(True, "d")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("6m", "6 calendar months"),
        ("1m", "1 calendar month"),
        ("21wd", "21 working days"),
        ("1wd", "1 working day"),
        ("10d", "10 calendar days"),
        ("1d", "1 calendar day"),
        ("0d", "0 calendar days"),
    ],
)
def test_spans_describe_themselves_in_words(text: str, words: str) -> None:
    """GIVEN a span
    WHEN it is described
    THEN the words give the number and the unit, singular for one."""
    assert parse_span(text).describe() == words


# --- the GOV.UK file -----------------------------------------------------------------------


def govuk(events: Any) -> dict[str, Any]:
    return {
        "england-and-wales": {"division": "england-and-wales", "events": events},
        "scotland": {"division": "scotland", "events": []},
        "northern-ireland": {"division": "northern-ireland", "events": []},
    }


VALID_EVENTS = [
    {"title": "Christmas Day", "date": "2026-12-25", "notes": "", "bunting": True},
    {"title": "Boxing Day", "date": "2026-12-28", "notes": "Substitute day", "bunting": True},
    {"title": "New Year’s Day", "date": "2027-01-01", "notes": "", "bunting": True},
]


def test_a_valid_govuk_file_gives_the_england_and_wales_days() -> None:
    """GIVEN a minimal GOV.UK bank-holidays.json (decoded)
    WHEN it is parsed
    THEN every england-and-wales event comes back by date with its title, other divisions
    ignored, and the result builds a working calendar."""
    days = parse_govuk_bank_holidays(govuk(VALID_EVENTS))
    assert days == {
        date(2026, 12, 25): "Christmas Day",
        date(2026, 12, 28): "Boxing Day",
        date(2027, 1, 1): "New Year’s Day",
    }
    cal = WorkingCalendar(days, range(2026, 2028))
    assert en_gb(cal.working_days_after(d("24/12/2026"), 1)) == "29/12/2026"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "the top level is not a JSON object"),
        ("text", "the top level is not a JSON object"),
        ({"scotland": {"events": []}}, "the file has no 'england-and-wales' division"),
        ({"england-and-wales": []}, "england-and-wales: a list is not a JSON object"),
        ({"england-and-wales": {"division": "x"}}, "england-and-wales: the division has no"),
        (govuk({"0": 1}), "england-and-wales.events: an object is not a list"),
        (govuk(None), "england-and-wales.events: null is not a list"),
        (govuk([]), "england-and-wales.events: the list is empty"),
        (govuk([*VALID_EVENTS, "2027-01-01"]), "england-and-wales.events[3]: '2027-01-01' is not"),
        (
            govuk([*VALID_EVENTS, {"title": "Extra"}]),
            "england-and-wales.events[3]: the event has no date",
        ),
        (
            govuk([*VALID_EVENTS, {"title": "Extra", "date": "2026-13-01"}]),
            "england-and-wales.events[3].date: '2026-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            govuk([{"title": "Extra", "date": "01/06/2027"}]),
            "england-and-wales.events[0].date: '01/06/2027' is not a date (YYYY-MM-DD)",
        ),
        (
            govuk([{"title": "Extra", "date": 20270601}]),
            "england-and-wales.events[0].date: 20270601 is not a date (YYYY-MM-DD)",
        ),
        (
            govuk([{"title": "Extra", "date": "2027-02-30"}]),
            "england-and-wales.events[0].date: '2027-02-30' is not a date (YYYY-MM-DD)",
        ),
        (
            govuk([{"date": "2027-06-01"}]),
            "england-and-wales.events[0]: the event has no title",
        ),
        (
            govuk([{"title": " ", "date": "2027-06-01"}]),
            "england-and-wales.events[0].title: ' ' is not a holiday's name",
        ),
        (
            govuk([*VALID_EVENTS, {"title": "Again", "date": "2026-12-25"}]),
            "england-and-wales.events[3].date: 2026-12-25 appears twice "
            "(also at england-and-wales.events[0])",
        ),
    ],
)
def test_a_govuk_file_of_the_wrong_shape_is_refused_whole(data: object, message: str) -> None:
    """GIVEN a bank-holidays file with something of the wrong shape
    WHEN it is parsed
    THEN CalendarFileError (a ValueError) names the problem and where it is; nothing is
    returned for the good events before it."""
    with pytest.raises(CalendarFileError) as caught:
        parse_govuk_bank_holidays(data)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


# --- en-GB dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/02/2027", date(2027, 2, 3)),
        ("2027-02-03", date(2027, 2, 3)),
        (" 3/2/2027 ", date(2027, 2, 3)),
        ("29/02/2028", date(2028, 2, 29)),
    ],
)
def test_dates_are_read_in_en_gb_or_iso_form(text: str, expected: date) -> None:
    """GIVEN a date typed as dd/mm/yyyy or yyyy-mm-dd
    WHEN it is read
    THEN the day comes first in the en-GB form (03/02 is 3 February)."""
    assert parse_en_gb_or_iso(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30/02/2027", "30/02/2027 is not a real date"),
        ("29/02/2027", "29/02/2027 is not a real date"),
        ("2027-02-30", "2027-02-30 is not a real date"),
        ("31/04/2027", "31/04/2027 is not a real date"),
        ("00/01/2027", "00/01/2027 is not a real date"),
        ("02/03/27", "'02/03/27' is not a date: write dd/mm/yyyy, e.g. 03/02/2027"),
        ("", "'' is not a date"),
        ("tomorrow", "'tomorrow' is not a date"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused(text: str, message: str) -> None:
    """GIVEN an impossible date or text that is not a date
    WHEN it is read
    THEN a ValueError says so plainly."""
    with pytest.raises(ValueError) as caught:
        parse_en_gb_or_iso(text)
    assert str(caught.value) == message or message in str(caught.value)


def test_dates_are_shown_as_dd_mm_yyyy() -> None:
    """GIVEN a date
    WHEN it is shown to a user
    THEN it is dd/mm/yyyy with leading zeros."""
    assert en_gb(date(2027, 2, 3)) == "03/02/2027"
    assert en_gb(date(5, 1, 9)) == "09/01/0005"
