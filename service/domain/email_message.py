"""Putting an email together: deterministic Message-ID, text and HTML, an invitation.

Pure: the caller renders the parts and passes them in, so the same content always makes
the same message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.message import EmailMessage
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
) -> EmailMessage:
    """One message to one recipient (never a shared To or Cc line).

    With an invitation the layout is the one calendar clients expect (RFC 6047):
    ``multipart/mixed`` holding ``multipart/alternative`` (text, HTML, ``text/calendar;
    method=...``) and the same calendar as an ``.ics`` attachment.
    """
    message = EmailMessage()
    message["To"] = formataddr((to_name, to_address))
    message["Subject"] = content.subject
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    if invitation is not None:
        _attach_invitation(message, invitation)
    message["Content-Language"] = language
    return message


def _attach_invitation(message: EmailMessage, invitation: Invitation) -> None:
    message.add_alternative(
        invitation.ics.decode(), subtype="calendar", params={"method": invitation.method}
    )
    message.make_mixed()
    message.add_attachment(
        invitation.ics,
        maintype="application",
        subtype="ics",
        filename=INVITATION_FILENAME,
    )
