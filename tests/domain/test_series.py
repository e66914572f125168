from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest

from service.domain.availability import (
    BookedSession,
    Room,
    Schedule,
    SlotRequest,
    check_slot,
)
from service.domain.errors import InvalidCadence, InvalidSeries, Reason
from service.domain.holidays_fi import finnish_holidays_between
from service.domain.intervals import Interval, overlaps
from service.domain.rules import BookingRules, SessionKind
from service.domain.series import (
    AnnualBreak,
    OccurrenceStatus,
    Proposal,
    SeriesOccurrence,
    SeriesPlan,
    break_moves,
    check_occurrences,
    first_series_date,
    plan_series,
    series_dates,
)
from service.domain.working_hours import DateOverride, WorkingHours
from tests.domain.helpers import CLIENT_A, CLIENT_B, HELSINKI, local, utc

JULY = AnnualBreak((7, 1), (7, 31))
CHRISTMAS = AnnualBreak((12, 20), (1, 6))
GROUP = SlotRequest(SessionKind.GROUP, CLIENT_A)  # 90 minutes at the client's
NOW = utc(2027, 1, 15, 8)


def local_wall(instant: datetime) -> time:
    return instant.astimezone(HELSINKI).time()


class TestAnnualBreak:
    def test_plain_and_wrapping_breaks(self):
        assert JULY.contains(date(2027, 7, 1))
        assert JULY.contains(date(2027, 7, 31))
        assert not JULY.contains(date(2027, 8, 1))
        assert JULY.last_day(date(2027, 7, 9)) == date(2027, 7, 31)
        assert CHRISTMAS.contains(date(2027, 12, 31))
        assert CHRISTMAS.contains(date(2028, 1, 6))
        assert not CHRISTMAS.contains(date(2028, 1, 7))
        assert CHRISTMAS.last_day(date(2027, 12, 31)) == date(2028, 1, 6)
        assert CHRISTMAS.last_day(date(2028, 1, 2)) == date(2028, 1, 6)

    @pytest.mark.parametrize("bad", [((2, 29), (3, 1)), ((13, 1), (13, 2)), ((4, 31), (5, 1))])
    def test_invalid_days(self, bad):
        with pytest.raises(InvalidSeries):
            AnnualBreak(*bad)


class TestPlanValidation:
    def test_count_or_end_date(self):
        with pytest.raises(InvalidSeries, match="either"):
            SeriesPlan(date(2027, 2, 1), 21, time(14))
        with pytest.raises(InvalidSeries, match="either"):
            SeriesPlan(date(2027, 2, 1), 21, time(14), count=3, end_date=date(2027, 5, 1))
        with pytest.raises(InvalidSeries):
            SeriesPlan(date(2027, 2, 1), 21, time(14), count=0)
        with pytest.raises(InvalidSeries):
            SeriesPlan(date(2027, 2, 1), 21, time(14), end_date=date(2027, 1, 1))
        with pytest.raises(InvalidSeries):
            SeriesPlan(date(2027, 2, 1), 21, time(14), count=3, weekday=7)
        with pytest.raises(InvalidSeries):
            SeriesPlan(date(2027, 2, 1), 21, time(14, tzinfo=HELSINKI), count=3)

    @pytest.mark.parametrize("days", [6, 61])
    def test_interval_within_cadence_limits(self, days):
        with pytest.raises(InvalidCadence, match="between 7 and 60 days"):
            SeriesPlan(date(2027, 2, 1), days, time(14), count=3)


