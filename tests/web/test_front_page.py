"""The front page: what Ohjaamo is, how to sign in and the public pages for anyone; a
signed-in person goes on to their own landing page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests.web.pages import sign_in

pytestmark = pytest.mark.sqlite_only
EN = {"Accept-Language": "en"}


def test_anyone_reads_what_ohjaamo_is_and_finds_the_public_pages(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        profile = builders.supervisor()
        slug, name = profile.slug, profile.person.name
    page = client.get("/", headers=EN)
    assert page.status_code == 200
    assert f'href="/s/{slug}"' in page.text and name in page.text
    assert 'href="/sign-in"' in page.text and 'href="/sign-in/password"' in page.text


def test_a_signed_in_person_goes_to_their_landing_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        process = builders.process(builders.supervisor())
        supervisee = process.participants[0].person_id
        supervisor = process.supervisor.person_id
    sign_in(client, supervisee)
    assert client.get("/").location.endswith("/my")
    other = app.test_client()
    sign_in(other, supervisor)
    assert other.get("/").location.endswith("/supervisor/week")
