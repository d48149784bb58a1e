"""The working-day calendar as the partnership keeps it: England-and-Wales bank holidays from
the ``holidays`` package, plus one-off additions and removals stored in the database (editable
offline), plus days imported from GOV.UK's ``bank-holidays.json``. Deadlines are derived, so
every open deadline follows a change at once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dhr_desk.models import CalendarAction, CalendarAdjustment
from dhr_desk.security import audit_chain
from dhr_desk.workflows.working_calendar import (
    CalendarFileError,
    WorkingCalendar,
    en_gb,
    parse_govuk_bank_holidays,
)


class CalendarChangeError(ValueError):
    """A calendar change refused; nothing was saved."""


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    name: str
    source: str  # "bank holiday", "added", "imported"


@dataclass(frozen=True)
class ImportResult:
    added: tuple[dt.date, ...]
    already_known: int


def load_calendar(session: Session) -> WorkingCalendar:
    additions: dict[dt.date, str] = {}
    removals: list[dt.date] = []
    for row in session.scalars(select(CalendarAdjustment).order_by(CalendarAdjustment.day)):
        if row.action == CalendarAction.ADD:
            additions[row.day] = row.name
        else:
            removals.append(row.day)
    return WorkingCalendar.england_and_wales(additions=additions, removals=removals)


class CalendarBook:
    """Services for the calendar, each in one short transaction, audited."""

    def __init__(self, sessions: sessionmaker[Session], actor: str) -> None:
        self._sessions = sessions
        self.actor = actor

    def calendar(self) -> WorkingCalendar:
        with self._sessions() as session:
            return load_calendar(session)

    def holidays(self, year: int) -> list[CalendarDay]:
        with self._sessions() as session:
            stored = {r.day: r for r in session.scalars(select(CalendarAdjustment))}
            calendar = load_calendar(session)
        days = []
        for day, name in calendar.holidays_between(dt.date(year, 1, 1), dt.date(year, 12, 31)):
            row = stored.get(day)
            source = "bank holiday" if row is None else (row.source or "added")
            days.append(CalendarDay(day, name, source))
        return days

    def add(
        self, day: dt.date, name: str, reason: str | None = None, source: str = "added"
    ) -> None:
        if day.weekday() >= 5:
            raise CalendarChangeError(
                f"{en_gb(day)} is a {day:%A}; weekends are never working days already."
            )
        if not name.strip():
            raise CalendarChangeError("Give the holiday a name.")
        with self._sessions.begin() as session:
            if not load_calendar(session).is_working_day(day):
                raise CalendarChangeError(f"{en_gb(day)} is already a holiday.")
            row = session.scalars(
                select(CalendarAdjustment).where(CalendarAdjustment.day == day)
            ).first()
            if row is not None:  # a removal of a package holiday: adding it back undoes that
                session.delete(row)
            else:
                session.add(
                    CalendarAdjustment(
                        day=day, action=CalendarAction.ADD, name=name, reason=reason, source=source
                    )
                )
            audit_chain.record(
                session,
                actor=self.actor,
                action="bank holiday added",
                entity_type="calendar",
                entity_id=day.isoformat(),
                detail={"name": name, "reason": reason},
            )

    def remove(self, day: dt.date, reason: str | None = None) -> None:
        with self._sessions.begin() as session:
            calendar = load_calendar(session)
            if calendar.is_working_day(day):
                raise CalendarChangeError(f"{en_gb(day)} is not a holiday.")
            if day.weekday() >= 5:
                raise CalendarChangeError(f"{en_gb(day)} is a weekend day, not a bank holiday.")
            row = session.scalars(
                select(CalendarAdjustment).where(CalendarAdjustment.day == day)
            ).first()
            if row is not None and row.action == CalendarAction.ADD:
                session.delete(row)
            else:
                session.add(
                    CalendarAdjustment(
                        day=day,
                        action=CalendarAction.REMOVE,
                        name=calendar.holidays.get(day, "removed"),
                        reason=reason,
                        source="removed",
                    )
                )
            audit_chain.record(
                session,
                actor=self.actor,
                action="bank holiday removed",
                entity_type="calendar",
                entity_id=day.isoformat(),
                detail={"reason": reason},
            )

    def import_govuk(self, path: Path) -> ImportResult:
        """Add every england-and-wales day in a GOV.UK bank-holidays.json that the calendar
        lacks. The whole file is checked first; a file of the wrong shape changes nothing."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CalendarChangeError(f"{path} cannot be read: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise CalendarChangeError(
                f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): is it the "
                "bank-holidays.json file from GOV.UK?"
            ) from exc
        try:
            days = parse_govuk_bank_holidays(data)
        except CalendarFileError as exc:
            raise CalendarChangeError(f"{path.name}: {exc}") from exc
        added: list[dt.date] = []
        known = 0
        with self._sessions.begin() as session:
            calendar = load_calendar(session)
            kept_removed = set(
                session.scalars(
                    select(CalendarAdjustment.day).where(
                        CalendarAdjustment.action == CalendarAction.REMOVE
                    )
                )
            )
            outside = [d for d in days if d.year not in calendar.years]
            if outside:
                raise CalendarChangeError(
                    f"{path.name} has days outside the years the calendar covers "
                    f"({calendar.years.start}-{calendar.years.stop - 1}), e.g. {en_gb(outside[0])}."
                )
            for day, name in sorted(days.items()):
                if day.weekday() >= 5 or not calendar.is_working_day(day) or day in kept_removed:
                    known += 1  # already a holiday, or removed here on purpose: left as it is
                    continue
                session.add(
                    CalendarAdjustment(
                        day=day, action=CalendarAction.ADD, name=name, source="imported"
                    )
                )
                added.append(day)
            audit_chain.record(
                session,
                actor=self.actor,
                action="bank holidays imported",
                entity_type="calendar",
                detail={"file": path.name, "added": [d.isoformat() for d in added]},
            )
        return ImportResult(tuple(added), known)
