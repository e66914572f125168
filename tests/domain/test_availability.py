from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from service.domain.availability import (
    AgreementLimits,
    BookedSession,
    Room,
    Schedule,
    SlotRequest,
    check_slot,
    ensure_bookable,
    find_slots,
    local_day_window,
    nearest_alternatives,
    next_alternatives,
    rooms_free,
)
from service.domain.cadence import CadenceWindow
from service.domain.errors import InvalidInterval, InvalidRequest, Reason, SlotUnavailable
from service.domain.intervals import Interval
from service.domain.rules import BookingRules, SessionKind, TravelTimes
from service.domain.slots import Slot
from service.domain.working_hours import DateOverride
from tests.domain.helpers import (
    CLIENT_A,
    CLIENT_B,
    HELSINKI,
    OFFICE,
    REMOTE,
    interval,
    local,
    utc,
    weekday_hours,
)

TUESDAY = date(2026, 1, 13)  # winter: Helsinki is UTC+2
NOW = utc(2026, 1, 5, 6)  # the Monday before, 08:00 local
RULES = BookingRules(min_notice_minutes=0, max_advance_days=60)
ASSESSMENT = SlotRequest(SessionKind.INITIAL_ASSESSMENT, OFFICE)  # 60 minutes


def schedule(**changes) -> Schedule:
    return Schedule(
        hours=changes.pop("hours", weekday_hours()), rules=changes.pop("rules", RULES), **changes
    )


def day(day: date = TUESDAY, last: date | None = None) -> Interval:
    return local_day_window(day, last or day, HELSINKI)


def labels(slots: list[Slot]) -> list[str]:
    return [slot.start.astimezone(HELSINKI).strftime("%a %H:%M") for slot in slots]


def tue(hour: int, minute: int = 0) -> datetime:
    return local(2026, 1, 13, hour, minute)


def check(at: datetime, minutes: int = 60, request=ASSESSMENT, **changes) -> list[Reason]:
    now = changes.pop("now", NOW)
    return check_slot(schedule(**changes), request, interval(at, minutes), now)


class TestPlainDay:
    def test_grid_slots_inside_working_hours(self):
        slots = find_slots(schedule(), ASSESSMENT, day(), NOW)
        assert labels(slots) == [f"Tue {h:02}:{m:02}" for h in range(9, 17) for m in (0, 30)][:-1]
        assert slots[0] == Slot(utc(2026, 1, 13, 7), utc(2026, 1, 13, 8))
        assert all(slot.duration == timedelta(minutes=60) for slot in slots)
        assert all(check_slot(schedule(), ASSESSMENT, s.interval, NOW) == [] for s in slots)

    def test_window_bounds_both_ends(self):
        window = Interval(tue(10, 15), tue(12))
        assert labels(find_slots(schedule(), ASSESSMENT, window, NOW)) == ["Tue 10:30", "Tue 11:00"]

    def test_agreement_duration_and_step(self):
        request = SlotRequest(SessionKind.INDIVIDUAL, OFFICE, duration_minutes=45)
        rules = BookingRules(min_notice_minutes=0, slot_step_minutes=60)
        slots = find_slots(schedule(rules=rules), request, day(), NOW)
        assert labels(slots) == [f"Tue {h:02}:00" for h in range(9, 17)]
        assert slots[-1].end == tue(16, 45)

    def test_weekend_has_no_slots(self):
        assert (
            find_slots(schedule(), ASSESSMENT, day(date(2026, 1, 17), date(2026, 1, 18)), NOW) == []
        )
        assert check(local(2026, 1, 17, 10)) == [Reason.OUTSIDE_WORKING_HOURS]

    def test_naive_now_is_refused(self):
        with pytest.raises(InvalidInterval):
            find_slots(schedule(), ASSESSMENT, day(), datetime(2026, 1, 5, 6))


