"""A supervision process, its participants, and the inquiry that may start it."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.domain.processes import EndReason, ProcessMode
from service.models.base import Base, CreatedMixin, IdMixin, JSONType
from service.models.organisation import Organisation
from service.models.people import Person
from service.models.practice import SupervisorProfile


class ProcessStatus(enum.StrEnum):
    """The lifecycle in DESIGN.md; evaluations happen while active."""

    INQUIRY = "inquiry"
    ASSESSMENT_BOOKED = "assessment_booked"
    ASSESSMENT_HELD = "assessment_held"
    AGREEMENT_DRAFT = "agreement_draft"
    AGREEMENT_SENT = "agreement_sent"
    ACTIVE = "active"
    CLOSED = "closed"
    DECLINED = "declined"
    TERMINATED = "terminated"


class SupervisionProcess(IdMixin, CreatedMixin, Base):
    """One supervision relationship from inquiry to closing."""

    __tablename__ = "supervision_process"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    mode: Mapped[ProcessMode]
    status: Mapped[ProcessStatus] = mapped_column(default=ProcessStatus.INQUIRY, index=True)
    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="RESTRICT"), index=True
    )
    orderer_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    orderer_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    # A private person paying for their own supervision, when no organisation orders it.
    private_payer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    closed_at: Mapped[dt.datetime | None]
    end_reason: Mapped[EndReason | None]
    content_purged_at: Mapped[dt.datetime | None]

    supervisor: Mapped[SupervisorProfile] = relationship()
    orderer_organisation: Mapped[Organisation | None] = relationship()
    orderer_contact: Mapped[Person | None] = relationship(foreign_keys=[orderer_contact_id])
    # The group's contact first, then a fixed order: never the database's whim.
    participants: Mapped[list[ProcessParticipant]] = relationship(
        back_populates="process",
        cascade="all, delete-orphan",
        order_by=lambda: (ProcessParticipant.is_group_contact.desc(), ProcessParticipant.id),
    )


class ProcessParticipant(IdMixin, Base):
    """A supervisee in a process; in work-community supervision the manager is one too."""

    __tablename__ = "process_participant"
    __table_args__ = (UniqueConstraint("process_id", "person_id"),)

    process_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_process.id", ondelete="CASCADE")
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    is_manager: Mapped[bool] = mapped_column(default=False)
    # In a group, the member who books sessions for everyone.
    is_group_contact: Mapped[bool] = mapped_column(default=False)
    # This participant agrees that goal-scale averages may be shown to the orderer.
    consents_to_share_averages: Mapped[bool] = mapped_column(default=False)
    joined_on: Mapped[dt.date | None]
    left_on: Mapped[dt.date | None]

    process: Mapped[SupervisionProcess] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()


class InquiryStatus(enum.StrEnum):
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    CONFIRMED = "confirmed"
    EXPIRED = "expired"


class Inquiry(IdMixin, CreatedMixin, Base):
    """A request for supervision from the public page, with its structured needs.

    Needs are category codes from a fixed list: the form asks no free-text health or
    personal details.
    """

    __tablename__ = "inquiry"

    process_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_process.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    mode_wished: Mapped[ProcessMode]
    needs: Mapped[list[str]] = mapped_column(JSONType, default=list)
    group_size: Mapped[int | None]
    privacy_consent_at: Mapped[dt.datetime]
    status: Mapped[InquiryStatus] = mapped_column(default=InquiryStatus.AWAITING_CONFIRMATION)
    email_confirmed_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime]
    # The supervisor took the inquiry on; declining ends the process instead.
    accepted_at: Mapped[dt.datetime | None]

    process: Mapped[SupervisionProcess] = relationship()
    person: Mapped[Person] = relationship()
