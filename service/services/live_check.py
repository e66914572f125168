"""The one live question asked of external calendars at booking time.

Slot search trusts the worker's busy cache; the booking asks each connected calendar
once more, with a short timeout, to catch an event added since the last sync. A
calendar that does not answer does not stop the booking: the cache decides, and the
incident is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from service.backends import TimeRange
from service.crypto import vault
from service.domain.intervals import Interval
from service.extensions import db
from service.models import CalendarConnection, SupervisorProfile
from service.plugins import calendar_backends


@dataclass
class LiveAnswer:
    busy: list[Interval] = field(default_factory=list)
    incidents: list[dict[str, str]] = field(default_factory=list)


def ask_calendars(profile: SupervisorProfile, window: Interval) -> LiveAnswer:
    answer = LiveAnswer()
    connections = db.session.scalars(
        select(CalendarConnection).where(CalendarConnection.supervisor_id == profile.id)
    ).all()
    if not connections:
        return answer
    backends = calendar_backends(current_app.extensions["ohjaamo.plugins"])
    timeout = current_app.config["LIVE_CHECK_TIMEOUT_SECONDS"]
    for connection in connections:
        urls = [calendar.url for calendar in connection.calendars if calendar.blocks_time]
        backend_class = backends.get(connection.backend)
        if not urls:
            continue
        if backend_class is None:
            answer.incidents.append(
                {"connection": str(connection.id), "error": f"no backend {connection.backend!r}"}
            )
            continue
        password = (
            vault().decrypt(connection.password_encrypted) if connection.password_encrypted else ""
        )
        try:
            backend = backend_class(
                url=connection.url,
                username=connection.username,
                password=password,
                timeout=timeout,
            )
            ranges = backend.free_busy(urls, TimeRange(window.start, window.end))
        except Exception as error:  # a plugin may fail in any way; the cache then decides
            answer.incidents.append(
                {"connection": str(connection.id), "error": type(error).__name__}
            )
            continue
        answer.busy.extend(Interval(r.start, r.end) for r in ranges if r.start < r.end)
    return answer
