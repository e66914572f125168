"""The whole life of a work-community process as one story, on both databases:
inquiry → assessment → agreement v1 → v2 → accepted → series → sessions with answers →
interim evaluation → final → closed."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from service import clock
from service.domain.agreements import ReportItem
from service.domain.reports import Outcome
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    AttendanceStatus,
    EvaluationKind,
    EvaluationRound,
    Goal,
    GoalKind,
    Inquiry,
    InquiryStatus,
    OutboxMessage,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    VersionStatus,
)
from service.services.auth import Principal
from service.services.orderer import reports
from service.services.processes import agreements, evaluations, session_records
from service.services.processes import lifecycle as processes
from service.services.processes.inquiries import (
    accept_inquiry,
    confirm_inquiry,
    confirmation_token,
    submit_inquiry,
)
from service.services.processes.lifecycle import NewParticipant
from service.services.processes.series import accept_series
from tests.builders import NOW, helsinki
from tests.processes import people


def sessions_of(process_id, kind=None):
    query = select(SupervisionSession).where(SupervisionSession.process_id == process_id)
    return db.session.scalars(query.order_by(SupervisionSession.starts_at)).all()


def test_inquiry_to_closed_process(ctx: Flask) -> None:
    profile, supervisor = people.supervisor()
    orderer = people.orderer()

    # Inquiry with an assessment slot; the email is confirmed by the link.
    receipt = submit_inquiry(
        profile.slug, people.inquiry_form(), now=NOW, assessment_at=helsinki(2027, 3, 3, 10)
    )
    assessment = db.session.get(SupervisionSession, receipt.session_id)
    assert assessment.status is SessionStatus.AWAITING_CONFIRMATION
    confirm_inquiry(
        confirmation_token(receipt.inquiry_id, now=clock.now()), now=NOW + dt.timedelta(minutes=5)
    )
    db.session.expire_all()
    assert db.session.get(Inquiry, receipt.inquiry_id).status is InquiryStatus.CONFIRMED
    assert db.session.get(SupervisionSession, receipt.session_id).status is SessionStatus.BOOKED
    process_id = receipt.process_id
    inquirer = Principal(person_id=db.session.get(Inquiry, receipt.inquiry_id).person_id)

    # The supervisor takes the inquiry on; the assessment is held; the team and the
    # orderer join.
    accept_inquiry(supervisor, process_id, now=NOW + dt.timedelta(minutes=10))
    after_assessment = helsinki(2027, 3, 3, 12)
    processes.mark_assessment_held(supervisor, process_id, now=after_assessment)
    manager_id = processes.add_participant(
        supervisor,
        process_id,
        NewParticipant("Maija Esihenkilö", "maija@example.test", is_manager=True),
    )
    processes.add_participant(
        supervisor, process_id, NewParticipant("Olli Ohjattava", "olli@example.test")
    )
    processes.set_orderer(
        supervisor, process_id, orderer.setup.organisation.id, orderer.contact.person_id
    )
    process = db.session.get(SupervisionProcess, process_id)
    team = [Principal(person_id=p.person_id) for p in process.participants]
    manager = next(
        Principal(person_id=p.person_id) for p in process.participants if p.id == manager_id
    )

    # Agreement v1 is sent, accepted by some, then revised: v2 is accepted by everyone.
    location = orderer.setup.premises.id
    agreements.save_draft(supervisor, process_id, people.draft(location, session_count=5))
    v1 = agreements.send_agreement(supervisor, process_id, now=after_assessment)
    agreements.accept_agreement(inquirer, v1, now=after_assessment)
    agreements.accept_agreement(manager, v1, now=after_assessment)
    goals = [
        people.GoalDraft("Toimiva perustehtävä"),
        people.personal_goal("Oma jaksaminen", inquirer.person_id),
    ]
    agreements.save_draft(supervisor, process_id, people.draft(location, goals=goals))
    v2 = agreements.send_agreement(supervisor, process_id, now=after_assessment)
    assert people.version(v1).status is VersionStatus.SUPERSEDED
    results = [
        agreements.accept_agreement(who, v2, now=after_assessment)
        for who in [supervisor, *team, orderer.contact]
    ]
    assert [r.binding for r in results] == [False] * (len(results) - 1) + [True]
    assert results[-1].proposed_sessions == 6
    db.session.expire_all()
    assert db.session.get(SupervisionProcess, process_id).status is ProcessStatus.ACTIVE
    history = agreements.agreement_history(orderer.contact, process_id)
    assert [v.version.number for v in history] == [2, 1]
    assert {a.person_id for a in history[0].acceptances} == {
        supervisor.person_id,
        *(p.person_id for p in team),
        orderer.contact.person_id,
    }

    # The proposed series is booked as a whole, in the client's premises.
    booked = accept_series(supervisor, process_id, now=after_assessment)
    assert len(booked.booked) == 6 and not booked.conflicts
    regular = [s for s in sessions_of(process_id) if s.kind is not assessment.kind]
    assert all(s.place_kind is PlaceKind.CLIENT_PREMISES and s.room_id for s in regular)

    # First session: the scaling question, answers, attendance, notes.
    first = regular[0]
    org_goal = db.session.scalar(
        select(Goal).where(Goal.process_id == process_id, Goal.kind == GoalKind.ORGANISATION)
    )
    at_first = first.starts_at + dt.timedelta(minutes=80)
    with pytest.raises(evaluations.EvaluationClosed, match="initial assessment"):
        evaluations.open_session_evaluation(supervisor, assessment.id, now=at_first)
    round_id = evaluations.open_session_evaluation(supervisor, first.id, now=at_first)
    for scale, who in zip([3, 4, 5], team, strict=True):
        evaluations.answer_evaluation(
            who, round_id, org_goal.id, scale, "Pieni askel", now=at_first
        )
    session_records.record_attendance(
        supervisor,
        first.id,
        {p.id: AttendanceStatus.PRESENT for p in process.participants},
        now=first.ends_at,
    )
    session_records.write_content(supervisor, first.id, notes="Muistiinpano", next_step="Kokeilu")
    assert session_records.read_content(team[0], first.id).notes is None

    # Interim and final evaluations open on the agreement's dates.
    rounds = db.session.scalars(
        select(EvaluationRound)
        .where(
            EvaluationRound.process_id == process_id, EvaluationRound.kind != EvaluationKind.SESSION
        )
        .order_by(EvaluationRound.opens_at)
    ).all()
    assert [(r.kind, r.opens_at) for r in rounds] == [
        (EvaluationKind.INTERIM, helsinki(2027, 9, 15, 8)),
        (EvaluationKind.FINAL, helsinki(2027, 9, 30, 8)),
    ]
    for evaluation, scales in zip(rounds, ([5, 6, 7], [8, 8, 9]), strict=True):
        moment = evaluation.opens_at + dt.timedelta(hours=2)
        for scale, who in zip(scales, team, strict=True):
            evaluations.answer_evaluation(who, evaluation.id, org_goal.id, scale, None, now=moment)

    # Every session held; the process closes; the report shows figures only.
    for session in regular[1:]:
        session_records.record_attendance(
            supervisor,
            session.id,
            {p.id: AttendanceStatus.PRESENT for p in process.participants},
            now=session.ends_at,
        )
    end = helsinki(2027, 9, 30, 12)
    processes.close_process(supervisor, process_id, now=end)
    db.session.expire_all()
    assert db.session.get(SupervisionProcess, process_id).status is ProcessStatus.CLOSED

    report = reports.process_report(orderer.contact, process_id, now=end)
    assert report.figures.sessions_agreed == 6
    assert report.figures.counts[Outcome.HELD] == 6
    assert report.figures.present == 18
    assert report.figures.net_cents == 6 * 18000
    assert ReportItem.GOAL_AVERAGES not in report.items and report.goal_averages == {}
    points = evaluations.goal_points(supervisor, process_id, org_goal.id, zone="Europe/Helsinki")
    assert [p.scale for p in points] == [4.0, 6.0, 8.3]
    mine = evaluations.goal_points(team[0], process_id, org_goal.id, zone="Europe/Helsinki")
    assert [p.scale for p in mine] == [3.0, 5.0, 8.0]
    kinds = set(db.session.scalars(select(OutboxMessage.kind)))
    assert {"email.inquiry_confirmation", "email.agreement_sent", "booking.created"} <= kinds
