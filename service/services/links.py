"""Signed, expiring, single-use links: email confirmation and sign-in.

The link carries a random nonce, the object it is for and when it was made (from the
caller's clock, so the age is reckoned by the service's one clock), signed with
SECRET_KEY (itsdangerous). Using it records the purpose and nonce in ``used_token`` inside the
caller's transaction, so a second use, even a concurrent one, fails on the primary key.
The record keys on what the token decodes to, never on its text: base64 lets the last
character of each part be spelt several ways that decode to the same bytes, and every
spelling of a used link is the same used link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from service.domain.errors import LinkInvalid
from service.extensions import db
from service.models import UsedToken


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"ohjaamo.{purpose}")


def make_link_token(purpose: str, subject: str, *, now: dt.datetime) -> str:
    return _serializer(purpose).dumps(
        {"s": subject, "n": secrets.token_urlsafe(12), "t": int(now.timestamp())}
    )


def redeem_link_token(purpose: str, token: str, *, max_age: dt.timedelta, now: dt.datetime) -> str:
    """The subject of a valid, unused token, marked used in the current transaction.
    Any failure (bad signature, expired, used) is one error: the page says the same."""
    try:
        data = _serializer(purpose).loads(token)
    except BadSignature:
        raise LinkInvalid() from None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("s"), str)
        and isinstance(data.get("n"), str)
        and isinstance(data.get("t"), int)
    ):
        raise LinkInvalid()
    age = now - dt.datetime.fromtimestamp(data["t"], dt.UTC)
    if not dt.timedelta(0) <= age <= max_age:
        raise LinkInvalid()
    token_id = hashlib.sha256(f"{purpose}:{data['n']}".encode()).hexdigest()
    try:
        with db.session.begin_nested():
            db.session.add(
                UsedToken(token_id=token_id, purpose=purpose, used_at=now, expires_at=now + max_age)
            )
    except IntegrityError:
        raise LinkInvalid() from None
    return data["s"]
