"""Slot search keeps busy time between searches, yet every change is seen by the very
next search: in the same process, in another worker, and never from a rolled-back one."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from service import create_app
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import BusyInterval, SupervisionProcess, WorkingHours
from service.services.booking.changes import BookSession, book_session
from service.services.booking.slots import SlotQuery, search_slots
from service.services.calendars import busy_cache
from service.services.calendars.busy_cache import busy_changed
from tests import builders
from tests.builders import NOW, helsinki
from tests.conftest import test_config

TEN, NOON, TWO = (helsinki(2027, 3, 3, hour) for hour in (10, 12, 14))
WEDNESDAY = Interval(helsinki(2027, 3, 3, 0), helsinki(2027, 3, 4, 0))
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def ctx(app: Flask):
    with app.app_context():
        yield app


def starts(process: SupervisionProcess) -> set[dt.datetime]:
    """The offered start times on Wednesday, read as one request would: then the
    request's transaction ends."""
    principal = builders.supervisor_principal(process)
    found = search_slots(principal, SlotQuery(WEDNESDAY, process_id=process.id), NOW)
    db.session.rollback()
    return {slot.start for slot in found}


def test_a_synced_event_is_seen_by_the_next_search_and_so_is_its_removal(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    builders.busy(process.supervisor, TWO, TWO + HOUR)
    assert TEN in starts(process)
    assert TWO not in starts(process)
    event = builders.busy(process.supervisor, TEN, TEN + HOUR)
    assert TEN not in starts(process)
    db.session.delete(db.session.get(BusyInterval, event.id))
    busy_changed(process.supervisor_id, [(TEN, TEN + HOUR)])
    db.session.commit()
    assert TEN in starts(process)


def test_a_change_through_another_worker_is_seen_by_the_next_search(
    ctx: Flask, database_url: str
) -> None:
    process = builders.process(builders.supervisor())
    builders.busy(process.supervisor, TWO, TWO + HOUR)
    assert TEN in starts(process)  # now kept by this worker
    other_worker = create_app(test_config(database_url))
    with other_worker.app_context():
        profile = db.session.get(SupervisionProcess, process.id).supervisor
        builders.busy(profile, TEN, TEN + HOUR)
        db.session.remove()
    assert TEN not in starts(process)


def test_a_rolled_back_change_never_reappears(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    synced = builders.busy(process.supervisor, TWO, TWO + HOUR)
    row = BusyInterval(
        supervisor_id=process.supervisor_id,
        remote_object_id=synced.remote_object_id,
        starts_at=TEN,
        ends_at=TEN + HOUR,
    )
    db.session.add(row)
    busy_changed(process.supervisor_id, [(TEN, TEN + HOUR)])
    principal = builders.supervisor_principal(process)
    seen = search_slots(principal, SlotQuery(WEDNESDAY, process_id=process.id), NOW)
    assert TEN not in {slot.start for slot in seen}  # its own uncommitted row
    db.session.rollback()
    builders.busy(process.supervisor, NOON, NOON + HOUR)
    offered = starts(process)
    assert TEN in offered
    assert NOON not in offered


def test_a_change_in_one_week_leaves_the_other_weeks_kept(ctx: Flask, monkeypatch) -> None:
    process = builders.process(builders.supervisor())
    later = dt.timedelta(weeks=1)
    builders.busy(process.supervisor, TWO, TWO + HOUR)
    builders.busy(process.supervisor, TWO + later, TWO + later + HOUR)
    fortnight = Interval(WEDNESDAY.start, WEDNESDAY.end + later)
    busy_cache.supervisor_busy(process.supervisor_id, fortnight)
    read: list[list[int]] = []
    read_weeks = busy_cache._read_weeks

    def recording(supervisor_id, numbers):
        read.append(numbers)
        return read_weeks(supervisor_id, numbers)

    monkeypatch.setattr(busy_cache, "_read_weeks", recording)
    builders.busy(process.supervisor, TEN + later, TEN + later + HOUR)
    busy = busy_cache.supervisor_busy(process.supervisor_id, fortnight)
    assert read == [list(busy_cache.weeks_of(TEN + later, TEN + later + HOUR))]
    assert busy.overlaps(TWO, TWO + HOUR)
    assert busy.overlaps(TEN + later, TEN + later + HOUR)


def test_busy_time_written_without_telling_the_cache_is_still_read(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    assert TEN in starts(process)
    builders.busy(process.supervisor, TEN, TEN + HOUR, record=False)
    assert TEN not in starts(process)


def test_a_room_booking_is_seen_by_the_next_search(ctx: Flask) -> None:
    org = builders.organisation(6)
    on_site = {"participants": 4, "org": org, "place": PlaceKind.CLIENT_PREMISES}
    process = builders.process(builders.supervisor(), **on_site)
    other = builders.process(builders.supervisor(), **on_site)
    assert TEN in starts(process)
    book_session(builders.participant_principal(other), BookSession(other.id, TEN), now=NOW)
    assert TEN not in starts(process)


def test_a_working_hours_change_is_seen_by_the_next_search(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    assert TEN in starts(process)
    wednesday = db.session.scalar(
        db.select(WorkingHours).where(
            WorkingHours.supervisor_id == process.supervisor_id, WorkingHours.weekday == 2
        )
    )
    wednesday.starts = dt.time(12)
    db.session.commit()
    offered = starts(process)
    assert TEN not in offered
    assert NOON in offered
