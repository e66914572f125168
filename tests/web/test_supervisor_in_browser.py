"""A supervisor's day in a real browser, in Finnish: signing in with a password and a
one-time code, the week, a session's notes, the month, processes, calendar connections,
sign-in security and messages not sent; every page checked with axe-core (WCAG 2.x
A/AA) and photographed at phone and desktop width."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from service.crypto import vault
from service.extensions import db
from service.models import AccountRole, OutboxMessage, OutboxState, Role, UserAccount
from tests.fixtures.axe import assert_accessible
from tests.fixtures.browser import DESKTOP, PHONE, chromium, screenshot_path, served
from tests.web.pages import PASSWORD
from tests.web.scenes import Desk, supervisor_desk

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def site(app: Flask):
    app.config["SESSION_COOKIE_SECURE"] = False
    with served(app) as base, chromium() as browser:
        yield base, browser


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def look(page: Page, name: str, viewport: dict[str, int]) -> None:
    """Every page: no WCAG A/AA violation, no sideways scrolling, a screenshot."""
    page.screenshot(path=screenshot_path(f"supervisor-{name}", viewport), full_page=True)
    assert_accessible(page)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.outerHTML.slice(0, 80))"
    )
    assert fits_the_screen(page), f"{name} is wider than the screen: {wide[:3]}"


def with_codes_and_admin(app: Flask, desk: Desk) -> str:
    secret = pyotp.random_base32()
    with app.app_context():
        account = db.session.scalar(
            select(UserAccount)
            .join(UserAccount.person)
            .where(UserAccount.person.has(email=desk.email))
        )
        account.totp_secret_encrypted = vault().encrypt(secret)
        account.roles.append(AccountRole(role=Role.ADMIN))
        db.session.add(
            OutboxMessage(
                kind="email.booking",
                payload={},
                idempotency_key="dead-1",
                state=OutboxState.DEAD,
                attempts=8,
                last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
            )
        )
        db.session.commit()
    return secret


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_supervisors_day(app: Flask, site, viewport) -> None:
    base, browser = site
    with app.app_context():
        desk = supervisor_desk()
    secret = with_codes_and_admin(app, desk)
    page = browser.new_page(viewport=viewport, locale="fi-FI")
    page.set_default_timeout(10_000)

    page.goto(f"{base}/supervisor/week")
    expect(page.get_by_role("heading", name="Kirjaudu sisään", level=1)).to_be_visible()
    page.get_by_role("link", name="Kirjaudu salasanalla").click()
    page.get_by_label("Sähköposti").fill(desk.email)
    page.get_by_label("Salasana").fill("väärä salasana")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("alert")).to_contain_text("Sähköpostiosoite tai salasana on väärin")
    look(page, "sign-in", viewport)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("heading", name="Kertakäyttökoodi")).to_be_visible()
    look(page, "code", viewport)
    page.get_by_label("Kertakäyttökoodi").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Viikko")

    page.goto(f"{base}/supervisor/week?day=2026-03-04")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Viikko 10")
    expect(page.get_by_text("Europe/Helsinki")).to_have_count(0)  # the reader's own zone
    expect(page.get_by_text("Matka, 30 min")).to_be_visible()
    expect(page.locator(".entry.busy", has_text="Varattu omassa kalenterissa")).to_be_visible()
    look(page, "week", viewport)

    page.get_by_role("link", name=re.compile(f"9.00–10.30 Aino Aaltonen .*{desk.code}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(desk.code)
    page.get_by_label("Yksityiset muistiinpanot").fill("Ryhmä löysi oman tavan aloittaa.")
    page.get_by_label("Seuraava pieni askel").fill("Jokainen kokeilee yhtä pientä muutosta.")
    page.get_by_role("button", name="Tallenna muistiinpanot").click()
    expect(page.get_by_role("status")).to_contain_text("on tallennettu")
    page.get_by_role("button", name="Tallenna läsnäolo").click()
    expect(page.get_by_role("status")).to_contain_text("Läsnäolo on tallennettu")
    look(page, "session", viewport)

    for path, name, heading in [
        ("/supervisor/month?month=2026-03", "month", "Maaliskuu 2026"),
        ("/supervisor/processes", "processes", "Prosessit"),
        ("/supervisor/calendars", "calendars", "Kalenteriyhteydet"),
        ("/supervisor/availability", "availability", "Saatavuus"),
        ("/account", "account", "Kirjautumisen turvallisuus"),
        ("/account/second-factor", "codes-on", "Ota kertakäyttökoodit käyttöön"),
        ("/admin/outbox", "outbox", "Lähettämättä jääneet viestit"),
    ]:
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        look(page, name, viewport)

    page.goto(f"{base}/account")
    page.get_by_role("button", name="Kirjaudu ulos kaikkialta").click()
    page.goto(f"{base}/supervisor/week")
    expect(page.get_by_role("heading", name="Kirjaudu sisään", level=1)).to_be_visible()
