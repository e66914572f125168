"""What the worker can be given to do: handlers of message kinds and periodic jobs.

Each feature states its own work in its ``work`` module (a ``Work``); the app gathers
them (`service.work`) and the worker is given the whole, so the worker imports no
feature. A handler takes a ``Delivery`` and raises to be retried. A periodic job names
the setting that holds its interval in seconds (0 turns it off) and takes ``now``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from service.services.outbox.queue import Delivery

Handler = Callable[[Delivery], None]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_setting: str
    run: Callable[[dt.datetime], object]


@dataclass(frozen=True)
class Work:
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    jobs: tuple[PeriodicJob, ...] = ()

    def __add__(self, other: Work) -> Work:
        twice = set(self.handlers) & set(other.handlers)
        twice |= {job.name for job in self.jobs} & {job.name for job in other.jobs}
        if twice:
            raise ValueError(f"work given twice: {sorted(twice)}")
        return Work({**self.handlers, **other.handlers}, self.jobs + other.jobs)
