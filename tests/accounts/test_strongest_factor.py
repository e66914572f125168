"""Every way in meets the account's strongest factor: a person with a password (and
one-time codes) is never signed in by an emailed link alone, and a session that proved
less than the account asks is no session, on every path (link, password, renewal)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import clock
from service.cli import cli
from service.extensions import db
from service.models import Person, Role
from service.services.accounts.sign_in import request_sign_in_link, sign_in_token
from service.web.signed_in import FACTORS_KEY
from tests import builders
from tests.accounts.test_password_sign_in import turn_codes_on
from tests.builders import NOW
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import deliver_all, mail_settings
from tests.web.pages import PASSWORD, csrf_token, sign_in, sign_in_with_password, with_password

EN = {"Accept-Language": "en"}


@pytest.fixture
def supervisor(app: Flask) -> tuple[str, object]:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        return profile.person.email, profile.person_id


def _use_link(client: FlaskClient, token: str) -> object:
    page = client.get(f"/sign-in/{token}")
    return client.post(f"/sign-in/{token}", data={"csrf_token": csrf_token(page.text)}, headers=EN)


def test_a_link_to_an_account_with_a_password_and_codes_signs_no_one_in(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, person_id = supervisor
    sign_in_with_password(client, email)
    turn_codes_on(client)
    reader = app.test_client()
    with app.app_context():
        token = sign_in_token(person_id, now=clock.now())
    answer = _use_link(reader, token)
    assert answer.status_code == 302
    assert answer.location.startswith("/sign-in/password")
    assert reader.get("/supervisor/week").status_code == 302
    page = reader.get(answer.location, headers=EN)
    assert "signs in with your password" in page.text


def test_a_link_to_an_account_with_only_a_password_signs_no_one_in(app: Flask, supervisor) -> None:
    _, person_id = supervisor
    reader = app.test_client()
    with app.app_context():
        token = sign_in_token(person_id, now=clock.now())
    assert _use_link(reader, token).location.startswith("/sign-in/password")
    assert reader.get("/supervisor/week").status_code == 302


def test_asking_for_a_link_to_a_password_account_mails_the_way_to_the_password(
    app: Flask, smtp_server: SMTPServer, supervisor
) -> None:
    email, _ = supervisor
    app.config.update(mail_settings(smtp_server, PUBLIC_BASE_URL="http://ohjaamo.test"))
    with app.app_context():
        db.session.get(Person, supervisor[1]).language = "en"
        db.session.commit()
        request_sign_in_link(email, now=NOW)
        deliver_all(app)
    [received] = smtp_server.messages
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    assert "signs in with your password" in text
    assert "http://ohjaamo.test/sign-in/password" in text
    assert not re.search(r"/sign-in/(?!password)\S", text)


def test_the_operator_prints_no_link_for_a_password_account(app: Flask, supervisor) -> None:
    email, _ = supervisor
    result = app.test_cli_runner().invoke(cli, ["sign-in-link", email])
    assert result.exit_code != 0 and "signs in with a password" in result.output
    assert "/sign-in/" not in result.output


def test_a_person_without_a_password_still_signs_in_by_link(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        person_id = builders.person().id
    sign_in(client, person_id)
    assert client.get("/my").status_code == 200


def test_turning_codes_on_ends_the_sessions_that_proved_no_code(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, _ = supervisor
    other_device = app.test_client()
    sign_in_with_password(other_device, email)
    assert other_device.get("/supervisor/week").status_code == 200
    sign_in_with_password(client, email)
    turn_codes_on(client)
    assert client.get("/supervisor/week").status_code == 200  # this one proved a code
    assert other_device.get("/supervisor/week").status_code == 302


def test_a_session_renewed_by_a_password_change_keeps_its_code(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, _ = supervisor
    sign_in_with_password(client, email)
    turn_codes_on(client)
    page = client.get("/account")
    changed = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(page.text),
            "current_password": PASSWORD,
            "new_password": "neljä sanaa nyt peräkkäin",
        },
    )
    assert changed.status_code == 302
    assert client.get("/supervisor/week").status_code == 200
    with client.session_transaction() as cookie:
        assert set(cookie[FACTORS_KEY]) == {"password", "code"}


def test_a_session_that_proved_less_than_the_account_asks_is_no_session(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, _ = supervisor
    sign_in_with_password(client, email)
    assert client.get("/supervisor/week").status_code == 200
    for proved in ([], ["email"]):  # a cookie of a link, or from before the rule
        with client.session_transaction() as cookie:
            cookie[FACTORS_KEY] = proved
        assert client.get("/supervisor/week").status_code == 302
        sign_in_with_password(client, email)
