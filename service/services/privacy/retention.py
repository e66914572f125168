"""Retention: a closed process's notes, next steps and evaluation answers are purged
after RETENTION_MONTHS; dates, attendance and invoicing figures stay."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, select, update

from service.extensions import db
from service.models import (
    EvaluationAnswer,
    EvaluationRound,
    ProcessStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services import audit
from service.services.transactions import write_transaction

ENDED = (ProcessStatus.CLOSED, ProcessStatus.TERMINATED, ProcessStatus.DECLINED)


def purge_closed_content(now: dt.datetime) -> int:
    """Purge every ended process whose retention time has passed; returns how many."""
    cutoff = now - relativedelta(months=current_app.config["RETENTION_MONTHS"])
    with write_transaction():
        due = list(
            db.session.scalars(
                select(SupervisionProcess.id).where(
                    SupervisionProcess.status.in_(ENDED),
                    SupervisionProcess.closed_at <= cutoff,
                    SupervisionProcess.content_purged_at.is_(None),
                )
            )
        )
        if not due:
            return 0
        db.session.execute(
            update(SupervisionSession)
            .where(SupervisionSession.process_id.in_(due))
            .values(notes_encrypted=None, next_step_encrypted=None)
        )
        rounds = select(EvaluationRound.id).where(EvaluationRound.process_id.in_(due))
        db.session.execute(delete(EvaluationAnswer).where(EvaluationAnswer.round_id.in_(rounds)))
        db.session.execute(
            update(SupervisionProcess)
            .where(SupervisionProcess.id.in_(due))
            .values(content_purged_at=now)
        )
        for process_id in due:
            audit.record("process.content_purged", "process", process_id)
    return len(due)
