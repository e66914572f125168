"""The development mailbox: every email written as a file in the DEVELOPMENT_MAILBOX
folder instead of being sent, so that one machine with no mail server can follow every
emailed step (`make run` sets it; /dev/mailbox lists the mails). With the setting empty
(production) this transport takes nothing and the next one sends.

Asked first, so that no message leaves the machine while the mailbox is on. A file is
named after the Message-ID: a resent message replaces itself, as a mail server would
recognise it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from email.message import Message
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from service.hookspecs import hookimpl


@hookimpl(tryfirst=True)
def ohjaamo_send_email(message: Message, settings: Mapping[str, Any]) -> bool | None:
    folder = settings.get("DEVELOPMENT_MAILBOX")
    if not folder:
        return None
    if message["From"] is None:
        message["From"] = formataddr(parseaddr(settings["MAIL_SENDER"]), charset="utf-8")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:32]
    partial = target / f".{name}.partial"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, target / f"{name}.eml")
    return True
