"""Free slots for a booking, and the check of one proposed interval.

The inputs come in two bundles: a :class:`Schedule` (the supervisor's side: working
hours with their zone, holidays, busy time from external calendars, booked sessions,
rules) and a :class:`SlotRequest` (what is being booked: kind/duration, place, cadence
window, candidate rooms). Build a Schedule once and ask it many questions: its busy
time is merged into an :class:`IntervalIndex` once and then queried with ``bisect``.

A slot is bookable when (``check_slot`` reports one :class:`Reason` per failed rule):

* it lasts exactly the requested duration and starts on the local step grid
  (``localtime.is_on_grid``: local minutes since midnight divisible by the step; in a
  repeated fall-back hour only the first occurrence of a label);
* its local start date is not a holiday nor a day off, and it lies inside one working
  interval of that date;
* ``now + min_notice <= start <= now + max_advance``; its local date is in the cadence
  window, if one is given;
* under an agreement (:class:`AgreementLimits`), one of its sessions is still unused
  and the local date lies between its first day and its planned end;
* padded by the buffers it does not overlap busy time; it keeps ``rules.session_gap``
  from every booked session, and on the same local day ``session_gap + travel`` from
  the previous and the next session (by place);
* the day's and the ISO week's session counts (local dates) are below the limits;
* if rooms are given, at least one with enough capacity is free for
  ``[start - setup, end + setup)`` and its own policy admits the slot
  (:mod:`service.domain.room_policy`); a room refused either way is ``NO_ROOM``.

``find_slots`` enumerates grid candidates and applies the same rules, so the two agree
(tested as a property). Sessions being rescheduled must be left out of
``Schedule.sessions`` by the caller, and the supervisor's own sessions should not also
appear in ``busy`` (filter the calendar echo of our own events when syncing).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import islice
from zoneinfo import ZoneInfo

from service.domain.cadence import CadenceWindow
from service.domain.errors import InvalidRequest, Reason, SlotUnavailable, sort_reasons
from service.domain.intervals import Interval, IntervalIndex, ensure_utc
from service.domain.localtime import (
    day_offset,
    is_on_grid,
    iso_week,
    local_date,
    resolve_label,
    resolve_start,
)
from service.domain.room_policy import RoomPolicy
from service.domain.rules import BookingRules, Place, PlaceKind, SessionKind, earliest_start
from service.domain.slots import Slot
from service.domain.working_hours import WorkingHours, local_dates

ONE_DAY = timedelta(days=1)
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class BookedSession:
    """A session already on the supervisor's books (any process)."""

    interval: Interval
    place: Place


@dataclass(frozen=True)
class Room:
    """A candidate room; ``busy`` may be given as any iterable of intervals. Without a
    ``policy`` the room has no rules of its own."""

    id: str
    capacity: int
    busy: IntervalIndex = field(default_factory=IntervalIndex)
    setup_minutes: int = 0
    policy: RoomPolicy | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "busy", IntervalIndex.of(self.busy))
        if self.capacity < 0 or self.setup_minutes < 0:
            raise InvalidRequest("room capacity and setup minutes must not be negative")


@dataclass(frozen=True)
class AgreementLimits:
    """What the written agreement allows a process's regular sessions: local dates
    ``first_day``..``last_day`` inclusive (its start and planned end), and how many of
    its agreed sessions are not yet used by the caller's count."""

    first_day: date
    last_day: date
    sessions_left: int

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidRequest("the agreement ends before it starts")

    @property
    def used_up(self) -> bool:
        return self.sessions_left < 1

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class SlotRequest:
    """What is being booked.

    ``duration_minutes`` is the agreement's override of the kind's default length.
    ``rooms=None`` means rooms are not managed here (no room check); a tuple, even an
    empty one, means a slot needs one of these rooms with ``required_capacity``.
    ``agreement=None`` means no agreement binds the session (an initial assessment).
    """

    kind: SessionKind
    place: Place
    duration_minutes: int | None = None
    cadence: CadenceWindow | None = None
    agreement: AgreementLimits | None = None
    rooms: tuple[Room, ...] | None = None
    required_capacity: int = 1

    def __post_init__(self) -> None:
        if self.rooms is not None:
            object.__setattr__(self, "rooms", tuple(self.rooms))
            if self.place.kind is PlaceKind.REMOTE:
                raise InvalidRequest("a remote session does not reserve a room")
        if self.required_capacity < 1:
            raise InvalidRequest("required_capacity must be at least 1")

    def duration(self, rules: BookingRules) -> timedelta:
        return rules.duration_for(self.kind, self.duration_minutes)


