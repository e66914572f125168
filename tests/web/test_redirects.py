"""No open redirects: every ``next`` goes through one guard that reads a target as a
browser does and lets through only a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.models import Role
from service.web.signed_in import safe_next
from tests import builders
from tests.web.pages import csrf_token, sign_in_with_password, with_password

ELSEWHERE = [
    "//evil.example/",
    "///evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "\t//evil.example/",
    " //evil.example/",
    "\x00//evil.example/",
    "/\x0b/evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example/",
    "https://evil.example/",
    "HTTPS://evil.example/",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "@evil.example",
    "/\x85/evil.example/",
    "/\u2028/evil.example/",
    "",
]

HERE = ["/my", "/supervisor/week?view=2", "/processes/abc/goals#end", "/%2F%2Fstill-a-path"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_target_a_browser_reads_as_elsewhere_is_refused(target: str) -> None:
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", HERE)
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert safe_next(target, "/fallback") == target


def _stays_here(location: str) -> bool:
    parts = urlsplit(location)
    return location.startswith("/") and not parts.netloc and "evil" not in location


@pytest.fixture
def supervisor_email(app: Flask) -> str:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        return profile.person.email


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\\evil.example/", "//evil.example/"])
def test_signing_in_with_a_password_never_leaves_the_site(
    client: FlaskClient, supervisor_email: str, target: str
) -> None:
    answer = sign_in_with_password(client, supervisor_email, query_string={"next": target})
    assert answer.status_code == 302
    assert _stays_here(answer.location), answer.location
    assert answer.location.endswith("/supervisor/week")


@pytest.mark.parametrize(
    "target", ["/\t/evil.example/", "/\\evil.example/", "https://evil.example"]
)
def test_choosing_a_language_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    page = client.get("/sign-in")
    answer = client.post(
        "/language",
        data={"csrf_token": csrf_token(page.text), "language": "en", "next": target},
    )
    assert answer.status_code == 302
    assert _stays_here(answer.location), answer.location
