"""Lists read one page at a time by keyset: rows are ordered by an instant and their id,
and the next page starts after the last row's pair. Unlike offsets, a row written
between two pages neither repeats nor hides another."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from service.extensions import db

Row = TypeVar("Row")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class After:
    """Where the previous page ended: its last row's instant and id."""

    at: dt.datetime
    id: uuid.UUID


@dataclass(frozen=True)
class Page(Generic[Row]):
    items: list[Row]
    next: After | None


def keyset_page(
    statement: Select[Any],
    at: InstrumentedAttribute[dt.datetime],
    identity: InstrumentedAttribute[uuid.UUID],
    *,
    after: After | None,
    limit: int,
    at_of: Callable[[Any], dt.datetime],
) -> Page[Any]:
    """One page of `statement`'s entities ordered by (at, id); `at_of` reads a row's instant."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"a page holds 1 to {MAX_PAGE_SIZE} rows")
    if after is not None:
        statement = statement.where(or_(at > after.at, and_(at == after.at, identity > after.id)))
    rows = list(db.session.scalars(statement.order_by(at, identity).limit(limit + 1)))
    items = rows[:limit]
    following = After(at_of(items[-1]), items[-1].id) if len(rows) > limit else None
    return Page(items, following)
