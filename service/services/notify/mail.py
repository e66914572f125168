"""Sending one rendered email through the plugin hooks, outside any transaction."""

from __future__ import annotations

from email.message import Message
from email.utils import parseaddr

from flask import current_app

from service.domain.email_message import message_id
from service.services.transactions import end_read_transaction


class NoEmailTransport(RuntimeError):
    """Every email plugin declined the message (or none is loaded)."""


def message_id_for(idempotency_key: str) -> str:
    """The Message-ID of the email written for an outbox key, in the sender's domain."""
    domain = parseaddr(current_app.config["MAIL_SENDER"])[1].rpartition("@")[2]
    return message_id(idempotency_key, domain or "ohjaamo")


def send(message: Message) -> None:
    """Hand ``message`` to the first transport that takes it (``ohjaamo_send_email``).

    The reading transaction is closed first: no database lock is held while the mail
    server takes its time.
    """
    end_read_transaction()
    taken = current_app.extensions["ohjaamo.plugins"].hook.ohjaamo_send_email(
        message=message, settings=current_app.config
    )
    if not taken:
        raise NoEmailTransport("no email plugin took the message")