@dataclass(frozen=True)
class Schedule:
    """The supervisor's side of a search. ``busy`` may be given as any iterable of
    UTC intervals; it is merged into an index once."""

    hours: WorkingHours
    rules: BookingRules
    holidays: frozenset[date] = frozenset()
    busy: IntervalIndex = field(default_factory=IntervalIndex)
    sessions: tuple[BookedSession, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "busy", IntervalIndex.of(self.busy))
        object.__setattr__(self, "sessions", tuple(self.sessions))

    @property
    def zone(self) -> ZoneInfo:
        return self.hours.zone

    def with_sessions(self, extra: Iterable[BookedSession]) -> Schedule:
        """The same schedule with more booked sessions (the busy index is reused)."""
        return replace(self, sessions=self.sessions + tuple(extra))

    def with_busy(self, extra: Iterable[Interval]) -> Schedule:
        """The same schedule with more busy time: what the supervisor's calendars
        answered at the moment of booking, judged by the same rules as the cache."""
        added = list(extra)
        if not added:
            return self
        return replace(self, busy=IntervalIndex([*self.busy, *added]))

    def with_rules(self, rules: BookingRules) -> Schedule:
        return replace(self, rules=rules)

    @cached_property
    def _booked(self) -> _BookedIndex:
        return _BookedIndex(self.sessions, self.rules, self.zone)


@dataclass(frozen=True, slots=True)
class _Booked:
    start: datetime
    end: datetime
    place: Place
    day: date


class _DayBooked:
    """One local day's sessions, sorted by end and by start for bisecting."""

    def __init__(self, booked: list[_Booked]) -> None:
        self.by_end = sorted(booked, key=lambda b: b.end)
        self.ends = [b.end for b in self.by_end]
        self.by_start = sorted(booked, key=lambda b: b.start)
        self.starts = [b.start for b in self.by_start]


class _BookedIndex:
    """Booked sessions prepared for gap, travel and limit checks."""

    def __init__(self, sessions: Iterable[BookedSession], rules: BookingRules, zone: ZoneInfo):
        gap = rules.session_gap
        booked = [
            _Booked(s.interval.start, s.interval.end, s.place, local_date(s.interval.start, zone))
            for s in sessions
        ]
        self.padded = IntervalIndex(Interval._trusted(b.start - gap, b.end + gap) for b in booked)
        by_day: dict[date, list[_Booked]] = {}
        for b in booked:
            by_day.setdefault(b.day, []).append(b)
        self.days = {day: _DayBooked(items) for day, items in by_day.items()}
        self.per_day = Counter({day: len(items) for day, items in by_day.items()})
        self.per_week = Counter(iso_week(b.day) for b in booked)

    def previous(self, start: datetime, day: date) -> list[_Booked]:
        """``day``'s sessions ending last at or before ``start`` (several only if they tie)."""
        found = self.days.get(day)
        if found is None:
            return []
        i = bisect_right(found.ends, start)
        if i == 0:
            return []
        return found.by_end[bisect_left(found.ends, found.ends[i - 1]) : i]

    def following(self, end: datetime, day: date) -> list[_Booked]:
        """``day``'s sessions starting first at or after ``end`` (several only if they tie)."""
        found = self.days.get(day)
        if found is None:
            return []
        j = bisect_left(found.starts, end)
        if j == len(found.starts):
            return []
        return found.by_start[j : bisect_right(found.starts, found.starts[j])]