class TestDates:
    def test_first_date_snaps_to_the_preferred_weekday(self):
        plan = SeriesPlan(date(2027, 2, 1), 14, time(14), count=3, weekday=2)
        assert [d for d, _ in series_dates(plan)] == [
            date(2027, 2, 3),
            date(2027, 2, 17),
            date(2027, 3, 3),
        ]

    def test_a_break_moves_one_occurrence_and_the_series_continues_from_it(self):
        # every 2 weeks: 1 July and 15 July both fall in July; they must not pile up
        plan = SeriesPlan(date(2027, 6, 17), 14, time(14), count=4, breaks=(JULY,))
        assert series_dates(plan) == [
            (date(2027, 6, 17), None),
            (date(2027, 8, 5), date(2027, 7, 1)),
            (date(2027, 8, 19), None),
            (date(2027, 9, 2), None),
        ]

    def test_the_moved_date_skips_holidays(self):
        plan = SeriesPlan(date(2027, 12, 13), 14, time(10), count=2, breaks=(CHRISTMAS,))
        holidays = frozenset({date(2028, 1, 10)})  # pretend the first Monday after is off
        assert series_dates(plan, holidays) == [
            (date(2027, 12, 13), None),
            (date(2028, 1, 17), date(2027, 12, 27)),
        ]

    def test_end_date_bounds_the_nominal_dates(self):
        plan = SeriesPlan(date(2027, 2, 1), 28, time(10), end_date=date(2027, 5, 24))
        assert [d for d, _ in series_dates(plan)] == [
            date(2027, 2, 1),
            date(2027, 3, 1),
            date(2027, 3, 29),
            date(2027, 4, 26),
            date(2027, 5, 24),
        ]

    def test_breaks_that_leave_no_date_are_an_error(self):
        always = AnnualBreak((1, 2), (1, 1))
        with pytest.raises(InvalidSeries, match="no date"):
            series_dates(SeriesPlan(date(2027, 2, 1), 14, time(10), count=2, breaks=(always,)))


# --- the long series ---------------------------------------------------------------------


def long_series_schedule() -> Schedule:
    hours = WorkingHours.build(HELSINKI, {d: [(time(9), time(17))] for d in range(5)})
    busy = [
        Interval(local(2027, 5, 7, 13), local(2027, 5, 7, 15)),  # a meeting
        Interval(local(2027, 10, 4), local(2027, 10, 13)),  # a week away
        Interval(local(2028, 2, 18, 8), local(2028, 2, 18, 18)),  # a busy Friday
    ]
    another_client = Interval(local(2027, 12, 10, 12), local(2027, 12, 10, 13, 30))
    other_process = [BookedSession(another_client, CLIENT_B)]
    return Schedule(
        hours,
        BookingRules(buffer_after_minutes=15),  # 24 h notice, 180 days ahead, 30 min travel
        finnish_holidays_between(date(2027, 1, 1), date(2028, 12, 31)),
        busy,
        other_process,
    )


LONG_PLAN = SeriesPlan(
    start_date=date(2027, 2, 12),  # a Friday
    interval_days=21,
    local_time=time(14),
    count=26,
    breaks=(JULY, CHRISTMAS),
)


@pytest.fixture(scope="module")
def long_series() -> list[SeriesOccurrence]:
    return plan_series(LONG_PLAN, long_series_schedule(), GROUP, NOW)


def by_date(occurrences) -> dict[date, SeriesOccurrence]:
    return {o.proposed.start.astimezone(HELSINKI).date(): o for o in occurrences}


def with_siblings(occurrences, index: int) -> Schedule:
    """The schedule as the series checks occurrence ``index``: plus all the others."""
    plain = long_series_schedule()
    plain = plain.with_rules(BookingRules(buffer_after_minutes=15, max_advance_days=None))
    return plain.with_sessions(
        BookedSession(o.proposed, CLIENT_A) for o in occurrences if o.index != index
    )


def test_every_occurrence_is_reported_in_order(long_series):
    assert [o.index for o in long_series] == list(range(26))
    starts = [o.proposed.start for o in long_series]
    assert starts == sorted(starts)
    for a, b in pairwise(long_series):
        assert b.proposed.start - a.proposed.start >= timedelta(days=21) - timedelta(hours=1)
        assert not overlaps(a.proposed, b.proposed)
    assert all(o.proposed.duration == timedelta(minutes=90) for o in long_series)


