"""From the database to the domain: a supervisor's Schedule and a booking's SlotRequest.

Slot search reads the database only (external busy time is the worker's cache); the
same loaders feed the re-check inside the booking transaction, so what is offered and
what is accepted are decided by the same rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    bindparam,
    func,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)

from service.domain.availability import AgreementLimits, BookedSession, Schedule, SlotRequest
from service.domain.cadence import Cadence, CadenceWindow
from service.domain.holidays_fi import finnish_holidays_between
from service.domain.intervals import LONGEST_SESSION, Interval, IntervalIndex
from service.domain.localtime import local_date, zone_of
from service.domain.rules import BookingRules, Place, PlaceKind, SessionKind, TravelTimes
from service.domain.working_hours import DateOverride, OverrideKind, WorkingHours
from service.extensions import db
from service.models import (
    AgreementVersion,
    AvailabilityOverride,
    Location,
    ProcessMode,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
    SupervisorProfile,
    TravelTime,
)
from service.models import WorkingHours as WorkingHoursRow
from service.models.agreement import Agreement, VersionStatus
from service.services.availability.rooms import BUSY_MARGIN, room_candidates
from service.services.calendars.busy_cache import supervisor_busy
from service.services.remembered import remembered

# Sessions around the window matter too: weekly limits look at the whole ISO week and
# travel time at the neighbours of the day.
CONTEXT_MARGIN = dt.timedelta(days=8)

# Sessions in these states take the supervisor's time.
OCCUPYING = (
    SessionStatus.AWAITING_CONFIRMATION,
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.BOOKED,
    SessionStatus.HELD,
)

# Sessions in these states use one of the agreement's sessions, and so does one
# cancelled too late to be free: the agreement's terms charge it as held. A free
# cancellation gives its session back.
USING_A_SESSION = (*OCCUPYING, SessionStatus.NO_SHOW)

MODE_KINDS = {
    ProcessMode.INDIVIDUAL: SessionKind.INDIVIDUAL,
    ProcessMode.GROUP: SessionKind.GROUP,
    ProcessMode.WORK_COMMUNITY: SessionKind.WORK_COMMUNITY,
}


def place_of(kind: PlaceKind, location_id: uuid.UUID | None) -> Place:
    if kind is PlaceKind.REMOTE or location_id is None:
        return Place(kind)
    return Place(kind, str(location_id))


def booking_rules(profile: SupervisorProfile) -> BookingRules:
    rows = db.session.connection().execute(_travel_query(), {"supervisor_id": profile.id})
    matrix = {
        (location_place(a, a_owner), location_place(b, b_owner)): minutes
        for minutes, a, a_owner, b, b_owner in rows
    }
    return BookingRules(
        slot_step_minutes=profile.slot_step_minutes,
        buffer_before_minutes=profile.buffer_before_minutes,
        buffer_after_minutes=profile.buffer_after_minutes,
        min_notice_minutes=profile.min_notice_minutes,
        max_advance_days=profile.max_advance_days,
        max_sessions_per_day=profile.max_sessions_per_day,
        max_sessions_per_week=profile.max_sessions_per_week,
        travel=TravelTimes.build(matrix, profile.default_travel_minutes),
    )


@cache
def _travel_query() -> Select:
    """The supervisor's travel times with the owner of either end (built once)."""
    travel = TravelTime.__table__
    origin, destination = Location.__table__.alias(), Location.__table__.alias()
    return (
        select(
            travel.c.minutes,
            origin.c.id,
            origin.c.supervisor_id,
            destination.c.id,
            destination.c.supervisor_id,
        )
        .join(origin, origin.c.id == travel.c.from_location_id)
        .join(destination, destination.c.id == travel.c.to_location_id)
        .where(travel.c.supervisor_id == bindparam("supervisor_id"))
    )


def location_place(location_id: uuid.UUID, supervisor_id: uuid.UUID | None) -> Place:
    """A location a supervisor owns is their office; an organisation's is its premises."""
    kind = PlaceKind.OFFICE if supervisor_id is not None else PlaceKind.CLIENT_PREMISES
    return place_of(kind, location_id)


