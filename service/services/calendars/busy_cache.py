"""A supervisor's external busy time, merged once and reused until the rows change.

Reading and merging the busy cache (thousands of ``busy_interval`` rows) is the slowest
step of slot search, yet the rows change only when a calendar is synced. So each
process keeps the merged index of every recently searched supervisor, tagged with the
supervisor's ``busy_version`` at the time it was read, and every search first reads
that version from the database (one primary-key lookup): a change made through any
gunicorn worker is seen by the very next search in every worker.

The contract for writers: whatever inserts, updates or deletes a supervisor's
``busy_interval`` rows (the calendar sync, removing a calendar) calls
:func:`busy_changed` in the same transaction. The version is a random token, not a
counter, so a change that is rolled back can never leave a version that a later,
different change reuses. A supervisor whose version is still NULL is never cached.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

from flask import current_app
from sqlalchemy import select, update

from service.domain.intervals import IntervalIndex
from service.extensions import db
from service.models import BusyInterval, SupervisorProfile

EXTENSION = "ohjaamo.busy_cache"


def busy_changed(supervisor_id: uuid.UUID) -> None:
    """Record that the supervisor's busy rows changed: cached copies become stale.
    Call it in the transaction that changes the rows."""
    db.session.execute(
        update(SupervisorProfile)
        .where(SupervisorProfile.id == supervisor_id)
        .values(busy_version=uuid.uuid4())
    )


class BusyCache:
    """Merged busy time per supervisor and the version it was read at; least recently
    used supervisors are dropped beyond ``capacity``. Safe across threads."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[uuid.UUID, tuple[uuid.UUID, IntervalIndex]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, supervisor_id: uuid.UUID, version: uuid.UUID) -> IntervalIndex | None:
        with self._lock:
            entry = self._entries.get(supervisor_id)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(supervisor_id)
            return entry[1]

    def put(self, supervisor_id: uuid.UUID, version: uuid.UUID, index: IntervalIndex) -> None:
        with self._lock:
            self._entries[supervisor_id] = (version, index)
            self._entries.move_to_end(supervisor_id)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)


def supervisor_busy(supervisor_id: uuid.UUID) -> IntervalIndex:
    """All of the supervisor's cached external busy time, merged (the sync keeps only
    its horizon, so this is bounded). The version is read before the rows: an index is
    never tagged with a version newer than its rows."""
    connection = db.session.connection()
    profiles = SupervisorProfile.__table__
    version = connection.execute(
        select(profiles.c.busy_version).where(profiles.c.id == supervisor_id)
    ).scalar()
    cache: BusyCache = current_app.extensions[EXTENSION]
    if version is not None and (cached := cache.get(supervisor_id, version)) is not None:
        return cached
    table = BusyInterval.__table__
    index = IntervalIndex.from_pairs(
        connection.execute(
            select(table.c.starts_at, table.c.ends_at).where(table.c.supervisor_id == supervisor_id)
        )
    )
    if version is not None:
        cache.put(supervisor_id, version, index)
    return index
