"""The agreement as a PDF, from the same view as the printable page (ReportLab)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from service.web.processes.agreement_view import AgreementView


def agreement_pdf(view: AgreementView) -> bytes:
    styles = getSampleStyleSheet()
    body, label = styles["BodyText"], styles["BodyText"].clone("label", fontName="Helvetica-Bold")
    story: list = [
        Paragraph(escape(view.title), styles["Title"]),
        Paragraph(escape(view.status), body),
    ]
    for section in view.sections:
        story += [Spacer(1, 4 * mm), Paragraph(escape(section.title), styles["Heading2"])]
        rows = [
            [Paragraph(escape(name), label), Paragraph(escape(value), body)]
            for name, value in section.rows
        ]
        table = Table(rows, colWidths=[50 * mm, 120 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ]
            )
        )
        story.append(table)
    story += [Spacer(1, 4 * mm), Paragraph(escape(_("Acceptances")), styles["Heading2"])]
    for name, party, when in view.acceptances:
        story.append(Paragraph(escape(f"{name} ({party}), {when}"), body))
    for name in view.waiting:
        story.append(Paragraph(escape(_("Waiting for %(name)s", name=name)), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=view.title, leftMargin=20 * mm, rightMargin=20 * mm
    )
    document.build(story)
    return buffer.getvalue()
