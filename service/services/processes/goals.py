"""The goals a person may follow: the organisation's goals, and personal goals of their
own (the supervisor follows every goal)."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select

from service.extensions import db
from service.models import Goal, GoalKind
from service.services.access import is_supervisor, visible_process
from service.services.auth import Principal


def goals_for(principal: Principal, process_id: uuid.UUID) -> list[Goal]:
    process = visible_process(principal, process_id)
    query = select(Goal).where(Goal.process_id == process.id, Goal.is_active.is_(True))
    if not is_supervisor(principal, process):
        query = query.where(
            or_(Goal.kind == GoalKind.ORGANISATION, Goal.owner_id == principal.person_id)
        )
    return list(db.session.scalars(query.order_by(Goal.position)))
