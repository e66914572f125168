"""Remote work with a deadline for the whole of it, not for each request.

A backend's `timeout` bounds each request it makes, and a library may make several
(discovery is a few PROPFINDs; a server that drips its answer resets the read timeout
with every byte). A page or a booking must answer by a set time all the same, so the
work runs in a daemon thread and the caller waits for it only until the deadline. Work
still running then is left to end by its own timeouts: it holds no transaction and
writes nothing (callers open their backends and read what they need before, and write
what came back after), and as a daemon thread it never holds up a stopping process.

Written here on `threading` and `concurrent.futures.Future` rather than with a
`ThreadPoolExecutor`: an executor's threads are joined when the interpreter exits, so a
server that never answers would hold a stopping worker for its whole timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from service.backends import CalendarError, CalendarProblem

T = TypeVar("T")


class Deadline:
    """A point in time (by the monotonic clock, which no test moves) work must end by."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())


def start(work: Callable[[], T]) -> Future[T]:
    """Run ``work`` in a daemon thread of its own; its outcome lands in the future."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as error:  # handed to the waiting caller, whatever it is
            future.set_exception(error)

    threading.Thread(target=run, name="ohjaamo-remote", daemon=True).start()
    return future


def within(deadline: Deadline, work: Callable[[], T]) -> T:
    """The result of ``work``, or ``CalendarError(calendar.timeout)`` once the deadline
    has passed without one; what ``work`` raises is raised here."""
    future = start(work)
    try:
        return future.result(timeout=deadline.left())
    except FutureTimeout:
        raise CalendarError(
            CalendarProblem.TIMEOUT, f"no answer within {deadline.seconds:g} s"
        ) from None


def all_within(deadline: Deadline, works: Sequence[Callable[[], T]]) -> list[Future[T]]:
    """Start every piece of work side by side and wait until all are done or the
    deadline passes; the futures of those not done by then are not done."""
    futures = [start(work) for work in works]
    wait(futures, timeout=deadline.left())
    return futures
