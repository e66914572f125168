"""`ohjaamo tokens create`, `ohjaamo tokens list` and `ohjaamo tokens revoke`."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from service.cli import cli
from service.extensions import db
from service.models import ApiToken
from service.services.accounts.tokens import authenticate, create_token, revoke_token
from tests.api.helpers import bearer, make_contact, make_person, token_for


def created(output: str) -> tuple[uuid.UUID, str]:
    """The token id from the first line and the plaintext from the last."""
    lines = output.strip().splitlines()
    return uuid.UUID(lines[0].split()[2]), lines[-1]


def test_tokens_create_prints_a_working_token_once(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        person_id = make_person().id

    result = runner.invoke(
        cli,
        ["tokens", "create", "--email", "Sanna.Laine@example.test", "--name", "Raportointi",
         "--scope", "read", "--scope", "write"],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    token_id, plaintext = created(result.output)
    assert plaintext.startswith("ohj_")
    assert result.output.count(plaintext) == 1
    assert "read, write" in result.output
    with app.app_context():
        principal = authenticate(plaintext)
        assert principal is not None
        assert principal.person_id == person_id
        assert principal.scopes == {"read", "write"}
        stored = db.session.get(ApiToken, token_id)
        assert stored.name == "Raportointi"
        assert stored.token_hash != plaintext


def test_tokens_create_defaults_to_read_only(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        make_person()

    result = runner.invoke(
        cli, ["tokens", "create", "--email", "sanna.laine@example.test", "--name", "Luku"]
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authenticate(created(result.output)[1]).scopes == {"read"}


def test_tokens_create_for_an_organisation(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        organisation_id = make_contact(make_person()).id

    result = runner.invoke(
        cli,
        ["tokens", "create", "--email", "sanna.laine@example.test", "--name", "Laskutus",
         "--organisation", str(organisation_id)],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authenticate(created(result.output)[1]).organisation_id == organisation_id


def test_tokens_create_refuses_what_it_cannot_do(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        make_person()
    base = ["tokens", "create", "--name", "x"]

    unknown_person = runner.invoke(cli, [*base, "--email", "nobody@example.test"])
    unknown_scope = runner.invoke(
        cli, [*base, "--email", "sanna.laine@example.test", "--scope", "admin"]
    )
    unknown_organisation = runner.invoke(
        cli,
        [*base, "--email", "sanna.laine@example.test", "--organisation", str(uuid.uuid4())],
    )
    not_a_contact = runner.invoke(
        cli,
        [*base, "--email", "sanna.laine@example.test", "--organisation", str(_other_org(app))],
    )

    assert unknown_person.exit_code == 1
    assert "nobody@example.test" in unknown_person.output
    assert unknown_scope.exit_code == 2
    assert unknown_organisation.exit_code == 1
    assert "no organisation" in unknown_organisation.output
    assert not_a_contact.exit_code == 1
    assert "not a contact" in not_a_contact.output
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []


def _other_org(app: Flask) -> uuid.UUID:
    with app.app_context():
        return make_contact(make_person("muu@example.test", "Muu Henkilö"), "Muu Oy").id


def test_tokens_revoke_stops_the_token(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        make_person()
    token_id, plaintext = created(
        runner.invoke(
            cli, ["tokens", "create", "--email", "sanna.laine@example.test", "--name", "x"]
        ).output
    )

    result = runner.invoke(cli, ["tokens", "revoke", str(token_id)])

    assert result.exit_code == 0, result.output
    assert "revoked" in result.output
    with app.app_context():
        assert authenticate(plaintext) is None


def test_tokens_revoke_an_unknown_id_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["tokens", "revoke", str(uuid.uuid4())])

    assert result.exit_code == 1
    assert "no token" in result.output


def test_tokens_list_shows_scope_organisation_last_use_and_revocation(
    app: Flask, runner: FlaskCliRunner, client
) -> None:
    with app.app_context():
        person = make_person()
        organisation = make_contact(person, "Esimerkkilän kaupunki")
        personal = token_for(person, "read")
        token_for(person, "read", "write", organisation=organisation)
        revoked_id = create_token(person, "vanha", ["read"])[0].id
        revoke_token(revoked_id)
        make_person("toinen@example.test", "Toinen")

    assert runner.invoke(cli, ["tokens", "list"]).output.count("never") == 3
    assert client.get("/api/v1/me", headers=bearer(personal)).status_code == 200
    result = runner.invoke(cli, ["tokens", "list", "--email", "SANNA.laine@example.test"])

    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    revoked_line = next(line for line in lines if "revoked" in line)
    assert "vanha" in revoked_line and str(revoked_id) in revoked_line
    organisation_line = next(line for line in lines if "Esimerkkilän kaupunki" in line)
    assert "read,write" in organisation_line and "last used never" in organisation_line
    personal_line = next(line for line in lines if personal[:12] in line)
    assert "personal" in personal_line and "last used never" not in personal_line
    assert personal not in result.output  # only the start is ever shown
    assert runner.invoke(cli, ["tokens", "list", "--email", "nobody@example.test"]).output == (
        "No tokens.\n"
    )
