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
from service.domain.intervals import Interval
from service.extensions import db
from service.models import CalendarConnection, SupervisorProfile
from service.services.calendars.access import ServerAccount, UnknownCalendarBackend, account_of
from service.services.transactions import end_read_transaction


@dataclass
class LiveAnswer:
    busy: list[Interval] = field(default_factory=list)
    incidents: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Question:
    account: ServerAccount
    calendar_urls: list[str]


def ask_calendars(profile: SupervisorProfile, window: Interval) -> LiveAnswer:
    """Ask every connected calendar about ``window``. The read transaction is closed
    before the first remote call, so nothing stays open while a server thinks."""
    answer = LiveAnswer()
    questions = _questions(profile, answer)
    if not questions:
        return answer
    end_read_transaction()
    timeout = current_app.config["LIVE_CHECK_TIMEOUT_SECONDS"]
    for question in questions:
        try:
            backend = question.account.open(timeout)
            ranges = backend.free_busy(question.calendar_urls, TimeRange(window.start, window.end))
        except Exception as error:  # a plugin may fail in any way; the cache then decides
            answer.incidents.append(
                {"connection": str(question.account.connection_id), "error": type(error).__name__}
            )
            continue
        answer.busy.extend(Interval(r.start, r.end) for r in ranges if r.start < r.end)
    return answer


def _questions(profile: SupervisorProfile, answer: LiveAnswer) -> list[_Question]:
    connections = db.session.scalars(
        select(CalendarConnection).where(CalendarConnection.supervisor_id == profile.id)
    ).all()
    questions = []
    for connection in connections:
        urls = [calendar.url for calendar in connection.calendars if calendar.blocks_time]
        if not urls:
            continue
        try:
            account = account_of(connection, profile.timezone)
        except UnknownCalendarBackend:
            answer.incidents.append(
                {"connection": str(connection.id), "error": f"no backend {connection.backend!r}"}
            )
            continue
        questions.append(_Question(account, urls))
    return questions
