"""Every kind of answer carries the headers browsers need: a strict Content-Security-Policy
(this site only, nothing inline, never framed), X-Frame-Options, Referrer-Policy,
X-Content-Type-Options and Permissions-Policy; and no page template needs an exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.models import Role
from tests import builders
from tests.web.pages import sign_in_with_password, with_password

TEMPLATES = Path(__file__).resolve().parents[2] / "service"
PAGE_TEMPLATES = [
    *sorted((TEMPLATES / "templates" / "web").glob("*")),
    *sorted((TEMPLATES / "api" / "templates").rglob("*.html")),
]


def assert_guarded(answer: TestResponse) -> None:
    headers = answer.headers
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split(";")
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.fixture
def supervisor_client(app: Flask, client: FlaskClient) -> FlaskClient:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR, Role.ADMIN)
        email = profile.person.email
    assert sign_in_with_password(client, email).status_code == 302
    return client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/sign-in", 200),  # a public page
        ("/sign-in/password", 200),
        ("/supervisor/week", 200),  # a signed-in page
        ("/account", 200),
        ("/admin/outbox", 200),
        ("/no/such/page", 404),  # an error page
        ("/static/web/ohjaamo.css", 200),  # a static file
        ("/api/v1/openapi.json", 200),  # the API's JSON
        ("/api/v1/docs", 200),  # the API's documentation page
        ("/api/v1/me", 401),  # a problem document
        ("/feeds/nothing-here.ics", 404),
        ("/readyz", 200),
    ],
)
def test_every_kind_of_answer_carries_the_headers(
    supervisor_client: FlaskClient, path: str, status: int
) -> None:
    answer = supervisor_client.get(path)
    assert answer.status_code == status, answer.text[:300]
    assert_guarded(answer)


def test_a_redirect_and_a_refused_form_carry_them_too(client: FlaskClient) -> None:
    assert_guarded(client.get("/supervisor/week"))  # 302 to sign in
    assert_guarded(client.post("/sign-in/password", data={"email": "x@example.test"}))


INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+\s*=|javascript:", re.I)


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda path: path.name)
def test_no_page_template_has_inline_script_style_or_handlers(template: Path) -> None:
    assert not INLINE.findall(template.read_text()), template
