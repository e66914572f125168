"""The written supervision agreement, its versions and acceptances, and the goals."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.domain.rules import PlaceKind
from service.models.base import Base, CreatedMixin, IdMixin, JSONType
from service.models.people import Person


class Agreement(IdMixin, CreatedMixin, Base):
    """The agreement of a process; its content lives in numbered versions."""

    __tablename__ = "agreement"

    process_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_process.id", ondelete="CASCADE"), unique=True
    )
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="AgreementVersion.number",
    )


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


class AgreementVersion(IdMixin, CreatedMixin, Base):
    """One version of the agreement, with everything STOry's checklist asks for.

    A change after sending creates a new version that every party accepts again; the
    old versions stay as they were.
    """

    __tablename__ = "agreement_version"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        CheckConstraint("session_count > 0", name="session_count"),
        CheckConstraint("session_minutes > 0", name="session_minutes"),
        CheckConstraint("min_gap_days BETWEEN 7 AND 60", name="min_gap"),
        CheckConstraint("max_gap_days BETWEEN min_gap_days AND 60", name="max_gap"),
        CheckConstraint("planned_end_on > starts_on", name="dates"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("late_cancellation_charge_percent BETWEEN 0 AND 100", name="late_charge"),
        CheckConstraint("free_cancellation_hours >= 0", name="free_cancellation"),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(default=VersionStatus.DRAFT)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    sent_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]

    session_minutes: Mapped[int]
    session_count: Mapped[int]
    min_gap_days: Mapped[int]
    max_gap_days: Mapped[int]
    starts_on: Mapped[dt.date]
    planned_end_on: Mapped[dt.date]
    preferred_weekday: Mapped[int | None]
    preferred_start: Mapped[dt.time | None]
    # A yearly break as month-day strings ("07-01" .. "07-31"): no sessions then.
    break_from: Mapped[str | None] = mapped_column(String(5))
    break_until: Mapped[str | None] = mapped_column(String(5))
    place_kind: Mapped[PlaceKind]
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL")
    )
    methods: Mapped[str] = mapped_column(Text, default="")
    price_cents: Mapped[int]
    payer_description: Mapped[str] = mapped_column(String(500), default="")
    invoicing_terms: Mapped[str] = mapped_column(Text, default="")
    free_cancellation_hours: Mapped[int] = mapped_column(default=48)
    late_cancellation_charge_percent: Mapped[int] = mapped_column(default=100)
    sickness_exception: Mapped[bool] = mapped_column(default=True)
    early_termination_terms: Mapped[str] = mapped_column(Text, default="")
    dissatisfaction_terms: Mapped[str] = mapped_column(Text, default="")
    interim_evaluation_months: Mapped[int] = mapped_column(default=6)
    confidentiality_clause: Mapped[str] = mapped_column(Text, default="")
    # The exact items reported to the orderer (codes such as "sessions_held").
    orderer_report_items: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Goal titles as they read in this version, for the history and the printable view.
    goals_snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    acceptances: Mapped[list[AgreementAcceptance]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )


class AgreementParty(enum.StrEnum):
    SUPERVISOR = "supervisor"
    SUPERVISEE = "supervisee"
    MANAGER = "manager"
    ORDERER = "orderer"


class AgreementAcceptance(IdMixin, Base):
    """Who accepted which version, in which role, and when."""

    __tablename__ = "agreement_acceptance"
    __table_args__ = (UniqueConstraint("version_id", "person_id"),)

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE")
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    party: Mapped[AgreementParty]
    accepted_at: Mapped[dt.datetime]

    version: Mapped[AgreementVersion] = relationship(back_populates="acceptances")
    person: Mapped[Person] = relationship()


class GoalKind(enum.StrEnum):
    ORGANISATION = "organisation"
    PERSONAL = "personal"


class Goal(IdMixin, CreatedMixin, Base):
    """A goal evaluated on the 0–10 scale; personal goals belong to one participant."""

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'organisation' AND owner_id IS NULL) OR kind = 'personal'",
            name="owner",
        ),
    )

    process_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_process.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[GoalKind]
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
