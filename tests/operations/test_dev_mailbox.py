"""The development mailbox: with DEVELOPMENT_MAILBOX set, the worker writes each email
into the folder instead of sending it, and /dev/mailbox lists it with its links and
invitations; without it the pages do not exist. (The production refusal is in
tests/test_settings.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from service import create_app
from service.extensions import db
from tests import builders
from tests.conftest import test_config
from tests.outbox.helpers import QUIET_PERIODIC, deliver_all
from tests.processes.test_inquiry_page import good_form

pytestmark = pytest.mark.sqlite_only
EN = {"Accept-Language": "en"}


@pytest.fixture
def mailbox_app(database_url: str, tmp_path: Path):
    app = create_app(
        test_config(database_url, DEVELOPMENT_MAILBOX=str(tmp_path / "mailbox"), **QUIET_PERIODIC)
    )
    yield app
    from tests.conftest import empty_all_tables

    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def test_the_inquiry_can_be_finished_from_the_mailbox(mailbox_app: Flask, tmp_path: Path) -> None:
    client = mailbox_app.test_client()
    with mailbox_app.app_context():
        slug = builders.supervisor(min_notice_minutes=60).slug
    page = client.get(f"/s/{slug}", headers=EN)
    client.post(f"/s/{slug}", data=good_form(page.text), headers=EN)
    with mailbox_app.app_context():
        deliver_all(mailbox_app)
    assert len(list((tmp_path / "mailbox").glob("*.eml"))) == 1

    listing = client.get("/dev/mailbox", headers=EN)
    assert listing.status_code == 200
    assert "iida@example.test" in listing.text
    link = re.search(r'href="(http://[^"]+/inquiry/confirm/[^"]+)"', listing.text)
    assert link, listing.text
    mail_id = re.search(r'href="/dev/mailbox/([0-9a-f]{32})"', listing.text).group(1)
    assert link.group(1) in client.get(f"/dev/mailbox/{mail_id}", headers=EN).text
    path = link.group(1).split("127.0.0.1:8000", 1)[1]
    confirm = client.get(path, headers=EN)
    assert confirm.status_code == 200 and "Confirm" in confirm.text

    with mailbox_app.app_context():
        deliver_all(mailbox_app)
    listing = client.get("/dev/mailbox", headers=EN).text
    assert client.get("/dev/mailbox/not-a-mail").status_code == 404
    assert client.get(f"/dev/mailbox/{mail_id}/invitation-9.ics").status_code == 404
    assert listing.count('class="session"') == 1


def test_the_pages_do_not_exist_without_the_setting(client) -> None:
    assert client.get("/dev/mailbox").status_code == 404


def test_the_mailbox_transport_takes_nothing_when_off() -> None:
    from email.message import EmailMessage

    import plugins.email_mailbox

    message = EmailMessage()
    assert plugins.email_mailbox.ohjaamo_send_email(message=message, settings={}) is None
