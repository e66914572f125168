"""Booking rules: slot grid, buffers, notice, horizon, limits, durations, places, travel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property

from service.domain.errors import InvalidRules
from service.domain.intervals import Interval

MINUTES_PER_DAY = 24 * 60


class SessionKind(StrEnum):
    INITIAL_ASSESSMENT = "initial_assessment"
    INDIVIDUAL = "individual"
    GROUP = "group"
    WORK_COMMUNITY = "work_community"


class PlaceKind(StrEnum):
    OFFICE = "office"
    CLIENT_PREMISES = "client_premises"
    REMOTE = "remote"


@dataclass(frozen=True)
class Place:
    """Where a session is held; ``key`` names the location (e.g. an address id)."""

    kind: PlaceKind
    key: str = ""

    @classmethod
    def remote(cls) -> Place:
        return cls(PlaceKind.REMOTE)


@dataclass(frozen=True)
class TravelTimes:
    """Travel minutes between places: a symmetric matrix with a default.

    ``matrix`` holds ``(place_a, place_b, minutes)`` triples; build it from a mapping
    with :meth:`build`.
    """

    default_minutes: int = 30
    matrix: tuple[tuple[Place, Place, int], ...] = ()

    def __post_init__(self) -> None:
        if self.default_minutes < 0 or any(minutes < 0 for _, _, minutes in self.matrix):
            raise InvalidRules("travel minutes must not be negative")

    @classmethod
    def build(
        cls, matrix: Mapping[tuple[Place, Place], int] | None = None, default_minutes: int = 30
    ) -> TravelTimes:
        triples = tuple((a, b, minutes) for (a, b), minutes in (matrix or {}).items())
        return cls(default_minutes=default_minutes, matrix=triples)

    @cached_property
    def _lookup(self) -> dict[tuple[Place, Place], int]:
        table: dict[tuple[Place, Place], int] = {}
        for a, b, minutes in self.matrix:
            table[(a, b)] = minutes
            table.setdefault((b, a), minutes)
        return table

    def minutes(self, from_place: Place, to_place: Place) -> int:
        return travel_minutes(from_place, to_place, self)


def travel_minutes(from_place: Place, to_place: Place, table: TravelTimes | None = None) -> int:
    """Minutes needed between two places: none for remote or the same place, else the table."""
    if PlaceKind.REMOTE in (from_place.kind, to_place.kind) or from_place == to_place:
        return 0
    table = table or _NO_TABLE
    return table._lookup.get((from_place, to_place), table.default_minutes)


_NO_TABLE = TravelTimes()


DEFAULT_DURATIONS: Mapping[SessionKind, int] = {
    SessionKind.INITIAL_ASSESSMENT: 60,
    SessionKind.INDIVIDUAL: 90,
    SessionKind.GROUP: 90,
    SessionKind.WORK_COMMUNITY: 120,
}


def earliest_start(now: datetime, min_notice_minutes: int) -> datetime:
    """The first moment a session may start when booked at ``now``: the supervisor's
    notice later. Slot search, the booking check, the booking pages and the series all
    start from it."""
    return now + timedelta(minutes=min_notice_minutes)


@dataclass(frozen=True)
class BookingRules:
    """A supervisor's booking policy. Minutes are whole minutes; None means unlimited.

    * ``slot_step_minutes`` must divide a day: the grid runs from local midnight, so
      a step of 30 offers :00 and :30 local on every day, DST days included.
    * Buffers: ``buffer_before`` keeps free time before a session, ``buffer_after`` after
      it. Against external busy time the new session is padded by its own buffers.
      Between two sessions both buffers apply to the same gap, so the gap must be at
      least ``max(before, after)`` (buffers do not stack), plus travel time.
    * ``max_advance_days`` is measured from ``now`` in absolute time.
    """

    slot_step_minutes: int = 30
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    min_notice_minutes: int = 24 * 60
    max_advance_days: int | None = 180
    max_sessions_per_day: int | None = None
    max_sessions_per_week: int | None = None
    initial_assessment_minutes: int = DEFAULT_DURATIONS[SessionKind.INITIAL_ASSESSMENT]
    individual_minutes: int = DEFAULT_DURATIONS[SessionKind.INDIVIDUAL]
    group_minutes: int = DEFAULT_DURATIONS[SessionKind.GROUP]
    work_community_minutes: int = DEFAULT_DURATIONS[SessionKind.WORK_COMMUNITY]
    travel: TravelTimes = field(default_factory=TravelTimes)

    def __post_init__(self) -> None:
        step = self.slot_step_minutes
        if step <= 0 or MINUTES_PER_DAY % step:
            raise InvalidRules(
                f"slot_step_minutes must be positive and divide 1440, got {step}",
                field="slot_step_minutes",
            )
        for name in ("buffer_before_minutes", "buffer_after_minutes", "min_notice_minutes"):
            if getattr(self, name) < 0:
                raise InvalidRules(f"{name} must not be negative", field=name)
        for name in ("max_advance_days", "max_sessions_per_day", "max_sessions_per_week"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InvalidRules(f"{name} must be at least 1 or None", field=name)
        for kind in SessionKind:
            if self._minutes_for(kind) <= 0:
                raise InvalidRules(f"duration of {kind} must be positive", field=kind.value)

    def _minutes_for(self, kind: SessionKind) -> int:
        return int(getattr(self, f"{kind.value}_minutes"))

    def duration_for(self, kind: SessionKind, override_minutes: int | None = None) -> timedelta:
        """Session length: the agreement's override if given, else the kind's default."""
        minutes = self._minutes_for(kind) if override_minutes is None else override_minutes
        if minutes <= 0:
            raise InvalidRules("a session duration must be positive", field="duration")
        return timedelta(minutes=minutes)

    @property
    def session_gap(self) -> timedelta:
        """Least free time between two of the supervisor's sessions (before travel)."""
        return timedelta(minutes=max(self.buffer_before_minutes, self.buffer_after_minutes))

    def hold(self, session: Interval) -> Interval:
        """The time a session takes from its supervisor: the session and the gap after it.

        Two sessions need ``session_gap`` between them; holding that gap after each one
        lets a plain overlap test (the database's exclusion constraint) enforce exactly
        that. Travel time depends on the neighbours and is checked by ``check_slot``.
        """
        return Interval(session.start, session.end + self.session_gap)

    def travel_minutes(self, from_place: Place, to_place: Place) -> int:
        return travel_minutes(from_place, to_place, self.travel)