def test_local_time_holds_across_dst_and_utc_moves(long_series):
    assert {local_wall(o.proposed.start) for o in long_series} == {time(14)}
    occurrences = by_date(long_series)
    assert occurrences[date(2027, 3, 5)].proposed.start == utc(2027, 3, 5, 12)  # EET
    assert occurrences[date(2027, 4, 16)].proposed.start == utc(2027, 4, 16, 11)  # EEST
    assert occurrences[date(2027, 10, 29)].proposed.start == utc(2027, 10, 29, 11)  # EEST
    assert occurrences[date(2027, 11, 19)].proposed.start == utc(2027, 11, 19, 12)  # EET


def test_breaks_move_occurrences_and_say_so(long_series):
    moved = [
        (o.moved_from, o.proposed.start.astimezone(HELSINKI).date(), o.status)
        for o in long_series
        if o.moved_from
    ]
    assert moved == [
        (date(2027, 7, 9), date(2027, 8, 6), OccurrenceStatus.SKIPPED_BREAK),
        (date(2027, 12, 31), date(2028, 1, 7), OccurrenceStatus.SKIPPED_BREAK),
        (date(2028, 7, 14), date(2028, 8, 4), OccurrenceStatus.SKIPPED_BREAK),
    ]
    assert not any(o.proposed.start.astimezone(HELSINKI).month == 7 for o in long_series)


def test_collisions_carry_reasons_and_alternatives(long_series):
    collisions = {
        o.proposed.start.astimezone(HELSINKI).date(): o
        for o in long_series
        if o.status is OccurrenceStatus.COLLISION
    }
    assert {day: o.reasons for day, o in collisions.items()} == {
        date(2027, 3, 26): (Reason.HOLIDAY,),  # Good Friday, two days before DST
        date(2027, 5, 7): (Reason.BUSY,),
        date(2027, 10, 8): (Reason.BUSY,),
        date(2027, 12, 10): (Reason.TRAVEL_TIME,),  # another client's session until 13:30
        date(2028, 2, 18): (Reason.BUSY,),
        date(2028, 6, 23): (Reason.HOLIDAY,),  # Midsummer Eve
    }
    alternatives = {
        day: [a.start.astimezone(HELSINKI).strftime("%a %d.%m. %H:%M") for a in o.alternatives]
        for day, o in collisions.items()
    }
    # the same time the day before Good Friday (Easter Monday is a holiday too)
    assert alternatives[date(2027, 3, 26)] == [
        "Thu 25.03. 14:00",
        "Thu 25.03. 13:30",
        "Thu 25.03. 14:30",
    ]
    # the same day first: after the meeting, or before it with the 15-minute buffer
    assert alternatives[date(2027, 5, 7)] == [
        "Fri 07.05. 15:00",
        "Fri 07.05. 15:30",
        "Fri 07.05. 11:00",
    ]
    # the week away covers +-3 days, so the search widened to half the interval
    assert alternatives[date(2027, 10, 8)][0] == "Wed 13.10. 14:00"
    assert alternatives[date(2027, 12, 10)][0] == "Fri 10.12. 14:30"


def test_no_occurrence_is_silently_dropped_or_double_booked(long_series):
    for occurrence in long_series:
        own = with_siblings(long_series, occurrence.index)
        reasons = check_slot(own, GROUP, occurrence.proposed, NOW)
        if occurrence.status is OccurrenceStatus.COLLISION:
            assert reasons and tuple(reasons) == occurrence.reasons
            assert occurrence.alternatives, occurrence
        else:
            assert reasons == [] and occurrence.reasons == ()
            assert occurrence.alternatives == ()
        day = occurrence.proposed.start.astimezone(HELSINKI).date()
        for alternative in occurrence.alternatives:
            assert check_slot(own, GROUP, alternative.interval, NOW) == []
            alternative_day = alternative.start.astimezone(HELSINKI).date()
            assert abs((alternative_day - day).days) <= 10
            assert not LONG_PLAN.in_break(alternative_day)
            for other in long_series:
                if other.index != occurrence.index:
                    assert not overlaps(alternative.interval, other.proposed)


