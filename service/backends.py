"""The typed contract between the core and plugins: value objects and backend protocols.

Plugins reach the core only through what hooks hand them, so everything a plugin
receives or returns is defined here as a frozen dataclass, free of Flask and
SQLAlchemy. Backends are structural (`typing.Protocol`): a plugin need not import or
subclass anything from the core to provide one.

Every instant is timezone-aware; `TimeRange` converts to UTC. Intervals are
half-open, `[start, end)`, so back-to-back sessions do not overlap.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any, ClassVar, Literal, Protocol, get_args, runtime_checkable
from zoneinfo import ZoneInfo

from service.domain.room_policy import RoomPolicy as DomainRoomPolicy
from service.domain.room_policy import RoomRule

# Where a backend's requests may go: every backend is handed an `OutwardPolicy`
# (`outward=`) and connects through it (service/outward.py), so no URL a person gives
# reaches an internal address. Re-exported here, the module plugins import.
from service.outward import AddressRefused as AddressRefused
from service.outward import OutwardPolicy as OutwardPolicy
from service.outward import refusal_in as refusal_in


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


@dataclass(frozen=True)
class TimeRange:
    """A half-open interval `[start, end)` between two instants, held in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end and other.start < self.end


# --- Calendars ------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteCalendar:
    """A calendar found on the server, offered to the supervisor to choose from."""

    url: str
    display_name: str
    supports_sync_token: bool
    color: str | None = None
    # False for a calendar read through an address only (an .ics address): it cannot
    # receive sessions, which reach it through the supervisor's Ohjaamo feed instead.
    writable: bool = True


@dataclass(frozen=True)
class SyncState:
    """What the core remembers of a calendar between syncs.

    `etags` maps every calendar object href known to the busy cache to its ETag. A
    backend whose sync token was refused (or that has none) lists the calendar
    afresh and reports the hrefs missing from the listing as deleted, which it can
    because the previous hrefs are here.
    """

    sync_token: str | None = None
    etags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BusyEvent:
    """One busy interval of one calendar object (a recurring event gives several)."""

    href: str
    uid: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)

    @property
    def time_range(self) -> TimeRange:
        return TimeRange(self.start, self.end)


class UnreadableReason(enum.StrEnum):
    """Why a calendar object could not be read, as a key a page can translate."""

    BAD_DATE = "bad_date"
    BAD_DURATION = "bad_duration"
    BAD_RULE = "bad_rule"
    TOO_FREQUENT = "too_frequent"
    NO_START = "no_start"
    NOT_ICALENDAR = "not_icalendar"
    OTHER = "other"


UNREADABLE_TEXT: Mapping[UnreadableReason, str] = {
    UnreadableReason.BAD_DATE: "A date or time in it does not exist (such as 31 February).",
    UnreadableReason.BAD_DURATION: "Its length cannot be read.",
    UnreadableReason.BAD_RULE: "Its repeat rule cannot be read.",
    UnreadableReason.TOO_FREQUENT: "It repeats too often to be read, such as every minute.",
    UnreadableReason.NO_START: "It has no start time.",
    UnreadableReason.NOT_ICALENDAR: "It is not in iCalendar form.",
    UnreadableReason.OTHER: "It could not be read.",
}


@dataclass(frozen=True)
class UnreadableObject:
    """A calendar object the backend could not read, so it blocks no time.

    `summary` is the event's title when that much could be read: it is the supervisor's
    own text, shown only to them. `reason` says in a key what was wrong. The core
    shows these to the supervisor until the object is fixed or removed."""

    href: str
    reason: UnreadableReason
    summary: str | None = None

    @property
    def message(self) -> str:
        return UNREADABLE_TEXT[self.reason]


@dataclass(frozen=True)
class SyncResult:
    """The changes since the state a sync started from.

    `changed` maps each changed href to every busy interval that object now covers
    inside the sync window; the core replaces what it cached for that href. An
    href mapped to an empty tuple changed into something that blocks no time
    (moved out of the window, marked free, cancelled), which a flat list of events
    could not express. `etags` holds the new ETags of the changed hrefs; the next
    `SyncState` is the old etags updated with these, minus `deleted_hrefs`.

    `unreadable` describes the changed hrefs whose objects could not be read (each
    is also in `changed`, with no busy time); an object read again without a problem
    is simply not in it. `live_from_changes` tells the core to ask `changes()` rather
    than `free_busy()` at booking time: set when the server failed a time-range
    question during this sync (some fail every one over a single broken object), or
    by a backend whose `free_busy()` would read the whole calendar.
    """

    changed: Mapping[str, tuple[BusyEvent, ...]]
    deleted_hrefs: tuple[str, ...]
    sync_token: str | None
    etags: Mapping[str, str]
    unreadable: Mapping[str, UnreadableObject] = field(default_factory=dict)
    live_from_changes: bool = False

    def next_state(self, previous: SyncState) -> SyncState:
        etags = {**previous.etags, **self.etags}
        for href in self.deleted_hrefs:
            etags.pop(href, None)
        return SyncState(sync_token=self.sync_token, etags=etags)


