"""No double booking, whatever the order or the timing of book, move and cancel.

A Hypothesis state machine runs random sequences against a real database; a race test
runs bookings for one slot in parallel threads, each with its own connection.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from contextlib import suppress
from itertools import pairwise

from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from service.domain.cancellation import CancellationCategory
from service.extensions import db
from service.models import SupervisorHold
from service.services.booking.changes import (
    BookingConflict,
    BookingRejected,
    BookSession,
    book_session,
    cancel_session,
    reschedule_session,
)
from tests import builders
from tests.builders import NOW, helsinki
from tests.conftest import empty_all_tables

# Three days of 30-minute grid points: 90-minute sessions collide often.
STARTS = [
    helsinki(2027, 3, day, hour, minute)
    for day in (3, 4, 5)
    for hour in range(8, 15)
    for minute in (0, 30)
]


def overlapping_active_holds() -> list[tuple[SupervisorHold, SupervisorHold]]:
    holds = db.session.scalars(
        select(SupervisorHold)
        .where(SupervisorHold.active.is_(True))
        .order_by(SupervisorHold.supervisor_id, SupervisorHold.starts_at)
    ).all()
    return [
        (a, b)
        for a, b in pairwise(holds)
        if a.supervisor_id == b.supervisor_id and b.starts_at < a.ends_at
    ]


class BookingMachine(RuleBasedStateMachine):
    sessions = Bundle("sessions")

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.context = app.app_context()
        self.context.push()
        profile = builders.supervisor()
        self.processes = [builders.process(profile) for _ in range(3)]
        self.booked: set = set()

    def teardown(self) -> None:
        db.session.rollback()
        empty_all_tables()
        self.context.pop()

    @rule(target=sessions, process=st.integers(0, 2), start=st.sampled_from(STARTS))
    def book(self, process: int, start: dt.datetime):
        chosen = self.processes[process]
        try:
            outcome = book_session(
                builders.supervisor_principal(chosen), BookSession(chosen.id, start), now=NOW
            )
        except (BookingConflict, BookingRejected):
            return None
        self.booked.add(outcome.session_id)
        return outcome.session_id

    @rule(session=sessions, start=st.sampled_from(STARTS))
    def move(self, session, start: dt.datetime) -> None:
        if session is None or session not in self.booked:
            return
        with suppress(BookingConflict, BookingRejected):
            reschedule_session(self.supervisor, session, start, now=NOW)

    @rule(session=consumes(sessions))
    def cancel(self, session) -> None:
        if session is None or session not in self.booked:
            return
        cancel_session(self.supervisor, session, CancellationCategory.OTHER, now=NOW)
        self.booked.discard(session)

    @property
    def supervisor(self):
        return builders.supervisor_principal(self.processes[0])

    @invariant()
    def no_two_active_holds_overlap(self) -> None:
        db.session.rollback()
        assert overlapping_active_holds() == []
        active = set(
            db.session.scalars(
                select(SupervisorHold.session_id).where(SupervisorHold.active.is_(True))
            )
        )
        assert active == self.booked


def test_no_sequence_of_book_move_cancel_double_books(app: Flask) -> None:
    run_state_machine_as_test(
        lambda: BookingMachine(app),
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def race(app: Flask, attempts: list[Callable[[], object]]) -> list[object]:
    """Run the attempts at the same moment in threads; each gets its own session."""
    barrier = threading.Barrier(len(attempts))
    results: list[object] = [None] * len(attempts)

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = attempts[index]()
            except Exception as error:  # the outcome is what the test inspects
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_parallel_bookings_of_one_slot_give_exactly_one_booking(app: Flask) -> None:
    with app.app_context():
        profile = builders.supervisor()
        processes = [builders.process(profile) for _ in range(12)]
        requests = [
            (builders.participant_principal(p), BookSession(p.id, STARTS[4])) for p in processes
        ]
    attempts = [
        (lambda who=who, what=what: book_session(who, what, now=NOW)) for who, what in requests
    ]
    results = race(app, attempts)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, BookingConflict) for r in losers), losers
    with app.app_context():
        assert overlapping_active_holds() == []
        holds = db.session.scalars(select(SupervisorHold).where(SupervisorHold.active)).all()
        assert len(holds) == 1
