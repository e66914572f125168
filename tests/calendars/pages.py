"""The supervisor's calendar connections page as the page tests use it."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.testing import FlaskClient

from service.models import Role
from tests import builders
from tests.web.pages import csrf_token, sign_in_with_password, with_password

EN = {"Accept-Language": "en"}


def supervised_process(app: Flask, client: FlaskClient) -> tuple[uuid.UUID, str]:
    """A process whose supervisor is signed in with a password: its id and code."""
    with app.app_context():
        process = builders.process(builders.supervisor())
        with_password(process.supervisor.person_id, Role.SUPERVISOR)
        email, found = process.supervisor.person.email, (process.id, process.code)
    sign_in_with_password(client, email, language="en")
    return found


def read_now(client: FlaskClient, connection_id: str) -> None:
    page = client.get("/supervisor/calendars", headers=EN)
    answer = client.post(
        f"/supervisor/calendars/{connection_id}/sync", data={"csrf_token": csrf_token(page.text)}
    )
    assert answer.status_code == 302


def page(client: FlaskClient, path: str = "/supervisor/calendars") -> str:
    answer = client.get(path, headers=EN)
    assert answer.status_code == 200
    return answer.text