class TestSingleReasons:
    def test_wrong_duration_and_misaligned(self):
        assert check(tue(10), 90) == [Reason.WRONG_DURATION]
        assert check(tue(10, 15)) == [Reason.NOT_ALIGNED]
        assert check(tue(10) + timedelta(seconds=30)) == [Reason.NOT_ALIGNED]

    def test_outside_working_hours(self):
        assert check(tue(16, 30)) == [Reason.OUTSIDE_WORKING_HOURS]
        assert check(tue(8, 30)) == [Reason.OUTSIDE_WORKING_HOURS]

    def test_min_notice(self):
        now = tue(8)
        slots = find_slots(
            schedule(rules=BookingRules(min_notice_minutes=120)), ASSESSMENT, day(), now
        )
        assert labels(slots)[0] == "Tue 10:00"
        assert check(tue(9, 30), now=now, rules=BookingRules(min_notice_minutes=120)) == [
            Reason.TOO_SOON
        ]
        assert check(tue(9), now=tue(9, 30)) == [Reason.TOO_SOON]  # the past, too

    def test_max_advance_is_inclusive(self):
        rules = BookingRules(min_notice_minutes=0, max_advance_days=1)
        now = tue(9)
        slots = find_slots(schedule(rules=rules), ASSESSMENT, day(TUESDAY, date(2026, 1, 16)), now)
        assert labels(slots)[-1] == "Wed 09:00"
        assert check(local(2026, 1, 14, 9, 30), now=now, rules=rules) == [Reason.TOO_FAR]

    def test_holiday(self):
        epiphany = date(2026, 1, 6)
        assert find_slots(schedule(holidays={epiphany}), ASSESSMENT, day(epiphany), NOW) == []
        assert check(local(2026, 1, 6, 10), holidays={epiphany}) == [Reason.HOLIDAY]

    def test_day_off(self):
        hours = weekday_hours(overrides={TUESDAY: DateOverride.off()})
        assert find_slots(schedule(hours=hours), ASSESSMENT, day(), NOW) == []
        assert check(tue(10), hours=hours) == [Reason.DAY_OFF]

    def test_cadence_window(self):
        request = SlotRequest(
            SessionKind.INITIAL_ASSESSMENT,
            OFFICE,
            cadence=CadenceWindow(date(2026, 1, 14), date(2026, 1, 15)),
        )
        slots = find_slots(schedule(), request, day(date(2026, 1, 12), date(2026, 1, 16)), NOW)
        assert {label[:3] for label in labels(slots)} == {"Wed", "Thu"}
        assert check(tue(10), request=request) == [Reason.OUTSIDE_CADENCE]

    def test_agreement_dates(self):
        limits = AgreementLimits(date(2026, 1, 14), date(2026, 1, 15), sessions_left=3)
        request = SlotRequest(SessionKind.INDIVIDUAL, OFFICE, duration_minutes=60, agreement=limits)
        slots = find_slots(schedule(), request, day(date(2026, 1, 12), date(2026, 1, 16)), NOW)
        assert {label[:3] for label in labels(slots)} == {"Wed", "Thu"}
        assert check(tue(10), request=request) == [Reason.OUTSIDE_AGREEMENT]
        assert check(local(2026, 1, 16, 10), request=request) == [Reason.OUTSIDE_AGREEMENT]
        assert check(local(2026, 1, 15, 10), request=request) == []

    def test_agreement_sessions_used_up(self):
        limits = AgreementLimits(TUESDAY, TUESDAY, sessions_left=0)
        request = SlotRequest(SessionKind.INDIVIDUAL, OFFICE, duration_minutes=60, agreement=limits)
        assert find_slots(schedule(), request, day(), NOW) == []
        assert check(tue(10), request=request) == [Reason.SESSIONS_USED_UP]
        assert check(local(2026, 1, 14, 10), request=request) == [
            Reason.SESSIONS_USED_UP,
            Reason.OUTSIDE_AGREEMENT,
        ]

    def test_an_agreement_ends_after_it_starts(self):
        with pytest.raises(InvalidRequest):
            AgreementLimits(TUESDAY, TUESDAY - timedelta(days=1), sessions_left=1)

    def test_every_reason_at_once(self):
        reasons = check_slot(
            schedule(holidays={date(2026, 1, 17)}),
            SlotRequest(SessionKind.INITIAL_ASSESSMENT, CLIENT_A, rooms=()),
            interval(local(2026, 1, 17, 10, 10), 50),
            local(2026, 1, 17, 11),
        )
        assert reasons == [
            Reason.WRONG_DURATION,
            Reason.NOT_ALIGNED,
            Reason.TOO_SOON,
            Reason.HOLIDAY,
            Reason.NO_ROOM,
        ]

    def test_ensure_bookable(self):
        ensure_bookable(schedule(), ASSESSMENT, interval(tue(10), 60), NOW)
        with pytest.raises(SlotUnavailable) as error:
            ensure_bookable(schedule(), ASSESSMENT, interval(tue(10, 15), 60), NOW)
        assert error.value.reasons == (Reason.NOT_ALIGNED,)


