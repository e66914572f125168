"""``ohjaamo keys rotate``: with a new key put first, every encrypted value (notes, next
steps, evaluation answers, calendar passwords, TOTP secrets, room-system and webhook
secrets) is re-encrypted in batches; a second run changes nothing; with the old key
dropped, everything still opens to the same plaintext."""

from __future__ import annotations

import uuid
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from service import create_app
from service.backends import UnreadableReason
from service.cli import cli
from service.crypto import vault
from service.domain.webhooks import EVENTS
from service.extensions import db
from service.models import (
    CalendarConnection,
    ConnectedCalendar,
    RemoteObject,
    SupervisorProfile,
    UserAccount,
)
from service.services.auth import Principal
from service.services.notify import webhooks
from service.services.operations.key_rotation import encrypted_columns
from tests import builders
from tests.conftest import TEST_ENCRYPTION_KEY, test_config


def stored_secrets() -> dict[tuple[str, str, str], bytes]:
    values = {}
    for table, columns in encrypted_columns():
        (key,) = table.primary_key.columns
        for row in db.session.execute(select(key, *columns)):
            for column, value in zip(columns, row[1:], strict=True):
                if value is not None:
                    values[(table.name, column.name, str(row[0]))] = value
    return values


def plaintexts() -> dict[tuple[str, str, str], str]:
    return {where: vault().decrypt(value) for where, value in stored_secrets().items()}


def fill_every_encrypted_column() -> None:
    """The demo's notes and answers, plus a calendar password, the title of an event that
    could not be read, a TOTP secret, a room-system secret and a webhook secret, all under
    the test key (the 'old' key here)."""
    secrets = vault()
    organisation = builders.organisation().organisation
    organisation.room_system_secret_encrypted = secrets.encrypt("huonejärjestelmän avain")
    person = builders.person()
    db.session.add(
        UserAccount(person_id=person.id, totp_secret_encrypted=secrets.encrypt("JBSWY3DPEHPK3PXP"))
    )
    connection = CalendarConnection(
        supervisor_id=builders.supervisor().id,
        url="https://calendar.test/",
        password_encrypted=secrets.encrypt("sovellussalasana"),
    )
    calendar = ConnectedCalendar(url="https://calendar.test/work/")
    connection.calendars.append(calendar)
    db.session.add(connection)
    db.session.flush()
    db.session.add(
        RemoteObject(
            calendar_id=calendar.id,
            href="/work/broken.ics",
            unreadable=UnreadableReason.BAD_DATE,
            summary_encrypted=secrets.encrypt("Hammaslääkäri"),
        )
    )
    db.session.commit()
    supervisor = Principal(person_id=connection_owner(connection))
    webhooks.create_subscription(supervisor, "https://hooks.example.test/ohjaamo", EVENTS)


def connection_owner(connection: CalendarConnection) -> uuid.UUID:
    return db.session.get(SupervisorProfile, connection.supervisor_id).person_id


def app_with_keys(database_url: str, *keys: str) -> Flask:
    return create_app(test_config(database_url, ENCRYPTION_KEYS=list(keys)))


def rotate(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, ["keys", "rotate", *args])


def test_rotation_moves_everything_to_the_new_key(
    app: Flask, runner: FlaskCliRunner, database_url: str
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        fill_every_encrypted_column()
        before = plaintexts()
    columns = {(table.name, column.name) for table, cols in encrypted_columns() for column in cols}
    assert {(table, column) for table, column, _ in before} == columns  # every column has data

    new_key = Fernet.generate_key().decode()
    both = app_with_keys(database_url, new_key, TEST_ENCRYPTION_KEY)
    first = rotate(both, "--batch-size", "3")
    assert first.exit_code == 0, first.output
    assert f"Re-encrypted {len(before)} values; 0 were already" in first.output
    assert "older keys may now be removed" in first.output
    second = rotate(both)
    assert second.exit_code == 0, second.output
    assert f"Re-encrypted 0 values; {len(before)} were already" in second.output

    only_new = app_with_keys(database_url, new_key)
    with only_new.app_context():
        assert plaintexts() == before
        old = Fernet(TEST_ENCRYPTION_KEY.encode())
        for value in stored_secrets().values():
            try:
                old.decrypt(value)
            except InvalidToken:
                continue
            raise AssertionError("a value still opens with the old key")
    for each in (both, only_new):
        with each.app_context():
            db.engine.dispose()


def test_values_under_a_key_no_longer_listed_are_reported_and_left_alone(
    app: Flask, database_url: str
) -> None:
    with app.app_context():
        fill_every_encrypted_column()
        before = stored_secrets()
    stranger = app_with_keys(database_url, Fernet.generate_key().decode())
    result = rotate(stranger)
    assert result.exit_code == 1
    assert "5 values are under a key that is not in ENCRYPTION_KEYS" in result.output
    assert "calendar_connection.password_encrypted" in result.output
    with stranger.app_context():
        assert stored_secrets() == before
        db.engine.dispose()
