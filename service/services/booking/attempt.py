"""The one way a session takes a time: book, move, confirm a proposed one, or move a
proposed one (the series), all walk these steps.

1. Outside any transaction: what the session is (`basis_of`: its length, place and
   rules), the plugins' rules, and one live question to the supervisor's calendars,
   so no lock is held while a remote server thinks.
2. One write transaction holding the supervisor's lock: the rules placed in the
   schedule as it is now (`context_of`, built once per attempt), every rule checked
   again by the domain with the calendars' answer folded in, then the change.
3. A refusal (a rule, or the database's constraint after a lost race) becomes a
   `BookingConflict` with the next free times under the same context.

The basis read in step 1 is the basis of step 2: a supervisor's settings or an
agreement changed in between apply from the next attempt, and the constraints on holds
keep two sessions from one time whatever the rules said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from service.domain.availability import BookedSession
from service.domain.intervals import Interval
from service.services.availability.schedule import BookingContext
from service.services.booking.steps import (
    RuleConflict,
    ask_plugins,
    load_process,
    recheck,
    refusal,
)
from service.services.booking.target import BookingTarget, basis_of, context_of
from service.services.calendars.live_check import LiveAnswer, ask_calendars
from service.services.transactions import write_transaction

T = TypeVar("T")

Write = Callable[[BookingContext, Interval, LiveAnswer], T]
Siblings = Callable[[BookingContext], Iterable[BookedSession]]


def attempt(
    target: BookingTarget, *, now: dt.datetime, write: Write[T], siblings: Siblings | None = None
) -> T:
    """Take the target's time and make the change ``write`` makes (inside the
    transaction, after the check); ``siblings`` are sessions that hold no time yet but
    must not be collided with."""
    process = load_process(target.process_id)
    basis = basis_of(process, target)
    interval = basis.interval_at(target.start)
    ask_plugins(basis, interval)
    live = ask_calendars(basis.profile, basis.rules.hold(interval))
    context: BookingContext | None = None
    try:
        with write_transaction(lock_supervisor=process.supervisor_id):
            context = context_of(load_process(target.process_id), target, basis)
            others = siblings(context) if siblings else ()
            recheck(context, interval, now, live.busy, siblings=others)
            return write(context, interval, live)
    except (RuleConflict, IntegrityError) as error:
        if context is None:
            raise
        raise refusal(error, context, target.start, now) from None
