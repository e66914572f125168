"""Write transactions that cannot lose a race between their check and their write."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.database import IMMEDIATE
from service.extensions import db
from service.models import SupervisorProfile


def end_read_transaction() -> None:
    """Close the session's transaction, which must have only read: before a remote call
    or a write transaction. Pending changes are refused rather than silently dropped."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("commit or discard pending changes first")
    if session.in_transaction():
        session.rollback()


@contextmanager
def write_transaction(*, lock_supervisor: uuid.UUID | None = None) -> Iterator[Session]:
    """One transaction that holds the supervisor's booking lock from its first statement.

    SQLite: the transaction begins with ``BEGIN IMMEDIATE``, taking the database's write
    lock before anything is read, so the re-check inside cannot be overtaken.
    PostgreSQL: the supervisor's row is locked ``FOR UPDATE``, serialising bookings of one
    supervisor (daily limits, travel time); the exclusion constraints remain the last
    guarantee against overlapping holds. Reads made before this block are discarded;
    unsaved changes are refused rather than silently dropped.
    """
    end_read_transaction()
    session = db.session()
    connection = session.connection(execution_options={IMMEDIATE: True})
    try:
        if lock_supervisor is not None and connection.dialect.name == "postgresql":
            session.execute(
                select(SupervisorProfile.id)
                .where(SupervisorProfile.id == lock_supervisor)
                .with_for_update()
            )
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
