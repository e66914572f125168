"""Helpers for page tests: the CSRF token of a rendered form, signing in by link."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from service import clock
from service.extensions import db
from service.models import AccountRole, Person, Role, UserAccount
from service.services.accounts.passwords import hash_password
from service.services.accounts.sign_in import sign_in_token


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def speaks(client: FlaskClient, person_id: uuid.UUID, language: str | None) -> None:
    """Store the person's language, which chooses their pages once they sign in."""
    if language is None:
        return
    with client.application.app_context():
        db.session.get(Person, person_id).language = language
        db.session.commit()


def sign_in(client: FlaskClient, person_id: uuid.UUID, language: str | None = None) -> None:
    """Sign in the way a person does: open the emailed link and press the button; with
    ``language``, as a person who reads that language."""
    speaks(client, person_id, language)
    with client.application.app_context():
        token = sign_in_token(person_id, now=clock.now())
    page = client.get(f"/sign-in/{token}")
    answer = client.post(f"/sign-in/{token}", data={"csrf_token": csrf_token(page.text)})
    assert answer.status_code == 302, answer.text


PASSWORD = "kolme sanaa peräkkäin"


def with_password(person_id: uuid.UUID, *roles: Role, password: str = PASSWORD) -> None:
    """Give the person an account with this password (inside an app context)."""
    person = db.session.get(Person, person_id)
    account = person.account or UserAccount(person=person)
    account.password_hash = hash_password(password)
    account.roles = [AccountRole(role=role) for role in roles]
    db.session.add(account)
    db.session.commit()


def sign_in_with_password(
    client: FlaskClient,
    email: str,
    password: str = PASSWORD,
    *,
    language: str | None = None,
    **request: object,
) -> TestResponse:
    if language is not None:
        with client.application.app_context():
            person = db.session.scalar(select(Person).where(Person.email == email))
            if person is not None:
                speaks(client, person.id, language)
    page = client.get("/sign-in/password")
    return client.post(
        "/sign-in/password",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        **request,
    )
