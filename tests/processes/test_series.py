"""The agreement's series on both databases: 26 sessions every three weeks across the
spring DST change, Easter, Midsummer and a July break; every occurrence checked, every
collision reported with alternatives, and acceptance books exactly the free ones."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.domain.series import OccurrenceStatus
from service.extensions import db
from service.models import SessionStatus, SupervisionSession, SupervisorHold
from service.services.booking.changes import BookSession, book_session
from service.services.errors import AccessDenied
from service.services.processes.series import accept_series, interval_days, propose_series
from tests import builders
from tests.booking.test_booking_races import overlapping_active_holds
from tests.builders import helsinki

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = dt.datetime(2027, 1, 18, 8, 0, tzinfo=dt.UTC)
TERMS = {
    "starts_on": dt.date(2027, 2, 3),
    "planned_end_on": dt.date(2028, 12, 31),
    "session_count": 26,
    "min_gap_days": 14,
    "max_gap_days": 28,
    "preferred_weekday": 2,
    "preferred_start": dt.time(10),
    "break_from": "07-01",
    "break_until": "07-31",
}


@pytest.fixture
def series(app: Flask):
    with app.app_context():
        profile = builders.supervisor()
        process = builders.process(profile, **TERMS)
        other = builders.process(profile, min_gap_days=7, max_gap_days=60)
        # Another client already has the fourth Wednesday (17 March) at 10:30.
        book_session(
            builders.participant_principal(other),
            BookSession(other.id, helsinki(2027, 3, 17, 10, 30)),
            now=NOW,
        )
        yield process, builders.supervisor_principal(process)


def test_spacing_is_the_middle_of_the_gap_on_whole_weeks(series) -> None:
    process, _ = series
    from service.services.availability.schedule import current_terms

    assert interval_days(current_terms(process)) == 21


def test_every_occurrence_is_proposed_and_collisions_are_reported(series) -> None:
    process, supervisor = series
    proposed = propose_series(supervisor, process.id, now=NOW)
    assert [p.occurrence.index for p in proposed] == list(range(26))
    stored = db.session.scalar(
        select(func.count())
        .select_from(SupervisionSession)
        .where(
            SupervisionSession.process_id == process.id,
            SupervisionSession.status == SessionStatus.PROPOSED,
        )
    )
    assert stored == 26
    by_status = {
        status: [p for p in proposed if p.occurrence.status is status]
        for status in OccurrenceStatus
    }
    [taken] = [
        p
        for p in by_status[OccurrenceStatus.COLLISION]
        if p.occurrence.proposed.start == helsinki(2027, 3, 17, 10)
    ]
    assert taken.occurrence.alternatives, "a collision comes with alternatives"
    assert by_status[OccurrenceStatus.SKIPPED_BREAK], "the July occurrence moves out of July"
    for p in proposed:
        local = p.occurrence.proposed.start.astimezone(HELSINKI)
        assert local.month != 7
        if p.occurrence.status is OccurrenceStatus.OK:
            assert (local.hour, local.minute) == (10, 0)  # before and after the DST change


def test_accepting_books_the_free_ones_and_keeps_collisions_proposed(series) -> None:
    process, supervisor = series
    proposed = propose_series(supervisor, process.id, now=NOW)
    free = {p.session_id for p in proposed if p.occurrence.status is not OccurrenceStatus.COLLISION}
    colliding = {p.session_id for p in proposed} - free
    result = accept_series(supervisor, process.id, now=NOW)
    assert set(result.booked) == free
    assert set(result.conflicts) == colliding
    assert all(reasons for reasons, _ in result.conflicts.values())
    assert overlapping_active_holds() == []
    holds = db.session.scalar(
        select(func.count()).select_from(SupervisorHold).where(SupervisorHold.active.is_(True))
    )
    assert holds == len(free) + 1  # and the other client's session


def test_accepting_occurrence_by_occurrence(series) -> None:
    process, supervisor = series
    proposed = propose_series(supervisor, process.id, now=NOW)
    first_two = [p.session_id for p in proposed[:2]]
    result = accept_series(supervisor, process.id, now=NOW, session_ids=first_two)
    assert result.booked == first_two
    statuses = db.session.scalars(
        select(SupervisionSession.status).where(SupervisionSession.process_id == process.id)
    ).all()
    assert statuses.count(SessionStatus.BOOKED) == 2
    assert statuses.count(SessionStatus.PROPOSED) == 24


def test_only_the_supervisor_proposes_and_accepts(series) -> None:
    process, _ = series
    client = builders.participant_principal(process)
    with pytest.raises(AccessDenied):
        propose_series(client, process.id, now=NOW)
    with pytest.raises(AccessDenied):
        accept_series(client, process.id, now=NOW)
