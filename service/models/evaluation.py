"""Scaling evaluations: rounds (per session, interim, final) and encrypted answers."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models.base import Base, CreatedMixin, IdMixin


class EvaluationKind(enum.StrEnum):
    SESSION = "session"
    INTERIM = "interim"
    FINAL = "final"


class EvaluationRound(IdMixin, CreatedMixin, Base):
    """A moment when every participant places each goal on the 0–10 scale."""

    __tablename__ = "evaluation_round"

    process_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervision_process.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvaluationKind]
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="SET NULL")
    )
    opens_at: Mapped[dt.datetime]
    closes_at: Mapped[dt.datetime | None]

    answers: Mapped[list[EvaluationAnswer]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )


class EvaluationAnswer(IdMixin, Base):
    """One participant's answer for one goal. The scale and the next step are encrypted:
    only the participant and the supervisor may read them."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (UniqueConstraint("round_id", "goal_id", "person_id"),)

    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation_round.id", ondelete="CASCADE")
    )
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    scale_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    next_step_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    answered_at: Mapped[dt.datetime]

    round: Mapped[EvaluationRound] = relationship(back_populates="answers")
