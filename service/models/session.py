"""Sessions of a process, attendance, and the holds that make double booking impossible.

A hold is the time a session takes from a resource (the supervisor, a room), buffers
and set-up included. On PostgreSQL an exclusion constraint forbids two active holds of
one resource from overlapping; SQLite relies on the booking use case's `BEGIN
IMMEDIATE` transaction and its re-check.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    and_,
    column,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service import clock
from service.domain.cancellation import CancellationCategory
from service.domain.intervals import LONGEST_SESSION
from service.domain.rules import PlaceKind, SessionKind
from service.models.base import Base, CreatedMixin, IdMixin
from service.models.process import ProcessParticipant, SupervisionProcess


def no_overlap(resource_column: str, name: str) -> ExcludeConstraint:
    """`EXCLUDE USING gist (resource WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (active)` on PostgreSQL only (needs the btree_gist extension)."""
    constraint = ExcludeConstraint(
        (resource_column, "="),
        (func.tstzrange(column("starts_at"), column("ends_at"), literal_column("'[)'")), "&&"),
        name=name,
        using="gist",
        where=text("active"),
    )
    return constraint.ddl_if(dialect="postgresql")


class SessionStatus(enum.StrEnum):
    PROPOSED = "proposed"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    WAITING_FOR_ROOM = "waiting_for_room"
    BOOKED = "booked"
    HELD = "held"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class SupervisionSession(IdMixin, CreatedMixin, Base):
    """One meeting (tapaaminen), including the initial assessment."""

    __tablename__ = "supervision_session"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        CheckConstraint("charge_percent BETWEEN 0 AND 100", name="charge"),
        Index("ix_supervision_session_process_start", "process_id", "starts_at"),
    )

    process_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_process.id", ondelete="CASCADE")
    )
    kind: Mapped[SessionKind]
    status: Mapped[SessionStatus] = mapped_column(default=SessionStatus.PROPOSED)
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    place_kind: Mapped[PlaceKind]
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL")
    )
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"))
    video_url: Mapped[str] = mapped_column(String(500), default="")
    series_index: Mapped[int | None]
    # iCalendar SEQUENCE: raised on every change that invitations must reflect.
    sequence: Mapped[int] = mapped_column(default=0)
    # Optimistic concurrency: an update based on a stale read fails instead of winning.
    revision: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012
    booked_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    cancelled_at: Mapped[dt.datetime | None]
    cancellation_reason: Mapped[CancellationCategory | None]
    charge_percent: Mapped[int | None]
    scaling_requested: Mapped[bool] = mapped_column(default=False)
    notes_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    next_step_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    process: Mapped[SupervisionProcess] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @classmethod
    def overlapping(cls, start: dt.datetime, end: dt.datetime | None = None) -> ColumnElement[bool]:
        """Sessions that overlap ``start``..``end`` (that have not ended by ``start``
        when ``end`` is None). The start is bounded from below too, since no session is
        longer than ``LONGEST_SESSION``: the read stays near its window however long the
        history."""
        conditions = [cls.starts_at > start - LONGEST_SESSION, cls.ends_at > start]
        if end is not None:
            conditions.append(cls.starts_at < end)
        return and_(*conditions)


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    REPORTED_ABSENT = "reported_absent"


class Attendance(Base):
    __tablename__ = "attendance"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("process_participant.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[AttendanceStatus]

    session: Mapped[SupervisionSession] = relationship(back_populates="attendance")
    participant: Mapped[ProcessParticipant] = relationship()


class SupervisorHold(IdMixin, CreatedMixin, Base):
    """Time a session takes from its supervisor, buffers included."""

    __tablename__ = "supervisor_hold"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        Index("ix_supervisor_hold_window", "supervisor_id", "starts_at", "ends_at"),
        # The few unconfirmed holds, found by when they lapse whatever the history.
        Index(
            "ix_supervisor_hold_expiring",
            "supervisor_id",
            "expires_at",
            sqlite_where=text("expires_at IS NOT NULL"),
            postgresql_where=text("expires_at IS NOT NULL"),
        ),
        no_overlap("supervisor_id", "ex_supervisor_hold_no_overlap"),
    )

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE")
    )
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    active: Mapped[bool] = mapped_column(default=True)
    # Unconfirmed holds (an assessment awaiting email confirmation) lapse at this time.
    expires_at: Mapped[dt.datetime | None]


class ReservationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    FAILED = "failed"
    RELEASED = "released"


class RoomReservation(IdMixin, CreatedMixin, Base):
    """A session's claim on a room, set-up time included; mirrors the room system's."""

    __tablename__ = "room_reservation"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        Index("ix_room_reservation_window", "room_id", "starts_at", "ends_at"),
        no_overlap("room_id", "ex_room_reservation_no_overlap"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"))
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    active: Mapped[bool] = mapped_column(default=True)
    status: Mapped[ReservationStatus] = mapped_column(default=ReservationStatus.PENDING)
    external_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock.now, onupdate=clock.now)
