"""Installation report: a one-page PDF of what the About dialog shows, for a support ticket or
the information-governance file. Holds no case data.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dhr_desk.exports.pdf_page import en_gb_date, render_pdf, styles
from dhr_desk.workflows.installation import InstallationInfo

TITLE = "dhr-desk installation report"


def build_installation_report(info: InstallationInfo) -> bytes:
    s = styles()
    made = info.generated_at.date()
    table = Table(
        [
            [Paragraph(escape(label), s["body"]), Paragraph(escape(value), s["body"])]
            for label, value in info.facts()
        ],
        colWidths=[45 * mm, 125 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph(TITLE, s["title"]),
        Paragraph(
            f"Made on {en_gb_date(made)} at {info.generated_at:%H:%M} UTC. This report holds no "
            "case data.",
            s["body"],
        ),
        Spacer(1, 6 * mm),
        table,
    ]
    return render_pdf(story, title=TITLE, marking="OFFICIAL-SENSITIVE", made_on=made)
