"""Where and when a session is to be: the one value every booking attempt carries, from
the first look at the time to the alternatives offered when it is refused."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from service.domain.intervals import Interval
from service.domain.rules import PlaceKind, SessionKind
from service.models import SupervisionProcess, SupervisionSession
from service.services.availability.schedule import (
    BookingBasis,
    BookingContext,
    booking_basis,
    context_from,
)

# How far around the start the schedule is read: a day on each side holds every
# neighbour that buffers, travel and daily limits look at.
AROUND = dt.timedelta(days=1)


@dataclass(frozen=True)
class BookingTarget:
    """A session of ``kind`` in a process, starting at ``start``, at the agreement's
    place unless another is named. ``exclude`` is the session being moved or confirmed:
    its own time does not stand in its way. For the agreement's own series
    (``series=True``) the series is the cadence, and the supervisor plans it beyond the
    clients' horizon."""

    process_id: uuid.UUID
    kind: SessionKind
    start: dt.datetime
    place_kind: PlaceKind | None = None
    location_id: uuid.UUID | None = None
    exclude: uuid.UUID | None = None
    series: bool = False

    @classmethod
    def for_session(
        cls, session: SupervisionSession, start: dt.datetime | None = None, *, series: bool = False
    ) -> BookingTarget:
        """The session itself, at ``start`` (by default where it is now)."""
        return cls(
            session.process_id,
            session.kind,
            start or session.starts_at,
            session.place_kind,
            session.location_id,
            exclude=session.id,
            series=series,
        )


def basis_of(process: SupervisionProcess, target: BookingTarget) -> BookingBasis:
    return booking_basis(
        process, target.kind, place_kind=target.place_kind, location_id=target.location_id
    )


def context_of(
    process: SupervisionProcess, target: BookingTarget, basis: BookingBasis | None = None
) -> BookingContext:
    """The rules for the target, read around its start (on ``basis`` when it was read
    already)."""
    window = Interval(target.start - AROUND, target.start + AROUND)
    basis = basis or basis_of(process, target)
    if target.series:
        basis = replace(basis, rules=replace(basis.rules, max_advance_days=None))
    return context_from(
        basis,
        window,
        exclude_session=target.exclude,
        around=target.start if target.exclude else None,
        with_cadence=not target.series,
    )
