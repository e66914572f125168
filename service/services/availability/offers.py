"""Offers kept under the schedule versions they were computed at, in the database every
gunicorn worker and node shares.

A search reads, in one query, the supervisor's (and the organisation's rooms') current
version and the offers stored for its key; they are the answer when their versions are
the current ones and their ``valid_until`` has not passed. Otherwise the caller computes
the offers, with the versions read before it began (a change during the computation
makes them stale at once), and keeps them. A stale offer never becomes a booking: the
booking checks every rule again under the supervisor's lock, and the database's
constraints refuse overlapping holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Executable, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from service.domain.slots import Slot
from service.extensions import db
from service.models import OfferCache, Organisation, SupervisorProfile


@dataclass(frozen=True)
class OfferKey:
    """What was asked (the subject and the window), and whose schedule answers it."""

    subject: str
    supervisor_id: uuid.UUID
    organisation_id: uuid.UUID | None = None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.subject.encode()).hexdigest()


@dataclass(frozen=True)
class Versions:
    schedule: int
    rooms: int | None


def kept_offers(
    key: OfferKey,
    now: dt.datetime,
    compute: Callable[[], tuple[list[Slot], dt.datetime]],
) -> list[Slot]:
    """The offers for ``key``: kept ones while valid, else ``compute()`` (the offers
    and until when they hold), which are then kept."""
    versions, kept = _read(key, now)
    if kept is not None:
        return kept
    offers, valid_until = compute()
    _keep(key, versions, valid_until, offers)
    return offers


def _read(key: OfferKey, now: dt.datetime) -> tuple[Versions, list[Slot] | None]:
    profile, organisation, cache = (
        SupervisorProfile.__table__,
        Organisation.__table__,
        OfferCache.__table__,
    )
    rooms_version = (
        select(organisation.c.rooms_version)
        .where(organisation.c.id == key.organisation_id)
        .scalar_subquery()
        if key.organisation_id is not None
        else literal(None)
    )
    row = (
        db.session.execute(
            select(
                profile.c.schedule_version,
                rooms_version.label("rooms_version"),
                cache.c.schedule_version.label("kept_schedule"),
                cache.c.rooms_version.label("kept_rooms"),
                cache.c.valid_until,
                cache.c.offers,
            )
            .select_from(profile)
            .outerjoin(cache, cache.c.key == key.digest)
            .where(profile.c.id == key.supervisor_id)
        )
        .mappings()
        .one()
    )
    versions = Versions(row["schedule_version"], row["rooms_version"])
    kept = None
    if (
        row["offers"] is not None
        and row["kept_schedule"] == versions.schedule
        and row["kept_rooms"] == versions.rooms
        and row["valid_until"] > now
    ):
        kept = [_slot(item) for item in row["offers"]]
    return versions, kept


def _keep(key: OfferKey, versions: Versions, valid_until: dt.datetime, offers: list[Slot]) -> None:
    """Store the offers in a transaction of their own, beside the request's; a store
    that is busy (SQLite's single writer) is skipped: the next search computes again."""
    values = {
        "key": key.digest,
        "supervisor_id": key.supervisor_id,
        "organisation_id": key.organisation_id,
        "schedule_version": versions.schedule,
        "rooms_version": versions.rooms,
        "valid_until": valid_until,
        "offers": [_item(slot) for slot in offers],
    }
    dialect = db.engine.dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(OfferCache.__table__)
    statement = insert.values(**values).on_conflict_do_update(
        index_elements=["key"], set_={k: v for k, v in values.items() if k != "key"}
    )
    try:
        _store(statement)
    except OperationalError:
        current_app.logger.info("offers for %s not kept: the store is busy", key.digest[:12])


# How long a store waits for SQLite's write lock before it skips. The lock may be the
# request's own (a search inside a transaction that has written): with the usual busy
# timeout the store would wait all of it for itself.
STORE_WAIT_MS = 50


def _store(statement: Executable) -> None:
    with db.engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        if on_sqlite:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={STORE_WAIT_MS}")
        try:
            connection.execute(statement)
            connection.commit()
        finally:
            if on_sqlite:
                connection.rollback()
                usual = int(current_app.config["SQLITE_BUSY_TIMEOUT_SECONDS"] * 1000)
                connection.exec_driver_sql(f"PRAGMA busy_timeout={usual}")


Kept = tuple[str, str, list[str]]
"""An offer as it is kept: its start, its end (ISO 8601) and the rooms free for it."""


def _item(slot: Slot) -> Kept:
    return (slot.start.isoformat(), slot.end.isoformat(), list(slot.room_ids))


def _slot(item: Kept) -> Slot:
    start, end, rooms = item
    return Slot(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), tuple(rooms))
