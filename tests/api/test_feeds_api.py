"""The feed endpoints and `ohjaamo feeds`: personal feeds made, listed and revoked."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.cli import cli
from tests.api.helpers import bearer, make_contact, make_person, make_supervisor, token_for


def test_a_person_makes_lists_and_revokes_a_feed(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        person = make_person()
        token = token_for(person, "read", "write")
        other = token_for(make_person("o@example.test", "O"), "read", "write")
    made = client.post("/api/v1/feeds", json={"name": "Puhelin"}, headers=bearer(token))
    assert made.status_code == 201
    feed = made.get_json()
    assert feed["kind"] == "participant" and feed["name"] == "Puhelin"
    path = urlsplit(feed["url"]).path
    assert client.get(path).status_code == 200
    listed = client.get("/api/v1/feeds", headers=bearer(token)).get_json()
    assert [item["id"] for item in listed] == [feed["id"]] and "url" not in listed[0]
    assert client.get("/api/v1/feeds", headers=bearer(other)).get_json() == []
    assert client.delete(f"/api/v1/feeds/{feed['id']}", headers=bearer(other)).status_code == 404
    assert client.delete(f"/api/v1/feeds/{feed['id']}", headers=bearer(token)).status_code == 204
    assert client.get(path).status_code == 404
    revoked = client.get("/api/v1/feeds", headers=bearer(token)).get_json()
    assert revoked[0]["revoked_at"] is not None


def test_feeds_are_personal_and_bad_input_is_a_problem(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        person = make_person()
        organisation = make_contact(person)
        org_token = token_for(person, "read", "write", organisation=organisation)
        token = token_for(person, "read", "write")
        supervisor = token_for(make_supervisor().person, "read", "write")
    assert client.post("/api/v1/feeds", json={}, headers=bearer(org_token)).status_code == 403
    refused = client.post("/api/v1/feeds", json={"kind": "supervisor"}, headers=bearer(token))
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    for body in ({"kind": "everyone"}, {"name": "x" * 201}, {"name": "a\x00b"}):
        answer = client.post("/api/v1/feeds", json=body, headers=bearer(token))
        assert answer.status_code == 422, body
        assert answer.mimetype == "application/problem+json"
    made = client.post("/api/v1/feeds", json={"kind": "supervisor"}, headers=bearer(supervisor))
    assert made.status_code == 201


def test_feeds_commands(app: Flask, runner: FlaskCliRunner, client: FlaskClient) -> None:
    with app.app_context():
        make_person()
    created = runner.invoke(cli, args=["feeds", "create", "--email", "sanna.laine@example.test"])
    assert created.exit_code == 0, created.output
    url = created.output.strip().splitlines()[-1]
    feed_id = created.output.split()[2]
    assert client.get(urlsplit(url).path).status_code == 200
    refused = runner.invoke(
        cli, args=["feeds", "create", "--email", "sanna.laine@example.test", "--kind", "supervisor"]
    )
    assert refused.exit_code != 0 and "supervisor" in refused.output
    assert runner.invoke(cli, args=["feeds", "revoke", feed_id]).exit_code == 0
    assert client.get(urlsplit(url).path).status_code == 404
    unknown = runner.invoke(cli, args=["feeds", "revoke", "00000000-0000-0000-0000-000000000000"])
    assert unknown.exit_code != 0


def test_a_feed_is_made_from_a_json_body_only(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        token = token_for(make_person(), "read", "write")
    empty = client.post("/api/v1/feeds", headers=bearer(token))
    assert empty.status_code == 422 and empty.mimetype == "application/problem+json"
    form = client.post("/api/v1/feeds", data={"name": "Puhelin"}, headers=bearer(token))
    assert form.status_code == 415 and form.mimetype == "application/problem+json"
    text = client.post(
        "/api/v1/feeds", data='{"name": "x"}', content_type="text/plain", headers=bearer(token)
    )
    assert text.status_code == 415
    assert client.post("/api/v1/feeds", headers={}).status_code == 401  # the token first
    assert client.get("/api/v1/feeds", headers=bearer(token)).get_json() == []
    assert client.post("/api/v1/feeds", json={}, headers=bearer(token)).status_code == 201
