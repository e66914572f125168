"""API tokens: bearer credentials a person creates for scripts and integrations."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models.base import Base, CreatedMixin, IdMixin, JSONType
from service.models.organisation import Organisation
from service.models.people import Person


class ApiToken(IdMixin, CreatedMixin, Base):
    """A bearer token acting for a person, or for one organisation on that person's behalf.

    Only the SHA-256 hex digest of the secret is stored. A fast hash is right here,
    unlike for passwords: the secret is 32 random bytes, so there is nothing to guess
    and no need for a slow, salted key-derivation function. `prefix` is the start of
    the plaintext, kept so people can tell their tokens apart and so a presented
    token is found by an indexed, non-secret column.
    """

    __tablename__ = "api_token"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