def test_max_advance_applies_only_on_request():
    schedule = long_series_schedule()
    enforced = plan_series(LONG_PLAN, schedule, GROUP, NOW, enforce_max_advance=True)
    assert len(enforced) == 26
    too_far = [o for o in enforced if Reason.TOO_FAR in o.reasons]
    assert too_far and all(o.status is OccurrenceStatus.COLLISION for o in too_far)
    assert all(o.proposed.start > NOW + timedelta(days=180) for o in too_far)


def test_a_nonexistent_series_time_is_reported_not_shifted_silently():
    sundays = WorkingHours.build(HELSINKI, {6: [(time(0), time(8))]})
    schedule = Schedule(sundays, BookingRules(min_notice_minutes=0))
    plan = SeriesPlan(date(2027, 3, 14), 14, time(3, 30), count=3)  # 28 March: 03:30 is skipped
    request = SlotRequest(SessionKind.INITIAL_ASSESSMENT, CLIENT_A)
    occurrences = plan_series(plan, schedule, request, utc(2027, 1, 1))
    assert [o.status for o in occurrences] == [
        OccurrenceStatus.OK,
        OccurrenceStatus.COLLISION,
        OccurrenceStatus.OK,
    ]
    skipped = occurrences[1]
    assert skipped.reasons == (Reason.NONEXISTENT_LOCAL_TIME,)
    assert skipped.proposed.start == utc(2027, 3, 28, 1)  # where the gap ends: 04:00 EEST
    assert skipped.alternatives[0].start == utc(2027, 3, 28, 1)
    assert all(
        alternative.start.astimezone(HELSINKI).hour != 3 for alternative in skipped.alternatives
    )


def test_end_date_series_reports_an_occurrence_pushed_past_the_end():
    hours = WorkingHours.build(HELSINKI, {d: [(time(9), time(17))] for d in range(5)})
    schedule = Schedule(hours, BookingRules())
    plan = SeriesPlan(date(2027, 6, 1), 14, time(10), end_date=date(2027, 7, 20), breaks=(JULY,))
    occurrences = plan_series(plan, schedule, GROUP, NOW)
    assert [o.proposed.start.astimezone(HELSINKI).date() for o in occurrences] == [
        date(2027, 6, 1),
        date(2027, 6, 15),
        date(2027, 6, 29),
        date(2027, 8, 3),
    ]
    pushed = occurrences[-1]
    assert pushed.moved_from == date(2027, 7, 13)
    assert pushed.status is OccurrenceStatus.COLLISION
    assert pushed.reasons == (Reason.AFTER_SERIES_END,)
    assert pushed.alternatives == ()  # no date after the break is inside the agreement


