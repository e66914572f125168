"""Records that make requests safe to repeat: idempotency keys and single-use tokens."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service import clock
from service.models.base import Base


class IdempotencyRecord(Base):
    """The outcome of a creating request, replayed when the same key comes again.

    The request hash tells a retry (same body: same answer) from a misuse of the key
    (another body: rejected).
    """

    __tablename__ = "idempotency_record"

    principal: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[uuid.UUID]
    created_at: Mapped[dt.datetime] = mapped_column(default=clock.now)


class UsedToken(Base):
    """A signed link (magic sign-in, email confirmation) that has been used once."""

    __tablename__ = "used_token"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[dt.datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[dt.datetime]
