"""Reaching a connection's calendar server: the backend built from what the database
holds, read inside a transaction and used after it is closed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from service.backends import CalendarBackend, CalendarError, CalendarProblem
from service.crypto import vault
from service.extensions import db
from service.models import CalendarConnection
from service.outward import AddressRefused, outward_policy
from service.plugins import calendar_backends
from service.services.errors import NotFound


class UnknownCalendarBackend(RuntimeError):
    """The connection names a backend no registered plugin offers (blocked or removed)."""


@dataclass(frozen=True)
class ServerAccount:
    """A connection's credentials, decrypted, detached from the database session."""

    connection_id: uuid.UUID
    backend: type
    url: str
    username: str
    password: str
    timezone: str

    def open(self, timeout: float | None = None) -> CalendarBackend:
        """The backend, after the server's address is checked again (DNS can change
        since it was saved); the backend connects through the same policy."""
        return self.opener(timeout)()

    def opener(self, timeout: float | None = None) -> Callable[[], CalendarBackend]:
        """`open` for another thread: the settings are read here, in the app's context,
        and the address is checked (a name lookup, which has no timeout of its own)
        when the returned function is called, in the thread that waits for it."""
        seconds = timeout if timeout is not None else current_app.config["CALDAV_TIMEOUT_SECONDS"]
        outward = outward_policy()

        def opened() -> CalendarBackend:
            try:
                outward.check_url(self.url)
            except AddressRefused as refused:
                raise CalendarError(CalendarProblem.REFUSED_ADDRESS, str(refused)) from None
            return self.backend(
                url=self.url,
                username=self.username,
                password=self.password,
                timeout=seconds,
                timezone=self.timezone,
                outward=outward,
            )

        return opened


def offered_backends() -> set[str]:
    """The names of the calendar backends the registered plugins offer."""
    return set(calendar_backends(current_app.extensions["ohjaamo.plugins"]))


def backend_class(name: str) -> type:
    found = calendar_backends(current_app.extensions["ohjaamo.plugins"]).get(name)
    if found is None:
        raise UnknownCalendarBackend(f"no calendar backend named {name!r}")
    return found


def has_secret_address(backend: type) -> bool:
    """Whether the backend's address is itself the secret (an .ics address): it is then
    kept encrypted, and only its scheme and host are stored in the clear."""
    return bool(getattr(backend, "secret_address", False))


def account_of(connection: CalendarConnection, timezone: str) -> ServerAccount:
    backend = backend_class(connection.backend)
    secret = connection.password_encrypted
    password = vault().decrypt(secret) if secret else ""
    if has_secret_address(backend):
        url, password = password, ""
    else:
        url = connection.url
    return ServerAccount(
        connection_id=connection.id,
        backend=backend,
        url=url,
        username=connection.username,
        password=password,
        timezone=timezone,
    )


def load_connection(connection_id: uuid.UUID) -> CalendarConnection:
    connection = db.session.get(CalendarConnection, connection_id)
    if connection is None:
        raise NotFound()
    return connection
