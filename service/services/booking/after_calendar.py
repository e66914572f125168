"""A session whose event the supervisor deleted from their own calendar: when they
confirm the deletion, the session is cancelled like any other."""

from __future__ import annotations

import datetime as dt
import uuid

from service.domain.cancellation import CancellationCategory
from service.services.auth import Principal
from service.services.booking.changes import cancel_session
from service.services.calendars.setup import changed_session_events
from service.services.transactions import end_read_transaction


def cancel_after_remote_change(
    principal: Principal,
    session_id: uuid.UUID,
    category: CancellationCategory,
    *,
    now: dt.datetime,
) -> None:
    """The supervisor confirms the deletion: the session is cancelled under the
    agreement's terms, with the notices every cancellation sends."""
    changed_session_events(principal, session_id)
    end_read_transaction()
    cancel_session(principal, session_id, category, now=now)
