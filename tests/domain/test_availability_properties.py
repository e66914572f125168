"""Hypothesis properties of slot search.

(a) every offered slot obeys every rule, checked by an independent brute-force oracle;
(b) the interval laws live in test_intervals.py;
(c) find_slots and check_slot agree: every offered slot passes check_slot, and every
    grid candidate in the window that passes check_slot is offered (with the same rooms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.availability import (
    AgreementLimits,
    BookedSession,
    Room,
    Schedule,
    SlotRequest,
    check_slot,
    find_slots,
    local_day_window,
    rooms_free,
)
from service.domain.cadence import CadenceWindow
from service.domain.intervals import Interval
from service.domain.room_policy import RoomPolicy
from service.domain.rules import BookingRules, Place, SessionKind, TravelTimes
from service.domain.working_hours import (
    DateOverride,
    LocalRange,
    OverrideKind,
    WorkingHours,
    local_dates,
)
from tests.domain.helpers import CLIENT_A, CLIENT_B, HELSINKI, NEW_YORK, OFFICE, REMOTE, TOKYO

PLACES = [OFFICE, CLIENT_A, CLIENT_B, REMOTE]
# Mondays of weeks with something awkward: both Helsinki DST changes, New York's spring
# change, Christmas, and an ordinary summer week.
ANCHORS = [
    date(2026, 3, 23),
    date(2026, 10, 19),
    date(2026, 3, 2),
    date(2026, 12, 21),
    date(2026, 6, 15),
]
# The transition days themselves, with their zone.
DST_DAYS = [
    (date(2026, 3, 29), HELSINKI),
    (date(2026, 10, 25), HELSINKI),
    (date(2026, 3, 8), NEW_YORK),
    (date(2026, 11, 1), NEW_YORK),
]
DAY_BAND = (6 * 60, 22 * 60)  # wall-clock band far from every DST transition
FULL_BAND = (0, 23 * 60 + 45)  # includes the transition hours

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass
class Scenario:
    zone: ZoneInfo
    first: date
    last: date
    weekly: dict[int, list[tuple[time, time]]]
    overrides: dict[date, DateOverride]
    holidays: set[date]
    rules: BookingRules
    busy: list[Interval]
    sessions: list[BookedSession]
    request: SlotRequest
    window: Interval
    now: datetime

    @property
    def schedule(self) -> Schedule:
        hours = WorkingHours.build(self.zone, self.weekly, self.overrides)
        return Schedule(hours, self.rules, frozenset(self.holidays), self.busy, self.sessions)


def clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def local_ranges(draw, band: tuple[int, int], min_size: int = 0) -> list[tuple[time, time]]:
    low, high = band[0] // 15, band[1] // 15
    result = []
    for _ in range(draw(st.integers(min_size, 2))):
        start = draw(st.integers(low, high - 1))
        end = draw(st.integers(start + 1, min(high, start + 40)))
        result.append((clock(start * 15), clock(end * 15)))
    return result


def room_policies(zone: ZoneInfo):
    """No policy, or hours away from the DST changes of the zones used, and limits."""
    return st.none() | st.builds(
        RoomPolicy,
        zone=st.just(zone),
        bookable_from=st.sampled_from([None, time(7), time(9, 30)]),
        bookable_until=st.sampled_from([None, time(15), time(16, 30)]),
        max_advance_days=st.sampled_from([None, 1, 3]),
        max_length_minutes=st.sampled_from([None, 45, 60]),
    )


def policy_admits(room: Room, start: datetime, end: datetime, now: datetime) -> bool:
    """The room policy by local wall clock, as a person reading it would apply it."""
    policy = room.policy
    if policy is None:
        return True
    setup = timedelta(minutes=room.setup_minutes)
    first = (start - setup).astimezone(policy.zone)
    last = (end + setup).astimezone(policy.zone)
    midnight_after = last.date() == first.date() + timedelta(days=1) and last.time() == time(0)
    inside = (policy.bookable_from is None or first.time() >= policy.bookable_from) and (
        (last.date() == first.date() and last.time() <= (policy.bookable_until or time.max))
        or (policy.bookable_until is None and midnight_after)
    )
    near = policy.max_advance_days is None or start - now <= timedelta(days=policy.max_advance_days)
    short = policy.max_length_minutes is None or end - start <= timedelta(
        minutes=policy.max_length_minutes
    )
    return inside and near and short


@st.composite
def scenarios(draw, band: tuple[int, int] = DAY_BAND, max_days: int = 14) -> Scenario:
    zone = draw(st.sampled_from([HELSINKI, NEW_YORK, TOKYO]))
    change = None
    if band == FULL_BAND and draw(st.booleans()):  # half the time: on a DST change
        change, zone = draw(st.sampled_from(DST_DAYS))
        first = change - timedelta(days=draw(st.integers(0, 1)))
    else:
        first = draw(st.sampled_from(ANCHORS)) + timedelta(days=draw(st.integers(0, 6)))
    last = first + timedelta(days=draw(st.integers(0, max_days - 1)))
    days = list(local_dates(first, last))
    weekly = {weekday: draw(local_ranges(band, min_size=int(weekday < 5))) for weekday in range(7)}
    overrides = {}
    for day in draw(st.sets(st.sampled_from(days), max_size=3)):
        kind = draw(st.sampled_from(list(OverrideKind)))
        ranges = [] if kind is OverrideKind.OFF else draw(local_ranges(band, min_size=1))
        overrides[day] = DateOverride(kind, tuple(LocalRange.of(r) for r in ranges))
    if change is not None and draw(st.booleans()):  # work through the night of the change
        overrides[change] = DateOverride.replace((time(0), time(7)))
    holidays = draw(st.sets(st.sampled_from(days), max_size=3))
    matrix = {}
    if draw(st.booleans()):
        matrix[(OFFICE, CLIENT_A)] = draw(st.sampled_from([10, 60]))
    rules = BookingRules(
        slot_step_minutes=draw(st.sampled_from([15, 20, 30, 60])),
        buffer_before_minutes=draw(st.sampled_from([0, 5, 15, 30])),
        buffer_after_minutes=draw(st.sampled_from([0, 10, 15, 30])),
        min_notice_minutes=draw(st.sampled_from([0, 60, 24 * 60, 3 * 24 * 60])),
        max_advance_days=draw(st.sampled_from([None, 2, 5, 30])),
        max_sessions_per_day=draw(st.sampled_from([None, None, 1, 2, 3])),
        max_sessions_per_week=draw(st.sampled_from([None, None, 2, 5])),
        travel=TravelTimes.build(matrix, default_minutes=draw(st.sampled_from([0, 30, 60, 90]))),
    )
    window = local_day_window(first, last, zone)
    trim_start = timedelta(minutes=5 * draw(st.integers(0, 12 * 6)))
    trim_end = timedelta(minutes=5 * draw(st.integers(0, 12 * 6)))
    if window.start + trim_start + timedelta(hours=3) < window.end - trim_end:
        window = Interval(window.start + trim_start, window.end - trim_end)
    span = int((window.end - window.start) / timedelta(minutes=5))

    def instant(offset_units: int) -> datetime:
        return window.start + timedelta(minutes=5 * offset_units)

    # Busy time and sessions mostly near working hours, where they interact with slots.
    near_days = [first - timedelta(days=1), *days, last + timedelta(days=1)]
    near = st.builds(
        # to UTC before any arithmetic: adding minutes to an aware local time is wall-clock
        # arithmetic and goes wrong across a DST change
        lambda day, minutes: (
            datetime.combine(day, clock(minutes)).replace(tzinfo=zone).astimezone(UTC)
        ),
        st.sampled_from(near_days),
        st.integers(band[0] // 5, band[1] // 5).map(lambda units: units * 5),
    )
    lengths = st.integers(1, 36).map(lambda units: timedelta(minutes=5 * units))
    busy = [
        Interval(at, at + length)
        for at, length in draw(st.lists(st.tuples(near, lengths), max_size=12))
    ]
    sessions = [
        BookedSession(Interval(at, at + length), place)
        for at, length, place in draw(
            st.lists(st.tuples(near, lengths, st.sampled_from(PLACES)), max_size=8)
        )
    ]
    place: Place = draw(st.sampled_from(PLACES))
    rooms = None
    if place != REMOTE and draw(st.booleans()):
        rooms = tuple(
            Room(
                f"room-{index}",
                capacity=draw(st.integers(1, 8)),
                busy=[
                    Interval(instant(at), instant(at + length))
                    for at, length in draw(
                        st.lists(st.tuples(st.integers(0, span), st.integers(1, 48)), max_size=3)
                    )
                ],
                setup_minutes=draw(st.sampled_from([0, 10, 30])),
                policy=draw(room_policies(zone)),
            )
            for index in range(draw(st.integers(0, 3)))
        )
    cadence = None
    if draw(st.booleans()):
        a, b = sorted(draw(st.lists(st.sampled_from(days), min_size=2, max_size=2)))
        cadence = CadenceWindow(
            a if draw(st.booleans()) else None, b if draw(st.booleans()) else None
        )
    agreement = None
    if draw(st.booleans()):
        a, b = sorted(draw(st.lists(st.sampled_from(days), min_size=2, max_size=2)))
        agreement = AgreementLimits(a, b, sessions_left=draw(st.sampled_from([0, 1, 5])))
    request = SlotRequest(
        kind=draw(st.sampled_from(list(SessionKind))),
        place=place,
        duration_minutes=draw(st.sampled_from([None, 30, 45, 75])),
        cadence=cadence,
        agreement=agreement,
        rooms=rooms,
        required_capacity=draw(st.integers(1, 5)),
    )
    now = window.start + timedelta(minutes=5 * draw(st.integers(-3 * 288, 288)))
    return Scenario(
        zone, first, last, weekly, overrides, holidays, rules, busy, sessions, request, window, now
    )


# --- the oracle: the rules written out again, by brute force -----------------------------


def effective_ranges(s: Scenario, day: date) -> list[tuple[int, int]]:
    """Merged wall-clock minute ranges of ``day``, from the drawn data (not the code)."""
    base = [(r.hour * 60 + r.minute, e.hour * 60 + e.minute) for r, e in s.weekly[day.weekday()]]
    override = s.overrides.get(day)
    if override is not None:
        extra = [
            (r.start.hour * 60 + r.start.minute, r.end.hour * 60 + r.end.minute)
            for r in override.ranges
        ]
        base = {
            OverrideKind.OFF: [],
            OverrideKind.REPLACE: extra,
            OverrideKind.EXTRA: base + extra,
        }[override.kind]
    merged: list[list[int]] = []
    for start, end in sorted(base):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def assert_obeys_every_rule(s: Scenario, slot) -> None:
    rules, zone, request = s.rules, s.zone, s.request
    duration = rules.duration_for(request.kind, request.duration_minutes)
    start, end = slot.start, slot.end
    assert start.tzinfo is UTC and end - start == duration
    assert s.window.start <= start and end <= s.window.end

    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date()
    # grid
    assert local_start.second == 0 and local_start.microsecond == 0
    assert (local_start.hour * 60 + local_start.minute) % rules.slot_step_minutes == 0
    # working hours (wall clock is safe: the band avoids the DST hours)
    assert day not in s.holidays
    begin = local_start.hour * 60 + local_start.minute
    finish = local_end.hour * 60 + local_end.minute
    assert local_end.date() == day
    assert any(low <= begin and finish <= high for low, high in effective_ranges(s, day))
    # notice, horizon, cadence
    assert start >= s.now + timedelta(minutes=rules.min_notice_minutes)
    if rules.max_advance_days is not None:
        assert start <= s.now + timedelta(days=rules.max_advance_days)
    if request.cadence is not None:
        assert request.cadence.contains(day)
    # the agreement: a session left, and its dates
    if request.agreement is not None:
        assert request.agreement.sessions_left >= 1
        assert request.agreement.first_day <= day <= request.agreement.last_day
    # busy time, padded by this session's buffers
    before = timedelta(minutes=rules.buffer_before_minutes)
    after = timedelta(minutes=rules.buffer_after_minutes)
    for busy in s.busy:
        assert not (busy.start < end + after and start - before < busy.end)
    # other sessions: the larger buffer on either side, plus travel on the same local day
    gap = max(before, after)
    same_day = [b for b in s.sessions if b.interval.start.astimezone(zone).date() == day]
    for booked in s.sessions:
        assert not (booked.interval.start < end + gap and start - gap < booked.interval.end)
    earlier = [b for b in same_day if b.interval.end <= start]
    later = [b for b in same_day if b.interval.start >= end]
    if earlier:  # the adjacent session(s) before: all that end last
        last_end = max(b.interval.end for b in earlier)
        for previous in (b for b in earlier if b.interval.end == last_end):
            travel = timedelta(minutes=rules.travel_minutes(previous.place, request.place))
            assert start - previous.interval.end >= gap + travel
    if later:  # and after: all that start first
        first_start = min(b.interval.start for b in later)
        for following in (b for b in later if b.interval.start == first_start):
            travel = timedelta(minutes=rules.travel_minutes(request.place, following.place))
            assert following.interval.start - end >= gap + travel
    # limits, by local day and local ISO week
    if rules.max_sessions_per_day is not None:
        assert len(same_day) < rules.max_sessions_per_day
    if rules.max_sessions_per_week is not None:
        week = day.isocalendar()[:2]
        in_week = [
            b
            for b in s.sessions
            if b.interval.start.astimezone(zone).date().isocalendar()[:2] == week
        ]
        assert len(in_week) < rules.max_sessions_per_week
    # rooms: exactly the suitable free ones
    if request.rooms is None:
        assert slot.room_ids == ()
    else:
        expected = tuple(
            room.id
            for room in request.rooms
            if room.capacity >= request.required_capacity
            and not any(
                b.start < end + timedelta(minutes=room.setup_minutes)
                and start - timedelta(minutes=room.setup_minutes) < b.end
                for b in room.busy
            )
            and policy_admits(room, start, end, s.now)
        )
        assert slot.room_ids == expected
        assert expected


@PROPERTY
@given(scenarios(max_days=7))
def test_a_every_offered_slot_obeys_every_rule(s):
    slots = find_slots(s.schedule, s.request, s.window, s.now)
    assert slots == sorted(slots)
    assert len({slot.start for slot in slots}) == len(slots)
    for slot in slots:
        assert_obeys_every_rule(s, slot)


def probes(s: Scenario, duration: timedelta) -> list[Interval]:
    """Every interval of ``duration`` starting on a 5-minute UTC boundary in the window.

    Every grid label of the zones used here is such a boundary, so this covers all
    offered slots and also the off-grid and repeated-hour starts that must be refused.
    """
    found = []
    start = s.window.start
    while start + duration <= s.window.end:
        found.append(Interval(start, start + duration))
        start += timedelta(minutes=5)
    return found


@PROPERTY
@given(scenarios(band=FULL_BAND, max_days=3))
def test_c_find_slots_and_check_slot_agree(s):
    schedule = s.schedule
    slots = find_slots(schedule, s.request, s.window, s.now)
    offered = {slot.start: slot for slot in slots}
    for slot in slots:
        assert check_slot(schedule, s.request, slot.interval, s.now) == []
    duration = s.rules.duration_for(s.request.kind, s.request.duration_minutes)
    probed = probes(s, duration)
    assert set(offered) <= {probe.start for probe in probed}
    for probe in probed:
        bookable = check_slot(schedule, s.request, probe, s.now) == []
        assert bookable == (probe.start in offered), probe
        if bookable:
            assert offered[probe.start].room_ids == rooms_free(s.request, probe, s.now)


@PROPERTY
@given(scenarios(max_days=7), st.data())
def test_a_narrower_window_offers_the_wider_windows_offers_inside_it(s, data):
    """An offer depends on its own time, not on the window asked: the booking page
    narrows the next-free search's answer to the week it shows."""
    units = int((s.window.end - s.window.start) / timedelta(minutes=5))
    first = data.draw(st.integers(0, units - 1))
    last = data.draw(st.integers(first + 1, units))
    narrow = Interval(
        s.window.start + timedelta(minutes=5 * first), s.window.start + timedelta(minutes=5 * last)
    )
    wide = find_slots(s.schedule, s.request, s.window, s.now)
    assert find_slots(s.schedule, s.request, narrow, s.now) == [
        slot for slot in wide if narrow.contains(slot.interval)
    ]


