"""Lapsed unconfirmed holds: a periodic job of the worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from service.extensions import db
from service.models import SupervisorHold
from service.services.transactions import write_transaction


def release_lapsed_holds(now: dt.datetime) -> int:
    """Deactivate holds whose ``expires_at`` has passed (an initial assessment whose email
    was not confirmed in time), so the time shows free again. Booking also frees them
    when it re-checks; this keeps slot search and the calendar right meanwhile.
    Returns how many were released."""
    with write_transaction():
        result = db.session.execute(
            update(SupervisorHold)
            .where(SupervisorHold.active.is_(True), SupervisorHold.expires_at <= now)
            .values(active=False)
        )
    return int(result.rowcount or 0)
