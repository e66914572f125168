"""Reaching an organisation's room system: the plugin built from what the database
holds (settings, the secret decrypted), read inside a transaction and used after it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from service.backends import RoomProblem, RoomSystem, RoomSystemError
from service.crypto import vault
from service.extensions import db
from service.models import Organisation
from service.models.organisation import LOCAL_ROOM_SYSTEM
from service.outward import AddressRefused, OutwardPolicy, outward_policy
from service.plugins import room_systems
from service.services.errors import NotFound
from service.services.rooms.local import LocalRoomStore

URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class RoomAccount:
    """An organisation's room system and its settings, detached from the database."""

    organisation_id: uuid.UUID
    system: str
    backend: type
    settings: Mapping[str, Any] = field(repr=False)

    @property
    def local(self) -> bool:
        return self.system == LOCAL_ROOM_SYSTEM

    def open(self, timeout: float | None = None) -> RoomSystem:
        """The room system, after every address in its settings is checked again (DNS
        can change since they were saved); it connects through the same policy."""
        seconds = timeout or current_app.config["ROOM_SYSTEM_TIMEOUT_SECONDS"]
        settings = dict(self.settings)
        outward = outward_policy()
        if self.local:
            settings["store"] = LocalRoomStore(self.organisation_id)
        else:
            check_addresses(settings, outward)
        return self.backend(settings=settings, timeout=seconds, outward=outward)


def check_addresses(settings: Mapping[str, Any], outward: OutwardPolicy) -> None:
    """Every http(s) address among the settings (a base URL, calendar addresses),
    whatever the room system calls it: none may lead into an internal network."""
    for value in settings.values():
        for candidate in value if isinstance(value, list | tuple) else [value]:
            if isinstance(candidate, str) and candidate.lower().startswith(URL_SCHEMES):
                try:
                    outward.check_url(candidate)
                except AddressRefused as refused:
                    raise RoomSystemError(RoomProblem.REFUSED_ADDRESS, str(refused)) from None


def backend_class(name: str) -> type:
    found = room_systems(current_app.extensions["ohjaamo.plugins"]).get(name)
    if found is None:
        raise RoomSystemError(RoomProblem.BAD_SETTINGS, f"no room system named {name!r}")
    return found


def account_of(organisation: Organisation) -> RoomAccount:
    secret = organisation.room_system_secret_encrypted
    settings = dict(organisation.room_system_settings or {})
    settings["secret"] = vault().decrypt(secret) if secret else ""
    settings.setdefault("timezone", organisation.timezone)
    return RoomAccount(
        organisation_id=organisation.id,
        system=organisation.room_system,
        backend=backend_class(organisation.room_system),
        settings=settings,
    )


def load_organisation(organisation_id: uuid.UUID) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation
