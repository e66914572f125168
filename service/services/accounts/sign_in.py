"""Signing in by a link sent by email: for clients and orderer contacts, who need no
password. The request answers the same whether or not the address is known, so the
form cannot be used to learn who is a client.

An account with a password (or one-time codes) is never signed in by a link alone: its
strongest factor is every way in. Such a person who asks for a link is emailed the way
to the password page instead, a link made earlier or by the operator is refused with
`PasswordSignInRequired`, and the operator cannot print one for them."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app
from sqlalchemy import select

from service.domain.errors import DomainError, LinkInvalid
from service.domain.inquiries import normalised_email
from service.domain.passwords import factors_required
from service.extensions import db
from service.models import Person
from service.services import audit
from service.services.links import make_link_token, redeem_link_token
from service.services.outbox import queue as outbox
from service.services.transactions import write_transaction

SIGN_IN_PURPOSE = "sign-in"


class PasswordSignInRequired(DomainError):
    """The account signs in with its password (and code): a link is not enough."""

    code = "password_sign_in_required"
    default_message = "This account signs in with its password."


def signs_in_with_password(person: Person) -> bool:
    """Whether the person's strongest way in is more than an emailed link."""
    account = person.account
    if account is None:
        return False
    return bool(
        factors_required(
            has_password=account.password_hash is not None,
            has_second_factor=account.totp_secret_encrypted is not None,
        )
    )


def _link_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["SIGN_IN_LINK_MINUTES"])


def _person_with(address: str | None) -> Person | None:
    """The person with this (normalised) address, unless erased."""
    if address is None:
        return None
    return db.session.scalar(
        select(Person).where(Person.email == address, Person.erased_at.is_(None))
    )


def request_sign_in_link(email: str, *, now: dt.datetime) -> None:
    """Queue a sign-in link to the address if it belongs to someone here."""
    address = normalised_email(email)
    if address is None:
        return
    with write_transaction():
        person = _person_with(address)
        if person is None:
            return
        # One email a minute at most: asking again at once sends nothing more.
        bucket = int(now.timestamp() // 60)
        outbox.enqueue_once(
            "email.sign_in_link",
            {"person_id": str(person.id)},
            f"email.sign_in_link:{person.id}:{bucket}",
        )


def sign_in_token(person_id: uuid.UUID, *, now: dt.datetime) -> str:
    """The token the sign-in email carries (made when the email is sent)."""
    return make_link_token(SIGN_IN_PURPOSE, str(person_id), now=now)


def redeem_sign_in_link(token: str, *, now: dt.datetime) -> uuid.UUID:
    """The person the link signs in; the link is spent."""
    with write_transaction():
        person_id = uuid.UUID(
            redeem_link_token(SIGN_IN_PURPOSE, token, max_age=_link_lifetime(), now=now)
        )
        person = db.session.get(Person, person_id)
        if person is None or person.erased_at is not None:
            raise LinkInvalid()
        if signs_in_with_password(person):
            raise PasswordSignInRequired()
        audit.record("person.signed_in", "person", person_id, actor_id=person_id, method="link")
    return person_id


def operator_sign_in_link(email: str, *, now: dt.datetime) -> str | None:
    """A sign-in link made on the command line, for the demo or a client whose email
    does not arrive; None when the address is unknown. Recorded in the audit trail.
    An account with a password gets none (`PasswordSignInRequired`)."""
    address = normalised_email(email)
    with write_transaction():
        person = _person_with(address)
        if person is None:
            return None
        if signs_in_with_password(person):
            raise PasswordSignInRequired()
        audit.record("person.sign_in_link_issued", "person", person.id, via="command line")
        person_id = person.id
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/sign-in/{sign_in_token(person_id, now=now)}"
