"""`HTTPRooms`: the `RoomSystem` protocol over the HTTP/JSON shape of `docs/room-api.md`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from plugins.rooms_http.client import Answer, JSONClient
from service.backends import (
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

DEFAULT_ATTEMPTS = 3


class HTTPRooms:
    """Settings: `base_url`, `secret` (the bearer token, stored encrypted), optionally
    `attempts` (tries of a request that is safe to repeat) and `timezone` (of the
    rooms' bookable hours)."""

    name: ClassVar[str] = "http"

    def __init__(
        self, *, settings: Mapping[str, Any], timeout: float, outward: OutwardPolicy
    ) -> None:
        base_url = str(settings.get("base_url") or "")
        if not base_url:
            raise RoomSystemError(RoomProblem.BAD_SETTINGS, "base_url is missing")
        self.timezone = str(settings.get("timezone") or "Europe/Helsinki")
        attempts = int(settings.get("attempts") or DEFAULT_ATTEMPTS)
        secret = str(settings.get("secret") or "")
        self.client = JSONClient(base_url, secret, timeout, attempts, outward)

    def list_rooms(self) -> list[RoomInfo]:
        answer = self.client.call("GET", "rooms")
        if answer.status == 404:
            raise RoomSystemError(RoomProblem.WRONG_URL, "GET rooms: 404")
        rooms = _field(_ok(answer), "rooms", list)
        return [_room(entry) for entry in rooms]

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]:
        query = urlencode({"start": window.start.isoformat(), "end": window.end.isoformat()})
        found: dict[str, list[TimeRange]] = {}
        for room_id in room_external_ids:
            answer = self.client.call("GET", f"rooms/{quote(room_id, safe='')}/busy", query=query)
            if answer.status == 404:
                found[room_id] = []
                continue
            spans = _field(_ok(answer), "busy", list)
            found[room_id] = [_span(span) for span in spans]
        return found

    def check_policy(self, room_external_id: str, window: TimeRange, now: dt.datetime) -> list[str]:
        for room in _field(_ok(self.client.call("GET", "rooms")), "rooms", list):
            if str(room.get("id")) == room_external_id:
                return _policy(room.get("policy") or {}, self.timezone).problems(window, now)
        return ["the room no longer exists"]

    def reserve(self, request: ReservationRequest) -> ReservationResult:
        answer = self.client.call(
            "POST",
            "reservations",
            _reservation_body(request),
            idempotency_key=request.idempotency_key,
        )
        return _result(answer)

    def update(self, external_id: str, request: ReservationRequest) -> ReservationResult:
        answer = self.client.call(
            "PUT", f"reservations/{quote(external_id, safe='')}", _reservation_body(request)
        )
        if answer.status == 404:
            return ReservationResult(ReservationStatus.REJECTED, external_id, "gone")
        return _result(answer)

    def release(self, external_id: str) -> None:
        answer = self.client.call("DELETE", f"reservations/{quote(external_id, safe='')}")
        if answer.status not in (200, 202, 204, 404, 410):
            raise RoomSystemError(RoomProblem.SERVER_ERROR, f"DELETE: HTTP {answer.status}")

    def refresh(self, external_id: str) -> ReservationResult:
        answer = self.client.call("GET", f"reservations/{quote(external_id, safe='')}")
        if answer.status in (404, 410):
            return ReservationResult(ReservationStatus.REJECTED, external_id, "deleted")
        return _result(answer)


def _reservation_body(request: ReservationRequest) -> dict[str, str]:
    return {
        "room_id": request.room_external_id,
        "start": request.start.astimezone(dt.UTC).isoformat(),
        "end": request.end.astimezone(dt.UTC).isoformat(),
        "title": request.title,
    }


def _result(answer: Answer) -> ReservationResult:
    if answer.status == 409:
        message = answer.body.get("message") if isinstance(answer.body, dict) else None
        return ReservationResult(ReservationStatus.REJECTED, None, message or "conflict")
    if answer.status == 404:
        return ReservationResult(ReservationStatus.REJECTED, None, "no such room")
    body = _ok(answer)
    try:
        status = ReservationStatus(_field(body, "status", str))
    except ValueError:
        raise RoomSystemError(RoomProblem.BAD_ANSWER, "unknown status") from None
    return ReservationResult(status, str(_field(body, "id", str)), body.get("message"))


def _ok(answer: Answer) -> dict[str, Any]:
    if answer.status >= 400:
        raise RoomSystemError(RoomProblem.SERVER_ERROR, f"HTTP {answer.status}")
    if not isinstance(answer.body, dict):
        raise RoomSystemError(RoomProblem.BAD_ANSWER, "expected a JSON object")
    return answer.body


def _field(body: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = body.get(name)
    if not isinstance(value, kind):
        raise RoomSystemError(RoomProblem.BAD_ANSWER, f"field {name!r} missing or wrong type")
    return value


def _room(entry: Any) -> RoomInfo:
    if not isinstance(entry, dict):
        raise RoomSystemError(RoomProblem.BAD_ANSWER, "a room is not an object")
    capacity = entry.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        raise RoomSystemError(RoomProblem.BAD_ANSWER, "capacity is not a positive integer")
    return RoomInfo(
        external_id=str(_field(entry, "id", (str, int))),
        name=str(_field(entry, "name", str)),
        capacity=capacity,
        building=entry.get("building"),
        floor=entry.get("floor"),
        accessible=entry.get("accessible"),
        equipment=tuple(str(item) for item in entry.get("equipment") or ()),
    )


def _span(span: Any) -> TimeRange:
    try:
        start = dt.datetime.fromisoformat(span["start"])
        end = dt.datetime.fromisoformat(span["end"])
        return TimeRange(start, end)
    except (TypeError, KeyError, ValueError) as failure:
        raise RoomSystemError(RoomProblem.BAD_ANSWER, "a busy span cannot be read") from failure


def _policy(policy: Mapping[str, Any], timezone: str) -> RoomPolicy:
    def clock(name: str) -> dt.time | None:
        value = policy.get(name)
        return dt.time.fromisoformat(value) if isinstance(value, str) else None

    return RoomPolicy(
        timezone=timezone,
        bookable_from=clock("bookable_from"),
        bookable_until=clock("bookable_until"),
        max_advance_days=policy.get("max_advance_days"),
        max_length_minutes=policy.get("max_length_minutes"),
    )
