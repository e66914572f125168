"""The audit trail. Details are identifiers and categories, never confidential text."""

from __future__ import annotations

import uuid
from typing import Any

from service.extensions import db
from service.models import AuditEvent
from service.request_ids import current_request_id


def record(
    action: str,
    object_type: str,
    object_id: uuid.UUID | None = None,
    *,
    actor_id: uuid.UUID | None = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        details=details,
        request_id=current_request_id(),
    )
    db.session.add(event)
    return event
