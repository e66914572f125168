"""One browser for each journey module; for each journey an empty instance served on
loopback with a real SMTP server and a Radicale calendar server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from playwright.sync_api import Browser

from tests.fixtures.browser import chromium, served
from tests.fixtures.caldav_servers import CalDAVServer
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.journeys.site import Site, journey_settings


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as shared:
        yield shared


@pytest.fixture
def site(
    app: Flask,
    browser: Browser,
    smtp_server: SMTPServer,
    service_clock: time_machine.Traveller,
    tmp_path: Path,
) -> Iterator[Site]:
    app.config.update(journey_settings(smtp_server))
    folder = tmp_path / "radicale"
    folder.mkdir()
    calendar = CalDAVServer("radicale", folder)
    calendar.start()
    try:
        with served(app) as base:
            app.config["PUBLIC_BASE_URL"] = base
            walked = Site(app, base, browser, smtp_server, service_clock, calendar)
            try:
                yield walked
            finally:
                walked.close()
    finally:
        calendar.stop()
