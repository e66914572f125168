"""Every error under /api/v1 is an RFC 9457 problem document; other paths are untouched."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import bearer, make_person, token_for

PROBLEM_JSON = "application/problem+json"


def assert_problem(response: TestResponse, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM_JSON
    body = response.json
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def test_401_without_a_token_challenges_for_a_bearer_token(client: FlaskClient) -> None:
    response = client.get("/api/v1/me")

    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert "Authorization: Bearer" in body["detail"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer ohj_not-a-real-token-at-all", "Bearer something-else", "Basic dXNlcjpwYXNz", "Bearer"],
)
def test_401_with_a_wrong_credential(client: FlaskClient, authorization: str) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": authorization})

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_401_for_an_unknown_token_says_invalid_token(client: FlaskClient) -> None:
    response = client.get("/api/v1/me", headers=bearer("ohj_" + "x" * 43))

    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_403_when_the_token_lacks_the_scope(app: Flask, probe_client: FlaskClient) -> None:
    with app.app_context():
        token = token_for(make_person(), "read")

    response = probe_client.post("/api/v1/probe/notes", json={"text": "x"}, headers=bearer(token))

    body = assert_problem(response, 403)
    assert "write" in body["detail"]
    challenge = response.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="write"' in challenge


def test_404_for_an_unknown_supervisor(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/supervisors/nobody-here"), 404)
    assert "nobody-here" not in body["detail"]


def test_404_for_an_unknown_api_path(client: FlaskClient) -> None:
    assert_problem(client.get("/api/v1/no-such-thing"), 404)


def test_405_lists_the_allowed_methods(client: FlaskClient) -> None:
    response = client.delete("/api/v1/supervisors/aino")

    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_422_lists_the_invalid_fields(app: Flask, probe_client: FlaskClient) -> None:
    with app.app_context():
        token = token_for(make_person(), "read", "write")

    response = probe_client.post(
        "/api/v1/probe/notes", json={"minutes": "many"}, headers=bearer(token)
    )

    body = assert_problem(response, 422)
    assert set(body["errors"]["json"]) == {"text", "minutes"}
    assert body["errors"]["json"]["text"] == ["Missing data for required field."]


def test_401_comes_before_validating_the_body(probe_client: FlaskClient) -> None:
    assert_problem(probe_client.post("/api/v1/probe/notes", json={}), 401)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 412, 415, 422, 428, 429])
def test_aborts_become_problem_documents(probe_client: FlaskClient, status: int) -> None:
    response = probe_client.get(f"/api/v1/probe/abort/{status}")

    body = assert_problem(response, status)
    assert body["detail"] == f"Probe answered {status}."
    assert response.headers["Retry-After"] == "30"
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_500_reveals_nothing_of_the_failure(probe_client: FlaskClient) -> None:
    response = probe_client.get("/api/v1/probe/crash")

    body = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    for internal in ("RuntimeError", "Traceback", "hunter2", "postgresql", "File "):
        assert internal not in text
    assert set(body) == {"type", "title", "status", "detail"}


def test_other_paths_keep_flasks_own_errors(probe_client: FlaskClient) -> None:
    missing = probe_client.get("/no-such-page")
    crashed = probe_client.get("/probe-outside/crash")
    prefix_lookalike = probe_client.get("/api/v10/me")

    for response, status in ((missing, 404), (crashed, 500), (prefix_lookalike, 404)):
        assert response.status_code == status
        assert response.mimetype == "text/html"
    assert probe_client.get("/probe-outside/json").json == {"ok": True}
