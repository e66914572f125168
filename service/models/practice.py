"""A practice, its supervisors and everything that shapes a supervisor's availability."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.domain.working_hours import OverrideKind
from service.models.base import KEPT_BY_TRIGGERS, Base, CreatedMixin, IdMixin
from service.models.people import Person


class Practice(IdMixin, CreatedMixin, Base):
    """One supervisor's business or a practice of several; organiser of invitations."""

    __tablename__ = "practice"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    business_id: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")


class SupervisorProfile(IdMixin, CreatedMixin, Base):
    """A supervisor's public profile and booking rules (all durations in minutes)."""

    __tablename__ = "supervisor_profile"
    __table_args__ = (
        CheckConstraint("slot_step_minutes > 0", name="slot_step_positive"),
        CheckConstraint("buffer_before_minutes >= 0 AND buffer_after_minutes >= 0", name="buffers"),
        CheckConstraint("min_notice_minutes >= 0", name="min_notice"),
        CheckConstraint("max_advance_days > 0", name="max_advance"),
        CheckConstraint("session_price_cents >= 0", name="session_price"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    practice_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("practice.id", ondelete="SET NULL")
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    introduction: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    offers_individual: Mapped[bool] = mapped_column(default=True)
    offers_group: Mapped[bool] = mapped_column(default=True)
    offers_work_community: Mapped[bool] = mapped_column(default=True)
    accepts_inquiries: Mapped[bool] = mapped_column(default=True)
    # The usual price of one session (cents, VAT excluded), shown on the public page;
    # each agreement states its own.
    session_price_cents: Mapped[int | None]
    # A portrait for the public page (JPEG, PNG or WebP, at most PHOTO_MAX_BYTES).
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    photo_type: Mapped[str | None] = mapped_column(String(16))
    slot_step_minutes: Mapped[int] = mapped_column(default=30)
    buffer_before_minutes: Mapped[int] = mapped_column(default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(default=15)
    default_travel_minutes: Mapped[int] = mapped_column(default=30)
    min_notice_minutes: Mapped[int] = mapped_column(default=24 * 60)
    max_advance_days: Mapped[int] = mapped_column(default=180)
    max_sessions_per_day: Mapped[int | None]
    max_sessions_per_week: Mapped[int | None]
    # Renewed (a random number) by database triggers with every change to what could be
    # offered in the supervisor's schedule (migration 0007); offers are kept under it.
    schedule_version: Mapped[int] = mapped_column(
        BigInteger, server_default="0", info={KEPT_BY_TRIGGERS: True}
    )

    person: Mapped[Person] = relationship()
    practice: Mapped[Practice | None] = relationship()
    working_hours: Mapped[list[WorkingHours]] = relationship(
        cascade="all, delete-orphan", order_by="(WorkingHours.weekday, WorkingHours.starts)"
    )
    overrides: Mapped[list[AvailabilityOverride]] = relationship(
        cascade="all, delete-orphan", order_by="AvailabilityOverride.on_date"
    )


class WorkingHours(IdMixin, Base):
    """A weekly range of local working time (weekday 0 = Monday)."""

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="order"),
    )

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(SmallInteger)
    starts: Mapped[dt.time]
    ends: Mapped[dt.time]


class AvailabilityOverride(IdMixin, Base):
    """A date that differs from the week: a day off, extra hours, or other hours."""

    __tablename__ = "availability_override"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'off' AND starts IS NULL AND ends IS NULL)"
            " OR (kind <> 'off' AND starts < ends)",
            name="hours",
        ),
    )

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    on_date: Mapped[dt.date]
    kind: Mapped[OverrideKind]
    starts: Mapped[dt.time | None]
    ends: Mapped[dt.time | None]
    label: Mapped[str] = mapped_column(String(200), default="")


class Location(IdMixin, Base):
    """A place sessions are held: a supervisor's office or an organisation's premises."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint("(supervisor_id IS NULL) <> (organisation_id IS NULL)", name="one_owner"),
    )

    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    directions: Mapped[str] = mapped_column(Text, default="")

    @property
    def address(self) -> str:
        return ", ".join(
            part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part
        )


class TravelTime(Base):
    """Minutes a supervisor needs between two places; missing pairs use the default."""

    __tablename__ = "travel_time"
    __table_args__ = (CheckConstraint("minutes >= 0", name="minutes"),)

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), primary_key=True
    )
    from_location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), primary_key=True
    )
    to_location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), primary_key=True
    )
    minutes: Mapped[int]
