"""Reading the development mailbox (DEVELOPMENT_MAILBOX): the emails written there by
the mailbox transport, newest first, with the links and invitations each carries."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import icalendar

from service.services.errors import NotFound

_LINK = re.compile(r"https?://[^\s<>\"')]+")
_NAME = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Invitation:
    method: str
    summary: str
    starts: str
    body: bytes


@dataclass(frozen=True)
class CapturedMail:
    id: str
    written_at: dt.datetime
    to: str
    subject: str
    text: str
    links: list[str]
    invitations: list[Invitation]


def _parsed(path: Path) -> CapturedMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    invitations = []
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        calendar = icalendar.Calendar.from_ical(raw)
        event = next(iter(calendar.walk("VEVENT")), None)
        invitations.append(
            Invitation(
                method=str(calendar.get("METHOD", "")),
                summary=str(event.get("SUMMARY", "")) if event is not None else "",
                starts=event.decoded("DTSTART").isoformat() if event is not None else "",
                body=raw,
            )
        )
    written = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return CapturedMail(
        id=path.stem,
        written_at=written,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        text=text,
        links=list(dict.fromkeys(_LINK.findall(text))),
        invitations=invitations,
    )


def captured_mail(folder: str) -> list[CapturedMail]:
    """Every mail in the folder, newest first."""
    root = Path(folder)
    if not root.is_dir():
        return []
    files = sorted(root.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    return [_parsed(path) for path in files]


def one_mail(folder: str, mail_id: str) -> CapturedMail:
    if not _NAME.fullmatch(mail_id):
        raise NotFound()
    path = Path(folder) / f"{mail_id}.eml"
    if not path.is_file():
        raise NotFound()
    return _parsed(path)
