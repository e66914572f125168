"""The agreement editor in a real browser, in Finnish: from the processes page to a
refused draft with its problem at the field, then a new version sent; checked with
axe-core and photographed at phone and desktop width."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.fixtures.browser import DESKTOP, PHONE, chromium, served
from tests.web.pages import PASSWORD
from tests.web.scenes import supervisor_desk
from tests.web.test_supervisor_in_browser import look

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_new_version_is_drafted_and_sent(app: Flask, viewport) -> None:
    app.config["SESSION_COOKIE_SECURE"] = False
    with served(app) as base, chromium() as browser:
        drafted_and_sent(app, base, browser, viewport)


def drafted_and_sent(app: Flask, base: str, browser, viewport: dict[str, int]) -> None:
    with app.app_context():
        desk = supervisor_desk()
    page = browser.new_page(viewport=viewport, locale="fi-FI")
    page.set_default_timeout(10_000)
    page.goto(f"{base}/sign-in/password")
    page.get_by_label("Sähköposti").fill(desk.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()

    page.goto(f"{base}/supervisor/processes")
    page.get_by_role("link", name=f"Sopimus {desk.code}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sopimus {desk.code}")
    page.get_by_label("Tapaamisten määrä", exact=True).fill("0")
    page.get_by_role("button", name="Tallenna luonnos").click()
    expect(page.get_by_role("alert")).to_contain_text("Sovi vähintään yksi tapaaminen.")
    look(page, "agreement-refused", viewport)

    page.get_by_label("Tapaamisten määrä", exact=True).fill("12")
    page.locator("#goals-0-title").fill("Oman työn selkeytyminen")
    page.get_by_role("button", name="Tallenna ja lähetä hyväksyttäväksi").click()
    expect(page.get_by_role("status")).to_contain_text("Sopimus on lähetetty")
    expect(page.get_by_role("link", name="Versio 2")).to_be_visible()
    look(page, "agreement", viewport)
