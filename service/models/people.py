"""People and their sign-in accounts."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models.base import Base, CreatedMixin, IdMixin


class Role(enum.StrEnum):
    """Installation-wide roles. Supervisee, manager and orderer contact are not roles of
    an account: they follow from a person's place in a process or an organisation."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"


class Person(IdMixin, CreatedMixin, Base):
    """Anyone Ohjaamo knows: supervisors, supervisees, orderer contacts, inquirers."""

    __tablename__ = "person"

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    language: Mapped[str] = mapped_column(String(5), default="fi")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    erased_at: Mapped[datetime | None]

    account: Mapped[UserAccount | None] = relationship(back_populates="person")


class UserAccount(IdMixin, CreatedMixin, Base):
    """Sign-in credentials of a person; clients may have none and use magic links."""

    __tablename__ = "user_account"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The time step of the last one-time code accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Raised by "sign out everywhere": sessions carrying an older value are refused.
    session_generation: Mapped[int] = mapped_column(default=0)
    last_sign_in_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="account")
    roles: Mapped[list[AccountRole]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )

    def has_role(self, role: Role) -> bool:
        return any(granted.role == role for granted in self.roles)


class AccountRole(Base):
    __tablename__ = "account_role"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(primary_key=True)

    account: Mapped[UserAccount] = relationship(back_populates="roles")


class ErasureRequest(IdMixin, CreatedMixin, Base):
    """A person asks for their data to be erased; their supervisors see the request and
    erase what the law lets them (agreements and invoicing figures stay their time)."""

    __tablename__ = "erasure_request"
    __table_args__ = (
        # One open request per person: asking twice repeats nothing.
        Index(
            "ux_erasure_request_open",
            "person_id",
            unique=True,
            sqlite_where=text("handled_at IS NULL"),
            postgresql_where=text("handled_at IS NULL"),
        ),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
