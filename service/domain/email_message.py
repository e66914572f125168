"""Putting an email together: deterministic Message-ID, text and HTML, an invitation.

Pure: the caller renders the parts and passes them in, so the same content always makes
the same message. Built from the standard library's ``email.mime`` classes, whose headers
are kept as the strings given: the newer ``EmailMessage`` API parses every header it is
handed in pure Python, which made assembling a message four times as costly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

INVITATION_FILENAME = "invite.ics"


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
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(content.text, "plain", "utf-8"))
    alternative.attach(MIMEText(content.html, "html", "utf-8"))
    message = alternative
    if invitation is not None:
        calendar = MIMEText(invitation.ics.decode(), "calendar", "utf-8")
        calendar.set_param("method", invitation.method)
        alternative.attach(calendar)
        attachment = MIMEApplication(invitation.ics, "ics")
        attachment.add_header("Content-Disposition", "attachment", filename=INVITATION_FILENAME)
        message = MIMEMultipart("mixed")
        message.attach(alternative)
        message.attach(attachment)
    message["To"] = formataddr((to_name, to_address), charset="utf-8")
    message["Subject"] = _header_text(content.subject)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = language
    return message


def _header_text(value: str) -> str:
    """``value`` as it may stand in a header: as is when ASCII, else RFC 2047 encoded."""
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()
