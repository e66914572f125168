"""Choosing an organisation's room system: settings tested before they are kept.

A connection test lists the rooms with a short timeout and answers in plain words
(wrong address, wrong token, no answer in time). Saving tests first and writes nothing
when the test fails; the secret (token or password) is stored encrypted.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from service.backends import RoomProblem, RoomSystemError
from service.crypto import vault
from service.domain.errors import DomainError
from service.services import audit
from service.services.rooms.access import RoomAccount, account_of, backend_class, load_organisation
from service.services.transactions import end_read_transaction, write_transaction

SECRET = "secret"  # noqa: S105 - the name of a settings key


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    rooms: int = 0
    problem: RoomProblem | None = None

    @property
    def message(self) -> str:
        if self.problem is not None:
            return RoomSystemError(self.problem).message
        return f"Connected: {self.rooms} rooms found."


class RoomSettingsRejected(DomainError):
    code = "room_settings_rejected"
    default_message = "The room system settings do not work."


def try_account(account: RoomAccount) -> ConnectionTest:
    """List the rooms with the short test timeout."""
    try:
        system = account.open(current_app.config["ROOM_SYSTEM_TEST_TIMEOUT_SECONDS"])
        return ConnectionTest(ok=True, rooms=len(system.list_rooms()))
    except RoomSystemError as failure:
        return ConnectionTest(ok=False, problem=failure.problem)


def check_connection(organisation_id: uuid.UUID) -> ConnectionTest:
    account = account_of(load_organisation(organisation_id))
    end_read_transaction()
    return try_account(account)


def save_room_system(
    organisation_id: uuid.UUID,
    system: str,
    settings: Mapping[str, Any],
    secret: str | None = None,
    *,
    actor_id: uuid.UUID | None = None,
) -> ConnectionTest:
    """Test the settings, then keep them. `secret` None keeps the stored one."""
    organisation = load_organisation(organisation_id)
    try:
        backend = backend_class(system)
    except RoomSystemError as failure:
        raise RoomSettingsRejected(failure.message, problem=str(failure.problem)) from None
    kept = dict(settings)
    kept.pop(SECRET, None)
    stored = organisation.room_system_secret_encrypted
    if secret is None and stored:
        secret = vault().decrypt(stored)
    account = RoomAccount(
        organisation_id=organisation.id,
        system=system,
        backend=backend,
        settings={**kept, SECRET: secret or "", "timezone": organisation.timezone},
    )
    end_read_transaction()
    result = try_account(account)
    if not result.ok:
        raise RoomSettingsRejected(result.message, problem=str(result.problem))
    with write_transaction():
        organisation = load_organisation(organisation_id)
        organisation.room_system = system
        organisation.room_system_settings = kept
        organisation.room_system_secret_encrypted = vault().encrypt(secret) if secret else None
        organisation.rooms_sync_error = None
        audit.record("rooms.settings_saved", "organisation", organisation_id, actor_id=actor_id)
    return result