class TestBusyAndBuffers:
    rules = BookingRules(min_notice_minutes=0, buffer_before_minutes=0, buffer_after_minutes=30)

    def test_busy_time_keeps_the_new_sessions_own_buffers(self):
        busy = [Interval(tue(11), tue(12))]
        slots = find_slots(schedule(rules=self.rules, busy=busy), ASSESSMENT, day(), NOW)
        # 60 min + 30 after must end by 11:00; may start right at 12:00 (no buffer before)
        assert labels(slots)[:4] == ["Tue 09:00", "Tue 09:30", "Tue 12:00", "Tue 12:30"]
        assert check(tue(10), rules=self.rules, busy=busy) == [Reason.BUSY]

    def test_busy_time_answered_live_is_judged_as_the_cached_busy_time(self):
        cached = schedule(rules=self.rules, busy=[Interval(tue(14), tue(15))])
        live = cached.with_busy([Interval(tue(11), tue(12))])
        assert cached.with_busy([]) is cached
        assert check_slot(cached, ASSESSMENT, interval(tue(10), 60), NOW) == []
        assert check_slot(live, ASSESSMENT, interval(tue(10), 60), NOW) == [Reason.BUSY]
        assert check_slot(live, ASSESSMENT, interval(tue(14), 60), NOW) == [Reason.BUSY]

    def test_between_sessions_the_larger_buffer_applies_on_both_sides(self):
        sessions = [BookedSession(Interval(tue(11), tue(12)), OFFICE)]
        slots = find_slots(schedule(rules=self.rules, sessions=sessions), ASSESSMENT, day(), NOW)
        assert labels(slots)[:3] == ["Tue 09:00", "Tue 09:30", "Tue 12:30"]
        assert check(tue(12), rules=self.rules, sessions=sessions) == [Reason.SESSION_CONFLICT]

    def test_back_to_back_is_fine_without_buffers(self):
        sessions = [BookedSession(Interval(tue(11), tue(12)), OFFICE)]
        busy = [Interval(tue(9), tue(10))]
        assert check(tue(10), sessions=sessions, busy=busy) == []
        assert check(tue(12), sessions=sessions, busy=busy) == []

    def test_unsorted_busy_and_reused_index(self):
        busy = [
            Interval(tue(15), tue(16)),
            Interval(tue(9), tue(10)),
            Interval(tue(9, 30), tue(11)),
        ]
        plan = schedule(busy=busy)
        assert list(plan.busy) == [Interval(tue(9), tue(11)), Interval(tue(15), tue(16))]
        assert plan.with_sessions([]).busy is plan.busy
        assert labels(find_slots(plan, ASSESSMENT, day(), NOW)) == [
            "Tue 11:00", "Tue 11:30", "Tue 12:00", "Tue 12:30", "Tue 13:00", "Tue 13:30",
            "Tue 14:00", "Tue 16:00",
        ]  # fmt: skip