@st.composite
def busy_days(draw):
    """One Helsinki working day crowded with sessions elsewhere and busy time."""
    day = draw(st.sampled_from([date(2026, 3, 27), date(2026, 3, 30), date(2026, 6, 17)]))
    rules = BookingRules(
        slot_step_minutes=draw(st.sampled_from([15, 30])),
        buffer_before_minutes=draw(st.sampled_from([0, 10, 20])),
        buffer_after_minutes=draw(st.sampled_from([0, 15, 30])),
        min_notice_minutes=0,
        travel=TravelTimes.build(
            {(OFFICE, CLIENT_A): draw(st.sampled_from([15, 45]))},
            default_minutes=draw(st.sampled_from([0, 30, 60])),
        ),
    )
    at = st.integers(7 * 12, 19 * 12).map(
        lambda units: datetime.combine(day, clock(units * 5)).replace(tzinfo=HELSINKI)
    )
    lengths = st.integers(3, 24).map(lambda units: timedelta(minutes=5 * units))
    sessions = [
        BookedSession(Interval(start, start + length), place)
        for start, length, place in draw(
            st.lists(st.tuples(at, lengths, st.sampled_from(PLACES)), max_size=4)
        )
    ]
    busy = [Interval(s, s + n) for s, n in draw(st.lists(st.tuples(at, lengths), max_size=2))]
    request = SlotRequest(SessionKind.INITIAL_ASSESSMENT, draw(st.sampled_from(PLACES)))
    return day, rules, sessions, busy, request


