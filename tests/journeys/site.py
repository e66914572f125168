"""A whole instance for journeys walked as people walk them: the app served on loopback,
a real SMTP server (aiosmtpd) receiving its mail, a real CalDAV server (Radicale), one
browser context per person, and the pages in Finnish. Mail is delivered by the outbox
worker when a step says so, as `ohjaamo worker` would a moment later.

Every step is photographed at phone and desktop width into test-artifacts/screens
(`journey-<name>-<width>.png`) and checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import time_machine
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from service.cli import cli
from service.extensions import db
from service.models import Person
from tests.fixtures.axe import assert_accessible
from tests.fixtures.browser import DESKTOP, PHONE, screenshot_path
from tests.fixtures.caldav_servers import PASSWORD as CALDAV_PASSWORD
from tests.fixtures.caldav_servers import USERNAME as CALDAV_USERNAME
from tests.fixtures.caldav_servers import CalDAVServer
from tests.fixtures.smtp import SMTPServer
from tests.outbox.helpers import deliver_all, mail_settings

SUPERVISOR_PASSWORD = "kolme sanaa peräkkäin ohjaajalle"
_LINK = re.compile(r"https?://[^\s<>\"')]+")


def journey_settings(smtp: SMTPServer) -> dict[str, Any]:
    return {
        **mail_settings(smtp),
        "SESSION_COOKIE_SECURE": False,
        "RATE_LIMIT_SIGN_IN": "1000 per minute",
        "RATE_LIMIT_SIGN_IN_ACCOUNT": "1000 per minute",
        "RATE_LIMIT_PUBLIC_FORMS": "1000 per minute",
    }


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""


@dataclass
class Site:
    app: Flask
    base: str
    browser: Browser
    mail: SMTPServer
    clock: time_machine.Traveller
    calendar: CalDAVServer | None = None
    contexts: list[BrowserContext] = field(default_factory=list)
    # Who is signed in at each page, and how: days later they sign in again.
    signed_in: list[tuple[Page, str, bool]] = field(default_factory=list)

    def t(self, message: str, *, language: str = "fi", **values: object) -> str:
        """The text of an English message id in ``language`` (Finnish unless told), as
        the pages show it."""
        with self.app.test_request_context(), force_locale(language):
            return gettext(message, **values)

    def language_of(self, email: str) -> str:
        """The language a person stores: their pages are in it once they are signed in."""
        with self.app.app_context():
            return db.session.scalars(select(Person.language).where(Person.email == email)).one()

    def person(self) -> Page:
        """A new person at their own browser: their own cookies."""
        context = self.browser.new_context(viewport=DESKTOP, locale="fi-FI")
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def deliver(self) -> None:
        with self.app.app_context():
            deliver_all(self.app)

    def step(self, page: Page, name: str) -> None:
        """A step a person took: accessible, and photographed at both widths."""
        assert_accessible(page)
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            page.screenshot(path=screenshot_path(f"journey-{name}", viewport), full_page=True)
        page.set_viewport_size(DESKTOP)

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [received.message for received in self.mail.messages if address in received.rcpt_tos]

    def link_to(self, address: str, path: str) -> str:
        """The newest link to ``path`` in a mail to ``address``."""
        for message in reversed(self.mails_to(address)):
            for link in _LINK.findall(text_of(message)):
                if path in link:
                    return link
        raise AssertionError(f"no mail to {address} links to {path}")

    def operator(self, *args: str, stdin: str = "") -> str:
        result = self.app.test_cli_runner().invoke(cli, list(args), input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    def add_supervisor(self, email: str, name: str, slug: str) -> None:
        """The operator's one step: the supervisor and their password."""
        self.operator(
            "supervisors",
            "add",
            email,
            "--name",
            name,
            "--slug",
            slug,
            "--practice",
            f"Työnohjaus {name}",
            "--practice-slug",
            slug,
            stdin=f"{SUPERVISOR_PASSWORD}\n{SUPERVISOR_PASSWORD}\n",
        )

    def travel(self, to: dt.datetime) -> None:
        """Days pass: the clock moves on, sessions have lapsed, and each person signs
        in again the way they do."""
        self.clock.move_to(to)
        for page, email, with_password in list(self.signed_in):
            if with_password:
                self.sign_in_with_password(page, email, again=True)
            else:
                self.sign_in_by_mail(page, email, again=True)

    def sign_in_with_password(self, page: Page, email: str, *, again: bool = False) -> None:
        if not again:
            self.signed_in.append((page, email, True))
        page.goto(f"{self.base}/sign-in/password")
        page.get_by_label(self.t("Email")).fill(email)
        page.get_by_label(self.t("Password")).fill(SUPERVISOR_PASSWORD)
        page.get_by_role("button", name=self.t("Sign in"), exact=True).click()
        signed_out = self.t("Sign out", language=self.language_of(email))
        expect(page.get_by_role("button", name=signed_out)).to_be_visible()

    def sign_in_by_mail(self, page: Page, email: str, *, again: bool = False) -> None:
        """Ask for a link on the sign-in page, open it from the mail, press the button."""
        if not again:
            self.signed_in.append((page, email, False))
        page.goto(f"{self.base}/sign-in")
        page.get_by_label(self.t("Email")).fill(email)
        page.get_by_role("button", name=self.t("Send the link")).click()
        self.deliver()
        page.goto(self.link_to(email, "/sign-in/"))
        page.get_by_role("button", name=self.t("Sign in"), exact=True).click()
        signed_out = self.t("Sign out", language=self.language_of(email))
        expect(page.get_by_role("button", name=signed_out)).to_be_visible()

    def set_working_week(self, page: Page) -> None:
        page.goto(f"{self.base}/supervisor/availability")
        for day in range(5):
            page.locator(f"input[name=starts_{day}]").fill("08:00")
            page.locator(f"input[name=ends_{day}]").fill("16:00")
        page.get_by_role("button", name=self.t("Save the week")).click()
        expect(page.get_by_role("status")).to_be_visible()

    def connect_calendar(self, page: Page) -> None:
        """The supervisor's own calendar on the Radicale server receives the sessions."""
        assert self.calendar is not None
        self.calendar.make_calendar("Työ")
        page.goto(f"{self.base}/supervisor/calendars")
        page.get_by_label(self.t("Server address")).fill(self.calendar.url)
        page.get_by_label(self.t("Username")).fill(CALDAV_USERNAME)
        page.get_by_label(self.t("App password")).fill(CALDAV_PASSWORD)
        caldav_form = page.locator("form").filter(has=page.get_by_label(self.t("Server address")))
        caldav_form.get_by_role("button", name=self.t("Connect"), exact=True).click()
        page.locator("input[name=receives]").first.check()
        page.get_by_role("button", name=self.t("Save the choice")).click()
        expect(page.get_by_role("status")).to_be_visible()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
