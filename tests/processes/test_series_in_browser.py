"""The series review in a real browser, in Finnish and without a line of JavaScript of
its own: from the processes page to a proposed series, a collision moved to an
alternative, then every session booked; checked with axe-core and photographed at
phone and desktop width."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.fixtures.browser import DESKTOP, PHONE, chromium, served
from tests.processes.series_scenes import series_desk
from tests.web.pages import PASSWORD
from tests.web.test_supervisor_in_browser import look

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_series_is_proposed_adjusted_and_booked(app: Flask, viewport) -> None:
    app.config["SESSION_COOKIE_SECURE"] = False
    with app.app_context():
        desk = series_desk()
    with served(app) as base, chromium() as browser:
        page = browser.new_page(viewport=viewport, locale="fi-FI")
        page.set_default_timeout(10_000)
        page.goto(f"{base}/sign-in/password")
        page.get_by_label("Sähköposti").fill(desk.email)
        page.get_by_label("Salasana").fill(PASSWORD)
        page.get_by_role("button", name="Kirjaudu sisään").click()

        page.goto(f"{base}/supervisor/processes")
        page.get_by_role("link", name=f"Tapaamissarja {desk.code}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Tapaamissarja {desk.code}")
        expect(page.get_by_text("Tapaamisia ei ole nyt ehdotettu.")).to_be_visible()
        look(page, "series-empty", viewport)

        page.get_by_role("button", name="Ehdota tapaamissarjaa").click()
        expect(page.get_by_role("status")).to_contain_text("6 tapaamista on ehdotettu")
        expect(page.get_by_text("Kalenterissasi on silloin varaus.")).to_be_visible()
        expect(page.get_by_text("Alun perin ke 19.3.2031.")).to_be_visible()
        look(page, "series", viewport)

        alternatives = page.get_by_role("group", name="Vaihtoehtoiset ajat tapaamiselle 2")
        alternatives.get_by_role("radio").first.check()
        alternatives.get_by_role("button", name="Siirrä tähän aikaan").click()
        expect(page.get_by_role("status")).to_contain_text("Tapaaminen on siirretty")
        expect(page.locator("tr.collision")).to_have_count(0)

        page.get_by_label("Nro 1").check()
        page.get_by_role("button", name="Varaa rastitetut").click()
        expect(page.get_by_role("status")).to_contain_text("1 tapaaminen on varattu")
        page.get_by_role("button", name="Varaa kaikki sopivat").click()
        expect(page.get_by_role("status")).to_contain_text("5 tapaamista on varattu")
        expect(page.get_by_text("6 / 6 tapaamista")).to_be_visible()
        look(page, "series-booked", viewport)
