"""Facts about the partnership the desk offers as choices (editable, never enforced): the
districts of Norfolk, whose councils are relevant bodies for ASB Case Reviews."""

from __future__ import annotations

DISTRICTS: tuple[str, ...] = (
    "Breckland",
    "Broadland",
    "Great Yarmouth",
    "King's Lynn and West Norfolk",
    "North Norfolk",
    "Norwich",
    "South Norfolk",
)
