"""Signing in with a password and a one-time code: right and wrong passwords told the
same way, codes that work once, flooding stopped, forged posts refused, passwords set
and changed, signing out everywhere."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service import clock
from service.cli import cli
from service.extensions import db
from service.models import AuditEvent, Role, UserAccount
from service.services.accounts.passwords import SignInRefused, check_code, check_password
from tests import builders
from tests.web.pages import (
    PASSWORD,
    csrf_token,
    sign_in,
    sign_in_with_password,
    with_password,
)

EN = {"Accept-Language": "en"}


@pytest.fixture
def supervisor(app: Flask) -> tuple[str, object]:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        return profile.person.email, profile.person_id


def problems_of(html: str) -> list[str]:
    return re.findall(r'<div class="problems".*?</div>', html, re.S)


def account_of(app: Flask, person_id) -> UserAccount:
    with app.app_context():
        account = db.session.scalar(select(UserAccount).where(UserAccount.person_id == person_id))
        db.session.expunge(account)
        return account


def turn_codes_on(client: FlaskClient) -> str:
    """Through the page, as a person does; returns the secret."""
    page = client.get("/account/second-factor", headers=EN)
    secret = re.search(r'<p class="secret"><code>([A-Z2-7]+)</code>', page.text).group(1)
    assert f"secret={secret}" in page.text  # the otpauth:// address for the app
    answer = client.post(
        "/account/second-factor",
        data={"csrf_token": csrf_token(page.text), "code": pyotp.TOTP(secret).now()},
    )
    assert answer.status_code == 302, answer.text
    return secret


def test_a_supervisor_signs_in_with_a_password_and_lands_on_the_week(
    client: FlaskClient, supervisor
) -> None:
    email, _ = supervisor
    answer = sign_in_with_password(client, email.upper())
    assert answer.status_code == 302 and answer.location.endswith("/supervisor/week")
    assert client.get("/supervisor/week").status_code == 200


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, person_id = supervisor
    wrong = sign_in_with_password(client, email, "not the password at all", headers=EN)
    unknown = sign_in_with_password(client, "nobody@example.test", headers=EN)
    assert wrong.status_code == unknown.status_code == 401
    assert "The email address or the password is wrong" in wrong.text
    assert problems_of(wrong.text) == problems_of(unknown.text)
    assert client.get("/supervisor/week").status_code == 302
    assert account_of(app, person_id).last_sign_in_at is None


def test_the_session_cookie_is_http_only_and_same_site(client: FlaskClient, supervisor) -> None:
    email, _ = supervisor
    answer = sign_in_with_password(client, email)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_a_forged_post_signs_no_one_in(client: FlaskClient, supervisor) -> None:
    email, _ = supervisor
    answer = client.post(
        "/sign-in/password",
        data={"csrf_token": "forged", "email": email, "password": PASSWORD},
        headers=EN,
    )
    assert answer.status_code == 401 and "The form expired" in answer.text
    assert client.get("/supervisor/week").status_code == 302


def test_guessing_passwords_of_one_account_is_stopped(client: FlaskClient, supervisor) -> None:
    email, _ = supervisor
    statuses = [sign_in_with_password(client, email, f"guess {n}").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert sign_in_with_password(client, email).status_code == 429  # even the right one, now


def test_one_time_codes_are_asked_and_work_once(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, person_id = supervisor
    sign_in_with_password(client, email)
    secret = turn_codes_on(client)
    assert account_of(app, person_id).totp_secret_encrypted is not None
    assert secret.encode() not in account_of(app, person_id).totp_secret_encrypted

    other = app.test_client()
    first = sign_in_with_password(other, email)
    assert first.status_code == 302 and first.location.endswith("/sign-in/code")
    assert other.get("/supervisor/week").status_code == 302  # not yet signed in
    page = other.get("/sign-in/code", headers=EN)
    wrong = other.post(
        "/sign-in/code", data={"csrf_token": csrf_token(page.text), "code": "000000"}
    )
    assert wrong.status_code == 401
    # the code that turned them on was used; the next one (a step ahead) works
    code = pyotp.TOTP(secret).at(clock.now() + dt.timedelta(seconds=30))
    right = other.post("/sign-in/code", data={"csrf_token": csrf_token(page.text), "code": code})
    assert right.status_code == 302 and right.location.endswith("/supervisor/week")
    assert other.get("/supervisor/week").status_code == 200

    third = app.test_client()
    sign_in_with_password(third, email)
    page = third.get("/sign-in/code", headers=EN)
    replay = third.post(
        "/sign-in/code", data={"csrf_token": csrf_token(page.text), "code": code}, headers=EN
    )
    assert replay.status_code == 401 and "already used" in replay.text
    with app.app_context():
        methods = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "person.signed_in")
        ).all()
    assert [details["method"] for details in methods] == ["password", "password+totp"]


def test_codes_are_checked_against_the_clock_and_once(app: Flask, supervisor) -> None:
    email, person_id = supervisor
    secret = pyotp.random_base32()
    with app.app_context():
        from service.crypto import vault

        account = db.session.scalar(select(UserAccount).where(UserAccount.person_id == person_id))
        account.totp_secret_encrypted = vault().encrypt(secret)
        db.session.commit()
        now = dt.datetime(2027, 3, 1, 8, 0, 10, tzinfo=dt.UTC)
        assert check_password(email, PASSWORD, now=now).needs_code
        late = pyotp.TOTP(secret).at(now - dt.timedelta(seconds=90))
        with pytest.raises(SignInRefused):
            check_code(person_id, late, now=now)
        previous = pyotp.TOTP(secret).at(now - dt.timedelta(seconds=30))
        check_code(person_id, previous, now=now)  # one step of drift is forgiven
        with pytest.raises(SignInRefused):  # an older code after a newer one: refused
            check_code(person_id, pyotp.TOTP(secret).at(now - dt.timedelta(seconds=60)), now=now)


def test_a_wrong_code_when_turning_codes_on_stores_nothing(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, person_id = supervisor
    sign_in_with_password(client, email, language="en")
    page = client.get("/account/second-factor", headers=EN)
    answer = client.post(
        "/account/second-factor",
        data={"csrf_token": csrf_token(page.text), "code": "123"},
        headers=EN,
    )
    assert answer.status_code == 422 and "The code is not right" in answer.text
    assert account_of(app, person_id).totp_secret_encrypted is None


def test_turning_codes_off_takes_the_password(app: Flask, client: FlaskClient, supervisor) -> None:
    email, person_id = supervisor
    sign_in_with_password(client, email, language="en")
    turn_codes_on(client)
    page = client.get("/account", headers=EN)
    wrong = client.post(
        "/account/second-factor/off",
        data={"csrf_token": csrf_token(page.text), "password": "nope"},
        headers=EN,
    )
    assert wrong.status_code == 422 and "The password is not right" in wrong.text
    assert account_of(app, person_id).totp_secret_encrypted is not None
    client.post(
        "/account/second-factor/off",
        data={"csrf_token": csrf_token(page.text), "password": PASSWORD},
    )
    assert account_of(app, person_id).totp_secret_encrypted is None


def test_a_client_signed_in_by_link_sets_a_password(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        person = builders.person("Asiakas")
        email, person_id = person.email, person.id
    sign_in(client, person_id, language="en")
    page = client.get("/account", headers=EN)
    assert "Set a password" in page.text
    short = client.post(
        "/account/password",
        data={"csrf_token": csrf_token(page.text), "new_password": "lyhyt"},
        headers=EN,
    )
    assert short.status_code == 422 and "The password is too short" in short.text
    with app.app_context():
        assert db.session.get(type(person), person_id).account is None
    done = client.post(
        "/account/password",
        data={"csrf_token": csrf_token(page.text), "new_password": "pitkä salasana tähän"},
    )
    assert done.status_code == 302
    assert client.get("/account").status_code == 200  # still signed in here
    fresh = app.test_client()
    answer = sign_in_with_password(fresh, email, "pitkä salasana tähän")
    assert answer.status_code == 302 and answer.location.endswith("/my")


def test_changing_a_password_needs_the_current_one(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, person_id = supervisor
    sign_in_with_password(client, email, language="en")
    page = client.get("/account", headers=EN)
    before = account_of(app, person_id).password_hash
    answer = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(page.text),
            "current_password": "wrong",
            "new_password": "a brand new password",
        },
        headers=EN,
    )
    assert answer.status_code == 422 and "The password is not right" in answer.text
    assert account_of(app, person_id).password_hash == before


def test_signing_out_everywhere_ends_every_session(app: Flask, supervisor) -> None:
    email, _ = supervisor
    phone, laptop = app.test_client(), app.test_client()
    sign_in_with_password(phone, email)
    sign_in_with_password(laptop, email)
    page = laptop.get("/account")
    laptop.post("/account/sign-out-everywhere", data={"csrf_token": csrf_token(page.text)})
    assert phone.get("/supervisor/week").status_code == 302
    assert laptop.get("/supervisor/week").status_code == 302
    assert sign_in_with_password(phone, email).status_code == 302  # a new sign-in works


def test_the_operator_sets_a_password_from_the_command_line(app: Flask, supervisor) -> None:
    email, _ = supervisor
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli, ["users", "set-password", email], input="yksi kaksi kolme\nyksi kaksi kolme\n"
    )
    assert result.exit_code == 0, result.output
    assert sign_in_with_password(app.test_client(), email, "yksi kaksi kolme").status_code == 302
    short = runner.invoke(cli, ["users", "set-password", email], input="lyhyt\nlyhyt\n")
    assert short.exit_code != 0 and "liian lyhyt" in short.output
    unknown = runner.invoke(
        cli, ["users", "set-password", "x@example.test"], input="yksi kaksi kolme\n" * 2
    )
    assert unknown.exit_code != 0


def test_the_session_cookie_lasts_its_lifetime_whatever_the_browser_clock_says(
    app: Flask, client: FlaskClient, supervisor, service_clock
) -> None:
    """Max-Age counts from when the browser receives the cookie; an Expires date alone
    would be reckoned by the server's clock, here set a year behind."""
    service_clock.shift(-dt.timedelta(days=365))
    email, _ = supervisor
    answer = sign_in_with_password(client, email)
    assert answer.status_code == 302
    (cookie,) = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert f"Max-Age={int(lifetime)}" in cookie
