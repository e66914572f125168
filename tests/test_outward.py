"""Outward requests only where they should go: every URL a person gives (webhooks,
calendar servers, room systems) is refused when it resolves into an internal network,
when it is saved and again at each connection, redirects included; the operator's
OUTWARD_ALLOWED_HOSTS lets named hosts through (the tests' servers on loopback).

Real resolution (the system resolver: `localhost` from /etc/hosts) and real servers on
loopback; nothing here sends a packet anywhere else: a refused address is refused before
any connection is opened.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from plugins.caldav_calendar.backend import CalDAVBackend
from plugins.rooms_http.system import HTTPRooms
from service import create_app, outward
from service.backends import CalendarError, CalendarProblem, RoomProblem, RoomSystemError
from service.extensions import db
from service.models import WebhookDelivery
from service.outward import AddressRefused, OutwardPolicy, is_public
from service.services.booking.changes import BookSession, book_session
from service.services.calendars.access import ServerAccount
from service.services.rooms.access import check_addresses
from tests import builders
from tests.api.helpers import bearer, make_supervisor, token_for
from tests.builders import NOW, helsinki
from tests.conftest import empty_all_tables, test_config
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.fixtures.webhook_receiver import WebhookReceiver, fixture_webhook_receiver  # noqa: F401
from tests.notify.webhook_helpers import subscribed_process
from tests.outbox.helpers import deliver_all, mail_settings

STRICT = OutwardPolicy()  # the default: nothing internal
INTERNAL_URLS = [
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/hook",
    "https://[::1]:8443/x",
    "https://localhost:6379/",
    "https://127.1/",
    "https://2130706433/",
    "https://0x7f.0.0.1/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:a9fe:a9fe]/",
    "https://100.64.0.1/",
    "https://192.168.1.1/",
    "https://172.16.0.1/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://224.0.0.1/",
    "https://0.0.0.0/",
    "https://240.0.0.1/",
    "https://LOCALHOST./",
]


@pytest.mark.parametrize(
    "text",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.31.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address judged, not bound)
        "224.0.0.251",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo around 10.0.0.1
        "192.0.2.1",  # documentation
    ],
)
def test_internal_and_special_addresses_are_not_public(text: str) -> None:
    assert not is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", ["93.184.215.14", "2606:4700:4700::1111", "::ffff:1.1.1.1"])
def test_public_addresses_are(text: str) -> None:
    assert is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_a_url_resolving_inside_is_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        STRICT.check_url(url)


def test_a_name_that_does_not_resolve_now_is_left_to_the_connection() -> None:
    STRICT.check_url("https://hooks.example.invalid/ohjaamo")


def test_the_operator_names_internal_hosts_networks_or_addresses() -> None:
    named = OutwardPolicy.from_settings(["Rooms.Intra.Example.", "10.20.0.0/16", "::1"])
    assert named.named("rooms.intra.example") and named.named("10.20.3.4")
    assert named.named("[::1]") and not named.named("10.21.0.1")
    named.check_url("https://[::1]:8443/x")
    with pytest.raises(AddressRefused):
        named.check_url("https://10.21.0.1/")
    allowed_localhost = OutwardPolicy.from_settings(["localhost"])
    allowed_localhost.check_url("http://localhost:6379/")


@pytest.fixture
def strict_app(database_url: str) -> Iterator[Flask]:
    """An app as installed: OUTWARD_ALLOWED_HOSTS empty."""
    app = create_app(test_config(database_url, OUTWARD_ALLOWED_HOSTS=[]))
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.mark.parametrize("url", INTERNAL_URLS[:4])
def test_the_api_refuses_a_webhook_into_an_internal_network(strict_app: Flask, url: str) -> None:
    with strict_app.app_context():
        token = token_for(make_supervisor().person, "read", "write")
    client: FlaskClient = strict_app.test_client()
    answer = client.post(
        "/api/v1/webhooks", json={"url": url, "events": ["booking.created"]}, headers=bearer(token)
    )
    assert answer.status_code == 422, answer.text
    assert answer.mimetype == "application/problem+json"
    assert "url" in answer.text


def test_plain_http_to_loopback_is_refused_unless_the_operator_named_it(
    strict_app: Flask, app: Flask
) -> None:
    """Both apps share the database: the supervisor is made once."""
    hook = {"url": "http://127.0.0.1:9/h", "events": ["booking.created"]}
    with app.app_context():
        token = token_for(make_supervisor().person, "read", "write")
    for served, status in ((strict_app, 422), (app, 201)):
        answer = served.test_client().post("/api/v1/webhooks", json=hook, headers=bearer(token))
        assert answer.status_code == status, answer.text


def test_each_delivery_checks_the_address_again(
    app: Flask, smtp_server: SMTPServer, webhook_receiver: WebhookReceiver
) -> None:
    """Subscribed while the host was allowed; by delivery it is not (as when a name's
    DNS answer turns internal): nothing is sent, and the log says why."""
    app.config.update(mail_settings(smtp_server, OUTBOX_RETRY_BASE_SECONDS=0))
    with app.app_context():
        setup = subscribed_process(webhook_receiver.url)
        app.extensions[outward.EXTENSION] = STRICT
        book_session(
            builders.supervisor_principal(setup.process),
            BookSession(setup.process.id, helsinki(2027, 3, 3, 10)),
            now=NOW,
        )
        deliver_all(app)
        errors = set(db.session.scalars(select(WebhookDelivery.error)))
    assert webhook_receiver.received == []
    assert errors == {"address refused"}


def test_a_connection_goes_only_to_the_address_checked() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.settimeout(0.5)
    try:
        with pytest.raises(AddressRefused):
            STRICT.create_connection(("localhost", port), timeout=2)
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing connected
        allowed = OutwardPolicy.from_settings(["127.0.0.1"])
        allowed.create_connection(("127.0.0.1", port), timeout=2).close()
        listener.accept()[0].close()
    finally:
        listener.close()


# --- Redirects ------------------------------------------------------------------------


@dataclass
class Hits:
    paths: list[str] = field(default_factory=list)


def _serve(server: HTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@pytest.fixture
def redirect_inside() -> Iterator[tuple[str, Hits]]:
    """A server on 127.0.0.1 (allowed) that redirects every request to a server on
    [::1] (not allowed), which counts what reaches it."""
    hits = Hits()

    class Inside(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PROPFIND = do_POST = do_GET

        def log_message(self, *_: object) -> None:
            return

    inside = _IPv6Server(("::1", 0), Inside)
    target = f"http://[::1]:{inside.server_address[1]}/secret"

    class Outside(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(307)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PROPFIND = do_POST = do_GET

        def log_message(self, *_: object) -> None:
            return

    outside = ThreadingHTTPServer(("127.0.0.1", 0), Outside)
    threads = [_serve(inside), _serve(outside)]
    yield f"http://127.0.0.1:{outside.server_address[1]}/", hits
    for server in (inside, outside):
        server.shutdown()
        server.server_close()
    for thread in threads:
        thread.join(5)


ONLY_IPV4_LOOPBACK = OutwardPolicy.from_settings(["127.0.0.1"])


def test_a_calendar_server_cannot_redirect_into_the_network(redirect_inside) -> None:
    url, hits = redirect_inside
    backend = CalDAVBackend(
        url=url, username="u", password="p", timeout=5, outward=ONLY_IPV4_LOOPBACK
    )
    with pytest.raises(CalendarError) as refused:
        backend.discover()
    assert refused.value.problem is CalendarProblem.REFUSED_ADDRESS
    assert hits.paths == []


def test_a_room_api_redirect_is_not_followed(redirect_inside) -> None:
    url, hits = redirect_inside
    rooms = HTTPRooms(
        settings={"base_url": url, "secret": "token"}, timeout=5, outward=ONLY_IPV4_LOOPBACK
    )
    with pytest.raises(RoomSystemError):
        rooms.list_rooms()
    assert hits.paths == []


def test_a_calendar_address_is_checked_each_time_it_is_opened(app: Flask) -> None:
    account = ServerAccount(
        connection_id=uuid.uuid4(),
        backend=CalDAVBackend,
        url="http://localhost:5232/",
        username="u",
        password="p",
        timezone="Europe/Helsinki",
    )
    with app.app_context():
        app.extensions[outward.EXTENSION] = STRICT
        with pytest.raises(CalendarError) as refused:
            account.open()
    assert refused.value.problem is CalendarProblem.REFUSED_ADDRESS


def test_every_address_in_room_settings_is_checked() -> None:
    check_addresses({"base_url": "https://rooms.example.invalid/"}, STRICT)
    for settings in (
        {"base_url": "http://localhost:8080/api"},
        {"url": "https://rooms.example.invalid/", "calendar_urls": ["http://[::1]/rooms/a/"]},
    ):
        with pytest.raises(RoomSystemError) as refused:
            check_addresses(settings, STRICT)
        assert refused.value.problem is RoomProblem.REFUSED_ADDRESS