class _Checker:
    """The rules that do not depend on the grid, prepared once per (schedule, request, now)."""

    def __init__(self, schedule: Schedule, request: SlotRequest, now: datetime) -> None:
        now = ensure_utc(now, "now")
        self.now = now
        rules = schedule.rules
        self.rules = rules
        self.duration = request.duration(rules)
        self.earliest = earliest_start(now, rules.min_notice_minutes)
        self.latest = (
            None if rules.max_advance_days is None else now + timedelta(days=rules.max_advance_days)
        )
        self.before = timedelta(minutes=rules.buffer_before_minutes)
        self.after = timedelta(minutes=rules.buffer_after_minutes)
        self.gap = rules.session_gap
        self.busy = schedule.busy
        self.booked = schedule._booked
        self.place = request.place
        self.cadence = request.cadence
        self.agreement = request.agreement
        self.rooms = _suitable_rooms(request)

    def reasons(self, start: datetime, end: datetime, day: date) -> Iterator[Reason]:
        """Lazily yield failed rules (except rooms); ``day`` is the local start date."""
        if start < self.earliest:
            yield Reason.TOO_SOON
        if self.latest is not None and start > self.latest:
            yield Reason.TOO_FAR
        if self.agreement is not None:
            if self.agreement.used_up:
                yield Reason.SESSIONS_USED_UP
            if not self.agreement.contains(day):
                yield Reason.OUTSIDE_AGREEMENT
        if self.cadence is not None and not self.cadence.contains(day):
            yield Reason.OUTSIDE_CADENCE
        if self.busy.overlaps(start - self.before, end + self.after):
            yield Reason.BUSY
        if self.booked.padded.overlaps(start, end):
            yield Reason.SESSION_CONFLICT
        if self._travel_too_short(start, end, day):
            yield Reason.TRAVEL_TIME
        per_day = self.rules.max_sessions_per_day
        if per_day is not None and self.booked.per_day[day] >= per_day:
            yield Reason.DAILY_LIMIT
        per_week = self.rules.max_sessions_per_week
        if per_week is not None and self.booked.per_week[iso_week(day)] >= per_week:
            yield Reason.WEEKLY_LIMIT

    def _travel_too_short(self, start: datetime, end: datetime, day: date) -> bool:
        """Is the gap to the adjacent session of the same local day, before or after,
        shorter than ``session_gap`` plus the travel between the two places?"""
        for previous in self.booked.previous(start, day):
            minutes = self.rules.travel_minutes(previous.place, self.place)
            if minutes and start - previous.end < self.gap + timedelta(minutes=minutes):
                return True
        for following in self.booked.following(end, day):
            minutes = self.rules.travel_minutes(self.place, following.place)
            if minutes and following.start - end < self.gap + timedelta(minutes=minutes):
                return True
        return False

    def free_rooms(self, start: datetime, end: datetime) -> tuple[str, ...] | None:
        """Ids of suitable rooms free around the slot; None when rooms are not managed."""
        return None if self.rooms is None else _free_room_ids(self.rooms, start, end, self.now)


def _suitable_rooms(request: SlotRequest) -> tuple[Room, ...] | None:
    if request.rooms is None:
        return None
    return tuple(room for room in request.rooms if room.capacity >= request.required_capacity)


def _free_room_ids(
    rooms: tuple[Room, ...], start: datetime, end: datetime, now: datetime
) -> tuple[str, ...]:
    """Rooms free for ``[start - setup, end + setup)`` whose policy admits the slot, in
    the order given."""
    free = []
    for room in rooms:
        setup = timedelta(minutes=room.setup_minutes)
        if room.busy.overlaps(start - setup, end + setup):
            continue
        if room.policy is None or room.policy.admits(start, end, now, setup):
            free.append(room.id)
    return tuple(free)


