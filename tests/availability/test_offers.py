"""Offers kept under the schedule versions, on both databases: every kind of write
renews the version in its own transaction (by the database's triggers), a kept offer is
answered again until then, the clock alone recomputes it when a hold lapses, two apps
share what one computed, and a stale offer can never become a booking."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from sqlalchemy import event, select, update

from service import create_app
from service.domain.cancellation import CancellationCategory
from service.domain.intervals import Interval
from service.domain.slots import Slot
from service.extensions import db
from service.models import (
    AgreementVersion,
    OfferCache,
    Organisation,
    ProcessParticipant,
    RoomClosure,
    SupervisorProfile,
)
from service.services.availability.settings import DayHours, save_week
from service.services.booking.changes import (
    BookingConflict,
    BookSession,
    book_session,
    cancel_session,
)
from service.services.booking.slots import SlotQuery, search_slots
from tests import builders
from tests.builders import NOW, helsinki
from tests.conftest import test_config

WEEK = Interval(helsinki(2027, 3, 8, 0), helsinki(2027, 3, 13, 0))


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def version_of(profile_id) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(SupervisorProfile.schedule_version).where(SupervisorProfile.id == profile_id)
    )


def rooms_version_of(organisation_id) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(Organisation.rooms_version).where(Organisation.id == organisation_id)
    )


def search(process, who=None) -> list[Slot]:
    who = who or builders.participant_principal(process)
    found = search_slots(who, SlotQuery(WEEK, process_id=process.id), NOW)
    db.session.rollback()
    return found


class Queries:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(statement)


@pytest.fixture
def queries(ctx: Flask) -> Iterator[Queries]:
    counted = Queries()
    event.listen(db.engine, "before_cursor_execute", counted)
    yield counted
    event.remove(db.engine, "before_cursor_execute", counted)


def test_every_kind_of_write_renews_the_supervisors_version(ctx: Flask) -> None:
    profile = builders.supervisor()
    process = builders.process(profile)
    seen = [version_of(profile.id)]

    def renewed(what: str) -> None:
        now = version_of(profile.id)
        assert now != seen[-1], f"{what} left the version as it was"
        seen.append(now)

    booked = book_session(
        builders.participant_principal(process),
        BookSession(process.id, WEEK.start + dt.timedelta(hours=8)),
        now=NOW,
    )
    renewed("a booking")
    cancel_session(
        builders.participant_principal(process),
        booked.session_id,
        CancellationCategory.SCHEDULE_CONFLICT,
        now=NOW,
    )
    renewed("a cancellation")
    builders.busy(profile, helsinki(2027, 3, 9, 9), helsinki(2027, 3, 9, 10))
    renewed("a calendar sync's busy time")
    save_week(builders.principal(profile.person), [DayHours(0, dt.time(9), dt.time(15))])
    renewed("the working week")
    db.session.execute(
        update(SupervisorProfile)
        .where(SupervisorProfile.id == profile.id)
        .values(min_notice_minutes=60)
    )
    db.session.commit()
    renewed("a booking rule")
    version = db.session.scalars(select(AgreementVersion)).first()
    version.session_minutes = 60
    db.session.commit()
    renewed("an agreement's terms")
    db.session.add(ProcessParticipant(process_id=process.id, person=builders.person()))
    db.session.commit()
    renewed("a new participant")
    db.session.execute(
        update(SupervisorProfile).where(SupervisorProfile.id == profile.id).values(title="Uusi")
    )
    db.session.commit()
    assert version_of(profile.id) == seen[-1], "a title changes no offer"


def test_room_writes_renew_the_organisations_rooms_version(ctx: Flask) -> None:
    org = builders.organisation(8)
    before = rooms_version_of(org.organisation.id)
    db.session.add(
        RoomClosure(
            room_id=org.rooms[0].id,
            starts_at=helsinki(2027, 3, 9, 8),
            ends_at=helsinki(2027, 3, 9, 16),
        )
    )
    db.session.commit()
    assert rooms_version_of(org.organisation.id) != before


def test_kept_offers_are_answered_in_one_query_until_a_booking_changes_them(
    ctx: Flask, queries: Queries
) -> None:
    process = builders.process(builders.supervisor())
    first = search(process)
    assert first
    queries.statements.clear()
    assert search(process) == first
    kept_reads = [s for s in queries.statements if "offer_cache" in s]
    assert len(kept_reads) == 1 and not any("working_hours" in s for s in queries.statements)

    other = builders.process(process.supervisor)
    book_session(
        builders.participant_principal(other), BookSession(other.id, first[0].start), now=NOW
    )
    assert first[0] not in search(process), "the booking renewed the version"


def test_a_lapsing_hold_frees_its_time_with_nothing_written(ctx: Flask) -> None:
    profile = builders.supervisor()
    process = builders.process(profile)
    held = builders.process(profile)
    start = WEEK.start + dt.timedelta(hours=8)
    book_session(
        builders.participant_principal(held),
        BookSession(held.id, start, confirm_by=NOW + dt.timedelta(hours=2)),
        now=NOW,
    )
    assert all(slot.start != start for slot in search(process))
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        later = search_slots(
            builders.participant_principal(process),
            SlotQuery(WEEK, process_id=process.id),
            NOW + dt.timedelta(hours=3),
        )
    assert any(slot.start == start for slot in later), "the lapsed hold's time is offered"


def test_two_apps_share_what_one_computed(ctx: Flask, database_url: str, queries: Queries) -> None:
    process = builders.process(builders.supervisor())
    who = builders.participant_principal(process)
    first = search(process, who)
    second = create_app(test_config(database_url))  # as a second gunicorn worker would be
    with second.app_context():
        queries_there = Queries()
        event.listen(db.engine, "before_cursor_execute", queries_there)
        try:
            assert search_slots(who, SlotQuery(WEEK, process_id=process.id), NOW) == first
        finally:
            event.remove(db.engine, "before_cursor_execute", queries_there)
            db.session.remove()
            db.engine.dispose()
    assert not any("working_hours" in s for s in queries_there.statements)


def test_a_stale_offer_never_becomes_a_booking(ctx: Flask) -> None:
    """Even an offer kept wrongly (here written by hand under the current version) is
    refused at booking: the rules are checked again under the lock."""
    profile = builders.supervisor()
    process, other = builders.process(profile), builders.process(profile)
    taken = search(process)[0]
    book_session(builders.participant_principal(other), BookSession(other.id, taken.start), now=NOW)
    key = db.session.scalar(select(OfferCache.key))
    db.session.execute(
        update(OfferCache)
        .where(OfferCache.key == key)
        .values(
            schedule_version=version_of(profile.id),
            offers=[[taken.start.isoformat(), taken.end.isoformat(), []]],
        )
    )
    db.session.commit()
    assert search(process) == [taken], "the stale offer is what the page shows"
    with pytest.raises(BookingConflict):
        book_session(
            builders.participant_principal(process), BookSession(process.id, taken.start), now=NOW
        )


@pytest.mark.sqlite_only
def test_a_search_inside_a_writing_transaction_does_not_wait_for_its_own_lock(
    ctx: Flask,
) -> None:
    """SQLite has one writer: the store's own connection would wait for the request's
    lock. It waits briefly, skips, and leaves the pool's busy timeout as it was."""
    process = builders.process(builders.supervisor())
    principal = builders.supervisor_principal(process)
    process.supervisor.slot_step_minutes = 45
    db.session.flush()  # this transaction now holds the write lock
    started = time.monotonic()
    offered = search_slots(principal, SlotQuery(WEEK, process_id=process.id), NOW)
    waited = time.monotonic() - started
    db.session.rollback()
    assert offered
    assert waited < 5, f"the search waited {waited:.1f} s for its own transaction"
    assert db.session.scalar(select(OfferCache.key)) is None
    with db.engine.connect() as connection:
        timeouts = {connection.exec_driver_sql("PRAGMA busy_timeout").scalar()}
    for _ in range(3):
        with db.engine.connect() as connection:
            timeouts.add(connection.exec_driver_sql("PRAGMA busy_timeout").scalar())
    assert timeouts == {ctx.config["SQLITE_BUSY_TIMEOUT_SECONDS"] * 1000}
