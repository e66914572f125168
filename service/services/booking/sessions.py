"""Reading sessions, with the same per-object rules for pages and API."""

from __future__ import annotations

import uuid

from service.extensions import db
from service.models import SupervisionSession
from service.services.access import may_view_sessions
from service.services.auth import Principal
from service.services.errors import NotFound


def session_for(principal: Principal, session_id: uuid.UUID) -> SupervisionSession:
    """The session, if the principal may see it; otherwise it does not exist for them."""
    session = db.session.get(SupervisionSession, session_id)
    if session is None or not may_view_sessions(principal, session.process):
        raise NotFound()
    return session
