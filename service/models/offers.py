"""Offers computed for a window, kept under the schedule versions they were computed at."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.models.base import Base, JSONType


class OfferCache(Base):
    """One search's offers. Valid while the supervisor's ``schedule_version`` (and the
    organisation's ``rooms_version`` when rooms were asked for) are the ones stored, and
    until ``valid_until``, when the clock alone changes them (a hold lapses, the first
    offer passes its notice, the horizon moves)."""

    __tablename__ = "offer_cache"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    schedule_version: Mapped[int] = mapped_column(BigInteger)
    rooms_version: Mapped[int | None] = mapped_column(BigInteger)
    valid_until: Mapped[dt.datetime]
    offers: Mapped[list[Any]] = mapped_column(JSONType)
