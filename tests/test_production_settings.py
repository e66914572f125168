"""Production settings: forwarded headers behind a proxy, the database pool, and
gunicorn's JSON access log."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask import Flask

from config import defaults
from service import create_app
from service.access_log import access_record, redacted_path
from service.database import engine_options
from tests.conftest import test_config

LIMIT = 5


def sign_in_posts(app: Flask, addresses: list[str]) -> list[int]:
    client = app.test_client()
    return [
        client.post("/sign-in", data={}, headers={"X-Forwarded-For": address}).status_code
        for address in addresses
    ]


@pytest.mark.sqlite_only
def test_behind_one_proxy_each_client_address_has_its_own_limit(database_url: str) -> None:
    app = create_app(test_config(database_url, TRUSTED_PROXY_HOPS=1))
    addresses = [f"203.0.113.{n}" for n in range(LIMIT + 1)]
    assert 429 not in sign_in_posts(app, addresses)
    assert sign_in_posts(app, ["198.51.100.7"] * (LIMIT + 1))[-1] == 429


@pytest.mark.sqlite_only
def test_without_trusted_proxies_forwarded_addresses_are_ignored(database_url: str) -> None:
    app = create_app(test_config(database_url))
    addresses = [f"203.0.113.{n}" for n in range(LIMIT + 1)]
    assert sign_in_posts(app, addresses)[-1] == 429


@pytest.mark.sqlite_only
def test_behind_a_proxy_the_scheme_and_host_are_the_proxys(database_url: str) -> None:
    app = create_app(test_config(database_url, TRUSTED_PROXY_HOPS=1))
    seen: dict[str, Any] = {}

    @app.get("/_probe")
    def probe() -> str:
        from flask import request

        seen.update(scheme=request.scheme, host=request.host, remote=request.remote_addr)
        return ""

    app.test_client().get(
        "/_probe",
        headers={
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "ohjaamo.example.fi",
        },
    )
    assert seen == {"scheme": "https", "host": "ohjaamo.example.fi", "remote": "203.0.113.9"}


def test_postgresql_pool_comes_from_the_settings() -> None:
    config = {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://ohjaamo@db.internal/ohjaamo",
        "DATABASE_POOL_SIZE": 7,
        "DATABASE_MAX_OVERFLOW": 3,
        "DATABASE_POOL_TIMEOUT_SECONDS": 4,
        "DATABASE_POOL_RECYCLE_SECONDS": 600,
        "DATABASE_CONNECT_TIMEOUT_SECONDS": 2,
    }
    assert engine_options(config) == {
        "hide_parameters": True,
        "pool_pre_ping": True,
        "pool_size": 7,
        "max_overflow": 3,
        "pool_timeout": 4,
        "pool_recycle": 600,
        "connect_args": {"connect_timeout": 2},
    }


def test_token_segments_of_paths_are_not_logged() -> None:
    session = str(uuid.uuid4())
    token = "eyJzIjoiNjQ3Yj" + "x" * 40 + ".aZ3k.Qm9"
    assert redacted_path(f"/sign-in/{token}") == "/sign-in/[token]"
    assert redacted_path(f"/api/v1/bookings/{session}") == f"/api/v1/bookings/{session}"
    assert redacted_path("/s/supervisor-1a2b3c4d") == "/s/supervisor-1a2b3c4d"


def test_an_access_log_line_is_json_without_query_or_token() -> None:
    atoms = {
        "t": "[01/Mar/2027:10:00:00 +0200]",
        "h": "127.0.0.1",
        "m": "GET",
        "U": '/inquiry/confirm/Zm9vYmFyYmF6cXV1eHF1dXpjb3JnZ3JhdWx0"\\',
        "q": "email=someone@example.test",
        "s": "200",
        "B": 512,
        "D": 12_345,
        "a": 'Mozilla "quoted"',
        "p": "<123>",
        "{x-request-id}i": "f00d",
    }
    line = json.dumps(access_record(atoms))
    record = json.loads(line)
    assert record["path"] == "/inquiry/confirm/[token]"
    assert record["status"] == 200 and record["duration_ms"] == 12.345
    assert record["request_id"] == "f00d"
    assert "someone@example.test" not in line


def test_gunicorn_config_sizes_workers_from_the_cpu_count() -> None:
    import multiprocessing
    import runpy
    from pathlib import Path

    settings = runpy.run_path(str(Path(__file__).parent.parent / "config" / "gunicorn.conf.py"))
    assert settings["workers"] == max(2, multiprocessing.cpu_count())
    assert settings["worker_class"] == "service.gunicorn_worker.ProblemThreadWorker"  # gthread's
    assert settings["threads"] <= defaults.DATABASE_POOL_SIZE
    assert settings["logger_class"] == "service.access_log.JsonAccessLogger"
    assert settings["graceful_timeout"] < settings["timeout"]
