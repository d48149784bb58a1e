"""The ASB Case Review threshold: which complaints qualify, and whether the threshold is met
automatically (s.104, s.105 and Schedule 4, Anti-social Behaviour, Crime and Policing Act 2014).

The rules:

* A complaint **qualifies** if it was made within one month of the behaviour complained of and
  the application was made within six months of the complaint.
* Complaints count only if about **separate incidents**: complaints sharing the same non-empty
  ``separate_incident_ref`` count once (the earliest qualifying one); a complaint with no ref is
  its own incident.
* If at least N qualifying complaints exist (N is the local threshold, default 3) the threshold
  **must** be treated as met. A local procedure may set N lower than 3 but never higher.
* Otherwise the relevant bodies may still find the threshold met on discretion (persistence,
  harm or potential harm, adequacy of the response). That decision is a person's: this module
  only reports "not met automatically".

**Month arithmetic** (the boundary rule). "Within one month" and "within six months" are calendar
months, inclusive of the last day: the last day is the same day-of-month one (or six) months
later, clamped to the end of that month when the month is shorter. So:

* behaviour on 15/03/2027: a complaint made on 15/04/2027 qualifies, one made on 16/04/2027 is
  too late;
* behaviour on 31/01/2027: the last day is 28/02/2027 (29/02/2028 in a leap year), and a
  complaint on 01/03/2027 is too late;
* complaint on 31/08/2026: the application must be received by 28/02/2027 at the latest.

The month arithmetic is ``working_calendar.add_months``, shared with every other deadline.

A complaint dated before the behaviour it complains of, or an application received before a
complaint, is an impossible record. It is never counted, and it is reported in ``problems`` (and
listed under ``not_qualifying`` with the reason) so the record can be corrected, rather than
silently dropped.

Pure Python: no database, no Qt. Dates shown to people are dd/mm/yyyy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from dhr_desk.workflows.working_calendar import add_months, en_gb

#: The most qualifying complaints a local procedure may require (s.104 and Schedule 4).
STATUTORY_MAXIMUM_THRESHOLD = 3
DEFAULT_LOCAL_THRESHOLD = STATUTORY_MAXIMUM_THRESHOLD

#: Months between the behaviour and the complaint, and between the complaint and the application.
COMPLAINT_WINDOW_MONTHS = 1
APPLICATION_WINDOW_MONTHS = 6

TOO_HIGH_MESSAGE = (
    "the local threshold cannot be higher than 3 qualifying complaints (s.104 and Schedule 4 "
    "ASBCPA 2014 set 3 as the most a procedure may require)"
)
TOO_LOW_MESSAGE = "the local threshold must be at least 1 qualifying complaint"


@dataclass(frozen=True)
class Complaint:
    """One complaint about anti-social behaviour, as recorded by a relevant body.

    ``label`` is a short identifier used in messages, shown as "complaint <label>" (for example
    "A", "3" or "POL-1234"). Without one, the complaint is named by its 1-based position in the
    list passed to :func:`assess_threshold` ("complaint 2").

    ``separate_incident_ref`` identifies the incident complained of: complaints with the same
    non-empty ref (surrounding spaces ignored, case kept) are about the same incident.
    """

    incident_date: date
    complained_on: date
    separate_incident_ref: str | None = None
    label: str = ""


@dataclass(frozen=True)
class ComplaintFinding:
    """A complaint and, in plain English, why it does or does not count."""

    complaint: Complaint
    reason: str
    #: 1-based position of the complaint in the list that was assessed.
    position: int

    @property
    def name(self) -> str:
        """How messages refer to this complaint: "complaint <label>" or "complaint <position>"."""
        return _name(self.complaint, self.position)


@dataclass(frozen=True)
class ThresholdAssessment:
    """The result of :func:`assess_threshold`. Findings are in the order the complaints were
    given."""

    application_received_on: date
    qualifying: tuple[ComplaintFinding, ...]
    not_qualifying: tuple[ComplaintFinding, ...]
    qualifying_count: int
    required: int
    met_automatically: bool
    #: One or two sentences for the threshold decision letter (dates dd/mm/yyyy).
    explanation: str
    #: Impossible records (dates in an order that cannot happen); empty when all is well.
    problems: tuple[str, ...]


def validate_local_threshold(value: int) -> int:
    """Return ``value`` if it is an allowed local threshold (1, 2 or 3), else raise.

    Raises ``ValueError`` above 3 (the statute sets 3 as the most a procedure may require) or
    below 1, and ``TypeError`` if ``value`` is not a whole number.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"the local threshold must be a whole number of qualifying complaints, not {value!r}"
        )
    if value > STATUTORY_MAXIMUM_THRESHOLD:
        raise ValueError(TOO_HIGH_MESSAGE)
    if value < 1:
        raise ValueError(TOO_LOW_MESSAGE)
    return value


