"""`CalDAVRooms`: the `RoomSystem` protocol over CalDAV resource calendars.

- busy time by a free-busy REPORT (RFC 4791 7.10), and where the server refuses that,
  by a time-range calendar-query read here;
- a reservation is an event with the neutral title, PUT with `If-None-Match: *` under a
  name derived from the reservation's idempotency key (a retry writes the same object),
  after a look at the room's time and followed by a re-read of it: a booking another
  client wrote at the same moment makes Ohjaamo withdraw its own, never both stay;
- release by DELETE with `If-Match`;
- refresh reads the object: gone or STATUS:CANCELLED is rejected, TENTATIVE pending.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo

from caldav.collection import Calendar
from caldav.elements import cdav, dav

from plugins.rooms_caldav.objects import Occupied, event_status, free_busy_spans, occupied
from service.backends import (
    CalendarError,
    CalendarEvent,
    CalendarProblem,
    OutwardPolicy,
    ReservationRequest,
    ReservationResult,
    ReservationStatus,
    RoomInfo,
    RoomPolicy,
    RoomProblem,
    RoomSystemError,
    TimeRange,
)
from service.plugin_kit.caldav import dav_client, etag_of, xml_body
from service.plugin_kit.caldav_errors import plain_errors
from service.plugin_kit.calendar_objects import object_name, session_ics

log = logging.getLogger(__name__)

ICS_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}
QUERY_MARGIN = dt.timedelta(days=1)
TAKEN = "the room is taken at that time"
RACE_LOST = "the room was taken at the same moment"
PROBLEMS = {
    CalendarProblem.WRONG_URL: RoomProblem.WRONG_URL,
    CalendarProblem.UNAUTHORIZED: RoomProblem.UNAUTHORIZED,
    CalendarProblem.TLS_FAILED: RoomProblem.UNREACHABLE,
    CalendarProblem.TIMEOUT: RoomProblem.TIMEOUT,
    CalendarProblem.UNREACHABLE: RoomProblem.UNREACHABLE,
    CalendarProblem.SERVER_ERROR: RoomProblem.SERVER_ERROR,
    CalendarProblem.CONFLICT: RoomProblem.SERVER_ERROR,
    CalendarProblem.REFUSED_ADDRESS: RoomProblem.REFUSED_ADDRESS,
}


class CalDAVRooms:
    """Settings: `url` (the account holding the room calendars), `username`, `secret`
    (the password, stored encrypted), optionally `calendar_urls` (only these calendars
    are rooms), `capacities` (calendar URL or name -> seats) and `timezone`."""

    name: ClassVar[str] = "caldav"

    def __init__(
        self, *, settings: Mapping[str, Any], timeout: float, outward: OutwardPolicy
    ) -> None:
        self.url = str(settings.get("url") or "")
        if not self.url.startswith(("http://", "https://")):
            raise RoomSystemError(RoomProblem.BAD_SETTINGS, "url is not http(s)")
        self.zone = ZoneInfo(str(settings.get("timezone") or "Europe/Helsinki"))
        self.only = [str(url) for url in settings.get("calendar_urls") or ()]
        self.capacities = dict(settings.get("capacities") or {})
        username = str(settings.get("username") or "")
        secret = str(settings.get("secret") or "")
        with _room_errors():
            self.client = dav_client(self.url, username, secret, timeout, outward)

    # --- Rooms ------------------------------------------------------------------------

    def list_rooms(self) -> list[RoomInfo]:
        with _room_errors():
            calendars = (
                [Calendar(client=self.client, url=url) for url in self.only]
                if self.only
                else self.client.principal().calendars()
            )
            rooms = []
            for calendar in calendars:
                # caldav types its calls for an async client too; this client is synchronous
                props = cast(dict[str, Any], calendar.get_properties([dav.DisplayName()]))
                url = str(calendar.url)
                name = str(props.get(dav.DisplayName.tag) or "") or url.rstrip("/").split("/")[-1]
                capacity = self.capacities.get(url, self.capacities.get(name))
                rooms.append(RoomInfo(url, name, int(capacity) if capacity else None))
        return rooms

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]:
        found: dict[str, list[TimeRange]] = {}
        with _room_errors():
            for url in room_external_ids:
                found[url] = self._free_busy(url, window)
        return found

    def check_policy(self, room_external_id: str, window: TimeRange, now: dt.datetime) -> list[str]:
        """A resource calendar states no booking rules; the calendar's time is the rule."""
        return RoomPolicy(timezone=str(self.zone)).problems(window, now)

    # --- Reservations -----------------------------------------------------------------

    def reserve(self, request: ReservationRequest) -> ReservationResult:
        calendar_url = request.room_external_id
        window = TimeRange(request.start, request.end)
        with _room_errors():
            if self._others(calendar_url, window, request.idempotency_key):
                return ReservationResult(ReservationStatus.REJECTED, None, TAKEN)
            url = self._object_url(calendar_url, request.idempotency_key)
            response = self.client.request(
                url, "PUT", self._ics(request), {**ICS_HEADERS, "If-None-Match": "*"}
            )
            if response.status == 412 and not self._is_own(url, request.idempotency_key):
                return ReservationResult(ReservationStatus.REJECTED, None, TAKEN)
            if response.status not in (200, 201, 204, 412):
                _raise_for(response.status)
            if self._others(calendar_url, window, request.idempotency_key):
                self.release(url)
                return ReservationResult(ReservationStatus.REJECTED, None, RACE_LOST)
        return ReservationResult(ReservationStatus.CONFIRMED, url)

    def update(self, external_id: str, request: ReservationRequest) -> ReservationResult:
        window = TimeRange(request.start, request.end)
        with _room_errors():
            if self._others(request.room_external_id, window, request.idempotency_key):
                return ReservationResult(ReservationStatus.REJECTED, external_id, TAKEN)
            etag = etag_of(self.client, external_id)
            if etag is None:
                return ReservationResult(ReservationStatus.REJECTED, external_id, "deleted")
            response = self.client.request(
                external_id, "PUT", self._ics(request), {**ICS_HEADERS, "If-Match": etag}
            )
            _raise_for(response.status)
            if self._others(request.room_external_id, window, request.idempotency_key):
                return ReservationResult(ReservationStatus.REJECTED, external_id, RACE_LOST)
        return ReservationResult(ReservationStatus.CONFIRMED, external_id)

    def release(self, external_id: str) -> None:
        with _room_errors():
            for _attempt in range(2):
                etag = etag_of(self.client, external_id)
                if etag is None:
                    return
                response = self.client.request(external_id, "DELETE", "", {"If-Match": etag})
                if response.status in (200, 202, 204, 404, 410):
                    return
                if response.status != 412:
                    _raise_for(response.status)
        raise RoomSystemError(RoomProblem.SERVER_ERROR, "the reservation kept changing")

    def refresh(self, external_id: str) -> ReservationResult:
        with _room_errors():
            response = self.client.request(external_id, "GET", "", {})
            if response.status in (404, 410):
                return ReservationResult(ReservationStatus.REJECTED, external_id, "deleted")
            _raise_for(response.status)
            status = event_status(response.raw)
        if status == "CANCELLED":
            return ReservationResult(ReservationStatus.REJECTED, external_id, "cancelled")
        if status == "TENTATIVE":
            return ReservationResult(ReservationStatus.PENDING, external_id)
        return ReservationResult(ReservationStatus.CONFIRMED, external_id)

    # --- Helpers ----------------------------------------------------------------------

    def _free_busy(self, calendar_url: str, window: TimeRange) -> list[TimeRange]:
        query = cdav.FreeBusyQuery() + cdav.TimeRange(window.start, window.end)
        # caldav annotates a REPORT body as str; it sends bytes as they are
        response = self.client.report(calendar_url, xml_body(query), depth=1)  # type: ignore[arg-type]
        if response.status < 300 and "VFREEBUSY" in (response.raw or ""):
            return free_busy_spans(response.raw, window)
        log.info("free-busy report refused (%s); reading events instead", response.status)
        return [found.span for found in self._occupied(calendar_url, window)]

    def _occupied(self, calendar_url: str, window: TimeRange) -> list[Occupied]:
        time_range = cdav.TimeRange(window.start - QUERY_MARGIN, window.end + QUERY_MARGIN)
        events = cdav.CompFilter("VCALENDAR") + (cdav.CompFilter("VEVENT") + time_range)
        # caldav types append as taking only elements of the parent's own class
        wanted = dav.Prop().append([dav.GetEtag(), cdav.CalendarData()])  # type: ignore[list-item]
        root = cdav.CalendarQuery().append([wanted, cdav.Filter() + events])  # type: ignore[list-item]
        # caldav annotates a REPORT body as str; it sends bytes as they are
        response = self.client.report(calendar_url, xml_body(root), depth=1)  # type: ignore[arg-type]
        _raise_for(response.status)
        found: list[Occupied] = []
        props = [cdav.CalendarData()]
        for href, values in response.expand_simple_props(props).items():
            ics = values.get(cdav.CalendarData.tag)
            if not ics:
                continue
            try:
                found.extend(occupied(str(ics), window, self.zone))
            except Exception as failure:  # one unreadable object must not hide the others
                log.warning("skipped an unreadable object %s (%s)", href, type(failure).__name__)
        return found

    def _others(self, calendar_url: str, window: TimeRange, own_uid: str) -> bool:
        return any(found.uid != own_uid for found in self._occupied(calendar_url, window))

    def _is_own(self, url: str, uid: str) -> bool:
        response = self.client.request(url, "GET", "", {})
        return response.status == 200 and f"UID:{uid}" in response.raw

    def _object_url(self, calendar_url: str, key: str) -> str:
        base = calendar_url if calendar_url.endswith("/") else calendar_url + "/"
        return base + object_name(key)

    @staticmethod
    def _ics(request: ReservationRequest) -> str:
        event = CalendarEvent(
            uid=request.idempotency_key,
            summary=request.title,
            start=request.start,
            end=request.end,
            revised_at=request.revised_at,
        )
        return session_ics(event)


def _raise_for(status: int) -> None:
    if status in (401, 403):
        raise RoomSystemError(RoomProblem.UNAUTHORIZED, f"HTTP {status}")
    if status == 404:
        raise RoomSystemError(RoomProblem.WRONG_URL, f"HTTP {status}")
    if status >= 400:
        raise RoomSystemError(RoomProblem.SERVER_ERROR, f"HTTP {status}")


@contextmanager
def _room_errors() -> Iterator[None]:
    """The calendar plugin's plain errors, told as a room system's."""
    try:
        with plain_errors(not_found=CalendarProblem.SERVER_ERROR):
            yield
    except CalendarError as failure:
        raise RoomSystemError(PROBLEMS[failure.problem], failure.detail) from failure
