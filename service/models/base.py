"""Declarative base, constraint naming convention and the column types every model uses."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, MetaData, Uuid
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from service import clock

KEPT_BY_TRIGGERS = "kept_by_triggers"
"""Column ``info`` key: the database's triggers write this column (the schedule
versions of migration 0010) whenever other tables change, so a copy of the database
writes it last, as the source has it."""

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: stored as UTC (TIMESTAMPTZ on PostgreSQL), always read back UTC-aware.

    SQLite has no zone-aware type, so the value is stored as naive UTC there and the
    zone is put back on load. Naive datetimes are refused: their meaning is unknown.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        """On SQLite, one C-level parse per value: slot search reads thousands of them."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def parse(value: str | None) -> datetime | None:
            # Appending the offset is five times faster than datetime.replace(tzinfo=...).
            return None if value is None else datetime.fromisoformat(value + "+00:00")

        return parse


JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")


def _enum_values(enum_class: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in enum_class]


class Base(DeclarativeBase):
    """Enums are stored as their values in plain string columns (no native PG enum
    types, so adding a member needs no type migration)."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime(),
            uuid.UUID: Uuid(),
            enum.Enum: Enum(enum.Enum, native_enum=False, length=32, values_callable=_enum_values),
        },
    )


class IdMixin:
    """A random UUID primary key: the only identifier ever shown in URLs."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
