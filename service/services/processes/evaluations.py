"""Scaling evaluations: rounds at the agreement's interim and final dates or at chosen
sessions; answers encrypted at rest, read only by their author and the supervisor.

Every read of someone else's answers by the supervisor is audit-logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from flask import current_app
from sqlalchemy import delete, select

from service.crypto import vault
from service.domain.agreements import evaluation_schedule
from service.domain.errors import DomainError, InvalidFields
from service.domain.evaluations import InvalidAnswer, ScalePoint, check_answer, shareable_average
from service.domain.localtime import local_date, resolve_start, zone_of
from service.domain.processes import ProcessMode
from service.extensions import db
from service.models import (
    AgreementVersion,
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
from service.services import audit
from service.services.access import (
    is_supervisor,
    may_read_answers,
    participant_of,
    supervised_process,
    visible_process,
)
from service.services.auth import Principal
from service.services.errors import AccessDenied, NotFound
from service.services.outbox import queue as outbox
from service.services.transactions import write_transaction

OPENING_HOUR = dt.time(8, 0)


class EvaluationClosed(DomainError):
    code = "evaluation_closed"
    default_message = "This evaluation is not open for answers."


@dataclass(frozen=True)
class Answer:
    round_id: uuid.UUID
    kind: EvaluationKind
    opens_at: dt.datetime
    goal_id: uuid.UUID
    person_id: uuid.UUID
    scale: int
    next_step: str | None


def _answer_days() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["EVALUATION_ANSWER_DAYS"])


def _open_round(
    process: SupervisionProcess,
    kind: EvaluationKind,
    opens_at: dt.datetime,
    session_id: uuid.UUID | None = None,
) -> EvaluationRound:
    """A round, with an "evaluation open" email to each participant when it opens."""
    evaluation = EvaluationRound(
        process_id=process.id,
        kind=kind,
        session_id=session_id,
        opens_at=opens_at,
        closes_at=opens_at + _answer_days(),
    )
    db.session.add(evaluation)
    db.session.flush()
    for participant in process.participants:
        outbox.enqueue(
            "email.evaluation_open",
            {"round_id": str(evaluation.id), "person_id": str(participant.person_id)},
            f"email.evaluation_open:{evaluation.id}:{participant.person_id}",
            due_at=opens_at,
        )
    return evaluation


def schedule_evaluations(
    process: SupervisionProcess, version: AgreementVersion, now: dt.datetime
) -> None:
    """The interim and final rounds of the binding version. Future rounds nobody has
    answered are planned afresh; rounds that opened already stay as they are."""
    answered = select(EvaluationAnswer.round_id)
    db.session.execute(
        delete(EvaluationRound).where(
            EvaluationRound.process_id == process.id,
            EvaluationRound.kind.in_([EvaluationKind.INTERIM, EvaluationKind.FINAL]),
            EvaluationRound.opens_at > now,
            EvaluationRound.id.not_in(answered),
        )
    )
    zone = zone_of(process.supervisor.timezone)
    for moment, on in evaluation_schedule(
        version.starts_on, version.planned_end_on, version.interim_evaluation_months
    ):
        opens_at = resolve_start(dt.datetime.combine(on, OPENING_HOUR), zone)
        if opens_at > now:
            _open_round(process, EvaluationKind(moment), opens_at)


def open_session_evaluation(
    principal: Principal, session_id: uuid.UUID, *, now: dt.datetime
) -> uuid.UUID:
    """The supervisor asks the scaling question at a session of their choosing."""
    with write_transaction():
        session = db.session.get(SupervisionSession, session_id)
        if session is None:
            raise NotFound()
        process = supervised_process(principal, session.process_id)
        if process.status is not ProcessStatus.ACTIVE or session.status in (
            SessionStatus.CANCELLED,
            SessionStatus.PROPOSED,
        ):
            raise EvaluationClosed(
                "Scaling is asked at a booked or held session of an active process."
            )
        existing = db.session.scalar(
            select(EvaluationRound).where(EvaluationRound.session_id == session.id)
        )
        if existing is not None:
            return existing.id
        session.scaling_requested = True
        evaluation = _open_round(
            process, EvaluationKind.SESSION, min(now, session.starts_at), session.id
        )
        audit.record(
            "evaluation.opened", "evaluation_round", evaluation.id, actor_id=principal.person_id
        )
        return evaluation.id


def answer_evaluation(
    principal: Principal,
    round_id: uuid.UUID,
    goal_id: uuid.UUID,
    scale: object,
    next_step: str | None,
    *,
    now: dt.datetime,
) -> None:
    """A participant places a goal on the scale (again, while the round is open)."""
    check_answer(scale, next_step)
    answer_round(principal, round_id, {goal_id: (scale, next_step)}, now=now)


def answer_round(
    principal: Principal,
    round_id: uuid.UUID,
    given: dict[uuid.UUID, tuple[object, str | None]],
    *,
    now: dt.datetime,
) -> None:
    """A participant's answers for several goals of one round, all or none: with any
    problem, nothing is written and every problem is reported, keyed
    ``<goal id>.scale`` or ``<goal id>.next_step``."""
    values, problems = {}, {}
    for goal_id, (scale, next_step) in given.items():
        try:
            values[goal_id] = check_answer(scale, next_step)
        except InvalidFields as invalid:
            problems.update({f"{goal_id}.{k}": v for k, v in invalid.fields.items()})
    if problems:
        raise InvalidAnswer(problems)
    with write_transaction():
        evaluation = db.session.get(EvaluationRound, round_id)
        if evaluation is None:
            raise NotFound()
        process = visible_process(principal, evaluation.process_id)
        participant = participant_of(principal, process)
        if participant is None:
            raise AccessDenied()
        if not (
            evaluation.opens_at <= now
            and (evaluation.closes_at is None or now < evaluation.closes_at)
        ):
            raise EvaluationClosed()
        crypto = vault()
        for goal_id, value in values.items():
            goal = db.session.get(Goal, goal_id)
            if goal is None or goal.process_id != process.id or not goal.is_active:
                raise NotFound()
            if goal.kind is GoalKind.PERSONAL and goal.owner_id != principal.person_id:
                raise AccessDenied()
            next_step = given[goal_id][1]
            answer = db.session.scalar(
                select(EvaluationAnswer).where(
                    EvaluationAnswer.round_id == round_id,
                    EvaluationAnswer.goal_id == goal_id,
                    EvaluationAnswer.person_id == principal.person_id,
                )
            ) or EvaluationAnswer(round_id=round_id, goal_id=goal_id, person_id=principal.person_id)
            answer.scale_encrypted = crypto.encrypt(str(value))
            answer.next_step_encrypted = crypto.encrypt(next_step) if next_step else None
            answer.answered_at = now
            db.session.add(answer)
        audit.record(
            "evaluation.answered", "evaluation_round", round_id, actor_id=principal.person_id
        )


def _decrypted(rows, crypto) -> list[Answer]:
    return [
        Answer(
            round_id=evaluation.id,
            kind=evaluation.kind,
            opens_at=evaluation.opens_at,
            goal_id=answer.goal_id,
            person_id=answer.person_id,
            scale=int(crypto.decrypt(answer.scale_encrypted)),
            next_step=crypto.decrypt(answer.next_step_encrypted)
            if answer.next_step_encrypted
            else None,
        )
        for answer, evaluation in rows
    ]


def answers(
    principal: Principal, process_id: uuid.UUID, *, person_id: uuid.UUID | None = None
) -> list[Answer]:
    """Answers the principal may read: a participant their own; the supervisor anyone's
    (``person_id`` None: everyone's), logged in the audit trail."""
    process = visible_process(principal, process_id)
    if person_id is None and not is_supervisor(principal, process):
        person_id = principal.person_id
    if person_id is not None and not may_read_answers(principal, process, person_id):
        raise AccessDenied()
    query = (
        select(EvaluationAnswer, EvaluationRound)
        .join(EvaluationRound, EvaluationRound.id == EvaluationAnswer.round_id)
        .where(EvaluationRound.process_id == process_id)
        .order_by(EvaluationRound.opens_at)
    )
    if person_id is not None:
        query = query.where(EvaluationAnswer.person_id == person_id)
    result = _decrypted(db.session.execute(query).all(), vault())
    if person_id != principal.person_id:
        with write_transaction():
            audit.record(
                "evaluation.answers_read",
                "process",
                process_id,
                actor_id=principal.person_id,
                person=str(person_id) if person_id else "all",
            )
    return result


def goal_points(
    principal: Principal, process_id: uuid.UUID, goal_id: uuid.UUID, *, zone: str
) -> list[ScalePoint]:
    """One goal's line: a participant's own answers, or for the supervisor the average
    of each round."""
    readable = [a for a in answers(principal, process_id) if a.goal_id == goal_id]
    by_round: dict[uuid.UUID, list[Answer]] = defaultdict(list)
    for answer in readable:
        by_round[answer.round_id].append(answer)
    tz = zone_of(zone)
    return [
        ScalePoint(
            on=local_date(group[0].opens_at, tz),
            scale=round(fmean(a.scale for a in group), 1),
            label=str(group[0].kind),
        )
        for group in sorted(by_round.values(), key=lambda g: g[0].opens_at)
    ]


def orderer_averages(
    process: SupervisionProcess,
) -> dict[uuid.UUID, list[tuple[dt.datetime, float]]]:
    """Per goal, the round averages the orderer may see: empty unless the whole group
    consents (and enough answered). Decrypts, so only report use cases call it."""
    everyone = bool(process.participants) and all(
        p.consents_to_share_averages for p in process.participants
    )
    group = process.mode is not ProcessMode.INDIVIDUAL
    if not (everyone and group):
        return {}
    rows = db.session.execute(
        select(EvaluationAnswer, EvaluationRound)
        .join(EvaluationRound, EvaluationRound.id == EvaluationAnswer.round_id)
        .join(Goal, Goal.id == EvaluationAnswer.goal_id)
        .where(EvaluationRound.process_id == process.id, Goal.kind == GoalKind.ORGANISATION)
        .order_by(EvaluationRound.opens_at)
    ).all()
    grouped: dict[tuple[uuid.UUID, uuid.UUID], list[Answer]] = defaultdict(list)
    for answer in _decrypted(rows, vault()):
        grouped[(answer.goal_id, answer.round_id)].append(answer)
    averages: dict[uuid.UUID, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for (goal_id, _round), group_answers in grouped.items():
        average = shareable_average(
            [a.scale for a in group_answers], everyone_consents=everyone, group_process=group
        )
        if average is not None:
            averages[goal_id].append((group_answers[0].opens_at, average))
    return dict(averages)
