"""``ohjaamo backup`` and ``ohjaamo restore`` on SQLite: a backup taken from a running
database restores into a fresh one with every booking, and bad input writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from service import create_app
from service.cli import cli
from service.crypto import vault
from service.extensions import db
from service.models import SupervisionSession
from service.services.booking.changes import BookSession, book_session
from service.services.processes import session_records
from tests import builders
from tests.builders import NOW
from tests.conftest import test_config
from tests.outbox.helpers import weekly_starts


def book_a_few() -> dict[str, bytes | None]:
    process = builders.process(builders.supervisor())
    who = builders.participant_principal(process)
    booked = [
        book_session(who, BookSession(process.id, start), now=NOW) for start in weekly_starts(4)
    ]
    supervisor = builders.supervisor_principal(process)
    session_records.write_content(
        supervisor, booked[0].session_id, notes="Muistiinpano", next_step=None
    )
    return {
        str(row.id): row.notes_encrypted for row in db.session.scalars(select(SupervisionSession))
    }


@pytest.mark.sqlite_only
def test_a_backup_restores_into_a_fresh_database_with_every_booking(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        sessions = book_a_few()
    target = tmp_path / "ohjaamo-backup.sqlite3"
    made = runner.invoke(cli, ["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert not target.with_name(target.name + ".partial").exists()

    fresh = create_app(test_config(f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))
    restored = fresh.test_cli_runner().invoke(cli, ["restore", str(target)])
    assert restored.exit_code == 0, restored.output
    assert "db upgrade" not in restored.output  # the backup is at the newest revision
    with fresh.app_context():
        rows = db.session.scalars(select(SupervisionSession)).all()
        assert {str(row.id): row.notes_encrypted for row in rows} == sessions
        notes = [vault().decrypt(row.notes_encrypted) for row in rows if row.notes_encrypted]
        assert notes == ["Muistiinpano"]
        assert fresh.test_client().get("/readyz").status_code == 200
        db.engine.dispose()


@pytest.mark.sqlite_only
def test_restore_asks_before_replacing_data_and_refuses_what_is_not_a_backup(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        sessions = book_a_few()
    target = tmp_path / "backup.sqlite3"
    assert runner.invoke(cli, ["backup", str(target)]).exit_code == 0
    again = runner.invoke(cli, ["backup", str(target)])
    assert again.exit_code == 1 and "exists" in again.output

    declined = runner.invoke(cli, ["restore", str(target)], input="n\n")
    assert declined.exit_code == 1 and "replace all of it" in declined.output
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("not a database at all " * 100)
    refused = runner.invoke(cli, ["restore", "--yes", str(not_sqlite)])
    assert refused.exit_code == 1 and "not an Ohjaamo SQLite database" in refused.output
    with app.app_context():
        assert len(db.session.scalars(select(SupervisionSession)).all()) == len(sessions)


@pytest.mark.postgresql_only
def test_on_postgresql_backup_points_to_pg_dump(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["backup", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 1 and "pg_dump" in result.output
    assert not list(tmp_path.iterdir())
