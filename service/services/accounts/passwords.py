"""Signing in with a password and, when the person has turned it on, a one-time code
from an authenticator app (TOTP); setting and changing passwords.

Every refusal is the same ``SignInRefused``, whether the address is unknown, the
password wrong or the account closed, so the form cannot be used to learn who has an
account. Passwords are hashed with scrypt (werkzeug); an unknown address still costs
one hash check, so timing does not tell either.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from service.crypto import vault
from service.domain.errors import DomainError, InvalidFields
from service.domain.inquiries import normalised_email
from service.domain.passwords import matching_step, password_problem
from service.extensions import db
from service.models import Person, UserAccount
from service.services import audit
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.transactions import write_transaction

PASSWORD_METHOD = "scrypt"  # noqa: S105 (a hash method, not a password)


class SignInRefused(DomainError):
    code = "sign_in_refused"
    default_message = "The email address or password is wrong."


@dataclass(frozen=True)
class PasswordChecked:
    """The password was right; ``needs_code`` when a one-time code must follow."""

    person_id: uuid.UUID
    needs_code: bool


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


@cache
def _decoy_hash() -> str:
    return hash_password("no account has this password")


def _account_for(email: str) -> UserAccount | None:
    """Addresses are told apart without regard to case when signing in."""
    address = normalised_email(email)
    if address is None:
        return None
    return db.session.scalar(
        select(UserAccount)
        .join(UserAccount.person)
        .where(func.lower(Person.email) == address.lower(), Person.erased_at.is_(None))
    )


def check_password(email: str, password: str, *, now: dt.datetime) -> PasswordChecked:
    """The first step of signing in. Without a second factor the sign-in is complete
    (and audited); with one, ``check_code`` finishes it."""
    account = _account_for(email)
    stored = account.password_hash if account is not None else None
    if not check_password_hash(stored or _decoy_hash(), password) or stored is None:
        raise SignInRefused()
    if account is None or not account.is_active:
        raise SignInRefused()
    needs_code = account.totp_secret_encrypted is not None
    if not needs_code:
        _signed_in(account.person_id, now, method="password")
    return PasswordChecked(account.person_id, needs_code)


def check_code(person_id: uuid.UUID, code: str, *, now: dt.datetime) -> None:
    """The second step: the code of the person's authenticator app, usable once."""
    with write_transaction():
        account = db.session.scalar(select(UserAccount).where(UserAccount.person_id == person_id))
        if account is None or not account.is_active or account.totp_secret_encrypted is None:
            raise SignInRefused()
        step = _code_step(account, vault().decrypt(account.totp_secret_encrypted), code, now)
        if step is None:
            raise SignInRefused("The code is wrong or already used.")
        account.totp_last_step = step
        account.last_sign_in_at = now
        audit.record(
            "person.signed_in", "person", person_id, actor_id=person_id, method="password+totp"
        )


def _code_step(account: UserAccount, secret: str, code: str, now: dt.datetime) -> int | None:
    return matching_step(
        secret,
        code,
        now=now,
        window=current_app.config["TOTP_VALID_WINDOW"],
        after_step=account.totp_last_step,
    )


def _signed_in(person_id: uuid.UUID, now: dt.datetime, *, method: str) -> None:
    with write_transaction():
        account = db.session.scalar(select(UserAccount).where(UserAccount.person_id == person_id))
        assert account is not None  # the password or code of this account was just checked
        account.last_sign_in_at = now
        audit.record("person.signed_in", "person", person_id, actor_id=person_id, method=method)


def _checked_new_password(person: Person, new: str) -> str:
    problem = password_problem(
        new, email=person.email, min_length=current_app.config["PASSWORD_MIN_LENGTH"]
    )
    if problem is not None:
        raise InvalidFields({"new_password": problem})
    return hash_password(new)


def set_password(principal: Principal, *, current: str | None, new: str) -> None:
    """Set or change one's own password. Changing one needs the current password; a
    client without one sets it after signing in by link. Every other session of the
    person ends (the caller signs the current one in again)."""
    with write_transaction():
        person = db.session.get(Person, principal.person_id)
        if person is None or principal.organisation_id is not None:
            raise NotFound()
        account = person.account
        stored = account.password_hash if account is not None else None
        if stored is not None and not (current and check_password_hash(stored, current)):
            raise InvalidFields({"current_password": "password_wrong"})
        hashed = _checked_new_password(person, new)
        if account is None:
            account = UserAccount(person=person)
            db.session.add(account)
        account.password_hash = hashed
        account.session_generation = (account.session_generation or 0) + 1
        audit.record("person.password_set", "person", person.id, actor_id=person.id)


def set_password_for(email: str, new: str) -> bool:
    """The operator sets a person's password (command line); False when unknown."""
    with write_transaction():
        account = _account_for(email)
        person = account.person if account is not None else None
        if account is None or person is None:
            address = normalised_email(email)
            person = db.session.scalar(
                select(Person).where(Person.email == address, Person.erased_at.is_(None))
            )
            if person is None:
                return False
            account = UserAccount(person=person)
            db.session.add(account)
        account.password_hash = _checked_new_password(person, new)
        account.session_generation = (account.session_generation or 0) + 1
        audit.record("person.password_set", "person", person.id, via="command line")
    return True


def verify_own_password(principal: Principal, password: str) -> None:
    """Confirm a sensitive change (turning the second factor off) with the password."""
    person = db.session.get(Person, principal.person_id)
    account = person.account if person is not None else None
    if account is None or account.password_hash is None:
        raise InvalidFields({"password": "password_wrong"})
    if not check_password_hash(account.password_hash, password):
        raise InvalidFields({"password": "password_wrong"})
