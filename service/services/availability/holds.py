"""The supervisor's holds released: a session's own when it ends, and lapsed
unconfirmed ones (also a periodic job of the worker). Both run in the caller's
transaction except the job, which is its own."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from service.domain.intervals import LONGEST_SESSION, Interval
from service.extensions import db
from service.models import SupervisorHold
from service.services.transactions import write_transaction


def release_session_holds(session_id: uuid.UUID) -> None:
    """The session no longer takes its supervisor's time (cancelled, no-show)."""
    db.session.execute(
        update(SupervisorHold).where(SupervisorHold.session_id == session_id).values(active=False)
    )


def release_lapsed(now: dt.datetime, supervisor_id: uuid.UUID | None = None) -> int:
    """Deactivate holds whose ``expires_at`` has passed (an initial assessment whose
    email was not confirmed in time), of one supervisor or of all."""
    statement = update(SupervisorHold).where(
        SupervisorHold.active.is_(True), SupervisorHold.expires_at <= now
    )
    if supervisor_id is not None:
        statement = statement.where(SupervisorHold.supervisor_id == supervisor_id)
    result = db.session.execute(statement.values(active=False))
    # Session.execute is typed as giving a Result; for UPDATE and DELETE it is a CursorResult
    return int(cast(CursorResult[Any], result).rowcount or 0)


def release_lapsed_holds(now: dt.datetime) -> int:
    """The periodic job: booking frees lapsed holds when it re-checks; this keeps slot
    search and the calendar right meanwhile. Returns how many were released."""
    with write_transaction():
        return release_lapsed(now)


def lapsing_holds(
    supervisor_id: uuid.UUID, window: Interval, now: dt.datetime
) -> list[dt.datetime]:
    """When the supervisor's unconfirmed holds around ``window`` lapse: each frees time
    with nothing written (offers kept meanwhile must be computed again then)."""
    margin = dt.timedelta(days=8)
    return list(
        db.session.scalars(
            select(SupervisorHold.expires_at).where(
                SupervisorHold.supervisor_id == supervisor_id,
                SupervisorHold.active.is_(True),
                SupervisorHold.expires_at > now,
                SupervisorHold.ends_at > window.start - margin,
                SupervisorHold.starts_at > window.start - margin - LONGEST_SESSION,
                SupervisorHold.starts_at < window.end + margin,
            )
        )
    )
