"""The sidebar's sections and what each says while it has nothing to show.

Empty states are honest: they say what the section will hold and, where this version cannot do
that yet, say so rather than show a control that does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A sidebar entry. ``counted`` names the RecordCounts field of what the section lists and
    ``noun`` its singular and plural, so a section with stored records never says "none"."""

    key: str
    title: str
    empty_heading: str
    empty_text: str
    counted: str | None = None
    noun: tuple[str, str] = ("", "")

    def stored_heading(self, count: int) -> str:
        return f"{count} {self.noun[0] if count == 1 else self.noun[1]} in this database"


SECTIONS: tuple[Section, ...] = (
    Section(
        "dashboard",
        "Dashboard",
        "Nothing needs your attention yet",
        "Once reviews are registered, the dashboard lists your deadlines (overdue, due this week, "
        "next 30 days), reviews by kind and stage, overdue actions by agency and paused reviews.",
        counted="open_reviews",
        noun=("open review", "open reviews"),
    ),
    Section(
        "reviews",
        "Reviews",
        "No reviews registered",
        "Domestic Homicide Reviews and ASB Case Reviews are listed here with their stage and next "
        "deadline. Registering a review from this window is not available in this version yet.",
        counted="reviews",
        noun=("review", "reviews"),
    ),
    Section(
        "actions",
        "Actions",
        "No actions to chase",
        "Actions agreed with agencies from review recommendations are tracked here until they are "
        "complete, with their owners, target dates and every chase sent.",
        counted="open_actions",
        noun=("open action", "open actions"),
    ),
    Section(
        "agencies",
        "Agencies and people",
        "No agencies recorded",
        "Agencies, their contacts and each agency's open information requests and actions across "
        "all reviews appear here.",
        counted="agencies",
        noun=("agency", "agencies"),
    ),
    Section(
        "reports",
        "Reports",
        "No reports yet",
        "Board monitoring reports, the ASB Case Review annual figures and Home Office returns are "
        "produced here once there are reviews to report on.",
        counted="reviews",
        noun=("review", "reviews"),
    ),
    Section(
        "settings",
        "Settings",
        "",
        "",
    ),
)

STORED_BUT_NOT_LISTED = (
    "They are safely stored and included in every backup. The screen that lists and edits them "
    "is not part of this version of dhr-desk yet."
)