def assess_threshold(
    complaints: Sequence[Complaint],
    application_received_on: date,
    local_threshold: int = DEFAULT_LOCAL_THRESHOLD,
) -> ThresholdAssessment:
    """Assess the complaints supporting an application received on ``application_received_on``.

    Each complaint is checked against the one-month and six-month windows (calendar months,
    inclusive last day, clamped to the month's end: see the module docstring); qualifying
    complaints about the same incident are then counted once, keeping the earliest.
    """
    required = validate_local_threshold(local_threshold)
    problems: list[str] = []
    # position -> reason, for complaints that do not count
    rejected: dict[int, str] = {}
    # position -> reason, for complaints that pass the time limits
    in_time: dict[int, str] = {}

    for position, complaint in enumerate(complaints, start=1):
        impossible = _impossible_orderings(complaint, application_received_on, position)
        if impossible:
            problems.extend(impossible)
            rejected[position] = "cannot be counted: " + "; ".join(
                _impossible_reasons(complaint, application_received_on)
            )
            continue
        late = _time_limit_failures(complaint, application_received_on)
        if late:
            rejected[position] = "; ".join(late)
        else:
            in_time[position] = _qualifying_reason(complaint, application_received_on)

    # Separate incidents: among complaints in time, one per non-empty ref (the earliest).
    kept_for_ref: dict[str, int] = {}
    for position in sorted(in_time, key=lambda p: _chronological_key(complaints[p - 1], p)):
        ref = _normalised_ref(complaints[position - 1])
        if ref is None:
            continue
        if ref in kept_for_ref:
            earlier = kept_for_ref[ref]
            rejected[position] = (
                f"same incident as {_name(complaints[earlier - 1], earlier)} (ref {ref})"
            )
            del in_time[position]
        else:
            kept_for_ref[ref] = position

    qualifying = tuple(
        ComplaintFinding(complaints[p - 1], reason, p) for p, reason in sorted(in_time.items())
    )
    not_qualifying = tuple(
        ComplaintFinding(complaints[p - 1], reason, p) for p, reason in sorted(rejected.items())
    )
    count = len(qualifying)
    met = count >= required
    return ThresholdAssessment(
        application_received_on=application_received_on,
        qualifying=qualifying,
        not_qualifying=not_qualifying,
        qualifying_count=count,
        required=required,
        met_automatically=met,
        explanation=_explanation(qualifying, application_received_on, required, met),
        problems=tuple(problems),
    )


# --- the rules, one complaint at a time -----------------------------------------------------


def _impossible_reasons(complaint: Complaint, application_received_on: date) -> list[str]:
    reasons = []
    if complaint.complained_on < complaint.incident_date:
        reasons.append(
            f"complaint dated {en_gb(complaint.complained_on)}, before the behaviour it "
            f"complains of ({en_gb(complaint.incident_date)})"
        )
    if application_received_on < complaint.complained_on:
        reasons.append(
            f"application received {en_gb(application_received_on)}, before the complaint "
            f"({en_gb(complaint.complained_on)})"
        )
    return reasons


