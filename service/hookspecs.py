"""The hooks Ohjaamo offers to plugins, built-in and third-party alike.

Every hook is called with keyword arguments only. A plugin implements a hook by
defining a function of the same name, decorated with `hookimpl`, that takes any
subset of the arguments listed here. Documentation for each hook lives in
`docs/plugins.md`; `tests/test_docs.py` fails when a hook is missing there or
has no test.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.message import Message
from typing import TYPE_CHECKING, Any

import pluggy

from service.backends import BookingChange, BookingProposal

if TYPE_CHECKING:
    import click
    from flask import Blueprint, Flask

PROJECT_NAME = "ohjaamo"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def ohjaamo_register_calendar_backends() -> list[type]:
    """Offer calendar backend classes (see `service.backends.CalendarBackend`).

    Called once when the plugin manager is built, to catch clashes early, and
    whenever the core needs the table of calendar backends, for example when a
    supervisor connects a calendar or the worker syncs one. Return a list of
    classes; each has a `name` class attribute, which is what a calendar
    connection stores to say which backend it uses. Two plugins offering the same
    name is an error.
    """


@hookspec
def ohjaamo_register_room_systems() -> list[type]:
    """Offer room-system classes (see `service.backends.RoomSystem`).

    Called once when the plugin manager is built, and whenever the core needs the
    table of room systems, for example when an orderer organisation chooses how its
    rooms are reserved. Return a list of
    classes keyed by their `name` class attribute; a duplicate name is an error.
    """


@hookspec(firstresult=True)
def ohjaamo_send_email(message: Message, settings: Mapping[str, Any]) -> bool | None:
    """Deliver one email message.

    Called by the outbox worker for each email it delivers. `message` is the
    complete message (headers, body, calendar attachments); `settings` is the
    application's configuration. Return True when this plugin took the message;
    return None to let the next transport try. Implementations are asked one at a
    time until one returns a value, and the built-in SMTP transport is marked
    `trylast`, so a third-party transport is asked first. Raise to signal a
    failure: the worker retries later.
    """


@hookspec
def ohjaamo_validate_booking(proposal: BookingProposal) -> list[str]:
    """Check a proposed booking against a practice's own rules.

    Called inside the booking use case before a booking is created or moved, after
    the core's own rules passed. Return a list of human-readable problems; an empty
    list means the booking is fine. The core collects the problems of every plugin
    and refuses the booking if there are any.
    """


@hookspec
def ohjaamo_booking_changed(change: BookingChange) -> None:
    """Be told that a booking changed.

    Called by the outbox worker after the transaction that created, moved or
    cancelled a session, or confirmed its room, has been committed, so a plugin
    never sees a change that is later rolled back. At least once: a failure (or a
    killed worker) means every plugin is told again later. The payload carries
    identifiers, the process's short code and times only: never names, notes or
    answers. The return value is ignored.
    """


@hookspec
def ohjaamo_register_blueprints(app: Flask) -> list[Blueprint]:
    """Add pages or API endpoints.

    Called once by `create_app`, after the core's blueprints are registered.
    Return a list of `flask.Blueprint` objects for the app to register.
    """


@hookspec
def ohjaamo_register_commands(cli: click.Group) -> None:
    """Add commands to the `ohjaamo` command line.

    Called once by `create_app`, after `ohjaamo_startup`. `cli` is the app's click
    group; add commands with `cli.add_command` or the `cli.command()` decorator.
    The return value is ignored.
    """


@hookspec
def ohjaamo_startup(app: Flask) -> None:
    """Finish setting up alongside the app.

    Called once at the end of `create_app`, when settings, extensions and
    blueprints are in place. Use it to check a plugin's own settings or keep state
    in `app.extensions`. The return value is ignored.
    """
