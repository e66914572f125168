"""Sessions stay within the written agreement: no more regular sessions than it agrees,
none before its first day or after its planned end. Booking refuses such a time with
its reason, and slot search never offers one."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from service.domain.cancellation import CancellationCategory
from service.domain.errors import Reason
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import SessionStatus, SupervisionSession
from service.services.booking.changes import (
    BookingConflict,
    BookSession,
    book_session,
    cancel_session,
    confirm_proposed_session,
    reschedule_session,
)
from service.services.booking.slots import SlotQuery, search_slots
from tests import builders
from tests.builders import NOW, helsinki

# Wednesdays a week apart, all beyond the notice from NOW (Monday 1 March 2027).
FIRST = helsinki(2027, 3, 3, 10)
SECOND = helsinki(2027, 3, 10, 10)
THIRD = helsinki(2027, 3, 17, 10)


@pytest.fixture
def ctx(app: Flask):
    with app.app_context():
        yield app


def book(process, start, *, now=NOW):
    who = builders.participant_principal(process)
    return book_session(who, BookSession(process.id, start), now=now)


def refusal(process, start, *, now=NOW) -> list[Reason]:
    with pytest.raises(BookingConflict) as refused:
        book(process, start, now=now)
    return refused.value.reasons


def offered(process, window: Interval, *, moving=None) -> list[dt.datetime]:
    query = SlotQuery(window, process_id=process.id, moving_session_id=moving)
    who = builders.participant_principal(process)
    return [slot.start for slot in search_slots(who, query, NOW)]


def day_window(start: dt.datetime) -> Interval:
    """The local day of ``start``."""
    day = start.astimezone(builders.HELSINKI).date()
    return Interval(
        helsinki(day.year, day.month, day.day, 0), helsinki(day.year, day.month, day.day, 23)
    )


def add_session(process, start, status, *, kind=None, charge_percent=None):
    """A session of the process written as its history left it (no hold)."""
    session = SupervisionSession(
        process_id=process.id,
        kind=kind or SessionKind.INDIVIDUAL,
        status=status,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        place_kind=PlaceKind.REMOTE,
        charge_percent=charge_percent,
    )
    db.session.add(session)
    db.session.commit()
    return session


def test_no_more_sessions_are_booked_than_the_agreement_has(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), session_count=2)
    book(process, FIRST)
    book(process, SECOND)
    assert refusal(process, THIRD) == [Reason.SESSIONS_USED_UP]
    assert offered(process, day_window(THIRD)) == []


def test_a_session_before_the_agreement_starts_is_refused_and_not_offered(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), starts_on=dt.date(2027, 3, 10))
    assert refusal(process, FIRST) == [Reason.OUTSIDE_AGREEMENT]
    assert offered(process, day_window(FIRST)) == []
    assert SECOND in offered(process, day_window(SECOND))
    assert book(process, SECOND).created


def test_a_session_after_the_planned_end_is_refused_and_not_offered(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), planned_end_on=dt.date(2027, 3, 10))
    book(process, FIRST)
    assert SECOND in offered(process, day_window(SECOND))  # the last day is inside
    assert refusal(process, THIRD) == [Reason.OUTSIDE_AGREEMENT]
    assert offered(process, day_window(THIRD)) == []


def test_a_free_cancellation_gives_its_session_back(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), session_count=1)
    first = book(process, FIRST)
    who = builders.participant_principal(process)
    cancel_session(who, first.session_id, CancellationCategory.SCHEDULE_CONFLICT, now=NOW)
    assert db.session.get(SupervisionSession, first.session_id).charge_percent == 0
    assert book(process, SECOND).created


def test_a_charged_late_cancellation_uses_its_session(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), session_count=1)
    first = book(process, FIRST)
    who = builders.participant_principal(process)
    late = FIRST - dt.timedelta(hours=3)
    cancel_session(who, first.session_id, CancellationCategory.SCHEDULE_CONFLICT, now=late)
    assert db.session.get(SupervisionSession, first.session_id).charge_percent == 100
    assert refusal(process, SECOND, now=late) == [Reason.SESSIONS_USED_UP]


@pytest.mark.parametrize("status", [SessionStatus.HELD, SessionStatus.NO_SHOW])
def test_held_and_missed_sessions_use_theirs(ctx: Flask, status: SessionStatus) -> None:
    process = builders.process(builders.supervisor(), session_count=1)
    add_session(process, helsinki(2027, 2, 24, 10), status)
    assert refusal(process, FIRST) == [Reason.SESSIONS_USED_UP]


def test_the_initial_assessment_is_not_one_of_the_agreed_sessions(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), session_count=1)
    add_session(
        process, helsinki(2027, 2, 10, 10), SessionStatus.HELD, kind=SessionKind.INITIAL_ASSESSMENT
    )
    assert book(process, FIRST).created


def test_the_last_session_can_still_be_moved(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), session_count=1)
    first = book(process, FIRST)
    assert SECOND in offered(process, day_window(SECOND), moving=first.session_id)
    who = builders.participant_principal(process)
    reschedule_session(who, first.session_id, SECOND, now=NOW)
    assert db.session.get(SupervisionSession, first.session_id).starts_at == SECOND


def test_a_proposed_session_is_not_confirmed_beyond_the_count(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), session_count=1)
    book(process, FIRST)
    proposed = add_session(process, SECOND, SessionStatus.PROPOSED)
    with pytest.raises(BookingConflict) as refused:
        confirm_proposed_session(builders.supervisor_principal(process), proposed.id, now=NOW)
    assert refused.value.reasons == [Reason.SESSIONS_USED_UP]