class TestTravel:
    rules = BookingRules(min_notice_minutes=0, travel=TravelTimes.build({(OFFICE, CLIENT_A): 45}))
    sessions = (BookedSession(Interval(tue(11), tue(12)), CLIENT_A),)

    def test_travel_is_kept_before_and_after_a_session_elsewhere(self):
        slots = find_slots(
            schedule(rules=self.rules, sessions=self.sessions), ASSESSMENT, day(), NOW
        )
        assert labels(slots)[:2] == ["Tue 09:00", "Tue 13:00"]
        assert check(tue(12), rules=self.rules, sessions=self.sessions) == [Reason.TRAVEL_TIME]
        assert check(tue(10), rules=self.rules, sessions=self.sessions) == [Reason.TRAVEL_TIME]
        assert check(tue(10, 30), rules=self.rules, sessions=self.sessions) == [
            Reason.SESSION_CONFLICT
        ]

    def test_remote_and_same_place_need_no_travel(self):
        for place in (REMOTE, CLIENT_A):
            request = SlotRequest(SessionKind.INITIAL_ASSESSMENT, place)
            assert check(tue(10), request=request, rules=self.rules, sessions=self.sessions) == []
            assert check(tue(12), request=request, rules=self.rules, sessions=self.sessions) == []

    def test_default_travel_between_unlisted_places_adds_to_the_buffer(self):
        rules = BookingRules(min_notice_minutes=0, buffer_after_minutes=15)  # default travel 30
        request = SlotRequest(SessionKind.INITIAL_ASSESSMENT, CLIENT_B)
        slots = find_slots(schedule(rules=rules, sessions=self.sessions), request, day(), NOW)
        assert "Tue 12:30" not in labels(slots)
        assert "Tue 13:00" in labels(slots)  # 12:00 + 15 buffer + 30 travel = 12:45

    def test_only_sessions_of_the_same_local_day_need_travel(self):
        yesterday = (
            BookedSession(Interval(local(2026, 1, 12, 16), local(2026, 1, 12, 17)), CLIENT_A),
        )
        assert check(tue(9), rules=self.rules, sessions=yesterday) == []


class TestLimits:
    def test_daily_limit(self):
        rules = BookingRules(min_notice_minutes=0, max_sessions_per_day=1)
        sessions = [BookedSession(Interval(tue(16), tue(17)), REMOTE)]
        slots = find_slots(
            schedule(rules=rules, sessions=sessions),
            ASSESSMENT,
            day(TUESDAY, date(2026, 1, 14)),
            NOW,
        )
        assert {label[:3] for label in labels(slots)} == {"Wed"}
        assert check(tue(10), rules=rules, sessions=sessions) == [Reason.DAILY_LIMIT]

    def test_weekly_limit_counts_local_iso_weeks(self):
        rules = BookingRules(min_notice_minutes=0, max_sessions_per_week=1)
        # Sunday 11 Jan 23:00 local is ISO week 2; Monday 12 Jan 00:30 local (still Sunday
        # in UTC) is week 3.
        sunday_late = [BookedSession(interval(local(2026, 1, 11, 23), 30), REMOTE)]
        monday_early = [BookedSession(interval(local(2026, 1, 12, 0, 30), 30), REMOTE)]
        assert monday_early[0].interval.start.weekday() == 6  # a Sunday in UTC
        assert check(tue(10), rules=rules, sessions=sunday_late) == []
        assert check(tue(10), rules=rules, sessions=monday_early) == [Reason.WEEKLY_LIMIT]
        assert check(local(2026, 1, 19, 10), rules=rules, sessions=monday_early) == []


