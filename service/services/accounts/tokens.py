"""API tokens: create one (its secret shown once), revoke it, and authenticate a request."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable

from sqlalchemy import func, or_, select, update

from service import clock
from service.domain.errors import DomainError
from service.extensions import db
from service.models import ApiToken, Organisation, OrganisationContact, Person
from service.services.auth import Principal
from service.services.transactions import write_transaction

READ = "read"
WRITE = "write"
SCOPES = (READ, WRITE)
# Starts every token, so a leaked one is easy to recognise (and to scan for).
MARKER = "ohj_"
SECRET_BYTES = 32
PREFIX_LENGTH = len(MARKER) + 8
# Recording every use would turn each API read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenError(DomainError, ValueError):
    """A token cannot be created as asked."""

    code = "token_not_created"
    default_message = "The token cannot be created as asked."


def hash_secret(plaintext: str) -> str:
    """SHA-256 hex digest: the secret is 32 random bytes, so a slow hash adds nothing."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(func.lower(Person.email) == email.lower()))


def organisation_by_id(organisation_id: uuid.UUID) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def create_token(
    person: Person,
    name: str,
    scopes: Iterable[str],
    organisation: Organisation | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plaintext, which is never stored or shown again.

    An organisation token acts for that organisation only, so only one of the
    organisation's contacts may hold one.
    """
    granted = sorted(set(scopes))
    if not granted:
        raise TokenError("A token needs at least one scope.")
    unknown = [scope for scope in granted if scope not in SCOPES]
    if unknown:
        raise TokenError(f"Unknown scope {', '.join(unknown)}; choose from {', '.join(SCOPES)}.")
    name = name.strip()
    if not name:
        raise TokenError("A token needs a name.")
    if person.erased_at is not None:
        raise TokenError("The person has been erased.")
    if organisation is not None and not _is_contact(person, organisation):
        raise TokenError(f"{person.email} is not a contact of {organisation.name}.")

    plaintext = MARKER + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        person_id=person.id,
        organisation_id=organisation.id if organisation is not None else None,
        name=name,
        token_hash=hash_secret(plaintext),
        prefix=plaintext[:PREFIX_LENGTH],
        scopes=granted,
    )
    db.session.add(token)
    db.session.commit()
    return token, plaintext


def list_tokens(email: str | None = None) -> list[ApiToken]:
    """Every token, or one person's, newest first, with its person and organisation."""
    statement = select(ApiToken).join(ApiToken.person).order_by(ApiToken.created_at.desc())
    if email is not None:
        statement = statement.where(func.lower(Person.email) == email.lower())
    return list(db.session.scalars(statement))


def revoke_token(token_id: uuid.UUID, *, now: dt.datetime | None = None) -> ApiToken | None:
    """Revoke a token; revoking twice keeps the first time. None when there is no such token."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = now or clock.now()
        db.session.commit()
    return token


def authenticate(plaintext: str, *, now: dt.datetime | None = None) -> Principal | None:
    """The principal a presented token stands for, or None for an unknown or revoked one.

    Candidates are found by the non-secret prefix and the digests are compared with
    `hmac.compare_digest`, so the time taken says nothing about how close a guess was.
    """
    if not plaintext.startswith(MARKER) or len(plaintext) < PREFIX_LENGTH:
        return None
    digest = hash_secret(plaintext)
    candidates = db.session.scalars(
        select(ApiToken)
        .join(ApiToken.person)
        .where(
            ApiToken.prefix == plaintext[:PREFIX_LENGTH],
            ApiToken.revoked_at.is_(None),
            Person.erased_at.is_(None),
        )
    ).all()
    token = next((c for c in candidates if hmac.compare_digest(c.token_hash, digest)), None)
    if token is None:
        return None
    principal = Principal(
        person_id=token.person_id,
        organisation_id=token.organisation_id,
        scopes=frozenset(token.scopes),
    )
    now = now or clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        _touch(token.id, now)
    return principal


def _touch(token_id: uuid.UUID, now: dt.datetime) -> None:
    """Record the use in a write transaction of its own: on SQLite, a transaction that
    read first and writes later loses to a concurrent writer instead of waiting."""
    with write_transaction():
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id,
                or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at <= now - LAST_USED_RESOLUTION,
                ),
            )
            .values(last_used_at=now)
        )


def _is_contact(person: Person, organisation: Organisation) -> bool:
    return (
        db.session.get(
            OrganisationContact, {"organisation_id": organisation.id, "person_id": person.id}
        )
        is not None
    )
