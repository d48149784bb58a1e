"""Facts about the partnership: the districts of Norfolk, whose councils are relevant bodies for
ASB Case Reviews. Offered as choices everywhere; an ASB Case Review application must name one
(the relevant body), a DHR's district may be typed freely."""

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