def test_rooms_are_reported_for_bookable_occurrences():
    hours = WorkingHours.build(
        HELSINKI,
        {d: [(time(9), time(17))] for d in range(5)},
        {date(2027, 2, 16): DateOverride.off()},
    )
    rooms = (
        Room("kuusi", 12, busy=[Interval(local(2027, 2, 9, 9), local(2027, 2, 9, 13))]),
        Room("koivu", 6),  # too small for eight
    )
    request = SlotRequest(SessionKind.GROUP, CLIENT_A, rooms=rooms, required_capacity=8)
    plan = SeriesPlan(date(2027, 2, 2), 7, time(10), count=4)  # Tuesdays
    occurrences = plan_series(plan, Schedule(hours, BookingRules()), request, NOW)
    assert [(o.status, o.reasons) for o in occurrences] == [
        (OccurrenceStatus.OK, ()),
        (OccurrenceStatus.COLLISION, (Reason.NO_ROOM,)),
        (OccurrenceStatus.COLLISION, (Reason.DAY_OFF,)),
        (OccurrenceStatus.OK, ()),
    ]
    assert occurrences[0].room_ids == ("kuusi",)
    assert occurrences[1].room_ids == ()
    no_room = occurrences[1].alternatives
    assert [local_wall(a.start) for a in no_room] == [time(13), time(13, 30), time(14)]
    assert all(a.room_ids == ("kuusi",) for a in no_room)
    day_off = occurrences[2].alternatives
    assert [(a.start.astimezone(HELSINKI).day, local_wall(a.start)) for a in day_off] == [
        (15, time(10)),
        (17, time(10)),
        (15, time(9, 30)),
    ]


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        plan_series(LONG_PLAN, long_series_schedule(), GROUP, datetime(2027, 1, 15))
    assert NOW.tzinfo is UTC


def test_stored_proposals_are_checked_as_the_plan_checked_them() -> None:
    """A review of the stored series (check_occurrences) gives the plan's own verdicts,
    and break_moves recognises the occurrence the break moved."""
    schedule = long_series_schedule()
    planned = plan_series(LONG_PLAN, schedule, GROUP, NOW)
    stored = [Proposal(o.index, o.proposed, o.moved_from) for o in planned]
    assert check_occurrences(LONG_PLAN, stored, schedule, GROUP, NOW) == planned
    moves = break_moves(LONG_PLAN, schedule.holidays)
    assert moves and all(planned[i].moved_from == came for i, (_, came) in moves.items())
    assert all(local_date_of(planned[i]) == day for i, (day, _) in moves.items())


def test_a_moved_proposal_onto_a_sibling_collides_with_it() -> None:
    schedule = long_series_schedule()
    planned = plan_series(LONG_PLAN, schedule, GROUP, NOW)
    stored = [Proposal(o.index, o.proposed) for o in planned]
    stored[0] = Proposal(0, planned[1].proposed)
    checked = check_occurrences(LONG_PLAN, stored, schedule, GROUP, NOW)
    assert Reason.SESSION_CONFLICT in checked[0].reasons
    assert Reason.SESSION_CONFLICT in checked[1].reasons


def test_the_plan_allows_its_dates_outside_breaks_only() -> None:
    assert LONG_PLAN.allows(date(2027, 2, 12))
    assert not LONG_PLAN.allows(date(2027, 2, 11))
    assert not LONG_PLAN.allows(date(2027, 7, 14))
    assert not LONG_PLAN.allows(date(2028, 1, 2))


def local_date_of(occurrence: SeriesOccurrence) -> date:
    return occurrence.proposed.start.astimezone(HELSINKI).date()


@pytest.mark.parametrize(
    ("agreed", "earliest", "first"),
    [
        # The agreement starts later than the notice reaches: its first day.
        (date(2027, 3, 10), datetime(2027, 3, 2, 9, 0), date(2027, 3, 10)),
        # It started weeks ago: the first date whose 10.00 is past the notice.
        (date(2027, 1, 4), datetime(2027, 3, 2, 9, 0), date(2027, 3, 2)),
        (date(2027, 1, 4), datetime(2027, 3, 2, 10, 0), date(2027, 3, 2)),
        (date(2027, 1, 4), datetime(2027, 3, 2, 10, 1), date(2027, 3, 3)),
        # Late in the evening of a leap year's February: the day after is the 29th.
        (date(2028, 1, 1), datetime(2028, 2, 28, 23, 40), date(2028, 2, 29)),
    ],
)
def test_a_series_proposed_now_begins_at_the_first_time_still_ahead(
    agreed: date, earliest: datetime, first: date
) -> None:
    assert first_series_date(agreed, time(10), earliest.replace(tzinfo=HELSINKI)) == first
