"""What a transaction has read once and asks for again, kept until it ends.

A page asks for a process's agreement terms or a supervisor's profile from several
places (the page, the slot search, the horizon): the first ask reads, the others are
answered from the database session. What is kept is forgotten when the transaction
ends and whenever the session writes (a flush), so nothing read before a change is
answered after it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.extensions import db

T = TypeVar("T")

_KEPT = "ohjaamo.remembered"


def remembered(kind: str, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``'s answer for ``(kind, key)``, read once per transaction."""
    kept: dict[tuple[str, Hashable], Any] = db.session.info.setdefault(_KEPT, {})
    if (kind, key) in kept:
        return kept[(kind, key)]
    answer = read()
    kept[(kind, key)] = answer
    return answer


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, _transaction: Any) -> None:
    session.info.pop(_KEPT, None)


@event.listens_for(Session, "after_flush")
def _forget_after_a_write(session: Session, _context: Any) -> None:
    session.info.pop(_KEPT, None)
