"""Slot search: the free times a person may book, read from the database only."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from service import metrics
from service.domain.availability import SlotRequest, find_slots
from service.domain.errors import InvalidRequest
from service.domain.intervals import Interval
from service.domain.offers import offers_valid_until
from service.domain.rules import BookingRules, PlaceKind, SessionKind
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
from service.services.availability.holds import lapsing_holds
from service.services.availability.offers import OfferKey, kept_offers
from service.services.availability.schedule import (
    MODE_KINDS,
    BookingContext,
    booking_context,
    booking_rules,
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
    """The free times in the query's window. They are computed for the window widened
    to whole hours and kept under the schedule versions (`availability.offers`), so
    every search of the same hours shares them until something changes."""
    if query.window.duration > MAX_WINDOW:
        raise InvalidRequest("Search at most 92 days at a time.", field="window")
    window = _whole_hours(query.window)
    if query.process_id is not None:
        process = _bookable_process(principal, query)
        if process.status is not ProcessStatus.ACTIVE:
            return []  # no sessions are taken while the agreement is not in force
        key = OfferKey(
            f"process:{process.id}:{query.place_kind}:{query.location_id}:"
            f"{query.moving_session_id}:{window.start.isoformat()}:{window.end.isoformat()}",
            process.supervisor_id,
            process.orderer_organisation_id,
        )

        def compute() -> tuple[list[Slot], dt.datetime]:
            context = _process_context(process, query, window)
            return _offers(
                context.profile,
                context.request,
                window,
                now,
                context.rules,
                query.moving_session_id,
            )

    else:
        profile, request = _assessment_request(query)
        key = OfferKey(
            f"assessment:{profile.id}:{request.place.kind}:{request.place.key}:"
            f"{window.start.isoformat()}:{window.end.isoformat()}",
            profile.id,
        )

        def compute() -> tuple[list[Slot], dt.datetime]:
            return _offers(profile, request, window, now, booking_rules(profile))

    offers = kept_offers(key, now, compute)
    return [slot for slot in offers if query.window.contains(slot.interval)]


def _whole_hours(window: Interval) -> Interval:
    start = window.start.replace(minute=0, second=0, microsecond=0)
    end = window.end.replace(minute=0, second=0, microsecond=0)
    if end < window.end:
        end += dt.timedelta(hours=1)
    return Interval(start, end)


def _offers(
    profile: SupervisorProfile,
    request: SlotRequest,
    window: Interval,
    now: dt.datetime,
    rules: BookingRules,
    exclude_session: uuid.UUID | None = None,
) -> tuple[list[Slot], dt.datetime]:
    """The offers, and until when the clock alone leaves them as they are."""
    schedule = load_schedule(profile, window, now, rules=rules, exclude_session=exclude_session)
    offers = find_slots(schedule, request, window, now)
    valid_until = offers_valid_until(
        offers,
        rules,
        window,
        now,
        lapses=lapsing_holds(profile.id, window, now),
        room_horizons_days=[
            room.policy.max_advance_days for room in request.rooms or () if room.policy
        ],
        longest=dt.timedelta(seconds=current_app.config["OFFERS_KEPT_SECONDS"]),
    )
    return offers, valid_until


def _bookable_process(principal: Principal | None, query: SlotQuery) -> SupervisionProcess:
    process = db.session.get(SupervisionProcess, query.process_id, options=WITH_PARTIES)
    if process is None:
        raise NotFound()
    if principal is None:
        raise AccessDenied()
    ensure_may_book(principal, process)
    return process


def _process_context(
    process: SupervisionProcess, query: SlotQuery, window: Interval
) -> BookingContext:
    around = None
    if query.moving_session_id is not None:
        moving = db.session.get(SupervisionSession, query.moving_session_id)
        if moving is None or moving.process_id != process.id:
            raise NotFound()
        around = moving.starts_at
    return booking_context(
        process,
        MODE_KINDS[process.mode],
        window,
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
