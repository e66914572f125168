"""Ending a process and keeping what must be kept: early termination cancels what is
left under the terms; retention purges notes and answers, and keeps the figures."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from service.cli import cli
from service.domain.cancellation import CancellationCategory
from service.domain.processes import EndReason
from service.extensions import db
from service.models import (
    AttendanceStatus,
    AuditEvent,
    EvaluationAnswer,
    EvaluationKind,
    EvaluationRound,
    Goal,
    GoalKind,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.booking.changes import BookSession, book_session
from service.services.orderer.reports import process_report
from service.services.privacy.retention import purge_closed_content
from service.services.processes import evaluations, session_records
from service.services.processes.lifecycle import terminate_process
from tests import builders
from tests.builders import NOW, helsinki


def booked(process, *starts):
    supervisor = builders.supervisor_principal(process)
    return [
        book_session(supervisor, BookSession(process.id, start), now=NOW).session_id
        for start in starts
    ]


def test_termination_cancels_what_is_left_under_the_terms(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    soon, later = booked(process, helsinki(2027, 3, 3, 10), helsinki(2027, 3, 24, 10))
    supervisor = builders.supervisor_principal(process)
    terminate_process(supervisor, process.id, EndReason.FUNDING_ENDED, now=helsinki(2027, 3, 2, 12))
    db.session.expire_all()
    found = db.session.get(SupervisionProcess, process.id)
    assert (found.status, found.end_reason) == (ProcessStatus.TERMINATED, EndReason.FUNDING_ENDED)
    charged = {
        s.id: (s.status, s.cancellation_reason, s.charge_percent)
        for s in db.session.scalars(select(SupervisionSession))
    }
    assert charged == {
        soon: (SessionStatus.CANCELLED, CancellationCategory.PROCESS_ENDED, 100),  # late
        later: (SessionStatus.CANCELLED, CancellationCategory.PROCESS_ENDED, 0),
    }


def test_no_one_present_is_a_no_show_charged_by_the_terms(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), late_cancellation_charge_percent=60)
    [session_id] = booked(process, helsinki(2027, 3, 3, 10))
    status = session_records.record_attendance(
        builders.supervisor_principal(process),
        session_id,
        {process.participants[0].id: AttendanceStatus.ABSENT},
        now=helsinki(2027, 3, 3, 12),
    )
    assert status is SessionStatus.NO_SHOW
    assert db.session.get(SupervisionSession, session_id).charge_percent == 60


def test_retention_purges_content_and_keeps_the_figures(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    [session_id] = booked(process, helsinki(2027, 3, 3, 10))
    supervisor = builders.supervisor_principal(process)
    goal = Goal(process_id=process.id, kind=GoalKind.ORGANISATION, title="Tavoite")
    evaluation = EvaluationRound(process_id=process.id, kind=EvaluationKind.FINAL, opens_at=NOW)
    db.session.add_all([goal, evaluation])
    db.session.commit()
    evaluations.answer_evaluation(
        builders.participant_principal(process), evaluation.id, goal.id, 9, "Askel", now=NOW
    )
    session_records.write_content(supervisor, session_id, notes="Muistiinpano", next_step="Askel")
    session_records.record_attendance(
        supervisor,
        session_id,
        {process.participants[0].id: AttendanceStatus.PRESENT},
        now=helsinki(2027, 3, 3, 12),
    )
    closed = helsinki(2027, 4, 1, 12)
    terminate_process(supervisor, process.id, EndReason.GOALS_REACHED, now=closed)
    assert purge_closed_content(now=closed + dt.timedelta(days=700)) == 0
    assert purge_closed_content(now=closed + dt.timedelta(days=740)) == 1
    db.session.expire_all()
    session = db.session.get(SupervisionSession, session_id)
    assert (session.notes_encrypted, session.next_step_encrypted) == (None, None)
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 0
    report = process_report(supervisor, process.id, now=closed)
    assert report.figures.net_cents == 15000 and report.figures.present == 1
    assert purge_closed_content(now=closed + dt.timedelta(days=800)) == 0


def test_operator_sign_in_link_is_printed_and_audited(app: Flask) -> None:
    runner = app.test_cli_runner()
    with app.app_context():
        person = builders.person("Asiakas")
        email = person.email
    result = runner.invoke(cli, ["sign-in-link", email])
    assert result.exit_code == 0 and "/sign-in/" in result.output
    unknown = runner.invoke(cli, ["sign-in-link", "nobody@example.test"])
    assert unknown.exit_code != 0 and "No one with the address" in unknown.output
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "person.sign_in_link_issued" in actions
