"""A booking confirmation opened as a person would: its `.ics` imported by another
program (a CalDAV server parses and stores it, and another client reads it back) and its
HTML part rendered in Chromium."""

from __future__ import annotations

import icalendar
import pytest
from flask import Flask

from tests.calendars.helpers import other_client_calendar, put_raw
from tests.fixtures.browser import DESKTOP, chromium, screenshot_path
from tests.fixtures.caldav_servers import CalDAVServer, fixture_caldav_server  # noqa: F401
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import book_sessions, deliver_all, mail_settings

pytestmark = pytest.mark.sqlite_only


def confirmation(app: Flask, smtp_server: SMTPServer):
    app.config.update(mail_settings(smtp_server))
    with app.app_context():
        [session] = book_sessions(1)
        session_id, start = session.id, session.starts_at
        deliver_all(app)
    [received] = [m for m in smtp_server.messages if "Ohjattava" in m.message["To"]]
    return received.message, session_id, start


def test_the_ics_is_imported_by_a_calendar_server(
    app: Flask, smtp_server: SMTPServer, caldav_server: CalDAVServer
) -> None:
    message, session_id, start = confirmation(app, smtp_server)
    attachment = next(message.iter_attachments())
    assert attachment.get_filename().endswith(".ics")
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    del calendar["METHOD"]  # a stored calendar object carries no iTIP method (RFC 4791)
    url = caldav_server.make_calendar()
    assert put_raw(caldav_server, url, f"imported-{session_id}", calendar.to_ical().decode()) in (
        200,
        201,
        204,
    )
    [stored] = other_client_calendar(caldav_server, url).events()
    event = stored.icalendar_component
    assert str(event["UID"]) == f"ohjaamo-session-{session_id}"
    assert event.decoded("DTSTART") == start


def test_the_html_part_reads_well_in_a_browser(app: Flask, smtp_server: SMTPServer) -> None:
    message, _, _ = confirmation(app, smtp_server)
    html = message.get_body(preferencelist=("html",)).get_content()
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        page.set_content(html)
        heading = page.get_by_role("heading", level=1)
        assert heading.is_visible() and heading.inner_text().strip()
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=screenshot_path("booking-email", DESKTOP), full_page=True)
