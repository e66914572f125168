"""A person's sign-in security: the one-time code (TOTP) second factor turned on and
off, and signing out everywhere.

Turning the second factor on takes two steps: a new secret is shown (as text and as an
``otpauth://`` address for the authenticator app) and stored, encrypted, only once a
code made from it is confirmed, so a mistyped secret cannot lock anyone out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp
from flask import current_app

from service.crypto import vault
from service.domain.errors import InvalidFields
from service.domain.passwords import matching_step
from service.extensions import db
from service.models import Person, UserAccount
from service.services import audit
from service.services.accounts.passwords import verify_own_password
from service.services.auth import Principal
from service.services.errors import AccessDenied, NotFound
from service.services.transactions import write_transaction


@dataclass(frozen=True)
class AccountSecurity:
    email: str
    has_password: bool
    has_second_factor: bool


@dataclass(frozen=True)
class NewSecret:
    secret: str
    uri: str


def _person(principal: Principal) -> Person:
    person = db.session.get(Person, principal.person_id)
    if person is None or principal.organisation_id is not None:
        raise NotFound()
    return person


def account_security(principal: Principal) -> AccountSecurity:
    person = _person(principal)
    account = person.account
    return AccountSecurity(
        email=person.email,
        has_password=account is not None and account.password_hash is not None,
        has_second_factor=account is not None and account.totp_secret_encrypted is not None,
    )


def secret_to_show(principal: Principal, being_set_up: str | None = None) -> NewSecret:
    """The secret being set up, or a fresh one, with its address for the app; nothing
    is stored until a code confirms it."""
    person = _person(principal)
    secret = being_set_up or pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=person.email, issuer_name=current_app.config["TOTP_ISSUER"]
    )
    return NewSecret(secret, uri)


def enable_second_factor(principal: Principal, secret: str, code: str, *, now: dt.datetime) -> None:
    """Store the secret once a code made from it is right. Needs a password first:
    the code is a second factor, not a replacement for the first."""
    window = current_app.config["TOTP_VALID_WINDOW"]
    step = matching_step(secret, code, now=now, window=window, after_step=None)
    if step is None:
        raise InvalidFields({"code": "code_wrong"})
    with write_transaction():
        person = _person(principal)
        account = person.account
        if account is None or account.password_hash is None:
            raise AccessDenied("Set a password before turning on one-time codes.")
        account.totp_secret_encrypted = vault().encrypt(secret)
        account.totp_last_step = step
        audit.record("person.second_factor_on", "person", person.id, actor_id=person.id)


def disable_second_factor(principal: Principal, password: str) -> None:
    verify_own_password(principal, password)
    with write_transaction():
        person = _person(principal)
        account = person.account
        assert account is not None  # verify_own_password found its password
        account.totp_secret_encrypted = None
        account.totp_last_step = None
        audit.record("person.second_factor_off", "person", person.id, actor_id=person.id)


def sign_out_everywhere(principal: Principal) -> None:
    """End every signed-in session of the person, on every device (this one too)."""
    with write_transaction():
        person = _person(principal)
        if person.account is None:
            db.session.add(UserAccount(person=person, session_generation=1))
        else:
            person.account.session_generation += 1
        audit.record("person.signed_out_everywhere", "person", person.id, actor_id=person.id)
