"""A supervisor's external calendars: connections, sync state, busy cache, pushed events."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.backends import UnreadableReason
from service.models.base import Base, CreatedMixin, IdMixin


class ConnectionStatus(enum.StrEnum):
    NEW = "new"
    OK = "ok"
    FAILING = "failing"


class CalendarConnection(IdMixin, CreatedMixin, Base):
    """An account on a calendar server, handled by the backend plugin it names.

    For a backend whose address is itself the secret (an .ics address), `url` keeps
    only the address's scheme and host, for the page, and the whole address is kept
    encrypted in `password_encrypted`."""

    __tablename__ = "calendar_connection"

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    backend: Mapped[str] = mapped_column(String(64), default="caldav")
    url: Mapped[str] = mapped_column(String(1000))
    username: Mapped[str] = mapped_column(String(320), default="")
    password_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[ConnectionStatus] = mapped_column(default=ConnectionStatus.NEW)
    last_sync_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    calendars: Mapped[list[ConnectedCalendar]] = relationship(
        back_populates="connection", cascade="all, delete-orphan"
    )


class ConnectedCalendar(IdMixin, Base):
    """One calendar of a connection: it may block time, and one may receive sessions."""

    __tablename__ = "connected_calendar"
    __table_args__ = (
        UniqueConstraint("connection_id", "url"),
        Index(
            "uq_connected_calendar_receiver",
            "connection_id",
            unique=True,
            sqlite_where=text("receives_sessions"),
            postgresql_where=text("receives_sessions"),
        ),
    )

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("calendar_connection.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(1000))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    blocks_time: Mapped[bool] = mapped_column(default=True)
    receives_sessions: Mapped[bool] = mapped_column(default=False)
    sync_token: Mapped[str | None] = mapped_column(String(1000))
    synced_from: Mapped[dt.datetime | None]
    synced_until: Mapped[dt.datetime | None]
    last_synced_at: Mapped[dt.datetime | None]
    # False for a calendar read through its address only: it cannot receive sessions.
    writable: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    # The live check at booking asks for the changes since the last sync rather than
    # for a time range: the server failed a time-range question (or the backend would
    # read the whole calendar to answer one). Set by syncs and live checks, cleared by
    # a full sync whose time-range question was answered.
    live_from_changes: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    connection: Mapped[CalendarConnection] = relationship(back_populates="calendars")


class RemoteObject(IdMixin, Base):
    """A calendar object seen on the server, with its ETag for change detection.

    An object that could not be read blocks no time; `unreadable` says why, and
    `summary_encrypted` keeps its title (the supervisor's own text, shown only on their
    page) when that much was readable. Both go when the object is read again without
    a problem, or removed."""

    __tablename__ = "remote_object"
    __table_args__ = (
        UniqueConstraint("calendar_id", "href"),
        # The few unreadable ones, counted on the supervisor's pages without reading
        # every object of the calendar.
        Index(
            "ix_remote_object_unreadable",
            "calendar_id",
            sqlite_where=text("unreadable IS NOT NULL"),
            postgresql_where=text("unreadable IS NOT NULL"),
        ),
    )

    calendar_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("connected_calendar.id", ondelete="CASCADE")
    )
    href: Mapped[str] = mapped_column(String(1000))
    etag: Mapped[str] = mapped_column(String(200), default="")
    uid: Mapped[str] = mapped_column(String(500), default="")
    unreadable: Mapped[UnreadableReason | None]
    summary_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)


class BusyInterval(IdMixin, Base):
    """Cached busy time from a remote object (one row per expanded occurrence)."""

    __tablename__ = "busy_interval"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        Index("ix_busy_interval_supervisor_window", "supervisor_id", "starts_at", "ends_at"),
    )

    # Denormalised from the connection: slot search reads busy time by supervisor only.
    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE")
    )
    remote_object_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("remote_object.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]


class BusyWeek(Base):
    """The version of a supervisor's busy time in one week (its number since 2000-01-03,
    UTC): a new random token whenever busy rows touching the week change (see
    service/services/calendars/busy_cache.py)."""

    __tablename__ = "busy_week"

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[uuid.UUID]


class PushedEventState(enum.StrEnum):
    IN_SYNC = "in_sync"
    DELETED_REMOTELY = "deleted_remotely"
    MOVED_REMOTELY = "moved_remotely"


class SessionCalendarEvent(IdMixin, Base):
    """Where a session was written in the supervisor's calendar (name, UID, ETag)."""

    __tablename__ = "session_calendar_event"
    __table_args__ = (UniqueConstraint("session_id", "calendar_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE")
    )
    calendar_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("connected_calendar.id", ondelete="CASCADE")
    )
    href: Mapped[str] = mapped_column(String(1000))
    uid: Mapped[str] = mapped_column(String(500))
    etag: Mapped[str] = mapped_column(String(200), default="")
    sequence: Mapped[int] = mapped_column(default=0)
    state: Mapped[PushedEventState] = mapped_column(default=PushedEventState.IN_SYNC)