def _impossible_orderings(
    complaint: Complaint, application_received_on: date, position: int
) -> list[str]:
    name = _name(complaint, position)
    return [
        f"{name[0].upper()}{name[1:]}: {reason}; please check the dates recorded"
        for reason in _impossible_reasons(complaint, application_received_on)
    ]


def _time_limit_failures(complaint: Complaint, application_received_on: date) -> list[str]:
    failures = []
    complaint_deadline = _deadline(complaint.incident_date, COMPLAINT_WINDOW_MONTHS)
    if complaint.complained_on > complaint_deadline:
        days = (complaint.complained_on - complaint.incident_date).days
        failures.append(
            f"made {_days(days)} after the behaviour (more than one month: by "
            f"{en_gb(complaint_deadline)} at the latest)"
        )
    application_deadline = _deadline(complaint.complained_on, APPLICATION_WINDOW_MONTHS)
    if application_received_on > application_deadline:
        failures.append(
            f"made more than six months before the application (complaint "
            f"{en_gb(complaint.complained_on)}, application {en_gb(application_received_on)}; "
            f"six months from the complaint ended {en_gb(application_deadline)})"
        )
    return failures


def _qualifying_reason(complaint: Complaint, application_received_on: date) -> str:
    after = (complaint.complained_on - complaint.incident_date).days
    before = (application_received_on - complaint.complained_on).days
    when = "on the day of the behaviour" if after == 0 else f"{_days(after)} after the behaviour"
    then = (
        "on the day the application was received"
        if before == 0
        else f"{_days(before)} before the application"
    )
    return (
        f"made {en_gb(complaint.complained_on)}, {when} (within one month) and {then} "
        "(within six months)"
    )


def _explanation(
    qualifying: Sequence[ComplaintFinding],
    application_received_on: date,
    required: int,
    met: bool,
) -> str:
    received = en_gb(application_received_on)
    threshold = f"the threshold of {required} {_plural(required, 'qualifying complaint')}"
    count = len(qualifying)
    if count == 0:
        first = (
            f"No qualifying complaints were found for the application received on {received} "
            "(a qualifying complaint is one made within one month of the behaviour complained "
            "of, with the application made within six months of the complaint)."
        )
    else:
        dates = sorted(f.complaint.complained_on for f in qualifying)
        was = "was" if count == 1 else "were"
        each = "" if count == 1 else "each "
        about = "" if count == 1 else " about separate incidents"
        first = (
            f"{count} qualifying {_plural(count, 'complaint')}{about} {was} "
            f"made (on {_join(en_gb(d) for d in dates)}), {each}within one month of the "
            f"behaviour complained of and within six months before the application received "
            f"on {received}."
        )
    if met:
        second = f"This meets {threshold}, so the threshold must be treated as met."
    else:
        second = (
            f"This is fewer than {threshold}, so the threshold is not met automatically; the "
            "relevant bodies will decide whether it is met, considering the persistence of the "
            "behaviour, the harm or potential harm caused, and the adequacy of the response."
        )
    return f"{first} {second}"


# --- small helpers --------------------------------------------------------------------------


def _deadline(start: date, months: int) -> date:
    """The last day ``months`` calendar months on (inclusive, clamped to the month's end); a
    date beyond 31/12/9999 cannot be held, so then any later date is still in time."""
    try:
        return add_months(start, months)
    except ValueError:
        return date.max


def _normalised_ref(complaint: Complaint) -> str | None:
    ref = (complaint.separate_incident_ref or "").strip()
    return ref or None


def _chronological_key(complaint: Complaint, position: int) -> tuple[date, date, int]:
    return (complaint.complained_on, complaint.incident_date, position)


def _name(complaint: Complaint, position: int) -> str:
    label = complaint.label.strip()
    return f"complaint {label}" if label else f"complaint {position}"


def _days(n: int) -> str:
    return f"{n} {_plural(n, 'day')}"


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _join(items: Iterable[str]) -> str:
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
