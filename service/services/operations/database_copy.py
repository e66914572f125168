"""Copying every row from the current database into an empty, migrated PostgreSQL (the
way from SQLite to PostgreSQL when a practice grows).

Tables are copied parents first (the metadata's dependency order), in batches, from one
read transaction of the source, into one transaction of the target. Columns the
target's triggers write as other tables fill (the schedule versions) are then set as the
source has them. Each table's row count and checksum are compared in that target
transaction before it commits: a copy that does not match leaves the target as empty as
it was.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Table, bindparam, create_engine, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from service.extensions import db
from service.models.base import KEPT_BY_TRIGGERS, Base
from service.services.operations.health import head_revisions


class CopyRefused(RuntimeError):
    """The target is not a migrated, empty database; nothing was written."""


class CopyMismatch(RuntimeError):
    """The copy read back differently; the target transaction was rolled back."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str


def copy_database(target_url: str, *, batch_size: int = 1000) -> list[TableCopy]:
    source = db.engine
    if make_url(target_url) == source.url:
        raise CopyRefused("The target is the current database.")
    # Parameters are rows of people's data: an error names the statement, not its values.
    target = create_engine(target_url, hide_parameters=True)
    try:
        with (
            source.connect() as reading,
            reading.begin(),
            target.connect() as writing,
            writing.begin(),
        ):
            check_target(writing)
            for table in tables():
                copy_rows(table, reading, writing, batch_size)
            for table in tables():
                restore_kept_by_triggers(table, reading, writing)
            copied = [verified(table, reading, writing) for table in tables()]
    except SQLAlchemyError as error:
        orig = getattr(error, "orig", None)
        reason = (str(orig) if orig else str(error)).strip().splitlines()[0]
        raise CopyRefused(f"The copy failed ({type(error).__name__}: {reason}).") from None
    finally:
        target.dispose()
    return copied


def tables() -> Sequence[Table]:
    return Base.metadata.sorted_tables


def check_target(connection: Connection) -> None:
    current = set(MigrationContext.configure(connection).get_current_heads())
    if current != head_revisions():
        raise CopyRefused(
            "The target is not at the newest migration: run `ohjaamo db upgrade` with "
            "OHJAAMO_DATABASE_URL set to the target first."
        )
    filled = [
        table.name
        for table in tables()
        if connection.execute(select(func.count()).select_from(table)).scalar()
    ]
    if filled:
        raise CopyRefused(f"The target is not empty (rows in {', '.join(filled)}).")


def copy_rows(table: Table, reading: Connection, writing: Connection, batch: int) -> None:
    ordered = select(table).order_by(*table.primary_key.columns)
    for part in reading.execution_options(yield_per=batch).execute(ordered).partitions():
        writing.execute(table.insert(), [row._asdict() for row in part])


def restore_kept_by_triggers(table: Table, reading: Connection, writing: Connection) -> None:
    kept = [column for column in table.columns if column.info.get(KEPT_BY_TRIGGERS)]
    if not kept:
        return
    keys = list(table.primary_key.columns)
    rows = [row._asdict() for row in reading.execute(select(*keys, *kept))]
    if rows:
        statement = (
            update(table)
            .where(*(key == bindparam(f"key_{key.name}") for key in keys))
            .values({column.name: bindparam(f"value_{column.name}") for column in kept})
        )
        writing.execute(
            statement,
            [
                {
                    **{f"key_{key.name}": row[key.name] for key in keys},
                    **{f"value_{column.name}": row[column.name] for column in kept},
                }
                for row in rows
            ],
        )


def verified(table: Table, reading: Connection, writing: Connection) -> TableCopy:
    expected = checksum(reading.execute(select(table)))
    found = checksum(writing.execute(select(table)))
    if found != expected:
        raise CopyMismatch(
            f"{table.name}: {expected[0]} rows with checksum {expected[1][:12]} read, "
            f"{found[0]} rows with checksum {found[1][:12]} written"
        )
    return TableCopy(table.name, found[0], found[1])


def checksum(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """Row count and an order-free SHA-256 over the rows as their column types read them,
    so SQLite and PostgreSQL spellings of one value (text or TIMESTAMPTZ, JSON or JSONB)
    agree."""
    digests = sorted(
        hashlib.sha256(json.dumps([canonical(value) for value in row]).encode()).digest()
        for row in rows
    )
    return len(digests), hashlib.sha256(b"".join(digests)).hexdigest()


def canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value
