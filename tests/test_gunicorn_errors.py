"""What gunicorn answers itself, before a request reaches the app (a request line or
headers too long, a malformed request), is a problem document like the app's answers,
under the shipped config and under `make run`."""

from __future__ import annotations

import http.client
import json
import socket
from pathlib import Path

import pytest

from tests.fixtures.gunicorn import (
    ROOT,
    GunicornNode,
    make_run_gunicorn_options,
    production_environment,
)

SHIPPED = ("-c", str(ROOT / "config" / "gunicorn.conf.py"), "--workers", "1")


@pytest.fixture(params=["shipped", "make run"])
def node(request: pytest.FixtureRequest, tmp_path: Path):
    options = SHIPPED if request.param == "shipped" else tuple(make_run_gunicorn_options())
    url = f"sqlite:///{tmp_path / 'ohjaamo.sqlite3'}"
    served = GunicornNode(production_environment(tmp_path, url), tmp_path / "g.log", options)
    served.start()
    yield served
    served.stop()


def _answer(node: GunicornNode, raw: bytes) -> tuple[int, str, dict]:
    with socket.create_connection(("127.0.0.1", node.port), timeout=10) as connection:
        connection.sendall(raw)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, response.getheader("Content-Type"), json.loads(response.read())


def test_a_request_line_too_long_is_a_problem_document(node: GunicornNode) -> None:
    path = "/api/v1/slots?supervisor=" + "a" * 9000
    status, content_type, body = _answer(node, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert status == 414 and content_type == "application/problem+json"
    assert body["status"] == 414 and body["title"] == "URI Too Long"


def test_a_malformed_request_is_a_problem_document(node: GunicornNode) -> None:
    status, content_type, body = _answer(node, b"GET /\x01 HTTP/9.9\r\n\r\n")
    assert status == 400 and content_type == "application/problem+json"
    assert body["status"] == 400
