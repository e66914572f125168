"""Private calendar feed addresses: a secret in the URL, stored as its digest."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.models.base import Base, CreatedMixin, IdMixin


class FeedKind(enum.StrEnum):
    PARTICIPANT = "participant"
    SUPERVISOR = "supervisor"


class CalendarFeed(IdMixin, CreatedMixin, Base):
    """An iCalendar subscription URL of one person: the sessions they take part in
    (``participant``) or every session they supervise (``supervisor``).

    Only the SHA-256 hex digest of the URL's secret is stored (32 random bytes, as
    for API tokens); revoking keeps the row so the owner sees what existed.
    """

    __tablename__ = "calendar_feed"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FeedKind]
    name: Mapped[str] = mapped_column(String(200), default="")
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None]
