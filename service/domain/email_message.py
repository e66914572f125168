"""Putting an email together: deterministic Message-ID, text and HTML, an invitation.

Pure: the caller renders the parts and passes them in, so the same content always makes
the same message. Built from the standard library's ``email.mime`` classes, whose headers
are kept as the strings given: the newer ``EmailMessage`` API parses every header it is
handed in pure Python, which made assembling a message four times as costly. For the same
reason the message is written out (by ``smtplib``) with ``WRITTEN_AS_GIVEN``, its
multipart boundaries are chosen here, and a non-ASCII subject is base64 encoded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.charset import BASE64, Charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import formataddr

INVITATION_FILENAME = "invite.ics"


class _AsGiven(Compat32):
    """``compat32``, except that a header already fit to send (ASCII, one line, within
    the line length) is written as it is. ``compat32`` refolds every header through
    ``email.header.Header``, a quarter of the cost of writing a message; for such a
    header its result is the same text (a test compares the two byte for byte).
    """

    def _fits(self, name: str, value: object) -> bool:
        return (
            isinstance(value, str)
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
            and len(name) + 2 + len(value) <= (self.max_line_length or 78)
        )

    def fold(self, name: str, value: str) -> str:
        if self._fits(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if self._fits(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


WRITTEN_AS_GIVEN = _AsGiven()
# Base64 rather than "shortest": choosing the shorter encoding costs time quadratic in the
# subject's length, as the header is split.
_SUBJECT_CHARSET = Charset("utf-8")
_SUBJECT_CHARSET.header_encoding = BASE64


def message_id(idempotency_key: str, domain: str) -> str:
    """The same key always gives the same Message-ID, so a resent message is recognised
    as the same one by mail clients; the key itself is not readable from it."""
    return f"<{uuid.uuid5(uuid.NAMESPACE_URL, idempotency_key)}@{domain}>"


@dataclass(frozen=True)
class Invitation:
    """An iCalendar object and its iTIP method (REQUEST or CANCEL)."""

    method: str
    ics: bytes


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def assemble(
    content: Rendered,
    *,
    to_name: str,
    to_address: str,
    message_id: str,
    language: str,
    invitation: Invitation | None = None,
) -> Message:
    """One message to one recipient (never a shared To or Cc line).

    With an invitation the layout is the one calendar clients expect (RFC 6047):
    ``multipart/mixed`` holding ``multipart/alternative`` (text, HTML, ``text/calendar;
    method=...``) and the same calendar as an ``.ics`` attachment.
    """
    policy = WRITTEN_AS_GIVEN
    boundary = _boundary(message_id)
    alternative = MIMEMultipart("alternative", boundary=f"{boundary}a", policy=policy)
    alternative.attach(MIMEText(content.text, "plain", "utf-8", policy=policy))
    alternative.attach(MIMEText(content.html, "html", "utf-8", policy=policy))
    message = alternative
    if invitation is not None:
        calendar = MIMEText(invitation.ics.decode(), "calendar", "utf-8", policy=policy)
        calendar.set_param("method", invitation.method)
        alternative.attach(calendar)
        attachment = MIMEApplication(invitation.ics, "ics", policy=policy)
        attachment.add_header("Content-Disposition", "attachment", filename=INVITATION_FILENAME)
        message = MIMEMultipart("mixed", boundary=f"{boundary}m", policy=policy)
        message.attach(alternative)
        message.attach(attachment)
    message["To"] = formataddr((to_name, to_address), charset="utf-8")
    message["Subject"] = _header_text(content.subject)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = language
    return message


def _boundary(message_id: str) -> str:
    """A multipart boundary no part can contain: every part is base64, whose alphabet
    has no ``_``. Given, it spares the writer its search of the whole message for a
    random one; taken from the Message-ID, it keeps a message the same every time."""
    return "=_" + uuid.uuid5(uuid.NAMESPACE_URL, message_id).hex[:24] + "_"


def _header_text(value: str) -> str:
    """``value`` as it may stand in a header: as is when ASCII, else RFC 2047 encoded."""
    if value.isascii():
        return value
    # Named, the header's first encoded word is sized to follow "Subject: " on its own
    # line; unnamed, it went to a folded line of its own, read back as a leading space.
    return Header(value, _SUBJECT_CHARSET, header_name="Subject").encode()