# Every event Ohjaamo writes has a UID with this prefix (and an X-OHJAAMO-SESSION
# property), so a backend can tell Ohjaamo's own events from the supervisor's.
OWN_EVENT_UID_PREFIX = "ohjaamo-session-"
OWN_EVENT_PROPERTY = "X-OHJAAMO-SESSION"


@dataclass(frozen=True)
class CalendarEvent:
    """An event the core writes into a supervisor's calendar.

    `summary` is the neutral title from the privacy template and `description`
    carries no confidential content; the backend writes them as given. `sequence`
    rises with every change so calendar clients take the newest version, and
    `revised_at` is when the session last changed: the object's DTSTAMP (RFC 5545,
    3.8.7.2), so writing the same session twice writes the same object.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    location: str | None = None
    description: str | None = None
    sequence: int = 0
    video_url: str | None = None
    revised_at: datetime = field(kw_only=True)

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)
        _require_aware("revised_at", self.revised_at)


@dataclass(frozen=True)
class RemoteObject:
    """Where a written calendar object lives, and its ETag for the next conditional write."""

    href: str
    etag: str | None


@runtime_checkable
class CalendarBackend(Protocol):
    """A way to read and write a supervisor's own calendar (CalDAV is built in).

    The worker keeps a local busy cache with `sync` so that slot search never waits
    on the server; `free_busy` is the one live check at the moment of booking.
    Writes are conditional on ETags so a change made in the calendar meanwhile is
    not overwritten blindly.
    """

    name: ClassVar[str]

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        timeout: float,
        timezone: str,
        outward: OutwardPolicy,
    ) -> None:
        """`timezone` is the supervisor's IANA zone: an all-day event blocks that local
        day, and a floating time is read as that zone's local time. Every connection
        goes through `outward`, which refuses internal addresses."""
        ...

    def discover(self) -> list[RemoteCalendar]:
        """The calendars the account can see."""
        ...

    def sync(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        """What changed in one calendar since `state`, limited to `window`."""
        ...

    def free_busy(self, calendar_urls: Sequence[str], window: TimeRange) -> list[TimeRange]:
        """Busy intervals across the calendars within `window`, asked of the server now.
        A server that cannot answer a time-range question raises `CalendarError` with
        `calendar.time_range_failed` rather than reading the whole calendar."""
        ...

    def changes(self, calendar_url: str, state: SyncState, window: TimeRange) -> SyncResult:
        """What changed in one calendar since `state`, by the cheapest question the server
        answers (a sync token, a conditional request), never by listing the calendar:
        raises `CalendarError` when that cannot be asked. The live check at booking
        uses it for calendars whose sync said `live_from_changes`."""
        ...

    def put_event(self, calendar_url: str, event: CalendarEvent, etag: str | None) -> RemoteObject:
        """Create the event (`etag` None: only if absent) or replace it (only if unchanged)."""
        ...

    def delete_event(self, calendar_url: str, href: str, etag: str | None) -> None:
        """Delete the object; an object already gone counts as deleted."""
        ...


class CalendarProblem(enum.StrEnum):
    """What went wrong with a calendar server, as a key a page can translate."""

    WRONG_URL = "calendar.wrong_url"
    UNAUTHORIZED = "calendar.unauthorized"
    TLS_FAILED = "calendar.tls_failed"
    TIMEOUT = "calendar.timeout"
    UNREACHABLE = "calendar.unreachable"
    SERVER_ERROR = "calendar.server_error"
    CONFLICT = "calendar.conflict"
    REFUSED_ADDRESS = "calendar.refused_address"
    TIME_RANGE_FAILED = "calendar.time_range_failed"
    READ_ONLY = "calendar.read_only"
    TOO_LARGE = "calendar.too_large"


CALENDAR_PROBLEM_TEXT: Mapping[CalendarProblem, str] = {
    CalendarProblem.WRONG_URL: "No calendar was found at that address. Check the URL.",
    CalendarProblem.UNAUTHORIZED: "The calendar server did not accept the username and "
    "password. Check them, or create a new app password.",
    CalendarProblem.TLS_FAILED: "The calendar server's certificate could not be verified, "
    "so the connection is not secure.",
    CalendarProblem.TIMEOUT: "The calendar server did not answer in time. Try again later.",
    CalendarProblem.UNREACHABLE: "The calendar server could not be reached. Check the "
    "address, or try again later.",
    CalendarProblem.SERVER_ERROR: "The calendar server answered with an error. Try again later.",
    CalendarProblem.CONFLICT: "The event was changed in the calendar at the same time. "
    "Ohjaamo will try again.",
    CalendarProblem.REFUSED_ADDRESS: "The address leads into an internal network, which "
    "Ohjaamo does not connect to. The administrator can allow a server of the practice's "
    "own network (OUTWARD_ALLOWED_HOSTS).",
    CalendarProblem.TIME_RANGE_FAILED: "The calendar server could not tell which times are "
    "busy; Ohjaamo reads the calendar's changes instead.",
    CalendarProblem.READ_ONLY: "This calendar is read through its address and cannot be "
    "written to.",
    CalendarProblem.TOO_LARGE: "The calendar is too large for Ohjaamo to read.",
}


class CalendarError(Exception):
    """A calendar backend's failure in plain words.

    `problem` is the key a page shows (its English text is `CALENDAR_PROBLEM_TEXT`);
    `retryable` says whether trying the same thing later may succeed, which the
    worker uses to retry rather than give up. `detail` is for logs and never
    contains calendar content.
    """

    def __init__(self, problem: CalendarProblem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.detail = detail

    @property
    def message(self) -> str:
        return CALENDAR_PROBLEM_TEXT[self.problem]

    @property
    def retryable(self) -> bool:
        return self.problem not in (
            CalendarProblem.WRONG_URL,
            CalendarProblem.UNAUTHORIZED,
            CalendarProblem.REFUSED_ADDRESS,
            CalendarProblem.READ_ONLY,
        )


# --- Rooms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomInfo:
    """A room as the room system describes it; `None` where the system does not say."""

    external_id: str
    name: str
    capacity: int | None = None
    building: str | None = None
    floor: str | None = None
    accessible: bool | None = None
    equipment: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReservationRequest:
    """A room reservation to make or change.

    `title` is the neutral title. `idempotency_key` is stable for one session's
    reservation, so a retried request after a timeout does not reserve twice.
    `revised_at` is when the reservation last changed (a calendar object's DTSTAMP).
    """

    room_external_id: str
    start: datetime
    end: datetime
    title: str
    idempotency_key: str
    revised_at: datetime

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)
        _require_aware("revised_at", self.revised_at)


class ReservationStatus(enum.StrEnum):
    """Room systems that need a person's approval answer `pending` first."""

    CONFIRMED = "confirmed"
    PENDING = "pending"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ReservationResult:
    status: ReservationStatus
    external_id: str | None
    message: str | None = None


@dataclass(frozen=True)
class RoomPolicy:
    """A room's booking rules as its system states them; `None` where there is no rule.

    Bookable hours are local times in `timezone`; a reservation must lie inside one
    local day's bookable hours.
    """

    timezone: str = "Europe/Helsinki"
    bookable_from: time | None = None
    bookable_until: time | None = None
    max_advance_days: int | None = None
    max_length_minutes: int | None = None

    def problems(self, window: TimeRange, now: datetime) -> list[str]:
        """The rules `window` breaks, in words for a log line; the rule itself is the
        one slot search applies (`service.domain.room_policy`)."""
        rules = DomainRoomPolicy(
            ZoneInfo(self.timezone),
            self.bookable_from,
            self.bookable_until,
            self.max_advance_days,
            self.max_length_minutes,
        )
        broken = rules.broken(window.start, window.end, now)
        return [_RULE_TEXT[rule].format(policy=self) for rule in broken]


_RULE_TEXT = {
    RoomRule.OUTSIDE_HOURS: "outside the room's bookable hours",
    RoomRule.TOO_FAR: "more than {policy.max_advance_days} days ahead",
    RoomRule.TOO_LONG: "longer than {policy.max_length_minutes} minutes",
}


class RoomProblem(enum.StrEnum):
    """What went wrong with a room system, as a key a page can translate."""

    WRONG_URL = "rooms.wrong_url"
    UNAUTHORIZED = "rooms.unauthorized"
    TIMEOUT = "rooms.timeout"
    UNREACHABLE = "rooms.unreachable"
    SERVER_ERROR = "rooms.server_error"
    BAD_ANSWER = "rooms.bad_answer"
    BAD_SETTINGS = "rooms.bad_settings"
    REFUSED_ADDRESS = "rooms.refused_address"


ROOM_PROBLEM_TEXT: Mapping[RoomProblem, str] = {
    RoomProblem.WRONG_URL: "No room system was found at that address. Check the URL.",
    RoomProblem.UNAUTHORIZED: "The room system did not accept the credentials. Check the "
    "token or password.",
    RoomProblem.TIMEOUT: "The room system did not answer in time. Try again later.",
    RoomProblem.UNREACHABLE: "The room system could not be reached. Check the address, or "
    "try again later.",
    RoomProblem.SERVER_ERROR: "The room system answered with an error. Try again later.",
    RoomProblem.BAD_ANSWER: "The room system's answer could not be understood.",
    RoomProblem.BAD_SETTINGS: "The room system settings are incomplete or invalid.",
    RoomProblem.REFUSED_ADDRESS: "The address leads into an internal network, which "
    "Ohjaamo does not connect to. The administrator can allow a room system of the "
    "practice's own network (OUTWARD_ALLOWED_HOSTS).",
}


class RoomSystemError(Exception):
    """A room system's failure in plain words, like `CalendarError`.

    A reservation the system refuses is not an error: `reserve` answers `rejected`.
    `detail` is for logs and never contains reservation content.
    """

    def __init__(self, problem: RoomProblem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.detail = detail

    @property
    def message(self) -> str:
        return ROOM_PROBLEM_TEXT[self.problem]

    @property
    def retryable(self) -> bool:
        return self.problem in (
            RoomProblem.TIMEOUT,
            RoomProblem.UNREACHABLE,
            RoomProblem.SERVER_ERROR,
        )


@runtime_checkable
class RoomStore(Protocol):
    """Rooms kept in Ohjaamo's own database, as the core hands them to the built-in
    `ohjaamo` room system (in `settings["store"]`). A reservation there is a row the
    booking transaction writes, guarded by the database against double booking, so the
    store only reads."""

    def rooms(self) -> list[RoomInfo]: ...

    def policy(self, room_external_id: str) -> RoomPolicy: ...

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]: ...

    def reservation(self, key: str) -> ReservationResult:
        """The reservation written under an idempotency key or an external id."""
        ...


@runtime_checkable
class RoomSystem(Protocol):
    """A way to find and reserve rooms in an orderer organisation's premises.

    `settings` are the organisation's settings for this system (addresses, keys),
    stored with the organisation rather than in the application's configuration; the
    secret (token or password) is decrypted by the core and handed in as
    `settings["secret"]`. Every remote call gives up after `timeout` seconds. Failures
    raise `RoomSystemError`; a refused reservation is an answer, not a failure.
    """

    name: ClassVar[str]

    def __init__(
        self, *, settings: Mapping[str, Any], timeout: float, outward: OutwardPolicy
    ) -> None:
        """Every connection goes through `outward`, which refuses internal addresses."""
        ...

    def list_rooms(self) -> list[RoomInfo]: ...

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]:
        """Busy intervals per room within `window`."""
        ...

    def check_policy(self, room_external_id: str, window: TimeRange, now: datetime) -> list[str]:
        """The organisation's booking rules (lead time, opening hours) broken by `window`."""
        ...

    def reserve(self, request: ReservationRequest) -> ReservationResult: ...

    def update(self, external_id: str, request: ReservationRequest) -> ReservationResult: ...

    def release(self, external_id: str) -> None:
        """Give the room back; a reservation already gone counts as released."""
        ...

    def refresh(self, external_id: str) -> ReservationResult:
        """The reservation's current status: `pending` while awaiting approval, and
        `rejected` once declined, cancelled or deleted on the system's side."""
        ...


