"""A transaction's reads asked for again (service/services/remembered.py): read once,
forgotten when the session writes and when the transaction ends."""

from __future__ import annotations

from flask import Flask

from service.extensions import db
from service.services import audit
from service.services.remembered import remembered


def test_a_read_is_kept_until_a_write_or_the_end_of_the_transaction(app: Flask) -> None:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    with app.app_context():
        assert remembered("answer", "key", read) == 1
        assert remembered("answer", "key", read) == 1
        assert remembered("answer", "other key", read) == 2
        audit.record("test.write", "test", None)
        db.session.flush()
        assert remembered("answer", "key", read) == 3  # read again after a write
        db.session.rollback()
        assert remembered("answer", "key", read) == 4  # and in the next transaction
        db.session.commit()
        assert remembered("answer", "key", read) == 5
