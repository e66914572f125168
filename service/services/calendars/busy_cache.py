"""A supervisor's external busy time, read a week at a time and reused until it changes.

Reading busy time (thousands of ``busy_interval`` rows) is the slowest step of slot
search, yet the rows change only when a calendar is synced, and then mostly in a week
or two. So busy time is versioned per supervisor and week (``busy_week``: the week's
number since 2000-01-03 in UTC, and a random token): each process keeps the rows of
recently read weeks, tagged with the week's version, and a search first reads the
versions of the weeks it answers (one indexed range): a change made through any
gunicorn worker is seen by the very next search in every worker, and only the weeks
that changed are read again. Neither the rows a search reads nor their cost grows with
the supervisor's history.

The contract for writers: whatever inserts or deletes a supervisor's ``busy_interval``
rows (the calendar sync, a calendar no longer blocking time) calls :func:`busy_changed`
with the spans of those rows in the same transaction. The token is random, not a
counter, so a change that is rolled back can never leave a version that a later,
different change reuses. A week with no version is never kept: rows written before
versions were recorded, or by a writer that forgot, are still read.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from service.domain.intervals import LONGEST_STORED, Interval, IntervalIndex
from service.extensions import db
from service.models import BusyInterval, BusyWeek

EXTENSION = "ohjaamo.busy_cache"

WEEK = dt.timedelta(days=7)
FIRST_MONDAY = dt.datetime(2000, 1, 3, tzinfo=dt.UTC)

Pair = tuple[dt.datetime, dt.datetime]


def weeks_of(start: dt.datetime, end: dt.datetime) -> range:
    """The numbers of the weeks that the span [start, end) touches."""
    first = (start - FIRST_MONDAY) // WEEK
    last = (end - FIRST_MONDAY - dt.timedelta(microseconds=1)) // WEEK
    return range(first, max(first, last) + 1)


def week_span(number: int) -> Pair:
    start = FIRST_MONDAY + number * WEEK
    return start, start + WEEK


def busy_changed(supervisor_id: uuid.UUID, spans: Iterable[Pair]) -> None:
    """Record that the supervisor's busy rows over ``spans`` changed: cached copies of
    those weeks become stale. Call it in the transaction that changes the rows."""
    weeks = {number for start, end in spans for number in weeks_of(start, end)}
    if not weeks:
        return
    rows = [{"supervisor_id": supervisor_id, "week": n, "version": uuid.uuid4()} for n in weeks]
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(BusyWeek.__table__)
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["supervisor_id", "week"], set_={"version": insert.excluded.version}
        ),
        rows,
    )


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Recent(Generic[K, V]):
    """Values with the version they were read at; the least recently used are dropped
    beyond ``capacity``. Safe across threads."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[K, tuple[Hashable, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, version: Hashable) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: K, version: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)


class BusyCache:
    """Each process's busy time: the rows of each (supervisor, week), and the merged
    index of each window recently asked, both under the versions they were read at."""

    def __init__(self, weeks: int) -> None:
        self.weeks: _Recent[tuple[uuid.UUID, int], tuple[Pair, ...]] = _Recent(weeks)
        self.windows: _Recent[tuple[uuid.UUID, int, int], IntervalIndex] = _Recent(weeks // 8)


def supervisor_busy(supervisor_id: uuid.UUID, window: Interval) -> IntervalIndex:
    """The supervisor's external busy time over the weeks that ``window`` touches,
    merged. Versions are read before rows, so rows are never kept under a version newer
    than they are: a change committed between the two reads carries a version of its
    own, and the next search reads its weeks again."""
    cache: BusyCache = current_app.extensions[EXTENSION]
    weeks = weeks_of(window.start, window.end)
    weeks_table = BusyWeek.__table__
    connection = db.session.connection()
    known = dict(
        connection.execute(
            select(weeks_table.c.week, weeks_table.c.version).where(
                weeks_table.c.supervisor_id == supervisor_id,
                weeks_table.c.week >= weeks.start,
                weeks_table.c.week < weeks.stop,
            )
        ).all()
    )
    versions = tuple(known.get(number) for number in weeks)
    window_key = (supervisor_id, weeks.start, weeks.stop)
    if None not in versions:
        merged = cache.windows.get(window_key, versions)
        if merged is not None:
            return merged
    rows: dict[int, tuple[Pair, ...]] = {}
    missing = []
    for number, version in zip(weeks, versions, strict=True):
        kept = None if version is None else cache.weeks.get((supervisor_id, number), version)
        if kept is None:
            missing.append(number)
        else:
            rows[number] = kept
    if missing:
        read = _read_weeks(supervisor_id, missing)
        for number in missing:
            rows[number] = read[number]
            if (version := known.get(number)) is not None:
                cache.weeks.put((supervisor_id, number), version, read[number])
    merged = IntervalIndex.from_pairs({pair for kept in rows.values() for pair in kept})
    if None not in versions:
        cache.windows.put(window_key, versions, merged)
    return merged


def _read_weeks(supervisor_id: uuid.UUID, numbers: list[int]) -> dict[int, tuple[Pair, ...]]:
    """The busy rows touching each of the weeks, read in one bounded range."""
    low, _ = week_span(min(numbers))
    _, high = week_span(max(numbers))
    table = BusyInterval.__table__
    found: dict[int, list[Pair]] = {number: [] for number in numbers}
    for start, end in db.session.connection().execute(
        select(table.c.starts_at, table.c.ends_at).where(
            table.c.supervisor_id == supervisor_id,
            table.c.starts_at < high,
            table.c.starts_at > low - LONGEST_STORED,
            table.c.ends_at > low,
        )
    ):
        for number in weeks_of(start, end):
            if number in found:
                found[number].append((start, end))
    return {number: tuple(pairs) for number, pairs in found.items()}
