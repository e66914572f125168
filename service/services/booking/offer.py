"""What the booking page offers: one week of free times at a time anywhere in the
bookable horizon, the next free time, and the terms a session is booked under (its
length, place, price and until when it may be cancelled free).

Slot search reads the database only (``slots.search_slots``); a week is one search, and
finding the next free time searches forward in growing windows, so an open week costs
one or two searches.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from service.domain.availability import local_day_window
from service.domain.cadence import CadenceWindow
from service.domain.cancellation import CancellationTerms
from service.domain.errors import CadenceWindowEmpty
from service.domain.intervals import Interval
from service.domain.localtime import zone_of
from service.domain.rules import DEFAULT_DURATIONS, PlaceKind, SessionKind
from service.domain.slots import Slot
from service.extensions import db
from service.models import Location, SupervisionProcess, SupervisionSession, SupervisorProfile
from service.services.auth import Principal
from service.services.availability.schedule import cadence_window, current_terms
from service.services.booking.slots import MAX_WINDOW, SlotQuery, search_slots
from service.services.booking.steps import cancellation_terms
from service.services.errors import NotFound

QueryFor = Callable[[Interval], SlotQuery]
# The first look for the next free time; later looks widen to the search's limit.
FIRST_LOOK = dt.timedelta(days=14)


@dataclass(frozen=True)
class SessionTerms:
    """What a booking binds to, shown before it is confirmed."""

    minutes: int
    place_kind: PlaceKind
    place_name: str
    place_address: str
    price_cents: int | None
    cancellation: CancellationTerms


@dataclass(frozen=True)
class WeekOffer:
    """Free times of the week starting ``first`` (a Monday in ``zone``), within the
    bookable horizon ``opens``..``closes`` (local dates)."""

    zone: str
    first: dt.date
    slots: list[Slot]
    next_free: Slot | None
    opens: dt.date
    closes: dt.date

    @property
    def previous(self) -> dt.date | None:
        return self.first - dt.timedelta(days=7) if self.first > self.opens else None

    @property
    def following(self) -> dt.date | None:
        later = self.first + dt.timedelta(days=7)
        return later if later <= self.closes else None

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range(7)]

    def months(self) -> list[dt.date]:
        """The first day of each month in the horizon, for jumping to it."""
        month = self.opens.replace(day=1)
        out = []
        while month <= self.closes:
            out.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return out


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _horizon(profile: SupervisorProfile, now: dt.datetime) -> Interval:
    return Interval(now, now + dt.timedelta(days=profile.max_advance_days))


def _process_horizon(
    process: SupervisionProcess, now: dt.datetime, moving: uuid.UUID | None = None
) -> Interval:
    """Where the process's next session (or the moved one) may go: the supervisor's
    bookable horizon, narrowed to the agreement's dates and to the dates its cadence
    allows, so that every week offered can hold it."""
    horizon = _horizon(process.supervisor, now)
    terms = current_terms(process)
    if terms is None:
        return horizon
    around = None
    if moving is not None:
        session = db.session.get(SupervisionSession, moving)
        around = session.starts_at if session is not None else None
    zone = process.supervisor.timezone
    tz = zone_of(zone)
    start = max(horizon.start, local_day_window(terms.starts_on, terms.starts_on, tz).start)
    end = min(horizon.end, local_day_window(terms.planned_end_on, terms.planned_end_on, tz).end)
    agreed = Interval(start, end) if start < end else horizon
    try:
        window = cadence_window(process, terms, zone, around=around, exclude_session=moving)
    except CadenceWindowEmpty:
        window = CadenceWindow()  # no date fits: the search says so, week by week
    if window.earliest is not None:
        start = max(start, local_day_window(window.earliest, window.earliest, tz).start)
    if window.latest is not None:
        end = min(end, local_day_window(window.latest, window.latest, tz).end)
    return Interval(start, end) if start < end else agreed


@dataclass(frozen=True)
class _Look:
    """One search of the next free time: its window and what it found there."""

    window: Interval
    slots: list[Slot]


def _next_free(
    query_for: QueryFor, principal: Principal | None, horizon: Interval, now: dt.datetime
) -> _Look | None:
    """The search that found the next free time (its first slot), None when the
    horizon has none."""
    start, span = horizon.start, FIRST_LOOK
    while start < horizon.end:
        end = min(start + span, horizon.end)
        window = Interval(start, end)
        found = search_slots(principal, query_for(window), now)
        if found:
            return _Look(window, found)
        start, span = end, MAX_WINDOW
    return None


def _week(
    query_for: QueryFor,
    principal: Principal | None,
    week: dt.date | None,
    zone: str,
    horizon: Interval,
    now: dt.datetime,
) -> WeekOffer:
    """The week's free times. A week inside the window where the next free time was
    found is that search's answer narrowed (an offer depends on its own time, not on the
    window asked), so the usual page searches once."""
    tz = zone_of(zone)
    opens = horizon.start.astimezone(tz).date()
    closes = horizon.end.astimezone(tz).date()
    look = _next_free(query_for, principal, horizon, now)
    next_free = look.slots[0] if look else None
    if week is None:
        week = next_free.start.astimezone(tz).date() if next_free else opens
    first = min(max(monday(week), monday(opens)), monday(closes))
    local_week = local_day_window(first, first + dt.timedelta(days=6), tz)
    start, end = max(local_week.start, horizon.start), min(local_week.end, horizon.end)
    slots: list[Slot] = []
    if start < end:
        shown = Interval(start, end)
        if look is not None and look.window.contains(shown):
            slots = [slot for slot in look.slots if shown.contains(slot.interval)]
        else:
            slots = search_slots(principal, query_for(shown), now)
    return WeekOffer(zone, first, slots, next_free, opens, closes)


def process_week(
    principal: Principal,
    process_id: uuid.UUID,
    week: dt.date | None,
    *,
    zone: str,
    now: dt.datetime,
    moving: uuid.UUID | None = None,
) -> WeekOffer:
    """The week of free times for the process's next session (or for moving
    ``moving``), the week of the next free time when ``week`` is None."""
    process = db.session.get(SupervisionProcess, process_id)
    if process is None:
        raise NotFound()

    def query_for(window: Interval) -> SlotQuery:
        return SlotQuery(window=window, process_id=process_id, moving_session_id=moving)

    return _week(query_for, principal, week, zone, _process_horizon(process, now, moving), now)


def horizon_weeks(process: SupervisionProcess, *, zone: str, now: dt.datetime) -> list[dt.date]:
    """The Monday of each week in which the process's next session may go (local to
    ``zone``), so that any of them is one step from a supervisee's landing page."""
    horizon = _process_horizon(process, now)
    tz = zone_of(zone)
    first = monday(horizon.start.astimezone(tz).date())
    last = monday(horizon.end.astimezone(tz).date())
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def is_offered(
    principal: Principal,
    process_id: uuid.UUID,
    start: dt.datetime,
    minutes: int,
    *,
    now: dt.datetime,
    moving: uuid.UUID | None = None,
) -> bool:
    """Whether a session of ``minutes`` starting at ``start`` is among the free times
    offered now (the booking itself checks again, in its transaction)."""
    process = db.session.get(SupervisionProcess, process_id)
    if process is None:
        raise NotFound()
    horizon = _horizon(process.supervisor, now)
    if not horizon.start <= start < horizon.end - dt.timedelta(minutes=minutes):
        return False
    window = Interval(start, start + dt.timedelta(minutes=minutes))
    query = SlotQuery(window=window, process_id=process_id, moving_session_id=moving)
    return any(slot.start == start for slot in search_slots(principal, query, now))


