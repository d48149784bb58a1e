"""Date arithmetic for deadlines: spans, month arithmetic, and the England-and-Wales working-day
calendar (domain.md "Time"). Pure functions and immutable values: no database, no Qt.

Rules (domain.md "Time"):
- a deadline span states its unit: calendar days (``d``), working days (``wd``) or calendar
  months (``m``);
- month arithmetic keeps the day of the month, clamped to the month's end;
- working days exclude Saturdays, Sundays and England-and-Wales bank holidays, substitute days
  included; one-off holidays can be added (and days removed) offline;
- dates are shown to users as dd/mm/yyyy.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, TypeAlias, get_args

__all__ = [
    "DEFAULT_YEARS",
    "CalendarFileError",
    "CalendarRangeError",
    "Span",
    "SpanError",
    "SpanUnit",
    "WorkingCalendar",
    "add_months",
    "en_gb",
    "parse_en_gb_or_iso",
    "parse_govuk_bank_holidays",
    "parse_span",
]

SpanUnit: TypeAlias = Literal["d", "wd", "m"]
_UNITS: tuple[SpanUnit, ...] = get_args(SpanUnit)
_UNIT_BY_TEXT: dict[str, SpanUnit] = {unit: unit for unit in _UNITS}
_UNIT_WORDS: dict[SpanUnit, tuple[str, str]] = {
    "d": ("calendar day", "calendar days"),
    "wd": ("working day", "working days"),
    "m": ("calendar month", "calendar months"),
}
#: The longest span of each unit: far beyond any statutory timescale, so a typo is caught.
MAX_SPAN: Mapping[SpanUnit, int] = MappingProxyType({"d": 100_000, "wd": 100_000, "m": 1_200})
_UNIT_HELP = "use d (calendar days), wd (working days) or m (calendar months)"
_SPAN_HELP = "write a whole number and a unit, e.g. 21wd, 6m or 10d"

#: The years the England-and-Wales calendar covers unless told otherwise.
DEFAULT_YEARS = range(2000, 2076)


class SpanError(ValueError):
    """A span such as ``21wd`` could not be read; the message says why in plain English."""


class CalendarRangeError(ValueError):
    """A working-day question about a date outside the years the calendar covers."""


class CalendarFileError(ValueError):
    """A bank-holidays file has the wrong shape; the message names what is wrong and where."""

    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}" if location else problem)


# --- spans ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A duration with its unit (domain.md Time: each deadline rule states its unit)."""

    amount: int
    unit: SpanUnit

    def __post_init__(self) -> None:
        if self.unit not in _UNITS:
            raise SpanError(f"unknown unit {self.unit!r}: {_UNIT_HELP}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise SpanError(f"a span must be a whole number, not {self.amount!r}")
        if self.amount < 0:
            raise SpanError(f"a span cannot be negative: {self.amount}{self.unit}")
        if self.amount > MAX_SPAN[self.unit]:
            raise SpanError(_too_long(f"{self.amount}{self.unit}", self.unit))

    def __str__(self) -> str:
        """The compact form that ``parse_span`` reads back, e.g. ``21wd``."""
        return f"{self.amount}{self.unit}"

    def describe(self) -> str:
        """In words: "6 calendar months", "1 working day", "10 calendar days"."""
        one, many = _UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"


def _too_long(text: str, unit: SpanUnit) -> str:
    return f"{text!r} is too long: a span can be at most {MAX_SPAN[unit]} {_UNIT_WORDS[unit][1]}"


_SPAN_TEXT = re.compile(
    r"(?P<sign>[-+]?)(?P<digits>[0-9]*)(?P<fraction>[.,][0-9]*)?\s*(?P<unit>[A-Za-z]*)"
)


def parse_span(text: str) -> Span:
    """Read ``21wd``, ``6m``, ``10d`` or ``0d`` (spaces around and any letter case accepted).

    Raises SpanError with a plain-English reason for anything else.
    """
    if not isinstance(text, str):
        raise SpanError(f"a span must be text such as 21wd, not {type(text).__name__}")
    shown = text.strip()
    if not shown:
        raise SpanError(f"the span is empty: {_SPAN_HELP}")
    match = _SPAN_TEXT.fullmatch(shown)
    if match is None:
        raise SpanError(f"{shown!r} is not a span: {_SPAN_HELP}")
    sign, digits, fraction, unit = match.group("sign", "digits", "fraction", "unit")
    if not digits and not fraction:
        if not unit:
            raise SpanError(f"{shown!r} is not a span: {_SPAN_HELP}")
        raise SpanError(f"{shown!r} has no number: {_SPAN_HELP}")
    if fraction:
        raise SpanError(f"a span must be a whole number: {shown!r}")
    if sign == "-":
        raise SpanError(f"a span cannot be negative: {shown}")
    if not unit:
        raise SpanError(f"{shown!r} has no unit: {_UNIT_HELP}")
    checked = _UNIT_BY_TEXT.get(unit.lower())
    if checked is None:
        raise SpanError(f"unknown unit {unit!r} in {shown!r}: {_UNIT_HELP}")
    if len(digits.lstrip("0")) > 9:  # before int(): no huge conversions
        raise SpanError(_too_long(shown, checked))
    amount = int(digits)
    if amount > MAX_SPAN[checked]:
        raise SpanError(_too_long(shown, checked))
    return Span(amount, checked)


# --- calendar months -----------------------------------------------------------------------

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later (or earlier, if negative), clamped to the month's
    end: 31/08 + 6 months = 28/02 (29/02 in a leap year). domain.md Time.

    Raises ValueError only when the result would fall outside 01/01/0001–31/12/9999.
    """
    total = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(total, 12)
    if not MINYEAR <= year <= MAXYEAR:
        edge = "after 31/12/9999" if year > MAXYEAR else "before 01/01/0001"
        raise ValueError(
            f"{months} months from {en_gb(day)} falls {edge}, outside the dates that can be held"
        )
    return date(year, month0 + 1, min(day.day, _days_in_month(year, month0 + 1)))


def _add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise ValueError(
            f"{days} days from {en_gb(day)} falls outside the dates that can be held"
        ) from None


# --- the working-day calendar --------------------------------------------------------------


def _checked_date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a date (not a date and time): {value!r}")
    return value


def _check_years(years: range) -> None:
    if not isinstance(years, range) or years.step != 1 or len(years) == 0:
        raise ValueError(f"the calendar's years must be a non-empty range of years: {years!r}")
    if years.start < MINYEAR or years.stop - 1 > MAXYEAR:
        raise ValueError(f"the calendar's years must lie within {MINYEAR}–{MAXYEAR}: {years!r}")


@lru_cache(maxsize=8)
def _package_holidays(start: int, stop: int) -> tuple[tuple[date, str], ...]:
    """England-and-Wales bank holidays from the ``holidays`` package, substitute days included
    (e.g. 28/12/2026 "Boxing Day (observed)"). Cached: the package takes ~0.1 s the first time.
    """
    import holidays  # imported here: ~60 ms, paid only by callers who need the defaults

    found = holidays.country_holidays("GB", subdiv="ENG", years=range(start, stop))
    return tuple(sorted((day, name) for day, name in found.items() if start <= day.year < stop))


class WorkingCalendar:
    """Weekends plus a set of bank holidays over a range of years (domain.md Time: working days
    exclude Saturdays, Sundays and England-and-Wales bank holidays, substitute days included).

    Immutable. Working-day questions about dates outside ``years`` raise CalendarRangeError:
    the holidays there are not known. Calendar-day and month arithmetic work on any date.
    """

    __slots__ = (
        "_first",
        "_holiday_items",
        "_holiday_ordinals",
        "_holidays",
        "_last",
        "_token",
        "_working",
        "_years",
    )

    def __init__(self, bank_holidays: Mapping[date, str], years: range) -> None:
        _check_years(years)
        self._years = years
        self._first = date(years.start, 1, 1).toordinal()
        self._last = date(years.stop - 1, 12, 31).toordinal()
        named: dict[date, str] = {}
        for raw, name in bank_holidays.items():
            day = _checked_date(raw, "a bank holiday")
            if not self._first <= day.toordinal() <= self._last:
                raise CalendarRangeError(
                    f"the bank holiday {en_gb(day)} is outside the calendar's years "
                    f"{years.start}–{years.stop - 1}"
                )
            named[day] = str(name)
        self._holidays: Mapping[date, str] = MappingProxyType(dict(sorted(named.items())))
        self._holiday_items = tuple(self._holidays.items())
        self._holiday_ordinals = [day.toordinal() for day in self._holidays]
        closed = set(self._holiday_ordinals)
        # Ordinal 1 (01/01/0001) is a Monday, so ordinal % 7 is 6 on Saturdays and 0 on Sundays.
        self._working = [
            o for o in range(self._first, self._last + 1) if o % 7 not in (0, 6) and o not in closed
        ]
        text = f"{years.start}-{years.stop - 1}\n" + "\n".join(d.isoformat() for d in named)
        self._token = hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def england_and_wales(
        cls,
        additions: Mapping[date, str] | Iterable[date] = (),
        removals: Iterable[date] = (),
        years: range | None = None,
    ) -> WorkingCalendar:
        """England-and-Wales bank holidays from the ``holidays`` package for ``years`` (default
        2000–2075), plus one-off ``additions`` (named "Added" unless a mapping gives the name;
        a plain date that is already a holiday keeps its name), minus ``removals`` (a removal
        wins over an addition; removing a day that is not a holiday does nothing).
        """
        years = DEFAULT_YEARS if years is None else years
        _check_years(years)
        merged = dict(_package_holidays(years.start, years.stop))
        if isinstance(additions, Mapping):
            for raw, name in additions.items():
                day = _checked_date(raw, "an added holiday")
                merged[day] = str(name).strip() or merged.get(day, "Added")
        else:
            for raw in additions:
                merged.setdefault(_checked_date(raw, "an added holiday"), "Added")
        for raw in removals:
            merged.pop(_checked_date(raw, "a removed holiday"), None)
        return cls(merged, years)

    @property
    def years(self) -> range:
        """The years whose bank holidays this calendar knows."""
        return self._years

    @property
    def holidays(self) -> Mapping[date, str]:
        """Every holiday, by date in order, with its name (read-only)."""
        return self._holidays

    def __repr__(self) -> str:
        return (
            f"<WorkingCalendar {self._years.start}–{self._years.stop - 1}, "
            f"{len(self._holidays)} holidays, version {self._token}>"
        )

    def version_token(self) -> str:
        """A short hash of the holiday dates and the years covered: it changes whenever the
        calendar could give a different working-day answer, so open deadlines can recompute.
        Holiday names do not enter it."""
        return self._token

    def _ordinal_inside(self, day: date) -> int:
        ordinal = day.toordinal()
        if not self._first <= ordinal <= self._last:
            raise CalendarRangeError(
                f"{en_gb(day)} is outside the working calendar, which covers "
                f"{en_gb(date.fromordinal(self._first))} to {en_gb(date.fromordinal(self._last))}"
            )
        return ordinal

    def is_working_day(self, day: date) -> bool:
        """Not a Saturday or Sunday and not a bank holiday."""
        ordinal = self._ordinal_inside(day)
        index = bisect_left(self._working, ordinal)
        return index < len(self._working) and self._working[index] == ordinal

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """The holidays from ``start`` to ``end``, both included, in date order (weekend
        holidays too, e.g. Boxing Day on a Saturday beside its substitute Monday)."""
        low = bisect_left(self._holiday_ordinals, start.toordinal())
        high = bisect_right(self._holiday_ordinals, end.toordinal())
        return list(self._holiday_items[low:high])

    def working_days_after(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself never counts, working or not).

        n == 0 returns ``day`` unchanged, even on a weekend or holiday: a zero span never moves
        a date. This keeps the rule additive: after(after(d, a), b) == after(d, a + b) for all
        a, b >= 0.
        """
        ordinal = self._ordinal_inside(day)
        if n <= 0:
            if n == 0:
                return day
            raise ValueError(f"the number of working days cannot be negative: {n}")
        index = bisect_right(self._working, ordinal) + n - 1
        if index >= len(self._working):
            raise CalendarRangeError(
                f"{n} working days after {en_gb(day)} falls after "
                f"{en_gb(date.fromordinal(self._last))}, the end of the working calendar"
            )
        return date.fromordinal(self._working[index])

    def add(self, day: date, span: Span) -> date:
        """``day`` plus ``span`` in the span's own unit: calendar days, working days (see
        ``working_days_after``) or calendar months (see ``add_months``)."""
        unit = span.unit
        if unit == "wd":
            return self.working_days_after(day, span.amount)
        if unit == "d":
            return _add_days(day, span.amount)
        return add_months(day, span.amount)


# --- the GOV.UK bank-holidays file ---------------------------------------------------------

_GOVUK_DIVISION = "england-and-wales"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def parse_govuk_bank_holidays(data: object) -> dict[date, str]:
    """The england-and-wales events of GOV.UK's ``bank-holidays.json`` (already decoded from
    JSON), as {date: title}. All or nothing: any event of the wrong shape raises
    CalendarFileError naming the problem and its place, e.g. ``england-and-wales.events[3].date``.
    """
    if not isinstance(data, dict):
        raise CalendarFileError("", "the top level is not a JSON object")
    if _GOVUK_DIVISION not in data:
        raise CalendarFileError("", f"the file has no {_GOVUK_DIVISION!r} division")
    division = data[_GOVUK_DIVISION]
    if not isinstance(division, dict):
        raise CalendarFileError(_GOVUK_DIVISION, f"{_show(division)} is not a JSON object")
    if "events" not in division:
        raise CalendarFileError(_GOVUK_DIVISION, "the division has no 'events' list")
    events = division["events"]
    where = f"{_GOVUK_DIVISION}.events"
    if not isinstance(events, list):
        raise CalendarFileError(where, f"{_show(events)} is not a list")
    if not events:
        raise CalendarFileError(where, "the list is empty: the file holds no bank holidays")
    found: dict[date, str] = {}
    first_seen: dict[date, int] = {}
    for number, event in enumerate(events):
        at = f"{where}[{number}]"
        if not isinstance(event, dict):
            raise CalendarFileError(at, f"{_show(event)} is not a JSON object")
        if "date" not in event:
            raise CalendarFileError(at, "the event has no date")
        raw = event["date"]
        if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
            raise CalendarFileError(f"{at}.date", f"{_show(raw)} is not a date (YYYY-MM-DD)")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise CalendarFileError(
                f"{at}.date", f"{_show(raw)} is not a date (YYYY-MM-DD)"
            ) from None
        if "title" not in event:
            raise CalendarFileError(at, "the event has no title")
        title = event["title"]
        if not isinstance(title, str) or not title.strip():
            raise CalendarFileError(f"{at}.title", f"{_show(title)} is not a holiday's name")
        if day in found:
            raise CalendarFileError(
                f"{at}.date", f"{raw} appears twice (also at {where}[{first_seen[day]}])"
            )
        found[day] = title.strip()
        first_seen[day] = number
    return dict(sorted(found.items()))


# --- en-GB dates ---------------------------------------------------------------------------

_EN_GB_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_PARTS = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@lru_cache(maxsize=65536)  # the same few thousand dates are shown again and again
def en_gb(day: date) -> str:
    """dd/mm/yyyy, as dates are shown to users (domain.md Time)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_en_gb_or_iso(text: str) -> date:
    """Read dd/mm/yyyy (d/m/yyyy too) or yyyy-mm-dd. Raises ValueError for anything else,
    and for impossible dates: "30/02/2027 is not a real date"."""
    if not isinstance(text, str):
        raise ValueError(f"a date must be text such as 03/02/2027, not {type(text).__name__}")
    shown = text.strip()
    if match := _EN_GB_DATE.fullmatch(shown):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_PARTS.fullmatch(shown):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"{shown!r} is not a date: write dd/mm/yyyy, e.g. 03/02/2027")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{shown} is not a real date") from None