def working_hours(profile: SupervisorProfile) -> WorkingHours:
    weekly: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    by_date: dict[dt.date, list[tuple[OverrideKind, dt.time | None, dt.time | None]]]
    by_date = defaultdict(list)
    rows = db.session.connection().execute(_hours_query(), {"supervisor_id": profile.id})
    for weekday, on_date, kind, starts, ends in rows:
        if on_date is None:
            weekly[weekday].append((starts, ends))
        else:
            by_date[on_date].append((kind, starts, ends))
    return WorkingHours.build(
        profile.timezone,
        {weekday: sorted(ranges) for weekday, ranges in weekly.items()},
        {day: _override(rows) for day, rows in by_date.items()},
    )


@cache
def _hours_query() -> CompoundSelect:
    """The weekly hours (with no date) and the date overrides in one round trip."""
    hours, overrides = WorkingHoursRow.__table__, AvailabilityOverride.__table__
    return union_all(
        select(
            hours.c.weekday,
            type_coerce(null(), overrides.c.on_date.type),
            type_coerce(null(), overrides.c.kind.type),
            hours.c.starts,
            hours.c.ends,
        ).where(hours.c.supervisor_id == bindparam("supervisor_id")),
        select(
            null(), overrides.c.on_date, overrides.c.kind, overrides.c.starts, overrides.c.ends
        ).where(overrides.c.supervisor_id == bindparam("supervisor_id")),
    )


def _override(rows: list[tuple[OverrideKind, dt.time | None, dt.time | None]]) -> DateOverride:
    """One date's overrides as one: a day off wins; replacement hours include extras."""
    kinds = {kind for kind, _, _ in rows}
    # the table checks that every override but a day off has both times
    ranges = sorted(
        (starts, ends)
        for kind, starts, ends in rows
        if kind is not OverrideKind.OFF and starts is not None and ends is not None
    )
    if OverrideKind.OFF in kinds:
        return DateOverride.off()
    if OverrideKind.REPLACE in kinds:
        return DateOverride.replace(*ranges)
    return DateOverride.extra(*ranges)


def holidays_around(window: Interval) -> frozenset[dt.date]:
    config = current_app.config
    return frozenset(
        finnish_holidays_between(
            (window.start - dt.timedelta(days=1)).date(),
            (window.end + dt.timedelta(days=1)).date(),
            christmas_eve_off=config["HOLIDAYS_CHRISTMAS_EVE_OFF"],
            midsummer_eve_off=config["HOLIDAYS_MIDSUMMER_EVE_OFF"],
        )
    )


def booked_sessions(
    profile: SupervisorProfile,
    window: Interval,
    now: dt.datetime,
    exclude_session: uuid.UUID | None = None,
) -> list[BookedSession]:
    parameters = {
        "supervisor_id": profile.id,
        "now": now,
        "low": window.start - CONTEXT_MARGIN,
        "high": window.end + CONTEXT_MARGIN,
        "earliest": window.start - CONTEXT_MARGIN - LONGEST_SESSION,
        "exclude_session": exclude_session,
    }
    rows = db.session.connection().execute(_booked_query(exclude_session is not None), parameters)
    return [
        BookedSession(Interval(start, end), place_of(kind, location))
        for start, end, kind, location in rows
    ]


@cache
def _booked_query(excluding_session: bool) -> Select:
    """Sessions of the supervisor's live holds near the window (an unconfirmed hold past
    its expiry is free). Built once per shape: building costs more than running it."""
    hold, session = SupervisorHold.__table__, SupervisionSession.__table__
    query = (
        select(session.c.starts_at, session.c.ends_at, session.c.place_kind, session.c.location_id)
        .join(hold, hold.c.session_id == session.c.id)
        .where(
            hold.c.supervisor_id == bindparam("supervisor_id"),
            hold.c.active.is_(True),
            or_(hold.c.expires_at.is_(None), hold.c.expires_at > bindparam("now")),
            hold.c.ends_at > bindparam("low"),
            hold.c.starts_at < bindparam("high"),
            # Bounded below too, so the index range does not run back through history.
            hold.c.starts_at > bindparam("earliest"),
        )
    )
    if excluding_session:
        query = query.where(session.c.id != bindparam("exclude_session"))
    return query


def external_busy(profile: SupervisorProfile, window: Interval) -> IntervalIndex:
    """Busy time from the supervisor's calendars over the weeks around ``window``,
    merged (kept between searches until the calendar sync changes those weeks)."""
    return supervisor_busy(
        profile.id, Interval(window.start - BUSY_MARGIN, window.end + BUSY_MARGIN)
    )


