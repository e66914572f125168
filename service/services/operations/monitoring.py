"""Figures for monitoring, read from the database: the outbox's depth and age, and how
long ago each calendar connection and room system was synced. Identifiers only."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from service.extensions import db
from service.models import CalendarConnection, Organisation, OutboxMessage, OutboxState
from service.models.organisation import LOCAL_ROOM_SYSTEM


@dataclass(frozen=True)
class OutboxFigures:
    by_state: dict[str, int]
    due: int
    oldest_due_age_seconds: float

    @property
    def waiting(self) -> int:
        return self.by_state.get(OutboxState.PENDING.value, 0) + self.by_state.get(
            OutboxState.LEASED.value, 0
        )


@dataclass(frozen=True)
class SyncAge:
    """Seconds since the last successful sync (since creation, if never synced)."""

    id: uuid.UUID
    backend: str
    age_seconds: float
    failing: bool


def outbox_figures(now: dt.datetime) -> OutboxFigures:
    by_state = {state.value: 0 for state in OutboxState}
    for state, count in db.session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    ):
        by_state[OutboxState(state).value] = count
    due, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.due_at)).where(
            OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.LEASED]),
            OutboxMessage.due_at <= now,
        )
    ).one()
    oldest_at = _aware(oldest)
    age = (now - oldest_at).total_seconds() if oldest_at else 0.0
    return OutboxFigures(by_state=by_state, due=due, oldest_due_age_seconds=max(age, 0.0))


def calendar_sync_ages(now: dt.datetime) -> list[SyncAge]:
    rows = db.session.execute(
        select(
            CalendarConnection.id,
            CalendarConnection.backend,
            CalendarConnection.last_sync_at,
            CalendarConnection.created_at,
            CalendarConnection.last_error,
        ).order_by(CalendarConnection.id)
    )
    return [
        SyncAge(id, backend, _age(now, synced or created), error is not None)
        for id, backend, synced, created, error in rows
    ]


def room_sync_ages(now: dt.datetime) -> list[SyncAge]:
    rows = db.session.execute(
        select(
            Organisation.id,
            Organisation.room_system,
            Organisation.rooms_synced_at,
            Organisation.created_at,
            Organisation.rooms_sync_error,
        )
        # Rooms kept in the service itself have nothing to sync.
        .where(Organisation.room_system != LOCAL_ROOM_SYSTEM)
        .order_by(Organisation.id)
    )
    return [
        SyncAge(id, backend, _age(now, synced or created), error is not None)
        for id, backend, synced, created, error in rows
    ]


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """An aggregate bypasses the column type: SQLite hands back text or naive UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _age(now: dt.datetime, then: dt.datetime) -> float:
    return max((now - then).total_seconds(), 0.0)