def brute_force_ok(rules, sessions, busy, place, start: datetime, end: datetime) -> bool:
    before = timedelta(minutes=rules.buffer_before_minutes)
    after = timedelta(minutes=rules.buffer_after_minutes)
    gap = max(before, after)
    if any(b.start < end + after and start - before < b.end for b in busy):
        return False
    for booked in sessions:
        other = booked.interval
        if other.start < end + gap and start - gap < other.end:
            return False
    earlier = [b for b in sessions if b.interval.end <= start]
    later = [b for b in sessions if b.interval.start >= end]
    if earlier:  # the adjacent session(s) before: all that end last
        last_end = max(b.interval.end for b in earlier)
        for previous in (b for b in earlier if b.interval.end == last_end):
            travel = timedelta(minutes=rules.travel_minutes(previous.place, place))
            if start - previous.interval.end < gap + travel:
                return False
    if later:  # and after: all that start first
        first_start = min(b.interval.start for b in later)
        for following in (b for b in later if b.interval.start == first_start):
            travel = timedelta(minutes=rules.travel_minutes(place, following.place))
            if following.interval.start - end < gap + travel:
                return False
    return True


@PROPERTY
@given(busy_days())
def test_a_gaps_and_travel_exactly(case):
    """On a crowded day the offered slots are exactly those the brute force allows."""
    day, rules, sessions, busy, request = case
    hours = WorkingHours.build(HELSINKI, {day.weekday(): [(time(8), time(18))]})
    schedule = Schedule(hours, rules, frozenset(), busy, sessions)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    offered = [
        s.start for s in find_slots(schedule, request, local_day_window(day, day, HELSINKI), now)
    ]
    hour = timedelta(hours=1)
    expected = []
    for minutes in range(8 * 60, 17 * 60 + 1, rules.slot_step_minutes):
        start = datetime.combine(day, clock(minutes)).replace(tzinfo=HELSINKI).astimezone(UTC)
        if brute_force_ok(rules, sessions, busy, request.place, start, start + hour):
            expected.append(start)
    assert offered == expected
