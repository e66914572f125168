"""A proposed series of sessions from an agreement's cadence.

Every occurrence is checked with ``check_slot`` and reported: nothing is dropped or
moved silently.

* Dates step by ``interval_days`` from the first preferred weekday on or after the
  start date (plain local dates; times are resolved per date in the zone).
* An occurrence falling into a break (e.g. July every year) moves to the first date
  after the break on the preferred weekday that is not a holiday; the series then
  continues from the moved date, so two occurrences never pile up after a break.
* Each occurrence is checked against the schedule *plus all its siblings*, so
  occurrences and their alternatives never collide with one another (limits included).
* A collision lists all reasons and the nearest free slots within ``search_days``
  local days (widened to half the interval when none is found), outside breaks.
* A wall time that does not exist on a date (spring forward) is proposed at the end of
  the gap and reported as a collision (``NONEXISTENT_LOCAL_TIME``), never shifted quietly.
* The supervisor plans the whole agreement, so by default ``max_advance_days`` (a limit
  on clients booking ahead) does not apply; every other rule does.

Alternatives of two different collisions are not checked against each other (their
search windows never share a date, but a weekly limit could still be met by both).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from service.domain.availability import (
    BookedSession,
    Schedule,
    SlotRequest,
    check_slot,
    nearest_alternatives,
    rooms_free,
)
from service.domain.cadence import validate_gap_days
from service.domain.errors import InvalidSeries, Reason, sort_reasons
from service.domain.intervals import Interval
from service.domain.localtime import gap_end, local_date, resolve_label
from service.domain.slots import Slot

ONE_DAY = timedelta(days=1)
_MAX_BREAK_HOPS = 60


@dataclass(frozen=True)
class AnnualBreak:
    """A break repeating every year, as (month, day) pairs inclusive; may wrap the new year.

    ``AnnualBreak((7, 1), (7, 31))`` is July; ``AnnualBreak((12, 20), (1, 6))`` wraps.
    """

    start: tuple[int, int]
    end: tuple[int, int]

    def __post_init__(self) -> None:
        for month, day in (self.start, self.end):
            if (month, day) == (2, 29):
                raise InvalidSeries("a yearly break cannot start or end on 29 February")
            try:
                date(2001, month, day)
            except ValueError as error:
                raise InvalidSeries(f"not a day of the year: {month}/{day}") from error

    def contains(self, day: date) -> bool:
        month_day = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= month_day <= self.end
        return month_day >= self.start or month_day <= self.end

    def last_day(self, day: date) -> date:
        """The last date of the break occurrence that contains ``day``."""
        year = day.year
        if self.start > self.end and (day.month, day.day) >= self.start:
            year += 1
        return date(year, *self.end)


@dataclass(frozen=True)
class SeriesPlan:
    """What the agreement says about the series. Give ``count`` or ``end_date``."""

    start_date: date
    interval_days: int
    local_time: time
    count: int | None = None
    end_date: date | None = None
    weekday: int | None = None  # 0 = Monday; default: the start date's weekday
    breaks: tuple[AnnualBreak, ...] = ()

    def __post_init__(self) -> None:
        validate_gap_days(self.interval_days, "interval_days")
        if (self.count is None) == (self.end_date is None):
            raise InvalidSeries("give either a session count or an end date, not both")
        if self.count is not None and self.count < 1:
            raise InvalidSeries("a series has at least one session")
        if self.end_date is not None and self.end_date < self.start_date:
            raise InvalidSeries("the end date is before the start date")
        if self.weekday is not None and self.weekday not in range(7):
            raise InvalidSeries("weekday is 0 (Monday) to 6 (Sunday)")
        if self.local_time.tzinfo is not None:
            raise InvalidSeries("local_time is a wall-clock time, without tzinfo")
        object.__setattr__(self, "breaks", tuple(self.breaks))

    @property
    def preferred_weekday(self) -> int:
        return self.start_date.weekday() if self.weekday is None else self.weekday

    def in_break(self, day: date) -> bool:
        return any(b.contains(day) for b in self.breaks)

    def allows(self, day: date) -> bool:
        """A local date an occurrence may take: within the plan's dates, outside breaks."""
        return (
            day >= self.start_date
            and not self.in_break(day)
            and (self.end_date is None or day <= self.end_date)
        )


class OccurrenceStatus(StrEnum):
    OK = "ok"  # bookable as proposed
    COLLISION = "collision"  # not bookable: see reasons and alternatives
    SKIPPED_BREAK = "skipped_break"  # moved out of a break (moved_from) and bookable there


@dataclass(frozen=True)
class SeriesOccurrence:
    index: int
    proposed: Interval
    status: OccurrenceStatus
    reasons: tuple[Reason, ...] = ()
    alternatives: tuple[Slot, ...] = ()
    moved_from: date | None = None  # the date inside a break it was moved from
    room_ids: tuple[str, ...] = ()  # rooms free for ``proposed`` when rooms are managed


