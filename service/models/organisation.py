"""Client organisations, their contacts and rooms, and the room-system cache."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service import clock
from service.models.base import KEPT_BY_TRIGGERS, Base, CreatedMixin, IdMixin, JSONType
from service.models.people import Person

# The room system of an organisation whose rooms are kept in Ohjaamo itself.
LOCAL_ROOM_SYSTEM = "ohjaamo"


class Organisation(IdMixin, CreatedMixin, Base):
    """An ordering organisation (tilaaja). Its room system is a plugin chosen by name."""

    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200))
    business_id: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    invoicing_address: Mapped[str] = mapped_column(String(500), default="")
    room_system: Mapped[str] = mapped_column(String(64), default=LOCAL_ROOM_SYSTEM)
    room_system_settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    room_system_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    rooms_synced_at: Mapped[dt.datetime | None]
    rooms_sync_error: Mapped[str | None] = mapped_column(String(1000))
    # Renewed (a random number) by database triggers with every change to its rooms, their
    # reservations, closures and busy time (migration 0007); offers using them are kept under it.
    rooms_version: Mapped[int] = mapped_column(
        BigInteger, server_default="0", info={KEPT_BY_TRIGGERS: True}
    )

    contacts: Mapped[list[OrganisationContact]] = relationship(cascade="all, delete-orphan")
    rooms: Mapped[list[Room]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Room.name"
    )


class OrganisationContact(Base):
    """An orderer contact: orders and pays for supervision, manages the rooms."""

    __tablename__ = "organisation_contact"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    job_title: Mapped[str] = mapped_column(String(200), default="")

    person: Mapped[Person] = relationship()


class Room(IdMixin, Base):
    """A meeting room, kept in Ohjaamo or mirrored from the organisation's room system."""

    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("organisation_id", "external_id"),
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint(
            "bookable_from IS NULL OR bookable_until IS NULL OR bookable_from < bookable_until",
            name="bookable_hours",
        ),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL")
    )
    external_id: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    building: Mapped[str] = mapped_column(String(200), default="")
    floor: Mapped[str] = mapped_column(String(50), default="")
    accessible: Mapped[bool] = mapped_column(default=False)
    equipment: Mapped[list[str]] = mapped_column(JSONType, default=list)
    bookable_from: Mapped[dt.time | None]
    bookable_until: Mapped[dt.time | None]
    max_advance_days: Mapped[int | None]
    max_length_minutes: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="rooms")


class RoomClosure(IdMixin, Base):
    """A period a room kept in Ohjaamo cannot be booked (renovation, holidays)."""

    __tablename__ = "room_closure"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="order"),)

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")


class RoomBusyInterval(IdMixin, Base):
    """Busy time of an external room, cached by the worker so slot search stays local."""

    __tablename__ = "room_busy_interval"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        Index("ix_room_busy_interval_room_window", "room_id", "starts_at", "ends_at"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    fetched_at: Mapped[dt.datetime] = mapped_column(default=clock.now)
