"""The orderer's report of one process: counts, attendance and invoicing figures, as
far as the agreement lists them; with the group's consent, goal averages. Nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from service.domain.agreements import ReportItem
from service.domain.localtime import local_date, zone_of
from service.domain.reports import (
    CSV_HEADER,
    MonthInvoice,
    OrdererReport,
    Outcome,
    SessionFigure,
    build_report,
    csv_rows,
)
from service.extensions import db
from service.models import AttendanceStatus, SessionStatus, SupervisionSession
from service.services.access import may_view_report, visible_process
from service.services.auth import Principal
from service.services.availability.schedule import MODE_KINDS, current_terms
from service.services.errors import AccessDenied
from service.services.processes.evaluations import orderer_averages

_OUTCOMES = {
    SessionStatus.HELD: Outcome.HELD,
    SessionStatus.NO_SHOW: Outcome.NO_SHOW,
}


@dataclass(frozen=True)
class ProcessReport:
    code: str
    items: frozenset[ReportItem]
    figures: OrdererReport
    goal_averages: dict[uuid.UUID, list[tuple[dt.datetime, float]]]


def _figure(session: SupervisionSession, now: dt.datetime, zone) -> SessionFigure | None:
    if session.status is SessionStatus.CANCELLED:
        charge = session.charge_percent or 0
        outcome = Outcome.CANCELLED_CHARGED if charge else Outcome.CANCELLED_FREE
    elif session.status in _OUTCOMES:
        outcome, charge = _OUTCOMES[session.status], session.charge_percent or 0
    elif session.status is SessionStatus.PROPOSED:
        return None
    else:
        outcome, charge = Outcome.UPCOMING if session.starts_at > now else Outcome.HELD, 0
        if outcome is Outcome.HELD:
            # Past and not yet recorded: held as booked, charged in full.
            charge = 100
    present = sum(1 for a in session.attendance if a.status is AttendanceStatus.PRESENT)
    return SessionFigure(
        on=local_date(session.starts_at, zone),
        outcome=outcome,
        charge_percent=charge,
        present=present,
        absent=len(session.attendance) - present,
    )


def process_report(
    principal: Principal, process_id: uuid.UUID, *, now: dt.datetime
) -> ProcessReport:
    process = visible_process(principal, process_id)
    if not may_view_report(principal, process):
        raise AccessDenied()
    terms = current_terms(process)
    zone = zone_of(process.supervisor.timezone)
    sessions = db.session.scalars(
        select(SupervisionSession).where(
            SupervisionSession.process_id == process.id,
            SupervisionSession.kind == MODE_KINDS[process.mode],
        )
    ).all()
    figures = [f for s in sessions if (f := _figure(s, now, zone)) is not None]
    report = build_report(
        figures,
        sessions_agreed=terms.session_count if terms else 0,
        price_cents=terms.price_cents if terms else 0,
        vat_percent=Decimal(str(current_app.config["VAT_RATE_PERCENT"])),
    )
    items = frozenset(ReportItem(i) for i in (terms.orderer_report_items if terms else ()))
    averages = orderer_averages(process) if ReportItem.GOAL_AVERAGES in items else {}
    return ProcessReport(process.code, items, report, averages)


def invoice_months(
    principal: Principal, process_id: uuid.UUID, *, now: dt.datetime, month: str | None = None
) -> tuple[str, list[MonthInvoice]]:
    """The process code and its invoicing figures per month (one month when ``month``
    is "YYYY-MM"), if the agreement reports invoicing figures."""
    report = process_report(principal, process_id, now=now)
    if ReportItem.INVOICING not in report.items:
        raise AccessDenied("The agreement does not report invoicing figures.")
    months = [m for m in report.figures.months if month is None or m.month == month]
    return report.code, months


def invoice_csv(
    principal: Principal, process_id: uuid.UUID, *, now: dt.datetime, month: str | None = None
) -> str:
    """The invoicing figures per month as CSV (one month when ``month`` is "YYYY-MM")."""
    code, months = invoice_months(principal, process_id, now=now, month=month)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("process", *CSV_HEADER))
    for row in csv_rows(months):
        writer.writerow((code, *row))
    return buffer.getvalue()