def _minute_ceil(moment: time) -> int:
    """Minutes after midnight, rounded up to a whole minute."""
    return moment.hour * 60 + moment.minute + bool(moment.second or moment.microsecond)


def _label_minutes(hours: WorkingHours, day: date, step: int, fixed_offset: bool) -> range:
    """Grid labels (minutes after local midnight) worth trying on ``day``.

    With a constant offset, labels map monotonically to instants, so only labels inside
    the day's ranges can fit. On a transition day every label of the day is tried.
    """
    if not fixed_offset:
        return range(0, MINUTES_PER_DAY, step)
    ranges = hours.ranges_on(day)
    first = min(_minute_ceil(r.start) for r in ranges)
    last = max(_minute_ceil(r.end) for r in ranges)
    first = -(-first // step) * step
    return range(first, last, step)


def _grid_starts(hours: WorkingHours, day: date, step: int, duration: timedelta) -> list[datetime]:
    """UTC starts of grid slots of ``duration`` lying inside ``day``'s working time."""
    working = hours.intervals_on(day)
    if not working:
        return []
    zone = hours.zone
    offset = day_offset(day, zone)
    labels = _label_minutes(hours, day, step, offset is not None)
    candidates: list[datetime | None]
    if offset is not None:  # constant offset: local midnight's instant plus the minutes
        utc_midnight = datetime.combine(day, time(0), tzinfo=UTC) - offset
        candidates = [utc_midnight + timedelta(minutes=minutes) for minutes in labels]
    else:  # transition day: resolve each wall-clock label (None if skipped)
        midnight = datetime.combine(day, time(0))
        candidates = [resolve_label(midnight + timedelta(minutes=m), zone) for m in labels]
    starts = []
    for start in candidates:
        if start is None:  # skipped by spring forward: never offered
            continue
        end = start + duration
        for interval in working:
            if interval.start <= start and end <= interval.end:
                starts.append(start)
                break
    starts.sort()
    return starts


def iter_slots(
    schedule: Schedule, request: SlotRequest, window: Interval, now: datetime
) -> Iterator[Slot]:
    """Free slots lying wholly inside ``window``, in time order, generated day by day."""
    checker = _Checker(schedule, request, now)
    duration = checker.duration
    low = max(window.start, checker.earliest)
    high = window.end - duration  # latest start that still ends inside the window
    if checker.latest is not None:
        high = min(high, checker.latest)
    agreement = request.agreement
    if low > high or (agreement is not None and agreement.used_up):
        return
    zone = schedule.zone
    first_day, last_day = local_date(low, zone), local_date(high, zone)
    cadence = request.cadence
    if cadence is not None:
        if cadence.earliest is not None:
            first_day = max(first_day, cadence.earliest)
        if cadence.latest is not None:
            last_day = min(last_day, cadence.latest)
    if agreement is not None:
        first_day = max(first_day, agreement.first_day)
        last_day = min(last_day, agreement.last_day)
    step = schedule.rules.slot_step_minutes
    for day in local_dates(first_day, last_day):
        if day in schedule.holidays or schedule.hours.is_day_off(day):
            continue
        for start in _grid_starts(schedule.hours, day, step, duration):
            if start < low or start > high:
                continue
            end = start + duration
            if next(checker.reasons(start, end, day), None) is not None:
                continue
            rooms = checker.free_rooms(start, end)
            if rooms is None:
                rooms = ()
            elif not rooms:
                continue
            yield Slot(start, end, rooms)


def find_slots(
    schedule: Schedule, request: SlotRequest, window: Interval, now: datetime
) -> list[Slot]:
    """Every bookable slot lying wholly inside ``window``, in time order (UTC)."""
    return list(iter_slots(schedule, request, window, now))


def check_slot(
    schedule: Schedule, request: SlotRequest, interval: Interval, now: datetime
) -> list[Reason]:
    """Every reason ``interval`` cannot be booked (empty list: bookable)."""
    checker = _Checker(schedule, request, now)
    zone = schedule.zone
    start, end = interval.start, interval.end
    day = local_date(start, zone)
    reasons: list[Reason] = []
    if interval.duration != checker.duration:
        reasons.append(Reason.WRONG_DURATION)
    if not is_on_grid(start, zone, schedule.rules.slot_step_minutes):
        reasons.append(Reason.NOT_ALIGNED)
    if day in schedule.holidays:
        reasons.append(Reason.HOLIDAY)
    elif schedule.hours.is_day_off(day):
        reasons.append(Reason.DAY_OFF)
    elif not any(w.contains(interval) for w in schedule.hours.intervals_on(day)):
        reasons.append(Reason.OUTSIDE_WORKING_HOURS)
    reasons.extend(checker.reasons(start, end, day))
    if checker.free_rooms(start, end) == ():
        reasons.append(Reason.NO_ROOM)
    return sort_reasons(reasons)


def ensure_bookable(
    schedule: Schedule, request: SlotRequest, interval: Interval, now: datetime
) -> None:
    """Raise :class:`SlotUnavailable` with every reason if ``interval`` is not bookable."""
    reasons = check_slot(schedule, request, interval, now)
    if reasons:
        raise SlotUnavailable(reasons)


def rooms_free(request: SlotRequest, interval: Interval, now: datetime) -> tuple[str, ...]:
    """Ids of the request's rooms with enough capacity that are free around ``interval``
    and admit it by their policy (``()`` also when rooms are not managed); rooms carry
    their own busy time and policy."""
    rooms = _suitable_rooms(request)
    if rooms is None:
        return ()
    return _free_room_ids(rooms, interval.start, interval.end, ensure_utc(now, "now"))


def next_alternatives(
    schedule: Schedule,
    request: SlotRequest,
    after: datetime,
    now: datetime,
    count: int = 3,
    horizon_days: int = 366,
) -> list[Slot]:
    """The first ``count`` free slots starting at or after ``after``."""
    after = ensure_utc(after, "after")
    window = Interval(after, after + timedelta(days=horizon_days))
    return list(islice(iter_slots(schedule, request, window, now), count))


def local_day_window(first: date, last: date, zone: ZoneInfo) -> Interval:
    """UTC interval from local midnight of ``first`` to local midnight after ``last``."""
    return Interval(
        resolve_start(datetime.combine(first, time(0)), zone),
        resolve_start(datetime.combine(last + ONE_DAY, time(0)), zone),
    )


def nearest_alternatives(
    schedule: Schedule,
    request: SlotRequest,
    around: datetime,
    now: datetime,
    count: int = 3,
    within_days: int = 3,
    accept: Callable[[Slot], bool] | None = None,
) -> list[Slot]:
    """Up to ``count`` free slots on local dates within ``within_days`` of ``around``.

    Nearest first the way people reschedule: the same local date first, then the closest
    dates, and within a date the closest local time of day (ties: earlier first).
    ``accept`` filters candidates (e.g. not inside a break).
    """
    around = ensure_utc(around, "around")
    zone = schedule.zone
    wanted = around.astimezone(zone)
    wanted_minutes = wanted.hour * 60 + wanted.minute
    day = wanted.date()
    window = local_day_window(
        day - timedelta(days=within_days), day + timedelta(days=within_days), zone
    )

    def distance(slot: Slot) -> tuple[int, int, datetime]:
        moment = slot.start.astimezone(zone)
        days = abs((moment.date() - day).days)
        return days, abs(moment.hour * 60 + moment.minute - wanted_minutes), slot.start

    candidates = [
        slot
        for slot in iter_slots(schedule, request, window, now)
        if accept is None or accept(slot)
    ]
    candidates.sort(key=distance)
    return candidates[:count]
