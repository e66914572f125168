"""A test-only app: the product plus a probe blueprint under /api/v1, added through the
`ohjaamo_register_blueprints` hook, for routes the product does not have (yet)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pluggy
import pytest
from flask import Blueprint, Flask, jsonify
from flask.testing import FlaskClient
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest import abort
from marshmallow import Schema, fields

import service
from service import create_app
from service.api.auth import current_principal, token_required
from service.extensions import db
from service.hookspecs import hookimpl
from service.plugins import build_plugin_manager
from service.services.accounts.tokens import READ, WRITE
from tests.conftest import empty_all_tables, test_config

PROBE_PREFIX = "/api/v1/probe"


class NoteSchema(Schema):
    text = fields.String(required=True)
    minutes = fields.Integer(required=True)


def probe_blueprints() -> list[Blueprint]:
    probe = ApiBlueprint("api_probe", __name__, url_prefix=PROBE_PREFIX)

    @probe.post("/notes")
    @token_required(WRITE)
    @probe.arguments(NoteSchema)
    def write_note(note: dict) -> tuple[dict, int]:
        return {"text": note["text"], "by": str(current_principal().person_id)}, 201

    @probe.post("/read-declared")
    @token_required(READ)
    def post_declared_read() -> dict:
        return {"ok": True}

    @probe.get("/abort/<int:status>")
    def abort_with(status: int) -> None:
        abort(status, message=f"Probe answered {status}.", headers={"Retry-After": "30"})

    @probe.get("/crash")
    def crash() -> None:
        raise RuntimeError("connection to postgresql://ohjaamo:hunter2@db failed")

    outside = Blueprint("outside_probe", __name__, url_prefix="/probe-outside")
    outside.add_url_rule("/crash", "crash", crash)
    outside.add_url_rule("/json", "json", lambda: jsonify(ok=True))
    return [probe, outside]


class ProbePlugin:
    @hookimpl
    def ohjaamo_register_blueprints(self, app: Flask) -> list[Blueprint]:
        return probe_blueprints()


@pytest.fixture
def probe_app(app: Flask, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The product with the probe plugin, on the same database as `app` (which empties it)."""

    def build(config: Mapping[str, object]) -> pluggy.PluginManager:
        pm = build_plugin_manager(config)
        pm.register(ProbePlugin())
        return pm

    monkeypatch.setattr(service, "build_plugin_manager", build)
    probe = create_app(test_config(database_url, PROPAGATE_EXCEPTIONS=False))
    yield probe
    with probe.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def probe_client(probe_app: Flask) -> FlaskClient:
    return probe_app.test_client()
