from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from service.domain.availability import (
    Room,
    Schedule,
    SlotRequest,
    check_slot,
    find_slots,
    local_day_window,
    rooms_free,
)
from service.domain.errors import InvalidRequest, Reason
from service.domain.room_policy import RoomPolicy, RoomRule
from service.domain.rules import BookingRules, SessionKind
from tests.domain.helpers import CLIENT_A, HELSINKI, interval, local, utc, weekday_hours

NOW = utc(2026, 1, 5, 6)
TUESDAY = date(2026, 1, 13)
SETUP = timedelta(minutes=15)
HOURS = RoomPolicy(HELSINKI, bookable_from=time(8), bookable_until=time(16))


def broken(policy: RoomPolicy, start: datetime, minutes: int = 60, setup=SETUP, now=NOW):
    span = interval(start, minutes)
    return policy.broken(span.start, span.end, now, setup)


class TestBookableHours:
    def test_set_up_time_must_fit_after_opening(self):
        assert broken(HOURS, local(2026, 1, 13, 8, 15)) == []
        assert broken(HOURS, local(2026, 1, 13, 8, 10)) == [RoomRule.OUTSIDE_HOURS]
        assert broken(HOURS, local(2026, 1, 13, 8), setup=timedelta(0)) == []

    def test_set_up_time_must_end_by_closing(self):
        assert broken(HOURS, local(2026, 1, 13, 14, 45)) == []
        assert broken(HOURS, local(2026, 1, 13, 14, 50)) == [RoomRule.OUTSIDE_HOURS]
        assert broken(HOURS, local(2026, 1, 13, 15), setup=timedelta(0)) == []

    def test_only_one_end_given(self):
        evenings = RoomPolicy(HELSINKI, bookable_from=time(17))
        assert broken(evenings, local(2026, 1, 13, 22, 45)) == []
        assert broken(evenings, local(2026, 1, 13, 22, 50)) == [RoomRule.OUTSIDE_HOURS]
        mornings = RoomPolicy(HELSINKI, bookable_until=time(12))
        assert broken(mornings, local(2026, 1, 13, 0, 15)) == []
        assert broken(mornings, local(2026, 1, 13, 11)) == [RoomRule.OUTSIDE_HOURS]

    def test_hours_are_local_across_spring_forward(self):
        # 2026-03-29: Helsinki goes from UTC+2 to UTC+3 at 03:00 local.
        assert broken(HOURS, utc(2026, 3, 28, 6, 15), now=utc(2026, 3, 20)) == []  # 08:15
        assert broken(HOURS, utc(2026, 3, 29, 5, 15), now=utc(2026, 3, 20)) == []  # 08:15
        assert broken(HOURS, utc(2026, 3, 29, 5), now=utc(2026, 3, 20)) == [
            RoomRule.OUTSIDE_HOURS  # 08:00, set-up from 07:45
        ]
        assert broken(HOURS, utc(2026, 3, 29, 11, 45), now=utc(2026, 3, 20)) == []  # 14:45
        assert broken(HOURS, utc(2026, 3, 29, 12, 45), now=utc(2026, 3, 20)) == [
            RoomRule.OUTSIDE_HOURS  # 15:45 (UTC 12:45 was 14:45 the day before)
        ]

    def test_whole_day_ends_at_local_midnight_on_fall_back(self):
        # 2026-10-25 is 25 hours long in Helsinki.
        night = RoomPolicy(HELSINKI, bookable_from=time(0, 30))
        late = local(2026, 10, 25, 22, 45)
        assert broken(night, late, now=utc(2026, 10, 20)) == []
        assert broken(night, late + timedelta(minutes=5), now=utc(2026, 10, 20)) == [
            RoomRule.OUTSIDE_HOURS
        ]


class TestLimits:
    def test_max_advance_counts_to_the_start(self):
        policy = RoomPolicy(HELSINKI, max_advance_days=7)
        assert broken(policy, NOW + timedelta(days=7)) == []
        assert broken(policy, NOW + timedelta(days=7, minutes=5)) == [RoomRule.TOO_FAR]

    def test_max_length_leaves_out_set_up_time(self):
        policy = RoomPolicy(HELSINKI, max_length_minutes=60)
        assert broken(policy, local(2026, 1, 13, 9), 60, setup=timedelta(minutes=30)) == []
        assert broken(policy, local(2026, 1, 13, 9), 75) == [RoomRule.TOO_LONG]

    def test_no_policy_admits_anything(self):
        policy = RoomPolicy(HELSINKI)
        assert broken(policy, local(2026, 1, 13, 23, 30), 24 * 60) == []
        assert broken(policy, NOW + timedelta(days=3650)) == []

    def test_every_broken_rule_reported(self):
        policy = RoomPolicy(HELSINKI, time(8), time(16), max_advance_days=1, max_length_minutes=30)
        assert broken(policy, local(2026, 1, 13, 17)) == list(RoomRule)

    @pytest.mark.parametrize(
        "changes",
        [
            {"bookable_from": time(16), "bookable_until": time(8)},
            {"bookable_from": time(8), "bookable_until": time(8)},
            {"max_advance_days": 0},
            {"max_length_minutes": -5},
        ],
    )
    def test_impossible_policy_refused(self, changes):
        with pytest.raises(InvalidRequest):
            RoomPolicy(HELSINKI, **changes)


class TestSlotsObeyRoomPolicy:
    """Slot search and the booking check both go through the rooms' policy."""

    def request(self, *rooms: Room) -> SlotRequest:
        return SlotRequest(SessionKind.INITIAL_ASSESSMENT, CLIENT_A, rooms=rooms)

    def schedule(self) -> Schedule:
        return Schedule(weekday_hours(time(8), time(18)), BookingRules(min_notice_minutes=0))

    def test_a_room_outside_its_hours_gives_no_room(self):
        morning = Room("m", 4, setup_minutes=15, policy=RoomPolicy(HELSINKI, time(8), time(12)))
        request = self.request(morning)
        slots = find_slots(
            self.schedule(), request, local_day_window(TUESDAY, TUESDAY, HELSINKI), NOW
        )
        starts = [slot.start.astimezone(HELSINKI).time() for slot in slots]
        assert starts == [time(8, 30), time(9), time(9, 30), time(10), time(10, 30)]
        late = interval(local(2026, 1, 13, 11), 60)
        assert check_slot(self.schedule(), request, late, NOW) == [Reason.NO_ROOM]
        assert rooms_free(request, late, NOW) == ()

    def test_another_room_admits_what_one_refuses(self):
        short = Room("short", 4, policy=RoomPolicy(HELSINKI, max_length_minutes=45))
        near = Room("near", 8, policy=RoomPolicy(HELSINKI, max_advance_days=30))
        request = self.request(short, near)
        soon = interval(local(2026, 1, 13, 10), 60)
        assert rooms_free(request, soon, NOW) == ("near",)
        later = interval(local(2026, 3, 3, 10), 60)
        assert check_slot(self.schedule(), request, later, NOW) == [Reason.NO_ROOM]
