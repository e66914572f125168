"""API tokens: created with a secret shown once, stored as a digest, used, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.extensions import db
from service.models import ApiToken
from service.services.accounts.tokens import (
    TokenError,
    authenticate,
    create_token,
    revoke_token,
)
from service.services.auth import Principal
from tests.api.helpers import bearer, make_contact, make_person, token_for

T0 = dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_token_lifecycle_create_authenticate_use_revoke(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        person = make_person()
        token, plaintext = create_token(person, "Raportit", ["read"])
        token_id, person_id = token.id, person.id
        assert plaintext.startswith("ohj_")
        assert token.last_used_at is None

        assert authenticate(plaintext) == Principal(
            person_id=person_id, organisation_id=None, scopes=frozenset({"read"})
        )
        db.session.expire_all()
        assert db.session.get(ApiToken, token_id).last_used_at is not None

    assert client.get("/api/v1/me", headers=bearer(plaintext)).status_code == 200

    with app.app_context():
        revoked = revoke_token(token_id)
        assert revoked is not None
        assert revoked.revoked_at is not None
        assert authenticate(plaintext) is None

    response = client.get("/api/v1/me", headers=bearer(plaintext))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_last_used_at_is_written_at_most_once_a_minute(app: Flask) -> None:
    with app.app_context():
        token, plaintext = create_token(make_person(), "CI", ["read"])
        token_id = token.id

        def last_used() -> dt.datetime | None:
            db.session.expire_all()
            return db.session.get(ApiToken, token_id).last_used_at

        authenticate(plaintext, now=T0)
        assert last_used() == T0
        authenticate(plaintext, now=T0 + dt.timedelta(seconds=59))
        assert last_used() == T0
        authenticate(plaintext, now=T0 + dt.timedelta(seconds=60))
        assert last_used() == T0 + dt.timedelta(seconds=60)


def test_only_the_digest_of_the_secret_is_stored(app: Flask) -> None:
    with app.app_context():
        _, plaintext = create_token(make_person(), "Integraatio", ["read", "write"])
        db.session.expire_all()
        stored = db.session.scalars(select(ApiToken)).one()

        assert stored.token_hash != plaintext
        assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
        assert plaintext[4:] not in stored.token_hash
        assert stored.prefix == plaintext[: len(stored.prefix)]
        assert len(stored.prefix) < len(plaintext) // 3
        assert stored.scopes == ["read", "write"]
        columns = [getattr(stored, c.key) for c in ApiToken.__table__.columns]
        assert plaintext not in [str(value) for value in columns]


def test_tokens_are_random_and_unique(app: Flask) -> None:
    with app.app_context():
        person = make_person()
        plaintexts = {create_token(person, f"t{n}", ["read"])[1] for n in range(5)}
        assert len(plaintexts) == 5
        assert all(len(p) >= 40 for p in plaintexts)


@pytest.mark.parametrize(
    "presented",
    ["", "ohj_", "ohj_short", "not-ohjaamo", "ohj_" + "A" * 43],
)
def test_malformed_or_unknown_tokens_authenticate_nobody(app: Flask, presented: str) -> None:
    with app.app_context():
        create_token(make_person(), "real", ["read"])
        assert authenticate(presented) is None


def test_a_token_that_shares_the_prefix_but_not_the_secret_is_refused(app: Flask) -> None:
    with app.app_context():
        _, plaintext = create_token(make_person(), "real", ["read"])
        forged = plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")
        assert authenticate(forged) is None


def test_an_erased_persons_token_stops_working(app: Flask) -> None:
    with app.app_context():
        person = make_person()
        plaintext = token_for(person)
        person.erased_at = T0
        db.session.commit()
        assert authenticate(plaintext) is None


def test_revoking_twice_keeps_the_first_time_and_unknown_ids_give_none(app: Flask) -> None:
    with app.app_context():
        token, _ = create_token(make_person(), "x", ["read"])
        revoke_token(token.id, now=T0)
        assert revoke_token(token.id, now=T0 + dt.timedelta(days=1)).revoked_at == T0
        assert revoke_token(uuid.uuid4()) is None


@pytest.mark.parametrize(
    ("scopes", "message"),
    [([], "at least one scope"), (["read", "admin"], "Unknown scope admin")],
)
def test_scopes_are_checked(app: Flask, scopes: list[str], message: str) -> None:
    with app.app_context():
        with pytest.raises(TokenError, match=message):
            create_token(make_person(), "x", scopes)
        assert db.session.scalars(select(ApiToken)).all() == []


def test_a_token_needs_a_name(app: Flask) -> None:
    with app.app_context(), pytest.raises(TokenError, match="name"):
        create_token(make_person(), "  ", ["read"])


def test_organisation_token_acts_for_that_organisation_only(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        person = make_person()
        organisation = make_contact(person)
        organisation_id = organisation.id
        plaintext = token_for(person, "read", organisation=organisation)
        principal = authenticate(plaintext)
        assert principal is not None
        assert principal.organisation_id == organisation_id

    me = client.get("/api/v1/me", headers=bearer(plaintext)).json
    assert me["organisation_id"] == str(organisation_id)


def test_organisation_token_only_for_the_organisations_contacts(app: Flask) -> None:
    with app.app_context():
        contact = make_person()
        organisation = make_contact(contact)
        outsider = make_person("ulkopuolinen@example.test", "Ulla Ulkopuolinen")
        with pytest.raises(TokenError, match="not a contact"):
            create_token(outsider, "x", ["read"], organisation)


def test_read_token_gets_403_on_a_write_route(app: Flask, probe_client: FlaskClient) -> None:
    with app.app_context():
        read_only = token_for(make_person(), "read")
        read_write = token_for(make_person("kirjoittaja@example.test"), "read", "write")
    note = {"text": "Hei", "minutes": 90}

    refused = probe_client.post("/api/v1/probe/notes", json=note, headers=bearer(read_only))
    accepted = probe_client.post("/api/v1/probe/notes", json=note, headers=bearer(read_write))

    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert accepted.status_code == 201
    assert accepted.json["text"] == "Hei"


def test_a_changing_method_needs_write_even_if_the_view_asks_only_read(
    app: Flask, probe_client: FlaskClient
) -> None:
    with app.app_context():
        read_only = token_for(make_person(), "read")
        write_only = token_for(make_person("w@example.test"), "write")
        both = token_for(make_person("rw@example.test"), "read", "write")

    def status(token: str) -> int:
        return probe_client.post("/api/v1/probe/read-declared", headers=bearer(token)).status_code

    assert (status(read_only), status(write_only), status(both)) == (403, 403, 200)