def load_schedule(
    profile: SupervisorProfile,
    window: Interval,
    now: dt.datetime,
    *,
    rules: BookingRules | None = None,
    exclude_session: uuid.UUID | None = None,
) -> Schedule:
    return Schedule(
        hours=working_hours(profile),
        rules=rules or booking_rules(profile),
        holidays=holidays_around(window),
        busy=external_busy(profile, window),
        sessions=tuple(booked_sessions(profile, window, now, exclude_session)),
    )


def current_terms(process: SupervisionProcess) -> AgreementVersion | None:
    """The newest accepted agreement version: the terms sessions are booked under (read
    once per transaction: a booking page asks three times)."""

    def read() -> AgreementVersion | None:
        return db.session.scalar(
            select(AgreementVersion)
            .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
            .where(
                Agreement.process_id == process.id,
                AgreementVersion.status == VersionStatus.ACCEPTED,
            )
            .order_by(AgreementVersion.number.desc())
            .limit(1)
        )

    return remembered("current_terms", process.id, read)


def cadence_window(
    process: SupervisionProcess,
    terms: AgreementVersion,
    zone: str,
    *,
    around: dt.datetime | None = None,
    exclude_session: uuid.UUID | None = None,
) -> CadenceWindow:
    """Dates the process's next session (or the moved one, placed by ``around``) may take.
    Only the sessions on either side are read: an index lookup each, however long the
    process has run."""
    parameters = {"process_id": process.id, "exclude_session": exclude_session, "at": around}
    excluding = exclude_session is not None
    connection = db.session.connection()
    if around is None:
        previous = connection.execute(_neighbour_query(excluding, None), parameters).scalar()
        following = None
    else:
        previous = connection.execute(_neighbour_query(excluding, "before"), parameters).scalar()
        following = connection.execute(_neighbour_query(excluding, "after"), parameters).scalar()
    cadence = Cadence(terms.min_gap_days, terms.max_gap_days)
    tz = zone_of(zone)
    return cadence.window(
        local_date(previous, tz) if previous else None,
        local_date(following, tz) if following else None,
    )


@cache
def _neighbour_query(excluding_session: bool, side: str | None) -> Select:
    """The start of the process's session that counts for its cadence nearest before
    (or after) ``at``, or its latest (``side=None``). Built once per shape."""
    session = SupervisionSession.__table__
    query = select(session.c.starts_at).where(
        session.c.process_id == bindparam("process_id"),
        session.c.status.in_(OCCUPYING),
        session.c.kind != SessionKind.INITIAL_ASSESSMENT,
    )
    if excluding_session:
        query = query.where(session.c.id != bindparam("exclude_session"))
    if side == "after":
        return (
            query.where(session.c.starts_at > bindparam("at"))
            .order_by(session.c.starts_at.asc())
            .limit(1)
        )
    if side == "before":
        query = query.where(session.c.starts_at < bindparam("at"))
    return query.order_by(session.c.starts_at.desc()).limit(1)


def sessions_used(process: SupervisionProcess, *, exclude_session: uuid.UUID | None = None) -> int:
    """How many of the agreement's sessions the process has used: its regular sessions
    (not the initial assessment) booked, waiting, held or missed, and those cancelled
    with a charge. ``exclude_session`` (the one being moved or confirmed) does not count
    against itself."""
    parameters = {"process_id": process.id, "exclude_session": exclude_session}
    query = _used_query(exclude_session is not None)
    return db.session.connection().execute(query, parameters).scalar() or 0


@cache
def _used_query(excluding_session: bool) -> Select:
    session = SupervisionSession.__table__
    query = select(func.count()).where(
        session.c.process_id == bindparam("process_id"),
        session.c.kind != SessionKind.INITIAL_ASSESSMENT,
        or_(
            session.c.status.in_(USING_A_SESSION),
            and_(session.c.status == SessionStatus.CANCELLED, session.c.charge_percent > 0),
        ),
    )
    if excluding_session:
        query = query.where(session.c.id != bindparam("exclude_session"))
    return query


def agreement_limits(
    process: SupervisionProcess,
    terms: AgreementVersion,
    *,
    exclude_session: uuid.UUID | None = None,
) -> AgreementLimits:
    """The agreement's dates and the sessions it has left for the process."""
    used = sessions_used(process, exclude_session=exclude_session)
    return AgreementLimits(terms.starts_on, terms.planned_end_on, terms.session_count - used)