# --- Bookings -------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingProposal:
    """A booking about to be made or moved, as plugins' extra rules see it.

    Identifiers and shape only: who the participants are is not a plugin's business.
    """

    supervisor_id: uuid.UUID
    process_id: uuid.UUID | None
    kind: str
    start: datetime
    end: datetime
    place_kind: str
    room_id: uuid.UUID | None
    participant_count: int

    def __post_init__(self) -> None:
        _require_aware("start", self.start)
        _require_aware("end", self.end)


BookingEvent = Literal["created", "moved", "cancelled", "room_confirmed"]
BOOKING_EVENTS: frozenset[str] = frozenset(get_args(BookingEvent))


@dataclass(frozen=True)
class BookingChange:
    """A committed change to a session, told to plugins.

    Deliberately without names, notes or answers: a plugin may forward this
    anywhere. `previous_start` is set for `moved`.
    """

    event: BookingEvent
    session_id: uuid.UUID
    process_code: str
    start: datetime
    end: datetime
    previous_start: datetime | None = None

    def __post_init__(self) -> None:
        if self.event not in BOOKING_EVENTS:
            raise ValueError(f"unknown booking event {self.event!r}")
        _require_aware("start", self.start)
        _require_aware("end", self.end)
        if self.previous_start is not None:
            _require_aware("previous_start", self.previous_start)
