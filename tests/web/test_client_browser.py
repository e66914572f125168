"""The supervisee's and the orderer's pages in a real browser (Debian's Chromium), in
Finnish: sign in with the link read from the SMTP sink, book, move and cancel a session
(the late charge shown first), accept an agreement as two parties, answer an
evaluation and see the chart, and export the invoicing CSV as the orderer. Screenshots
of the main pages at phone and desktop width go to test-artifacts/screens."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from service.models import SessionStatus
from tests.fixtures.browser import DESKTOP, PHONE, chromium, screenshot_path, served
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import deliver_all, mail_settings
from tests.web import client_scenes
from tests.web.client_scenes import ClientScene

pytestmark = pytest.mark.sqlite_only
LINK = re.compile(r"https?://\S+/sign-in/[\w.\-]+")


@pytest.fixture(name="site")
def fixture_site(app: Flask, smtp_server: SMTPServer):
    app.config["SESSION_COOKIE_SECURE"] = False
    with served(app) as base, chromium() as browser:
        app.config.update(mail_settings(smtp_server, PUBLIC_BASE_URL=base))
        yield base, browser


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def email_of(app: Flask, person_id: uuid.UUID) -> str:
    from service.extensions import db
    from service.models import Person

    with app.app_context():
        return db.session.get(Person, person_id).email


def signed_in_page(
    app: Flask, site, smtp: SMTPServer, person_id: uuid.UUID, viewport=PHONE
) -> Page:
    """Ask for a link on the sign-in page, read it from the SMTP sink, use it."""
    base, browser = site
    browser_: Browser = browser
    page = browser_.new_page(viewport=viewport, locale="fi-FI")
    address = email_of(app, person_id)
    page.goto(f"{base}/sign-in")
    page.get_by_label("Sähköposti").fill(address)
    page.get_by_role("button", name="Lähetä linkki").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with app.app_context():
        deliver_all(app)
    received = [m for m in smtp.messages if address in m.rcpt_tos]
    body = received[-1].message.get_body(("plain",)).get_content()
    page.goto(LINK.search(body).group(0))
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("heading", name="Omat prosessit")).to_be_visible()
    return page


def shoot(page: Page, name: str, viewport) -> None:
    assert fits_the_screen(page), f"{name} is wider than the screen"
    page.screenshot(path=screenshot_path(name, viewport), full_page=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_book_move_and_cancel_a_session(
    app: Flask, site, smtp_server: SMTPServer, viewport
) -> None:
    with app.app_context():
        scene: ClientScene = client_scenes.client_process()
        client_scenes.session(scene.process_id, -dt.timedelta(days=21), SessionStatus.HELD)
        late = client_scenes.session(scene.process_id, dt.timedelta(hours=20))
    page = signed_in_page(app, site, smtp_server, scene.client.person_id, viewport)
    shoot(page, "my-processes", viewport)
    page.get_by_role("link", name=re.compile("Yksilötyönohjaus")).click()
    expect(page.get_by_role("heading", name="Tulevat tapaamiset")).to_be_visible()
    shoot(page, "my-process", viewport)

    page.get_by_role("link", name="Varaa seuraava tapaaminen").click()
    expect(page.get_by_role("link", name=re.compile("Ensimmäinen vapaa aika: "))).to_be_visible()
    shoot(page, "book", viewport)
    page.locator("ul.time-buttons li").nth(1).click()
    expect(page.locator(".book-bar")).to_contain_text("Peruutus")
    page.get_by_role("button", name="Varaa tämä aika").click()
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on varattu")

    page.get_by_role("link", name="Siirrä").first.click()
    expect(page.get_by_role("heading", name="Siirrä tapaaminen")).to_be_visible()
    page.locator("ul.time-buttons li").first.click()
    page.get_by_role("button", name="Siirrä tähän aikaan").click()
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on siirretty")

    page.locator(f"a[href$='/my/sessions/{late}/cancel']").click()
    expect(page.get_by_text("Maksuttoman peruutuksen aika on ohi.")).to_be_visible()
    expect(page.get_by_text("veloitus 100 % (150,00 €)").first).to_be_visible()
    shoot(page, "cancel-late", viewport)
    page.get_by_label(re.compile("Päällekkäinen meno")).check()
    page.get_by_role("button", name="Peru tapaaminen").click()
    expect(page.get_by_role("status")).to_contain_text("veloitetaan 100 %")
    expect(page.get_by_text("Peruttu · Päällekkäinen meno · veloitus 100 %")).to_be_visible()


def test_two_parties_accept_and_the_client_answers_an_evaluation(
    app: Flask, site, smtp_server: SMTPServer
) -> None:
    with app.app_context():
        scene = client_scenes.client_process()
        number = client_scenes.sent_version(scene.process_id)
        round_id = client_scenes.open_evaluation(scene.process_id, "Jaksaminen arjessa")
    base, _browser = site
    agreement = f"{base}/processes/{scene.process_id}/agreement/{number}"
    parties = (scene.client, scene.orderer)
    pages = [signed_in_page(app, site, smtp_server, who.person_id) for who in parties]
    for page in pages:
        page.goto(agreement)
        page.get_by_role("button", name="Hyväksyn sopimuksen").click()
        expect(page.get_by_role("status")).to_contain_text("Hyväksyntäsi on kirjattu")
        expect(page.get_by_role("button", name="Hyväksyn sopimuksen")).to_have_count(0)
    page = pages[0]
    page.goto(f"{base}/my/processes/{scene.process_id}")
    page.get_by_role("link", name="Vastaa arviointiin").click()
    shoot(page, "evaluation", PHONE)
    page.get_by_role("button", name="Tallenna vastaukseni").click()
    expect(page.get_by_role("alert")).to_contain_text("Vastaa kokonaisluvulla")
    page.locator("span.scale-point", has_text="6").first.click()
    page.get_by_label("Seuraava pieni askeleeni").fill("Pidän tauon iltapäivällä")
    page.get_by_role("button", name="Tallenna vastaukseni").click()
    expect(page.get_by_role("status")).to_contain_text("Vastauksesi on tallennettu")
    expect(page.get_by_role("img")).to_have_count(1)
    expect(page.get_by_role("cell", name="6,0")).to_be_visible()
    shoot(page, "goals-after-answer", PHONE)
    assert str(round_id) not in page.url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_orderer_exports_the_invoicing_csv(
    app: Flask, site, smtp_server: SMTPServer, viewport
) -> None:
    with app.app_context():
        scene = client_scenes.client_process(client_scenes.ProcessMode.GROUP, participants=4)
        for days, present in ((-50, 4), (-30, 3), (-9, 4)):
            client_scenes.session(
                scene.process_id, dt.timedelta(days=days), SessionStatus.HELD, present=present
            )
        client_scenes.session(scene.process_id, dt.timedelta(days=8))
    page = signed_in_page(app, site, smtp_server, scene.orderer.person_id, viewport)
    page.get_by_role("link", name="Organisaatiomme", exact=True).click()
    expect(page.get_by_role("heading", name="Laskutus kuukausittain")).to_be_visible()
    shoot(page, "orderer", viewport)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lataa kaikki kuukaudet CSV-tiedostona").click()
    download = download_info.value
    text = download.path().read_text(encoding="utf-8")
    assert text.startswith("process,month,sessions_charged,net_eur,vat_eur,gross_eur")
    assert sum(int(line.split(",")[2]) for line in text.splitlines()[1:]) == 3


def test_my_data_and_language(app: Flask, site, smtp_server: SMTPServer) -> None:
    with app.app_context():
        scene = client_scenes.client_process()
    page = signed_in_page(app, site, smtp_server, scene.client.person_id)
    page.get_by_role("link", name="Omat tiedot").click()
    shoot(page, "my-data", PHONE)
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", name="Mina uppgifter", exact=True)).to_be_visible()
    page.get_by_role("button", name="Begär radering").click()
    expect(page.get_by_role("status")).to_contain_text("Din begäran är registrerad")