@dataclass(frozen=True)
class BookingBasis:
    """A booking's kind, place, length and rules: what it is, before where it falls in
    the schedule. Enough to ask plugins and calendars about a time before the booking
    transaction; the context under the lock is built on it."""

    process: SupervisionProcess
    profile: SupervisorProfile
    rules: BookingRules
    kind: SessionKind
    place_kind: PlaceKind
    location_id: uuid.UUID | None
    terms: AgreementVersion | None

    @property
    def place(self) -> Place:
        return place_of(self.place_kind, self.location_id)

    def interval_at(self, start: dt.datetime) -> Interval:
        minutes = self.terms.session_minutes if self.terms else None
        return Interval(start, start + self.rules.duration_for(self.kind, minutes))


def booking_basis(
    process: SupervisionProcess,
    kind: SessionKind,
    *,
    place_kind: PlaceKind | None = None,
    location_id: uuid.UUID | None = None,
) -> BookingBasis:
    """The agreement's place unless another is asked for; a remote session has no
    location; an initial assessment has no agreement yet."""
    profile = process.supervisor
    terms = current_terms(process) if kind is not SessionKind.INITIAL_ASSESSMENT else None
    if terms is not None:
        place_kind = place_kind or terms.place_kind
        location_id = location_id or terms.location_id
    place_kind = place_kind or PlaceKind.REMOTE
    if place_kind is PlaceKind.REMOTE:
        location_id = None
    return BookingBasis(
        process, profile, booking_rules(profile), kind, place_kind, location_id, terms
    )


@dataclass(frozen=True)
class BookingContext:
    """Everything the rules need to judge one booking of a process: its basis, and the
    request as the schedule around it sees it (rooms, the cadence's dates)."""

    basis: BookingBasis
    request: SlotRequest
    exclude_session: uuid.UUID | None = None

    @property
    def process(self) -> SupervisionProcess:
        return self.basis.process

    @property
    def profile(self) -> SupervisorProfile:
        return self.basis.profile

    @property
    def rules(self) -> BookingRules:
        return self.basis.rules

    @property
    def place_kind(self) -> PlaceKind:
        return self.basis.place_kind

    @property
    def location_id(self) -> uuid.UUID | None:
        return self.basis.location_id

    def interval_at(self, start: dt.datetime) -> Interval:
        return self.basis.interval_at(start)


def context_from(
    basis: BookingBasis,
    window: Interval,
    *,
    exclude_session: uuid.UUID | None = None,
    around: dt.datetime | None = None,
    with_cadence: bool = True,
) -> BookingContext:
    """The basis placed in the schedule around ``window``: the rooms that could take it,
    the agreement's dates and the sessions it has left, and the dates its cadence allows
    (``with_cadence=False`` for the agreement's own series, whose spacing, breaks
    included, is the cadence; the series too stays within the agreement's dates and
    count)."""
    process, terms = basis.process, basis.terms
    rooms = None
    if basis.place_kind is PlaceKind.CLIENT_PREMISES and process.orderer_organisation_id:
        rooms = room_candidates(
            process.orderer_organisation_id,
            basis.location_id,
            window,
            exclude_session=exclude_session,
        )
    request = SlotRequest(
        kind=basis.kind,
        place=basis.place,
        duration_minutes=terms.session_minutes if terms else None,
        cadence=(
            cadence_window(
                process,
                terms,
                basis.profile.timezone,
                around=around,
                exclude_session=exclude_session,
            )
            if terms and with_cadence
            else None
        ),
        agreement=(
            agreement_limits(process, terms, exclude_session=exclude_session) if terms else None
        ),
        rooms=rooms,
        required_capacity=len(process.participants) + 1,
    )
    return BookingContext(basis, request, exclude_session)


def booking_context(
    process: SupervisionProcess,
    kind: SessionKind,
    window: Interval,
    *,
    place_kind: PlaceKind | None = None,
    location_id: uuid.UUID | None = None,
    exclude_session: uuid.UUID | None = None,
    around: dt.datetime | None = None,
    with_cadence: bool = True,
) -> BookingContext:
    """The rules for booking ``kind`` in ``process`` within ``window`` (slot search, a
    series over its whole span)."""
    basis = booking_basis(process, kind, place_kind=place_kind, location_id=location_id)
    return context_from(
        basis, window, exclude_session=exclude_session, around=around, with_cadence=with_cadence
    )