def first_series_date(agreed: date, local_time: time, earliest: datetime) -> date:
    """The date a series proposed now begins: the agreement's first day, or, when that
    has passed, the first date whose session time is still ahead of ``earliest`` (now
    plus the notice, as a local time in the supervisor's zone)."""
    day = earliest.date()
    if datetime.combine(day, local_time) < earliest.replace(tzinfo=None):
        day += ONE_DAY
    return max(agreed, day)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _out_of_breaks(plan: SeriesPlan, day: date, holidays: frozenset[date]) -> date:
    """First preferred weekday after the break(s) containing ``day`` that is no holiday."""
    weekday = plan.preferred_weekday
    for _ in range(_MAX_BREAK_HOPS):
        current = next((b for b in plan.breaks if b.contains(day)), None)
        if current is not None:
            day = _on_or_after(current.last_day(day) + ONE_DAY, weekday)
        elif day in holidays:
            day = _on_or_after(day + ONE_DAY, weekday)
        else:
            return day
    raise InvalidSeries("the breaks and holidays leave no date for the series")


def series_dates(
    plan: SeriesPlan, holidays: frozenset[date] = frozenset()
) -> list[tuple[date, date | None]]:
    """Local dates of the series as ``(date, moved_from)``; ``moved_from`` set when a
    break moved the occurrence. With ``end_date``, nominal dates up to it are kept."""
    day = _on_or_after(plan.start_date, plan.preferred_weekday)
    step = timedelta(days=plan.interval_days)
    dates: list[tuple[date, date | None]] = []
    while (plan.count is None or len(dates) < plan.count) and (
        plan.end_date is None or day <= plan.end_date
    ):
        moved_from = None
        if plan.in_break(day):
            moved_from = day
            day = _out_of_breaks(plan, day, holidays)
        dates.append((day, moved_from))
        day += step
    return dates


@dataclass(frozen=True)
class Proposal:
    """One occurrence to check: its interval, the break date it was moved from, and
    reasons known before the check (a wall time that does not exist, say)."""

    index: int
    interval: Interval
    moved_from: date | None = None
    known_reasons: tuple[Reason, ...] = ()


def plan_series(
    plan: SeriesPlan,
    schedule: Schedule,
    request: SlotRequest,
    now: datetime,
    *,
    alternatives: int = 3,
    search_days: int = 3,
    enforce_max_advance: bool = False,
) -> list[SeriesOccurrence]:
    """Propose every occurrence of ``plan`` and report each one's bookability."""
    zone = schedule.zone
    duration = request.duration(schedule.rules)
    proposals: list[Proposal] = []
    for index, (day, moved_from) in enumerate(series_dates(plan, schedule.holidays)):
        extra: list[Reason] = []
        naive = datetime.combine(day, plan.local_time)
        start = resolve_label(naive, zone)
        if start is None:  # the wall time does not exist that day (spring forward)
            start = gap_end(naive, zone)
            extra.append(Reason.NONEXISTENT_LOCAL_TIME)
        if plan.end_date is not None and day > plan.end_date:
            extra.append(Reason.AFTER_SERIES_END)
        proposals.append(
            Proposal(index, Interval(start, start + duration), moved_from, tuple(extra))
        )
    return check_occurrences(
        plan,
        proposals,
        schedule,
        request,
        now,
        alternatives=alternatives,
        search_days=search_days,
        enforce_max_advance=enforce_max_advance,
    )


def check_occurrences(
    plan: SeriesPlan,
    proposals: list[Proposal],
    schedule: Schedule,
    request: SlotRequest,
    now: datetime,
    *,
    alternatives: int = 3,
    search_days: int = 3,
    enforce_max_advance: bool = False,
) -> list[SeriesOccurrence]:
    """Check each proposal against the schedule plus all the other proposals; a
    collision gets the nearest alternatives within the plan's dates."""
    if not enforce_max_advance:
        schedule = schedule.with_rules(replace(schedule.rules, max_advance_days=None))
    request = replace(request, cadence=None)  # the series itself defines the cadence
    zone = schedule.zone
    siblings = [BookedSession(p.interval, request.place) for p in proposals]

    def acceptable(slot: Slot) -> bool:
        return plan.allows(local_date(slot.start, zone))

    occurrences: list[SeriesOccurrence] = []
    for position, proposal in enumerate(proposals):
        interval, moved_from = proposal.interval, proposal.moved_from
        own = schedule.with_sessions(s for j, s in enumerate(siblings) if j != position)
        reasons = sort_reasons([*check_slot(own, request, interval, now), *proposal.known_reasons])
        if not reasons:
            status = OccurrenceStatus.SKIPPED_BREAK if moved_from else OccurrenceStatus.OK
            occurrences.append(
                SeriesOccurrence(
                    index=proposal.index,
                    proposed=interval,
                    status=status,
                    moved_from=moved_from,
                    room_ids=rooms_free(request, interval, now),
                )
            )
            continue
        found: list[Slot] = []
        for within in (search_days, max(search_days, plan.interval_days // 2)):
            found = nearest_alternatives(
                own, request, interval.start, now, alternatives, within, acceptable
            )
            if found:
                break
        occurrences.append(
            SeriesOccurrence(
                index=proposal.index,
                proposed=interval,
                status=OccurrenceStatus.COLLISION,
                reasons=tuple(reasons),
                alternatives=tuple(found),
                moved_from=moved_from,
            )
        )
    return occurrences


def break_moves(plan: SeriesPlan, holidays: frozenset[date]) -> dict[int, tuple[date, date]]:
    """The occurrences a break moves, by index: (the date it moved to, the date in the
    break it came from). Lets a stored proposal be recognised as moved by the plan."""
    return {
        index: (day, moved_from)
        for index, (day, moved_from) in enumerate(series_dates(plan, holidays))
        if moved_from is not None
    }
