"""A supervisee books on each hard day in a real browser (Debian's Chromium): the page,
served by the test's app, reads the test's clock, and the time booked keeps every rule."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from service.extensions import db
from service.models import SessionStatus, SupervisionSession
from tests.fixtures.browser import PHONE
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.hard_days import assert_bookable, fixture_hard_day  # noqa: F401
from tests.web import client_scenes
from tests.web.test_client_browser import fixture_site, shoot, signed_in_page  # noqa: F401

pytestmark = pytest.mark.sqlite_only


def test_a_supervisee_books_the_first_free_time(
    app: Flask, site, smtp_server: SMTPServer, hard_day: dt.datetime, request: pytest.FixtureRequest
) -> None:
    with app.app_context():
        scene = client_scenes.client_process()
    page = signed_in_page(app, site, smtp_server, scene.client.person_id)
    base, _browser = site
    page.goto(f"{base}/my/processes/{scene.process_id}/book")
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Varaa tämä aika").click()
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on varattu")
    shoot(page, f"booked-on-{request.node.callspec.id}", PHONE)
    with app.app_context():
        booked = db.session.scalars(
            select(SupervisionSession).where(
                SupervisionSession.process_id == scene.process_id,
                SupervisionSession.status == SessionStatus.BOOKED,
            )
        ).one()
        start = booked.starts_at
    assert_bookable(start, hard_day, notice=dt.timedelta(hours=1))