class TestRooms:
    rooms = (
        Room("r1", capacity=4, busy=[Interval(tue(10), tue(11))], setup_minutes=15),
        Room("r2", capacity=10, busy=[Interval(tue(13), tue(14))]),
        Room("r3", capacity=2),  # too small, never offered
    )

    def request(self, rooms=rooms, **changes) -> SlotRequest:
        return SlotRequest(
            SessionKind.INITIAL_ASSESSMENT, CLIENT_A, rooms=rooms, required_capacity=3, **changes
        )

    def test_free_rooms_per_slot_with_setup_time(self):
        slots = {s.start: s.room_ids for s in find_slots(schedule(), self.request(), day(), NOW)}
        assert slots[tue(9)] == ("r2",)  # r1 setup would run into 10:00
        assert slots[tue(11)] == ("r2",)  # r1 setup starts 10:45
        assert slots[tue(11, 30)] == ("r1", "r2")
        assert slots[tue(13)] == ("r1",)
        assert rooms_free(self.request(), interval(tue(11, 30), 60), NOW) == ("r1", "r2")

    def test_no_room_no_slot(self):
        rooms = (Room("r1", 4, busy=[Interval(tue(9), tue(17))]),)
        assert find_slots(schedule(), self.request(rooms), day(), NOW) == []
        assert check(tue(10), request=self.request(rooms)) == [Reason.NO_ROOM]
        assert check(tue(10), request=self.request(())) == [Reason.NO_ROOM]

    def test_rooms_not_managed(self):
        request = SlotRequest(SessionKind.INITIAL_ASSESSMENT, CLIENT_A)
        slots = find_slots(schedule(), request, day(), NOW)
        assert len(slots) == 15
        assert all(slot.room_ids == () for slot in slots)
        assert rooms_free(request, slots[0].interval, NOW) == ()

    def test_remote_sessions_take_no_room(self):
        with pytest.raises(InvalidRequest):
            SlotRequest(SessionKind.INDIVIDUAL, REMOTE, rooms=())
        with pytest.raises(InvalidRequest):
            SlotRequest(SessionKind.INDIVIDUAL, CLIENT_A, required_capacity=0)
        with pytest.raises(InvalidRequest):
            Room("r", capacity=-1)


class TestAlternatives:
    def test_next_alternatives_continue_on_the_next_working_day(self):
        slots = next_alternatives(schedule(), ASSESSMENT, tue(15, 10), NOW, count=3)
        assert labels(slots) == ["Tue 15:30", "Tue 16:00", "Wed 09:00"]

    def test_next_alternatives_stop_at_the_horizon(self):
        rules = BookingRules(min_notice_minutes=0, max_advance_days=10)
        slots = next_alternatives(schedule(rules=rules), ASSESSMENT, tue(16), NOW, count=50)
        # NOW + 10 days is Thursday 08:00 local: Tuesday's last slot and all of Wednesday
        assert len(slots) == 16
        assert labels(slots)[-1] == "Wed 16:00"

    def test_nearest_alternatives_prefer_the_same_day_then_the_same_time(self):
        busy = [Interval(local(2026, 1, 14, 13), local(2026, 1, 14, 17))]
        slots = nearest_alternatives(
            schedule(busy=busy), ASSESSMENT, local(2026, 1, 14, 14), NOW, count=3
        )
        assert labels(slots) == ["Wed 12:00", "Wed 11:30", "Wed 11:00"]

    def test_nearest_alternatives_on_other_days(self):
        busy = [Interval(local(2026, 1, 14, 9), local(2026, 1, 14, 17))]
        wanted = local(2026, 1, 14, 12)
        slots = nearest_alternatives(schedule(busy=busy), ASSESSMENT, wanted, NOW, count=4)
        # the closest dates, then the closest time of day; ties: the earlier first
        assert labels(slots) == ["Tue 12:00", "Thu 12:00", "Tue 11:30", "Tue 12:30"]
        only_thursday = nearest_alternatives(
            schedule(busy=busy),
            ASSESSMENT,
            wanted,
            NOW,
            count=2,
            accept=lambda slot: slot.start.astimezone(HELSINKI).weekday() == 3,
        )
        assert labels(only_thursday) == ["Thu 12:00", "Thu 11:30"]
