"""Re-encrypting every stored secret and note with the newest encryption key.

``ohjaamo keys rotate`` after a new key has been put first in ENCRYPTION_KEYS (the old
ones still listed). Every ``*_encrypted`` column of every table is visited in batches of
rows, each batch its own short transaction; a value already under the newest key is
left alone, so a second run (or one after an interruption) changes nothing it has done.
A value is written back only if it is still the one read, so a change the running
service makes meanwhile is never overwritten. When nothing is left under an old key,
the old key can be removed from the setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Column, CursorResult, LargeBinary, Table, select, update

from service.crypto import InvalidToken, vault
from service.extensions import db
from service.models.base import Base
from service.services.transactions import write_transaction

ENCRYPTED_SUFFIX = "_encrypted"


@dataclass
class RotationReport:
    rotated: dict[str, int] = field(default_factory=dict)
    already_newest: int = 0
    unreadable: list[str] = field(default_factory=list)

    @property
    def total_rotated(self) -> int:
        return sum(self.rotated.values())


def encrypted_columns() -> list[tuple[Table, list[Column]]]:
    """Every table with encrypted columns: binary columns named ``*_encrypted``."""
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if column.name.endswith(ENCRYPTED_SUFFIX) and isinstance(column.type, LargeBinary)
        ]
        if columns:
            found.append((table, columns))
    return found


def rotate_keys(*, batch_size: int = 500) -> RotationReport:
    report = RotationReport()
    for table, columns in encrypted_columns():
        (key,) = table.primary_key.columns
        last = None
        while True:
            with write_transaction():
                query = select(key, *columns).order_by(key).limit(batch_size)
                if last is not None:
                    query = query.where(key > last)
                rows = db.session.execute(query).all()
                for row in rows:
                    for column, value in zip(columns, row[1:], strict=True):
                        _rotate_one(table, key, row[0], column, value, report)
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
    return report


def _rotate_one(
    table: Table,
    key: Column,
    row_id: object,
    column: Column,
    value: bytes | None,
    report: RotationReport,
) -> None:
    if value is None:
        return
    secrets = vault()
    if secrets.under_newest_key(value):
        report.already_newest += 1
        return
    try:
        rotated = secrets.rotate(value)
    except InvalidToken:
        report.unreadable.append(f"{table.name}.{column.name} {row_id}")
        return
    result = db.session.execute(
        update(table).where(key == row_id, column == value).values({column.name: rotated})
    )
    # Session.execute is typed as giving a Result; for UPDATE and DELETE it is a CursorResult
    changed = cast(CursorResult[Any], result).rowcount
    if changed:
        name = f"{table.name}.{column.name}"
        report.rotated[name] = report.rotated.get(name, 0) + 1
