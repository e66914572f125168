"""What an orderer contact sees of their organisation's processes: codes, stages and
dates, sessions with attendance counts, agreements waiting for them and the invoicing
figures. Never names of participants, notes or answers.

Counts and money come from the per-process report (``reports.process_report``), so the
agreement's list of reported items decides here as everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.domain.agreements import ReportItem
from service.domain.reports import CSV_HEADER, MonthInvoice
from service.extensions import db
from service.models import (
    AttendanceStatus,
    Organisation,
    OrganisationContact,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.auth import Principal
from service.services.availability.schedule import MODE_KINDS, current_terms
from service.services.orderer.reports import ProcessReport, invoice_csv, process_report
from service.services.processes.mine import agreement_waiting

_SHOWN = (
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.BOOKED,
    SessionStatus.HELD,
    SessionStatus.NO_SHOW,
    SessionStatus.CANCELLED,
)


@dataclass(frozen=True)
class ProcessLine:
    process: SupervisionProcess
    starts_on: dt.date | None
    planned_end_on: dt.date | None
    report: ProcessReport


@dataclass(frozen=True)
class SessionLine:
    code: str
    session: SupervisionSession
    present: int | None
    absent: int | None


@dataclass(frozen=True)
class Waiting:
    process: SupervisionProcess
    version_number: int


@dataclass(frozen=True)
class OrdererOverview:
    organisations: list[Organisation]
    processes: list[ProcessLine]
    upcoming: list[SessionLine]
    past: list[SessionLine]
    waiting: list[Waiting]
    months: list[MonthInvoice]


def orderer_organisations(principal: Principal) -> list[Organisation]:
    """The organisations the principal is a contact of (or the one a token acts for)."""
    query = select(Organisation).order_by(Organisation.name)
    if principal.organisation_id is not None:
        query = query.where(Organisation.id == principal.organisation_id)
    else:
        query = query.join(OrganisationContact).where(
            OrganisationContact.person_id == principal.person_id
        )
    return list(db.session.scalars(query))


def _processes(organisations: list[Organisation]) -> list[SupervisionProcess]:
    return list(
        db.session.scalars(
            select(SupervisionProcess)
            .where(SupervisionProcess.orderer_organisation_id.in_([o.id for o in organisations]))
            .order_by(SupervisionProcess.code)
        )
    )


def orderer_overview(principal: Principal, *, now: dt.datetime) -> OrdererOverview:
    organisations = orderer_organisations(principal)
    lines: list[ProcessLine] = []
    upcoming: list[SessionLine] = []
    past: list[SessionLine] = []
    waiting: list[Waiting] = []
    for process in _processes(organisations):
        report = process_report(principal, process.id, now=now)
        terms = current_terms(process)
        lines.append(
            ProcessLine(
                process,
                terms.starts_on if terms else None,
                terms.planned_end_on if terms else None,
                report,
            )
        )
        counted = ReportItem.ATTENDANCE_COUNTS in report.items
        sessions = db.session.scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.process_id == process.id,
                SupervisionSession.kind == MODE_KINDS[process.mode],
                SupervisionSession.status.in_(_SHOWN),
            )
            .options(selectinload(SupervisionSession.attendance))
        )
        for session in sessions:
            present = sum(1 for a in session.attendance if a.status is AttendanceStatus.PRESENT)
            absent = len(session.attendance) - present
            line = SessionLine(
                process.code,
                session,
                present if counted and session.attendance else None,
                absent if counted and session.attendance else None,
            )
            is_upcoming = session.ends_at > now and session.status is not SessionStatus.CANCELLED
            (upcoming if is_upcoming else past).append(line)
        version = agreement_waiting(principal, process.id)
        if version is not None:
            waiting.append(Waiting(process, version.number))
    upcoming.sort(key=lambda line: line.session.starts_at)
    past.sort(key=lambda line: line.session.starts_at, reverse=True)
    return OrdererOverview(
        organisations, lines, upcoming, past, waiting, _months([line.report for line in lines])
    )


def _months(reports: list[ProcessReport]) -> list[MonthInvoice]:
    """Invoicing per month over every process that reports it, newest month first."""
    charged: dict[str, list[MonthInvoice]] = defaultdict(list)
    for report in reports:
        if ReportItem.INVOICING in report.items:
            for month in report.figures.months:
                charged[month.month].append(month)
    return [
        MonthInvoice(
            month,
            sum(m.sessions_charged for m in parts),
            sum(m.net_cents for m in parts),
            sum(m.vat_cents for m in parts),
        )
        for month, parts in sorted(charged.items(), reverse=True)
    ]


def orderer_invoice_csv(principal: Principal, *, now: dt.datetime, month: str | None = None) -> str:
    """One row per process and month (or for one "YYYY-MM"), for every process whose
    agreement reports invoicing figures: the processes' own CSVs under one header."""
    lines = [",".join(("process", *CSV_HEADER)) + "\r\n"]
    for process in _processes(orderer_organisations(principal)):
        report = process_report(principal, process.id, now=now)
        if ReportItem.INVOICING in report.items:
            own = invoice_csv(principal, process.id, now=now, month=month)
            lines.extend(own.splitlines(keepends=True)[1:])
    return "".join(lines)


def is_orderer_contact(principal: Principal) -> bool:
    return bool(orderer_organisations(principal))
