"""Slot search: the free times a person may book, read from the database only."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service import metrics
from service.domain.availability import SlotRequest, find_slots
from service.domain.errors import InvalidRequest
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind, SessionKind
from service.domain.slots import Slot
from service.extensions import db
from service.models import (
    ProcessStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorProfile,
)
from service.services.access import WITH_PARTIES, ensure_may_book
from service.services.auth import Principal
from service.services.availability.schedule import (
    MODE_KINDS,
    BookingContext,
    booking_context,
    load_schedule,
    place_of,
)
from service.services.errors import AccessDenied, NotFound

MAX_WINDOW = dt.timedelta(days=92)
ASSESSMENT_PLACES = (PlaceKind.REMOTE, PlaceKind.OFFICE)


# Who may book and how many seats a room needs: loaded with the process, not one by one.
@dataclass(frozen=True)
class SlotQuery:
    """Either a process's next session (``process_id``) or a public initial assessment
    with the supervisor named by ``supervisor_slug``."""

    window: Interval
    process_id: uuid.UUID | None = None
    supervisor_slug: str | None = None
    place_kind: PlaceKind | None = None
    location_id: uuid.UUID | None = None
    # Times to move this session of the process to: its own time is free, and the
    # cadence is measured from the sessions around it.
    moving_session_id: uuid.UUID | None = None


@metrics.SLOT_SEARCH_SECONDS.time()
def search_slots(principal: Principal | None, query: SlotQuery, now: dt.datetime) -> list[Slot]:
    if query.window.duration > MAX_WINDOW:
        raise InvalidRequest("Search at most 92 days at a time.", field="window")
    rules = None
    if query.process_id is not None:
        context = _process_context(principal, query)
        if context is None:
            return []
        profile, request, rules = context.profile, context.request, context.rules
    else:
        profile, request = _assessment_request(query)
    schedule = load_schedule(
        profile, query.window, now, rules=rules, exclude_session=query.moving_session_id
    )
    return find_slots(schedule, request, query.window, now)


def _process_context(principal: Principal | None, query: SlotQuery) -> BookingContext | None:
    """The booking rules of the process; None while it takes no sessions (its agreement
    is not in force), when no time is offered at all."""
    process = db.session.get(SupervisionProcess, query.process_id, options=WITH_PARTIES)
    if process is None:
        raise NotFound()
    if principal is None:
        raise AccessDenied()
    ensure_may_book(principal, process)
    if process.status is not ProcessStatus.ACTIVE:
        return None
    around = None
    if query.moving_session_id is not None:
        moving = db.session.get(SupervisionSession, query.moving_session_id)
        if moving is None or moving.process_id != process.id:
            raise NotFound()
        around = moving.starts_at
    return booking_context(
        process,
        MODE_KINDS[process.mode],
        query.window,
        place_kind=query.place_kind,
        location_id=query.location_id,
        exclude_session=query.moving_session_id,
        around=around,
    )


def _assessment_request(query: SlotQuery) -> tuple[SupervisorProfile, SlotRequest]:
    profile = db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.slug == query.supervisor_slug)
    )
    if profile is None or not profile.accepts_inquiries:
        raise NotFound()
    place_kind = query.place_kind or PlaceKind.REMOTE
    if place_kind not in ASSESSMENT_PLACES:
        raise InvalidRequest(
            "An initial assessment is held remotely or at the office.", field="place_kind"
        )
    request = SlotRequest(SessionKind.INITIAL_ASSESSMENT, place_of(place_kind, query.location_id))
    return profile, request