def assessment_week(
    slug: str, week: dt.date | None, *, zone: str, place_kind: PlaceKind, now: dt.datetime
) -> WeekOffer:
    """A week of initial-assessment times on a supervisor's public page."""
    profile = db.session.scalar(select(SupervisorProfile).where(SupervisorProfile.slug == slug))
    if profile is None:
        raise NotFound()

    def query_for(window: Interval) -> SlotQuery:
        return SlotQuery(window=window, supervisor_slug=slug, place_kind=place_kind)

    return _week(query_for, None, week, zone, _horizon(profile, now), now)


def _place(location_id: uuid.UUID | None) -> tuple[str, str]:
    location = db.session.get(Location, location_id) if location_id else None
    return (location.name, location.address) if location else ("", "")


def process_terms(process: SupervisionProcess) -> SessionTerms | None:
    """The terms of the process's agreement in force; None before one binds."""
    agreed = current_terms(process)
    if agreed is None:
        return None
    name, address = _place(agreed.location_id)
    return SessionTerms(
        minutes=agreed.session_minutes,
        place_kind=agreed.place_kind,
        place_name=name,
        place_address=address,
        price_cents=agreed.price_cents,
        cancellation=cancellation_terms(process),
    )


def assessment_terms(place_kind: PlaceKind) -> SessionTerms:
    """An initial assessment: free of charge, its usual length, and free to cancel."""
    return SessionTerms(
        minutes=DEFAULT_DURATIONS[SessionKind.INITIAL_ASSESSMENT],
        place_kind=place_kind,
        place_name="",
        place_address="",
        price_cents=0,
        cancellation=CancellationTerms(free_hours=0, late_charge_percent=0),
    )
