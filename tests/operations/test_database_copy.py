"""``ohjaamo db copy``: the demo practice copied from SQLite into a migrated, empty
PostgreSQL of the throwaway cluster, row for row; a target that is not migrated or not
empty is refused with nothing written."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from service import create_app
from service.cli import cli
from service.crypto import vault
from service.extensions import db
from service.models import SupervisionSession
from service.models.base import Base
from service.services.operations.database_copy import canonical, checksum
from tests.conftest import empty_all_tables, migrated, test_config
from tests.postgres import PostgresCluster


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def table_checksums() -> dict[str, tuple[int, str]]:
    return {
        table.name: checksum(db.session.execute(select(table)))
        for table in Base.metadata.sorted_tables
    }


@pytest.mark.sqlite_only
def test_the_demo_practice_is_copied_into_postgresql_row_for_row(
    app: Flask, runner: FlaskCliRunner, postgres: PostgresCluster
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        source_counts, source_sums = row_counts(), table_checksums()
        notes = sorted(
            vault().decrypt(secret)
            for secret in db.session.scalars(select(SupervisionSession.notes_encrypted))
            if secret
        )
    target_url = migrated(postgres.create_database("copy_target"))

    result = runner.invoke(cli, ["db", "copy", "--to", target_url, "--batch-size", "7"])
    assert result.exit_code == 0, result.output
    assert "counts and checksums match" in result.output

    target = create_app(test_config(target_url))
    with target.app_context():
        try:
            assert row_counts() == source_counts
            assert table_checksums() == source_sums
            copied_notes = sorted(
                vault().decrypt(secret)
                for secret in db.session.scalars(select(SupervisionSession.notes_encrypted))
                if secret
            )
            assert copied_notes == notes and notes
            assert target.test_client().get("/readyz").status_code == 200

            again = runner.invoke(cli, ["db", "copy", "--to", target_url])
            assert again.exit_code == 1
            assert "The target is not empty" in again.output
            assert row_counts() == source_counts
        finally:
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()


@pytest.mark.sqlite_only
def test_an_unmigrated_or_unreachable_target_is_refused(
    runner: FlaskCliRunner, postgres: PostgresCluster
) -> None:
    bare = postgres.create_database("copy_bare")
    refused = runner.invoke(cli, ["db", "copy", "--to", bare])
    assert refused.exit_code == 1
    assert "not at the newest migration" in refused.output
    closed = bare.replace(f":{postgres.port}/", ":1/")
    unreachable = runner.invoke(cli, ["db", "copy", "--to", closed])
    assert unreachable.exit_code == 1 and "The copy failed (OperationalError" in unreachable.output


def test_one_value_is_spelled_the_same_whatever_database_read_it() -> None:
    import datetime as dt
    import uuid
    from zoneinfo import ZoneInfo

    instant = dt.datetime(2027, 3, 3, 10, tzinfo=ZoneInfo("Europe/Helsinki"))
    assert canonical(instant) == canonical(instant.astimezone(dt.UTC))
    assert canonical({"b": 1, "a": [2]}) == canonical({"a": [2], "b": 1})
    assert canonical(memoryview(b"\x00\x01")) == canonical(b"\x00\x01")
    key = uuid.uuid4()
    assert checksum([(key, 1), (key, 2)]) == checksum([(key, 2), (key, 1)])
    assert checksum([(key, 1)]) != checksum([(key, 2)])
