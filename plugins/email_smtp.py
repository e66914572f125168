"""Email delivery over SMTP, with the standard library only.

Marked `trylast` so that a third-party transport (an HTTP mail API, say) is asked
first and this one only delivers what no other plugin took. Errors propagate: the
outbox worker retries the message later.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

from service.hookspecs import hookimpl

SECURITY_MODES = ("tls", "starttls", "none")


@hookimpl(trylast=True)
def ohjaamo_send_email(message: EmailMessage, settings: Mapping[str, Any]) -> bool:
    """Send `message` through the server in the SMTP_* settings.

    From and Reply-To come from MAIL_SENDER and MAIL_REPLY_TO unless the message
    already has them; they are set on `message` itself, which is harmless on a retry.
    """
    security = settings["SMTP_SECURITY"]
    if security not in SECURITY_MODES:
        raise ValueError(f"SMTP_SECURITY must be one of {SECURITY_MODES}, not {security!r}")
    if message["From"] is None:
        message["From"] = settings["MAIL_SENDER"]
    if message["Reply-To"] is None and settings["MAIL_REPLY_TO"]:
        message["Reply-To"] = settings["MAIL_REPLY_TO"]

    host = settings["SMTP_HOST"]
    port = int(settings["SMTP_PORT"])
    timeout = float(settings["SMTP_TIMEOUT_SECONDS"])
    smtp: smtplib.SMTP
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if security == "starttls":
            # Built only when used: loading the system's certificates takes ~50 ms.
            smtp.starttls(context=ssl.create_default_context())
        if settings["SMTP_USERNAME"]:
            smtp.login(settings["SMTP_USERNAME"], settings["SMTP_PASSWORD"])
        smtp.send_message(message)
    return True
