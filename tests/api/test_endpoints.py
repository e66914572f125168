"""The first endpoints: a supervisor's public profile and the token's own person."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from service.extensions import db
from tests.api.helpers import bearer, make_person, make_supervisor, token_for


def test_public_profile_needs_no_token(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_supervisor("aino-virtanen", offers_group=False, accepts_inquiries=False)

    response = client.get("/api/v1/supervisors/aino-virtanen")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json == {
        "slug": "aino-virtanen",
        "name": "Aino Virtanen",
        "title": "Työnohjaaja (STOry)",
        "introduction": "Ratkaisukeskeistä työnohjausta.",
        "timezone": "Europe/Helsinki",
        "modes": ["individual", "work_community"],
        "accepts_inquiries": False,
    }


def test_public_profile_shows_nothing_private(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_supervisor("aino-virtanen")

    body = client.get("/api/v1/supervisors/aino-virtanen").get_data(as_text=True)

    assert "@example.test" not in body
    assert "min_notice" not in body
    assert "person_id" not in body


def test_an_erased_supervisor_has_no_profile(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        supervisor = make_supervisor("poistettu")
        supervisor.person.erased_at = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
        db.session.commit()

    response = client.get("/api/v1/supervisors/poistettu")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_me_answers_the_tokens_person_and_scopes(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        person = make_person()
        person_id = str(person.id)
        plaintext = token_for(person, "read", "write")

    response = client.get("/api/v1/me", headers=bearer(plaintext))

    assert response.status_code == 200
    assert response.json == {
        "id": person_id,
        "name": "Sanna Laine",
        "email": "sanna.laine@example.test",
        "language": "sv",
        "organisation_id": None,
        "scopes": ["read", "write"],
    }


def test_me_with_a_write_only_token_is_refused(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        plaintext = token_for(make_person(), "write")

    response = client.get("/api/v1/me", headers=bearer(plaintext))

    assert response.status_code == 403
    assert 'scope="read"' in response.headers["WWW-Authenticate"]
