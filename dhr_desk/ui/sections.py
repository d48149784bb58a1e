"""The sidebar's sections: their keys, titles, and what a page says while it has nothing to
show (the agencies directory before any agency is added)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A sidebar entry."""

    key: str
    title: str
    empty_heading: str


SECTIONS: tuple[Section, ...] = (
    Section("dashboard", "Dashboard", "Nothing needs your attention yet"),
    Section("reviews", "Reviews", "No reviews registered"),
    Section("actions", "Actions", "No actions to chase"),
    Section("agencies", "Agencies and people", "No agencies recorded"),
    Section("reports", "Reports", "No reports yet"),
    Section("settings", "Settings", ""),
)
