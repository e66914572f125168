"""Slots on and around the 2026 DST changes in Europe/Helsinki, and clients abroad.

* 2026-03-29: clocks go 03:00 EET -> 04:00 EEST at 01:00 UTC; 03:00-03:59 does not exist.
* 2026-10-25: clocks go 04:00 EEST -> 03:00 EET at 01:00 UTC; 03:00-03:59 happens twice.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from service.domain.availability import (
    Schedule,
    SlotRequest,
    check_slot,
    find_slots,
    local_day_window,
)
from service.domain.errors import Reason
from service.domain.rules import BookingRules, SessionKind
from service.domain.slots import to_zone
from service.domain.working_hours import DateOverride, WorkingHours
from tests.domain.helpers import HELSINKI, NEW_YORK, OFFICE, TOKYO, interval, local_hm, utc

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)
RULES = BookingRules(min_notice_minutes=0)
HOUR = SlotRequest(SessionKind.INITIAL_ASSESSMENT, OFFICE)  # 60 minutes


def night_shift(day: date, start: time, end: time) -> Schedule:
    """Mon-Fri 09-17 plus a Sunday-night range on ``day`` (a DST Sunday)."""
    hours = WorkingHours.build(
        HELSINKI,
        {weekday: [(time(9), time(17))] for weekday in range(5)},
        {day: DateOverride.replace((start, end))},
    )
    return Schedule(hours, RULES)


def walls(slots) -> list[tuple[int, int]]:
    return [local_hm(slot.start)[1:] for slot in slots]


class TestSpringForward:
    plan = night_shift(SPRING, time(2), time(6))
    now = utc(2026, 3, 1)

    def slots(self):
        return find_slots(self.plan, HOUR, local_day_window(SPRING, SPRING, HELSINKI), self.now)

    def test_nonexistent_local_times_are_never_offered(self):
        slots = self.slots()
        assert walls(slots) == [(2, 0), (2, 30), (4, 0), (4, 30), (5, 0)]
        assert all(not 3 <= local_hm(slot.start)[1] < 4 for slot in slots)

    def test_utc_instants_are_exact(self):
        slots = self.slots()
        assert [slot.start for slot in slots] == [
            utc(2026, 3, 29, 0),  # 02:00 EET
            utc(2026, 3, 29, 0, 30),  # 02:30 EET, ends 04:30 EEST after 60 real minutes
            utc(2026, 3, 29, 1),  # 04:00 EEST
            utc(2026, 3, 29, 1, 30),
            utc(2026, 3, 29, 2),  # 05:00 EEST, ends 06:00 EEST
        ]
        assert all(slot.duration == timedelta(hours=1) for slot in slots)
        assert local_hm(slots[1].end)[1:] == (4, 30)

    def test_check_slot_agrees(self):
        for slot in self.slots():
            assert check_slot(self.plan, HOUR, slot.interval, self.now) == []
        # 05:30 EEST + 60 min runs past 06:00
        assert check_slot(self.plan, HOUR, interval(utc(2026, 3, 29, 2, 30), 60), self.now) == [
            Reason.OUTSIDE_WORKING_HOURS
        ]


class TestFallBack:
    plan = night_shift(AUTUMN, time(2), time(5))
    now = utc(2026, 10, 1)

    def slots(self):
        return find_slots(self.plan, HOUR, local_day_window(AUTUMN, AUTUMN, HELSINKI), self.now)

    def test_each_wall_clock_label_is_offered_once_at_its_first_occurrence(self):
        slots = self.slots()
        assert walls(slots) == [(2, 0), (2, 30), (3, 0), (3, 30), (4, 0)]
        assert [slot.start for slot in slots] == [
            utc(2026, 10, 24, 23),  # 02:00 EEST
            utc(2026, 10, 24, 23, 30),
            utc(2026, 10, 25, 0),  # 03:00 EEST (first 03:00)
            utc(2026, 10, 25, 0, 30),  # 03:30 EEST, ends 03:30 EET
            utc(2026, 10, 25, 2),  # 04:00 EET, ends 05:00 EET = the range end
        ]
        assert [slot.start.astimezone(HELSINKI).utcoffset() for slot in slots] == [
            timedelta(hours=3)
        ] * 4 + [timedelta(hours=2)]

    def test_the_repeated_label_is_not_aligned_for_check_slot(self):
        second_three = interval(utc(2026, 10, 25, 1), 60)  # 03:00 EET, the second 03:00
        assert local_hm(second_three.start)[1:] == (3, 0)
        assert check_slot(self.plan, HOUR, second_three, self.now) == [Reason.NOT_ALIGNED]
        for slot in self.slots():
            assert check_slot(self.plan, HOUR, slot.interval, self.now) == []

    def test_range_end_is_the_last_occurrence(self):
        # Range 02:00-03:30: ends at 03:30 EET (01:30 UTC), so a 90-minute session
        # starting at the first 03:00 (00:00 UTC) fits.
        plan = night_shift(AUTUMN, time(2), time(3, 30))
        request = SlotRequest(SessionKind.INDIVIDUAL, OFFICE)
        slots = find_slots(plan, request, local_day_window(AUTUMN, AUTUMN, HELSINKI), self.now)
        assert [slot.start for slot in slots] == [
            utc(2026, 10, 24, 23),
            utc(2026, 10, 24, 23, 30),
            utc(2026, 10, 25, 0),
        ]


def test_weekdays_either_side_of_each_change():
    plan = Schedule(
        WorkingHours.build(HELSINKI, {d: [(time(9), time(17))] for d in range(5)}), RULES
    )
    for first, last, before, after in [
        (date(2026, 3, 27), date(2026, 3, 30), utc(2026, 3, 27, 7), utc(2026, 3, 30, 6)),
        (date(2026, 10, 23), date(2026, 10, 26), utc(2026, 10, 23, 6), utc(2026, 10, 26, 7)),
    ]:
        now = utc(first.year, first.month, 1)
        slots = find_slots(plan, HOUR, local_day_window(first, last, HELSINKI), now)
        mornings = [slot.start for slot in slots if local_hm(slot.start)[1:] == (9, 0)]
        assert mornings == [before, after]
        assert all(slot.start.minute in (0, 30) for slot in slots)


class TestClientsAbroad:
    def test_new_york_and_tokyo_see_the_same_instants(self):
        plan = Schedule(
            WorkingHours.build(HELSINKI, {d: [(time(9), time(17))] for d in range(5)}), RULES
        )
        window = local_day_window(date(2026, 10, 26), date(2026, 10, 26), HELSINKI)
        slot = find_slots(plan, HOUR, window, utc(2026, 10, 1))[0]  # Mon 09:00 Helsinki (EET)
        in_new_york = to_zone(slot, NEW_YORK)  # New York is still on EDT until 1 November
        in_tokyo = to_zone(slot, "Asia/Tokyo")
        assert in_new_york.start == in_tokyo.start == slot.start
        assert (in_new_york.start.hour, in_new_york.start.utcoffset()) == (3, timedelta(hours=-4))
        assert (in_tokyo.start.hour, in_tokyo.end.hour) == (16, 17)
        assert in_tokyo.zone == "Asia/Tokyo"
        assert in_tokyo.start.tzinfo == TOKYO

    def test_to_zone_on_a_plain_interval(self):
        rendered = to_zone(interval(utc(2026, 3, 30, 6), 90), HELSINKI)
        assert (rendered.start.hour, rendered.end.hour, rendered.end.minute) == (9, 10, 30)
        assert rendered.room_ids == ()

    def test_a_tokyo_supervisor_has_no_dst_at_all(self):
        plan = Schedule(WorkingHours.build(TOKYO, {6: [(time(1), time(5))]}), RULES)
        window = local_day_window(SPRING, SPRING, TOKYO)
        slots = find_slots(plan, HOUR, window, utc(2026, 3, 1))
        assert [local_hm(s.start, TOKYO)[1:] for s in slots] == [
            (1, 0), (1, 30), (2, 0), (2, 30), (3, 0), (3, 30), (4, 0),
        ]  # fmt: skip
