"""The HTTP/JSON room system against the reference server of docs/room-api.md."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from plugins.rooms_http import HTTPRooms
from service.backends import (
    ReservationRequest,
    ReservationStatus,
    RoomProblem,
    RoomSystemError,
    TimeRange,
)
from tests.conftest import LOOPBACK_OUTWARD
from tests.fixtures.room_api import TOKEN, RoomAPI, fixture_room_api  # noqa: F401
from tests.fixtures.smtp import HOST, free_port

START = dt.datetime(2027, 3, 3, 8, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=2)


def system(api: RoomAPI, **settings: object) -> HTTPRooms:
    return HTTPRooms(
        settings={"base_url": api.url, "secret": TOKEN, **settings},
        timeout=2,
        outward=LOOPBACK_OUTWARD,
    )


def request(room: str = "A1", key: str = "res-1", start=START, end=END) -> ReservationRequest:
    return ReservationRequest(room, start, end, "Työnohjaus TY-0001", key, revised_at=START)


@pytest.fixture
def api(room_api: RoomAPI) -> RoomAPI:
    room_api.add_room("A1", "Neuvotteluhuone Aalto", 8, building="A", equipment=["screen"])
    room_api.add_room("B2", "Pieni huone", 4)
    return room_api


def test_rooms_and_their_busy_time_are_read(api: RoomAPI) -> None:
    api.take("A1", START, END)
    rooms = {room.external_id: room for room in system(api).list_rooms()}
    assert rooms["A1"].capacity == 8 and rooms["A1"].equipment == ("screen",)
    window = TimeRange(START - dt.timedelta(days=1), END + dt.timedelta(days=1))
    busy = system(api).busy(["A1", "B2"], window)
    assert busy == {"A1": [TimeRange(START, END)], "B2": []}


def test_a_reservation_is_confirmed_and_a_retry_does_not_reserve_twice(api: RoomAPI) -> None:
    first = system(api).reserve(request())
    again = system(api).reserve(request())
    assert first.status is ReservationStatus.CONFIRMED
    assert again.external_id == first.external_id
    assert len(api.reservations) == 1
    sent = json.loads(next(raw for method, _, raw in api.requests if method == "POST"))
    assert sent["title"] == "Työnohjaus TY-0001"


def test_a_taken_room_answers_409_and_is_rejected(api: RoomAPI) -> None:
    api.take("A1", START + dt.timedelta(minutes=30), END)
    result = system(api).reserve(request())
    assert result.status is ReservationStatus.REJECTED
    assert result.message == "The room is already booked."
    assert api.reservations == {}


def test_pending_then_declined_is_seen_at_refresh(api: RoomAPI) -> None:
    api.approval_needed = True
    result = system(api).reserve(request())
    assert result.status is ReservationStatus.PENDING
    api.decline(result.external_id)
    assert system(api).refresh(result.external_id).status is ReservationStatus.REJECTED


def test_a_room_deleted_remotely_rejects_its_reservation(api: RoomAPI) -> None:
    result = system(api).reserve(request())
    api.delete_room("A1")
    assert system(api).refresh(result.external_id).status is ReservationStatus.REJECTED


def test_release_deletes_and_an_absent_reservation_counts_as_released(api: RoomAPI) -> None:
    result = system(api).reserve(request())
    system(api).release(result.external_id)
    system(api).release(result.external_id)
    assert api.reservations == {}


def test_update_moves_or_refuses_with_409(api: RoomAPI) -> None:
    result = system(api).reserve(request())
    later = request(start=START + dt.timedelta(days=1), end=END + dt.timedelta(days=1))
    assert system(api).update(result.external_id, later).status is ReservationStatus.CONFIRMED
    api.take("A1", START, END)
    assert system(api).update(result.external_id, request()).status is ReservationStatus.REJECTED


def test_policy_comes_from_the_room(api: RoomAPI) -> None:
    api.rooms["A1"]["policy"] = {"bookable_from": "08:00", "bookable_until": "16:00"}
    evening = TimeRange(START.replace(hour=15), START.replace(hour=17))  # 17-19 Helsinki
    assert system(api).check_policy("A1", evening, START) == ["outside the room's bookable hours"]
    assert system(api).check_policy("A1", TimeRange(START, END), START) == []


def test_wrong_token_is_unauthorized(api: RoomAPI) -> None:
    with pytest.raises(RoomSystemError) as caught:
        system(api, secret="väärä").list_rooms()
    assert caught.value.problem is RoomProblem.UNAUTHORIZED
    assert not caught.value.retryable


def test_wrong_url_says_so(api: RoomAPI) -> None:
    with pytest.raises(RoomSystemError) as caught:
        system(api, base_url=api.url + "wrong/").list_rooms()
    assert caught.value.problem is RoomProblem.WRONG_URL


def test_unreachable_after_retries(api: RoomAPI) -> None:
    api.stop()
    with pytest.raises(RoomSystemError) as caught:
        system(api, attempts=2).list_rooms()
    assert caught.value.problem is RoomProblem.UNREACHABLE
    assert caught.value.retryable


def test_slow_answer_times_out(api: RoomAPI) -> None:
    api.delay_seconds = 1.5
    with pytest.raises(RoomSystemError) as caught:
        HTTPRooms(
            settings={"base_url": api.url, "secret": TOKEN, "attempts": 1},
            timeout=0.5,
            outward=LOOPBACK_OUTWARD,
        ).list_rooms()
    assert caught.value.problem is RoomProblem.TIMEOUT


def test_garbage_answer_is_a_bad_answer(api: RoomAPI) -> None:
    api.garbage = True
    with pytest.raises(RoomSystemError) as caught:
        system(api).reserve(request())
    assert caught.value.problem is RoomProblem.BAD_ANSWER


def test_bad_settings_are_refused_before_any_request() -> None:
    with pytest.raises(RoomSystemError) as caught:
        HTTPRooms(
            settings={"base_url": f"ftp://{HOST}:{free_port()}/"},
            timeout=1,
            outward=LOOPBACK_OUTWARD,
        )
    assert caught.value.problem is RoomProblem.BAD_SETTINGS
