"""Email delivery over SMTP, with the standard library only.

Marked `trylast` so that a third-party transport (an HTTP mail API, say) is asked
first and this one only delivers what no other plugin took. Errors propagate: the
outbox worker retries the message later.

A worker sends many messages in a row, so the connection is kept open between them
(one per thread) for up to SMTP_MESSAGES_PER_CONNECTION messages while it is used at
least every SMTP_IDLE_SECONDS: opening one (TCP, EHLO, perhaps TLS and AUTH) costs more
than sending a message.
"""

from __future__ import annotations

import atexit
import smtplib
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from email.utils import formataddr, parseaddr
from typing import Any

from service.hookspecs import hookimpl

SECURITY_MODES = ("tls", "starttls", "none")


@hookimpl(trylast=True)
def ohjaamo_send_email(message: Message, settings: Mapping[str, Any]) -> bool:
    """Send `message` through the server in the SMTP_* settings.

    From and Reply-To come from MAIL_SENDER and MAIL_REPLY_TO unless the message
    already has them; they are set on `message` itself, which is harmless on a retry.
    """
    security = settings["SMTP_SECURITY"]
    if security not in SECURITY_MODES:
        raise ValueError(f"SMTP_SECURITY must be one of {SECURITY_MODES}, not {security!r}")
    if message["From"] is None:
        message["From"] = _address(settings["MAIL_SENDER"])
    if message["Reply-To"] is None and settings["MAIL_REPLY_TO"]:
        message["Reply-To"] = _address(settings["MAIL_REPLY_TO"])
    _connections.send(message, _Server.from_settings(settings))
    return True


def _address(value: str) -> str:
    """A configured address as a header holds it: a non-ASCII name RFC 2047 encoded."""
    return formataddr(parseaddr(value), charset="utf-8")


@dataclass(frozen=True)
class _Server:
    host: str
    port: int
    security: str
    username: str
    password: str
    timeout: float
    messages_per_connection: int
    idle_seconds: float

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> _Server:
        return cls(
            host=settings["SMTP_HOST"],
            port=int(settings["SMTP_PORT"]),
            security=settings["SMTP_SECURITY"],
            username=settings["SMTP_USERNAME"],
            password=settings["SMTP_PASSWORD"],
            timeout=float(settings["SMTP_TIMEOUT_SECONDS"]),
            messages_per_connection=int(settings["SMTP_MESSAGES_PER_CONNECTION"]),
            idle_seconds=float(settings["SMTP_IDLE_SECONDS"]),
        )

    def connect(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP
        if self.security == "tls":
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                # Built only when used: loading the system's certificates takes ~50 ms.
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


class _Connections(threading.local):
    """This thread's open connection, the server it is to, and how it has been used."""

    def __init__(self) -> None:
        self.smtp: smtplib.SMTP | None = None
        self.server: _Server | None = None
        self.sent = 0
        self.last_used = 0.0

    def send(self, message: Message, server: _Server) -> None:
        reused = self._reusable(server)
        if not reused:
            self.close()
            self.smtp, self.server, self.sent = server.connect(), server, 0
        assert self.smtp is not None
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            # The server closed a connection kept open: send once more on a new one.
            self.smtp, self.server, self.sent = server.connect(), server, 0
            self.smtp.send_message(message)
        except BaseException:
            self.close()
            raise
        self.sent += 1
        self.last_used = time.monotonic()
        if self.sent >= server.messages_per_connection:
            self.close()

    def _reusable(self, server: _Server) -> bool:
        return (
            self.smtp is not None
            and self.server == server
            and time.monotonic() - self.last_used < server.idle_seconds
        )

    def close(self) -> None:
        smtp, self.smtp, self.server = self.smtp, None, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


_connections = _Connections()


@atexit.register
def _close_at_exit() -> None:
    _connections.close()
