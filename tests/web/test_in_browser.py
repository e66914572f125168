"""The process pages in a real browser, as a person sees them, in Finnish: the public
inquiry, the printable agreement and the goal charts, at phone and desktop width, each
checked with axe-core for WCAG 2.x A/AA.
Screenshots are saved to test-artifacts/screens for a person to look at."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from service import clock
from service.services.accounts.sign_in import sign_in_token
from tests import builders
from tests.fixtures.axe import assert_accessible
from tests.fixtures.browser import DESKTOP, PHONE, chromium, screenshot_path, served
from tests.web.scenes import group_with_answers

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def site(app: Flask):
    app.config["SESSION_COOKIE_SECURE"] = False
    with served(app) as base, chromium() as browser:
        yield base, browser


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_agreement_and_charts_read_well(app: Flask, site, viewport) -> None:
    base, browser = site
    with app.app_context():
        scene = group_with_answers()
        token = sign_in_token(scene.participants[0].person_id, now=clock.now())
    page = browser.new_page(viewport=viewport, locale="fi-FI")
    page.goto(f"{base}/sign-in/{token}")
    page.get_by_role("button", name="Kirjaudu sisään").click()

    page.goto(f"{base}/processes/{scene.process_id}/agreement/1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Työnohjaussopimus")
    expect(page.get_by_text("Vaitiolovelvollisuus")).to_be_visible()
    expect(page.get_by_text("Voimassa")).to_be_visible()
    assert_accessible(page)
    assert fits_the_screen(page)
    page.screenshot(path=screenshot_path("agreement", viewport), full_page=True)

    page.goto(f"{base}/processes/{scene.process_id}/goals")
    charts = page.get_by_role("img")
    expect(charts).to_have_count(2)
    expect(charts.first).to_be_visible()
    assert page.locator("svg polyline").count() == 2
    assert_accessible(page)
    assert fits_the_screen(page)
    page.screenshot(path=screenshot_path("goals", viewport), full_page=True)


def test_inquiry_in_the_browser(app: Flask, site) -> None:
    base, browser = site
    with app.app_context():
        slug = builders.supervisor(min_notice_minutes=60).slug
    page = browser.new_page(viewport=PHONE, locale="fi-FI")
    page.goto(f"{base}/s/{slug}")
    expect(page.get_by_role("heading", name="Kysy työnohjausta")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nimesi").fill("Iida Inkeri")
    page.get_by_label("Sähköposti").fill("iida@")
    page.get_by_role("button", name="Lähetä yhteydenotto").click()
    expect(page.get_by_role("alert")).to_contain_text("Anna toimiva sähköpostiosoite")
    assert_accessible(page)
    assert fits_the_screen(page)
    page.screenshot(path=screenshot_path("inquiry-errors", PHONE), full_page=True)
    page.get_by_label("Sähköposti").fill("iida@example.test")
    page.get_by_label("Yhteistyö tiimissä").check()
    page.locator("input[name=slot]").first.check()
    page.get_by_label("Olen lukenut tietosuojaselosteen").check()
    page.get_by_role("button", name="Lähetä yhteydenotto").click()
    expect(page.get_by_role("heading", name="Tarkista sähköpostisi")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/sign-in")
    assert_accessible(page)
