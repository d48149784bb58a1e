"""The agency accountability report, rule by rule, on the real store: which actions are in a
period (agreed by its end, not finished before it began); open, overdue, due soon, completed
and closed-not-completed counts at the as-at date; the share completed by target date (on time,
late, none to count); the oldest overdue item; figures by theme (an action under each of its
recommendation's themes, or under "No theme recorded"); totals counting each action once;
periods refused; and the PDF and XLSX read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dhr_desk.exports.accountability_export import (
    accountability_pdf,
    accountability_xlsx,
    report_title,
)
from dhr_desk.models import Action
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.accountability import (
    NO_THEME,
    TOTAL,
    AccountabilityError,
    AccountabilityReport,
    AccountabilityRow,
    accountability_report,
)
from dhr_desk.workflows.action_plan import ActionDetails, Progress, RecommendationDetails
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.lifecycle import NewDhrNotification

TRUST, COUNCIL = "Fictional Health Trust", "Fictional Borough Council"
PARTNERSHIP = "Fictional Community Safety Partnership"
NOTIFIED = dt.date(2024, 1, 10)  # the review is DHR-2024-001
MADE = dt.date(2024, 6, 1)  # the recommendations were made
START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)  # a financial year, long past
TODAY = dt.date(2026, 6, 1)  # the report's "today": after the period
AMBER = 28


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    desk = Desk(any_store, secrets)
    desk.add_agency(name=TRUST, kind="health")
    desk.add_agency(name=COUNCIL, kind="district_council")
    return desk


@pytest.fixture
def reference(desk: Desk) -> str:
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=NOTIFIED, referrer="Police", title="'Hazel'")
    )
    return made.reference


def recommendation(
    themes: tuple[str, ...] = (), made_on: dt.date | None = MADE
) -> RecommendationDetails:
    return RecommendationDetails(
        text="Improve information sharing.",
        level="multi_agency",
        scope="local",
        themes=themes,
        made_on=made_on,
    )


def action(agency: str, target: dt.date | None) -> ActionDetails:
    return ActionDetails(agency=agency, description="Train the staff.", target_date=target)


def progress(desk: Desk, reference: str, number: str, status: str, on: dt.date) -> None:
    entry = next(a for r in desk.action_plan(reference) for a in r.actions if a.number == number)
    desk.record_progress(
        reference,
        entry.action_id,
        seen_version=entry.version,
        progress=Progress(
            status,
            on,
            note="Update (fictional).",
            outcome="Done (fictional)." if status == "complete" else "",
            closure_reason="Service ended (fictional)." if status == "closed_by_csp" else "",
        ),
    )


def report(
    store: Store, start: dt.date = START, end: dt.date = END, today: dt.date = TODAY
) -> AccountabilityReport:
    with store.sessions() as session:
        return accountability_report(session, start, end, today=today, amber_days=AMBER)


def row(rows: tuple[AccountabilityRow, ...], name: str) -> AccountabilityRow:
    return next(r for r in rows if r.name == name)


def set_action(store: Store, action_id: int, **values: object) -> None:
    """Dates the facade cannot set (it records what happens today): set on the row itself."""
    with store.sessions.begin() as session:
        found = session.get(Action, action_id)
        assert found is not None
        for name, value in values.items():
            setattr(found, name, value)


@pytest.fixture
def board_year(desk: Desk, reference: str) -> str:
    """GIVEN a year of actions for two agencies:

    1.1 trust, target 31/01/2025, never started         → open, overdue 424 days at 31/03/2026
    1.2 trust, target 31/12/2025, in progress           → open, overdue 90 days
    1.3 trust, target 30/06/2025, complete 15/06/2025   → completed by its target date
    1.4 trust, target 30/06/2025, complete 01/08/2025   → completed late
    2.1 council, no target date, complete 01/05/2025    → completed, not in the share
    2.2 council, target 20/04/2026, not started         → open, due soon (amber window 28 days)
    2.3 council, target 01/05/2025, closed 01/09/2025   → closed, not completed
    2.4 council, target 01/02/2025, complete 01/03/2025 → finished before the period: left out
    3.1 trust, recommendation made 01/05/2026           → agreed after the period: left out

    Recommendation 1 has two themes, 2 none, 3 one (Housing)."""
    first = desk.add_recommendation(
        reference, recommendation(("Information sharing", "Coercive control"))
    )
    for target in (
        dt.date(2025, 1, 31),
        dt.date(2025, 12, 31),
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 30),
    ):
        desk.add_action(reference, first, action(TRUST, target))
    second = desk.add_recommendation(reference, recommendation())
    for target in (None, dt.date(2026, 4, 20), dt.date(2025, 5, 1), dt.date(2025, 2, 1)):
        desk.add_action(reference, second, action(COUNCIL, target))
    third = desk.add_recommendation(reference, recommendation(("Housing",), dt.date(2026, 5, 1)))
    desk.add_action(reference, third, action(TRUST, dt.date(2026, 9, 1)))
    progress(desk, reference, "1.2", "in_progress", dt.date(2025, 5, 1))
    progress(desk, reference, "1.3", "complete", dt.date(2025, 6, 15))
    progress(desk, reference, "1.4", "complete", dt.date(2025, 8, 1))
    progress(desk, reference, "2.1", "complete", dt.date(2025, 5, 1))
    progress(desk, reference, "2.3", "closed_by_csp", dt.date(2025, 9, 1))
    progress(desk, reference, "2.4", "complete", dt.date(2025, 3, 1))
    return reference


# --- the agencies --------------------------------------------------------------------------


def test_each_agency_has_its_open_overdue_due_soon_completed_and_closed_actions(
    any_store: Store, board_year: str
) -> None:
    # WHEN the board asks for the year
    made = report(any_store)
    # THEN the figures are as at the year's last day, the most overdue agency first
    assert made.as_at == END and made.made_on == TODAY
    assert [r.name for r in made.agencies] == [TRUST, COUNCIL]
    trust, council = made.agencies
    assert (trust.open, trust.overdue, trust.due_soon) == (2, 2, 0)
    assert (trust.completed, trust.closed_not_completed) == (2, 0)
    assert (council.open, council.overdue, council.due_soon) == (1, 0, 1)
    assert (council.completed, council.closed_not_completed) == (1, 1)
    # the action finished before the period (2.4) and the one agreed after it (3.1) are left out
    assert (trust.actions, council.actions) == (4, 3)


def test_the_share_completed_by_target_date_counts_on_time_and_late_and_is_none_without_targets(
    any_store: Store, board_year: str
) -> None:
    made = report(any_store)
    trust, council = row(made.agencies, TRUST), row(made.agencies, COUNCIL)
    # THEN the trust finished one of its two on time (1.3 on time, 1.4 late)
    assert (trust.completed_by_target, trust.completed_with_target) == (1, 2)
    assert trust.completed_by_target_share == 0.5
    # AND the council's only completed action had no target date, and its closed action never
    # counts: there is no share at all (not 0%)
    assert council.completed == 1 and council.closed_not_completed == 1
    assert council.completed_with_target == 0 and council.completed_by_target_share is None


def test_the_oldest_overdue_item_is_named_by_reference_and_action_with_its_days_overdue(
    any_store: Store, board_year: str
) -> None:
    trust = row(report(any_store).agencies, TRUST)
    assert trust.oldest_overdue is not None
    assert trust.oldest_overdue.words == f"{board_year} 1.1, 424 days overdue"
    assert trust.oldest_overdue.target_date == dt.date(2025, 1, 31)
    assert row(report(any_store).agencies, COUNCIL).oldest_overdue is None
    # WHEN a period ends the day after the target date THEN it is one day overdue
    early = report(any_store, dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    oldest = row(early.agencies, TRUST).oldest_overdue
    assert oldest is not None and oldest.words == f"{board_year} 1.1, 1 day overdue"


def test_the_totals_count_each_action_once(any_store: Store, board_year: str) -> None:
    made = report(any_store)
    totals = made.totals
    assert totals.name == TOTAL
    assert (totals.open, totals.overdue, totals.due_soon) == (3, 2, 1)
    assert (totals.completed, totals.completed_by_target, totals.completed_with_target) == (3, 1, 2)
    assert totals.closed_not_completed == 1 and totals.actions == 7
    assert totals.oldest_overdue is not None and totals.oldest_overdue.number == "1.1"
    # the themes count recommendation 1's actions twice, the totals once
    assert sum(r.actions for r in made.themes) == 11


# --- in the period or not ------------------------------------------------------------------


def test_an_action_finished_after_a_past_period_was_open_at_its_end(
    desk: Desk, any_store: Store, board_year: str
) -> None:
    # GIVEN action 1.1 is completed after the period ended (but before the report is made)
    progress(desk, board_year, "1.1", "complete", dt.date(2026, 4, 15))
    # WHEN the board asks for the past year THEN it was still open and overdue at its end
    trust = row(report(any_store).agencies, TRUST)
    assert (trust.open, trust.overdue, trust.completed) == (2, 2, 2)
    # AND WHEN the period runs on to today THEN it is completed, late, in the period (and 3.1,
    # agreed in May, is open in it too)
    later = row(report(any_store, START, TODAY).agencies, TRUST)
    assert (later.open, later.overdue, later.completed) == (2, 1, 3)
    assert (later.completed_by_target, later.completed_with_target) == (1, 3)


def test_an_action_finished_before_the_period_began_is_left_out_even_without_its_date(
    desk: Desk, any_store: Store, reference: str
) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    done = desk.add_action(reference, rid, action(COUNCIL, dt.date(2025, 2, 1)))
    progress(desk, reference, "1.1", "complete", dt.date(2025, 3, 31))
    assert report(any_store).agencies == ()  # ended the day before the period began
    # GIVEN a finished action without its end date (an old import): the day progress was last
    # recorded stands in for it
    before = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    set_action(any_store, done, completed_on=None, progress_updated_at=before)
    assert report(any_store).agencies == ()
    during = dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC)
    set_action(any_store, done, progress_updated_at=during)
    assert row(report(any_store).agencies, COUNCIL).completed == 1
    # AND without that either, the day the row last changed
    set_action(any_store, done, progress_updated_at=None, updated_at=before)
    assert report(any_store).agencies == ()


def test_the_agreed_date_is_acceptance_else_the_recommendation_else_entry_in_the_desk(
    desk: Desk, any_store: Store, reference: str
) -> None:
    # GIVEN a recommendation made within the period, with an action
    rid = desk.add_recommendation(reference, recommendation(made_on=dt.date(2025, 5, 1)))
    aid = desk.add_action(reference, rid, action(TRUST, dt.date(2026, 9, 1)))
    assert row(report(any_store).agencies, TRUST).open == 1
    # WHEN the agency accepted the action only after the period THEN it is left out
    set_action(any_store, aid, accepted_on=dt.date(2026, 4, 2))
    assert report(any_store).agencies == ()
    # GIVEN a recommendation with no date: the day the action was entered (today, in truth)
    undated = desk.add_recommendation(reference, recommendation(made_on=None))
    entered = desk.add_action(reference, undated, action(COUNCIL, dt.date(2026, 9, 1)))
    assert report(any_store).agencies == ()
    set_action(any_store, entered, created_at=dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC))
    assert [r.name for r in report(any_store).agencies] == [COUNCIL]
    # an action agreed on the period's last day is in it
    set_action(any_store, aid, accepted_on=END)
    assert [r.name for r in report(any_store).agencies] == [COUNCIL, TRUST]


def test_a_period_still_running_is_counted_as_at_today(any_store: Store, board_year: str) -> None:
    made = report(any_store, dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert made.as_at == TODAY and "figures as at 01/06/2026" in made.period_words
    trust = row(made.agencies, TRUST)
    # the overdue actions are counted at today; the third recommendation was made in May
    assert (trust.open, trust.overdue, trust.completed) == (3, 2, 0)
    assert trust.oldest_overdue is not None
    assert trust.oldest_overdue.days_overdue == (TODAY - dt.date(2025, 1, 31)).days


def test_a_period_ending_before_it_starts_or_starting_after_today_is_refused(
    any_store: Store,
) -> None:
    with pytest.raises(AccountabilityError, match="starts on 01/04/2026, after it ends"):
        report(any_store, dt.date(2026, 4, 1), dt.date(2026, 3, 31))
    with pytest.raises(AccountabilityError, match="after today"):
        report(any_store, dt.date(2026, 6, 2), dt.date(2026, 12, 31))
    assert issubclass(AccountabilityError, ValueError)
    # a period of one day, today, is allowed
    assert report(any_store, TODAY, TODAY).totals.actions == 0


# --- themes ----------------------------------------------------------------------------------


def test_an_action_counts_under_each_theme_of_its_recommendation_or_under_no_theme(
    any_store: Store, board_year: str
) -> None:
    made = report(any_store)
    # THEN themes are by name, "No theme recorded" last; Housing's only action is left out
    assert [r.name for r in made.themes] == ["Coercive control", "Information sharing", NO_THEME]
    for name in ("Coercive control", "Information sharing"):
        theme = row(made.themes, name)
        assert (theme.open, theme.overdue, theme.completed, theme.actions) == (2, 2, 2, 4)
        assert theme.completed_by_target_share == 0.5
        assert theme.oldest_overdue is not None and theme.oldest_overdue.number == "1.1"
    untagged = row(made.themes, NO_THEME)
    assert (untagged.open, untagged.due_soon, untagged.completed) == (1, 1, 1)
    assert untagged.closed_not_completed == 1 and untagged.completed_by_target_share is None


# --- the documents -----------------------------------------------------------------------


def test_the_pdf_shows_every_agency_and_figure_with_the_marking_and_title(
    any_store: Store, board_year: str
) -> None:
    from pypdf import PdfReader

    made = report(any_store)
    pdf = PdfReader(io.BytesIO(accountability_pdf(made, PARTNERSHIP)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    assert pdf.metadata is not None
    assert (
        pdf.metadata.title
        == report_title(made)
        == ("Agency accountability report, 01/04/2025 to 31/03/2026")
    )
    assert pdf.metadata.author == PARTNERSHIP
    assert text.count("OFFICIAL-SENSITIVE") == 2 * len(pdf.pages)  # header and footer
    assert "Page 1" in text and PARTNERSHIP in flat
    # each row: name, open, overdue, due soon, completed, share, closed, oldest overdue
    assert f"{TRUST} 2 2 0 2 50% (1 of 2) 0 {board_year} 1.1, 424 days overdue" in flat
    assert f"{COUNCIL} 1 0 1 1 \u2014 1 \u2014" in flat
    assert f"{TOTAL} 3 2 1 3 50% (1 of 2) 1 {board_year} 1.1, 424 days overdue" in flat
    assert f"Coercive control 2 2 0 2 50% (1 of 2) 0 {board_year} 1.1" in flat
    assert f"{NO_THEME} 1 0 1 1 \u2014 1 \u2014" in flat
    assert "How these figures are counted" in flat
    assert "amber window (28 days)" in flat


def test_the_xlsx_has_its_sheets_numbers_percentages_and_dates(
    any_store: Store, board_year: str
) -> None:
    from openpyxl import load_workbook

    made = report(any_store)
    book = load_workbook(io.BytesIO(accountability_xlsx(made, PARTNERSHIP)))
    assert book.sheetnames == ["By agency", "By theme", "How counted"]
    assert book.properties.title == report_title(made)
    assert book.properties.creator == PARTNERSHIP
    agencies = book["By agency"]
    assert agencies["A1"].value == "OFFICIAL-SENSITIVE"
    assert agencies["A4"].value == "Agency" and agencies["A4"].font.bold
    assert agencies.freeze_panes == "B5"
    values = [[c.value for c in r] for r in agencies.iter_rows(min_row=5, max_row=7)]
    assert values[0][:9] == [TRUST, 2, 2, 0, 2, 2, 1, 0.5, 0]
    assert values[0][9:] == [board_year, "1.1", dt.datetime(2025, 1, 31), 424]
    assert values[1][:9] == [COUNCIL, 1, 0, 1, 1, 0, 0, "\u2014", 1]
    assert values[1][9:] == [None, None, None, None]
    assert values[2][0] == TOTAL and agencies["A7"].font.bold
    assert agencies["H5"].number_format == "0%"
    assert agencies["L5"].number_format == "DD/MM/YYYY"
    themes = book["By theme"]
    assert [themes.cell(row=r, column=1).value for r in range(5, 8)] == [
        "Coercive control",
        "Information sharing",
        NO_THEME,
    ]
    assert themes["H5"].value == 0.5 and themes["H5"].number_format == "0%"
    assert themes.freeze_panes == "B5" and themes["A1"].value == "OFFICIAL-SENSITIVE"
    rules = book["How counted"]
    lines = [c.value for c in rules["A"] if c.value]
    assert rules["A1"].value == "OFFICIAL-SENSITIVE"
    assert any("Limitation" in str(line) for line in lines)
    period = {r[0].value: r[1].value for r in rules.iter_rows() if r[1].value is not None}
    assert period["Figures as at"] == dt.datetime(2026, 3, 31)
