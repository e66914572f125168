"""Every page each person uses, over the demo data: a crawl signs in as the supervisor,
supervisees (in Finnish, Swedish and English), a manager and an orderer contact and
follows every link on their pages; no link is broken and every page passes the W3C Nu
HTML checker (one run of it for all). Then, in Chromium: screenshots of each role's
pages at phone and desktop width in fi, sv and en (test-artifacts/screens), axe-core
on each, dates and numbers in each language's own form, booking the next session in
three taps on a phone, and booking with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from service import clock
from service.extensions import db
from service.models import (
    EvaluationRound,
    Person,
    ProcessMode,
    ProcessParticipant,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.accounts.sign_in import sign_in_token
from service.services.operations.demo import DEMO_PASSWORD, SUPERVISOR_EMAIL, load_demo
from tests.fixtures.axe import assert_accessible
from tests.fixtures.browser import DESKTOP, PHONE, chromium, screenshot_path, served
from tests.fixtures.nu_html import nu_errors
from tests.web.pages import csrf_token, sign_in, sign_in_with_password

pytestmark = pytest.mark.sqlite_only

LAURA = "laura.nieminen@esimerkkila.example"  # individual process, Finnish
PETRA = "petra.salonen@kide.example"  # group member, Swedish
TOMI = "tomi.heikkinen@kide.example"  # group member, English
RIIKKA = "riikka.aaltonen@esimerkkila.example"  # a work community's manager
MIKKO = "mikko.laine@esimerkkila.example"  # orderer contact
PUBLIC = ("/s/aino-virtanen", "/privacy", "/sign-in", "/sign-in/password")
LINK = re.compile(r'href="(/[^"#]*)"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_PAGES = (".ics", ".pdf", ".csv", "/static/", "/feeds/", "/api/")
# Each language's own forms: a weekday, a date and a time; a score with one decimal.
WHEN = {
    "fi": re.compile(r"\b(ma|ti|ke|to|pe|la|su) \d{1,2}\.\d{1,2}\. klo \d{1,2}\.\d{2}\b"),
    "sv": re.compile(
        r"\b(mån|tis|ons|tors|fre|lör|sön) \d{1,2} [a-zåäö]{3,4}\.? kl\. \d{2}\.\d{2}\b"
    ),
    "en": re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} at \d{2}:\d{2}\b"),
}
SCORE = {"fi": "4,0", "sv": "4,0", "en": "4.0"}


@dataclass(frozen=True)
class Demo:
    people: dict[str, uuid.UUID]
    individual: uuid.UUID
    group: uuid.UUID
    booked: uuid.UUID
    held: uuid.UUID
    open_round: uuid.UUID


def load(app: Flask) -> Demo:
    with app.app_context():
        load_demo(clock.now())
        people = {p.email: p.id for p in db.session.scalars(select(Person))}
        individual = db.session.scalars(
            select(ProcessParticipant.process_id)
            .join(Person, Person.id == ProcessParticipant.person_id)
            .where(Person.email == LAURA)
        ).one()
        group = db.session.scalars(
            select(SupervisionProcess.id).where(SupervisionProcess.mode == ProcessMode.GROUP)
        ).one()
        sessions = db.session.scalars(
            select(SupervisionSession).where(SupervisionSession.process_id == individual)
        ).all()
        booked = next(s.id for s in sessions if s.status is SessionStatus.BOOKED)
        held = next(s.id for s in sessions if s.status is SessionStatus.HELD)
        open_round = db.session.scalars(
            select(EvaluationRound.id).where(EvaluationRound.process_id == individual)
        ).first()
        return Demo(people, individual, group, booked, held, open_round)


def shape(path: str) -> str:
    """A page's kind: ids and query values do not make a new one."""
    base, _q, query = path.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return UUID.sub("{id}", base) + ("?" + "&".join(keys) if keys else "")


def crawl(client: FlaskClient, starts: tuple[str, ...], pages: dict[str, str], who: str) -> None:
    """Follow every link on this person's pages (one page of each kind); every link
    answers, and each page joins ``pages`` under its kind."""
    queue, seen = list(starts), {shape(path) for path in starts}
    while queue:
        path = queue.pop(0)
        answer = client.get(path)
        if answer.status_code in (301, 302, 303):
            continue
        assert answer.status_code == 200, f"{who}: {path} answered {answer.status_code}"
        if not answer.content_type.startswith("text/html"):
            continue
        pages[f"{who} {path}"] = answer.text
        for link in LINK.findall(answer.text):
            link = link.replace("&amp;", "&")
            kind = shape(link)
            if kind in seen or any(part in link for part in NOT_PAGES):
                continue
            seen.add(kind)
            queue.append(link)


def test_every_link_answers_and_every_page_is_valid_html(app: Flask) -> None:
    demo = load(app)
    pages: dict[str, str] = {}
    crawl(app.test_client(), PUBLIC, pages, "anyone")
    supervisor = app.test_client()
    assert sign_in_with_password(supervisor, SUPERVISOR_EMAIL, DEMO_PASSWORD).status_code == 302
    crawl(supervisor, ("/supervisor/week", "/supervisor/month"), pages, "supervisor")
    for email in (LAURA, PETRA, TOMI, RIIKKA, MIKKO):
        client = app.test_client()
        sign_in(client, demo.people[email])
        crawl(client, ("/my", "/organisation") if email == MIKKO else ("/my",), pages, email)
    # Pages that only a form leads to: the review before booking, a form with mistakes.
    laura = app.test_client()
    sign_in(laura, demo.people[LAURA])
    book = laura.get(f"/my/processes/{demo.individual}/book")
    slot = re.search(r'name="slot" id="[^"]+" value="([^"]+)"', book.text)
    assert slot, "no free time offered"
    review = laura.post(
        f"/my/processes/{demo.individual}/book",
        data={"csrf_token": csrf_token(book.text), "slot": slot.group(1), "step": "review"},
    )
    assert review.status_code == 200 and 'value="confirm"' in review.text
    pages["review"] = review.text
    public = app.test_client()
    form = public.get("/s/aino-virtanen")
    mistakes = public.post("/s/aino-virtanen", data={"csrf_token": csrf_token(form.text)})
    assert mistakes.status_code == 422
    pages["inquiry with mistakes"] = mistakes.text
    assert len(pages) > 40, sorted(pages)
    errors = nu_errors(pages)
    assert not errors, "\n".join(f"{name}\n  " + "\n  ".join(e) for name, e in errors.items())


def test_the_checker_finds_what_the_issue_found() -> None:
    """The checker is really asked: the faults the public page once had are reported."""
    page = (
        '<!DOCTYPE html><html lang="fi"><head><title>t</title></head><body>'
        '<input name="a" id="needs" autocomplete="None"><input name="b" id="needs">'
        "</body></html>"
    )
    errors = nu_errors(
        {
            "faulty": page,
            "fine": page.replace(' autocomplete="None"', "").replace(
                'id="needs">', 'id="other">', 1
            ),
        }
    )
    found = " ".join(errors.get("faulty", []))
    assert "autocomplete" in found and "Duplicate ID" in found, errors
    assert "fine" not in errors, errors


# --- In the browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as shared:
        yield shared


@pytest.fixture
def site(app: Flask, browser: Browser) -> Iterator[tuple[str, Browser, Demo]]:
    app.config["SESSION_COOKIE_SECURE"] = False
    demo = load(app)
    with served(app) as base:
        yield base, browser, demo


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def signed_in(app: Flask, site, email: str, viewport=PHONE, **options) -> Page:
    base, browser, demo = site
    page = browser.new_page(viewport=viewport, **options)
    if email == SUPERVISOR_EMAIL:
        page.goto(f"{base}/sign-in/password")
        page.locator("input[name=email]").fill(email)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
    else:
        with app.app_context():
            token = sign_in_token(demo.people[email], now=clock.now())
        page.goto(f"{base}/sign-in/{token}")
        page.locator("main button[type=submit]").click()
    expect(page.locator("nav ul.nav")).to_be_visible()
    return page


def speak(page: Page, language: str) -> None:
    """Choose the language in the footer: a signed-in person's stored language."""
    page.locator(f"form.languages button[value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def visit(page: Page, base: str, path: str, name: str, viewports, *, axe: tuple) -> None:
    """Screenshots at each width; axe-core at the widths in ``axe``."""
    for viewport in viewports:
        page.set_viewport_size(viewport)
        page.goto(f"{base}{path}")
        assert fits_the_screen(page), f"{name} is wider than the screen"
        if viewport in axe:
            assert_accessible(page)
        page.screenshot(path=screenshot_path(name, viewport), full_page=True)


def pages_of(demo: Demo) -> dict[str, list[tuple[str, str]]]:
    return {
        LAURA: [
            ("my-processes", "/my"),
            ("my-process", f"/my/processes/{demo.individual}"),
            ("book", f"/my/processes/{demo.individual}/book"),
            ("move", f"/my/sessions/{demo.booked}/move"),
            ("cancel", f"/my/sessions/{demo.booked}/cancel"),
            ("evaluation", f"/my/evaluations/{demo.open_round}"),
            ("goals", f"/processes/{demo.individual}/goals"),
            ("agreement", f"/processes/{demo.individual}/agreement/1"),
            ("my-data", "/my/data"),
            ("security", "/account"),
        ],
        SUPERVISOR_EMAIL: [
            ("week", "/supervisor/week"),
            ("month", "/supervisor/month"),
            ("processes", "/supervisor/processes"),
            ("session", f"/supervisor/sessions/{demo.held}"),
            ("series", f"/supervisor/processes/{demo.individual}/series"),
            ("agreement-editor", f"/supervisor/processes/{demo.group}/agreement"),
            ("availability", "/supervisor/availability"),
            ("calendars", "/supervisor/calendars"),
            ("outbox", "/admin/outbox"),
        ],
        MIKKO: [("organisation", "/organisation"), ("rooms", "/organisation/rooms")],
    }


ROLE = {LAURA: "supervisee", SUPERVISOR_EMAIL: "supervisor", MIKKO: "orderer"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_each_role_s_pages_in_each_language(app: Flask, site, language: str) -> None:
    base, _browser, demo = site
    # axe at both widths in Finnish; the other languages change words, not the layout.
    axe = (PHONE, DESKTOP) if language == "fi" else (PHONE,)
    for email, pages in pages_of(demo).items():
        page = signed_in(app, site, email)
        speak(page, language)
        for name, path in pages:
            screens = (PHONE, DESKTOP)
            visit(page, base, path, f"{language}-{ROLE[email]}-{name}", screens, axe=axe)
            if name == "book":
                free_time = page.locator("a.next-free").inner_text()
                assert WHEN[language].search(free_time), free_time
            if name == "goals":
                expect(page.locator("table.values").first).to_contain_text(SCORE[language])
            if name == "week":
                assert re.search(r"\d{1,2}[.:]\d{2}–\d{1,2}[.:]\d{2}", page.content())
        page.close()
    page = site[1].new_page(viewport=PHONE, locale=f"{language}-FI")
    for name, path in (("public", "/s/aino-virtanen"), ("privacy", "/privacy")):
        visit(page, base, path, f"{language}-anyone-{name}", (PHONE, DESKTOP), axe=axe)
    page.close()


def test_the_next_session_is_booked_in_three_taps_on_a_phone(app: Flask, site) -> None:
    page = signed_in(app, site, LAURA, PHONE)
    taps = 0

    def tap(locator) -> None:
        nonlocal taps
        locator.click()
        taps += 1

    tap(page.get_by_role("link", name=re.compile("Varaa seuraava tapaaminen")).first)
    expect(page.locator("a.next-free")).to_be_visible()
    time = page.locator("ul.time-buttons li").first
    box = time.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    label = time.locator("label")
    before = label.evaluate("e => getComputedStyle(e).backgroundColor")
    tap(time)
    expect(time.locator("input")).to_be_checked()
    assert label.evaluate("e => getComputedStyle(e).backgroundColor") != before  # chosen
    bar = page.locator(".book-bar")
    expect(bar.locator("p.when")).to_have_text(WHEN["fi"])
    expect(bar).to_contain_text("Peruutus on maksuton")  # the cancellation terms, before confirming
    expect(bar).to_contain_text("min")
    button = bar.get_by_role("button", name="Varaa tämä aika")
    box = button.bounding_box()
    assert box and box["height"] >= 44 and box["y"] + box["height"] <= PHONE["height"]
    tap(button)
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on varattu")
    assert taps == 3
    page.screenshot(path=screenshot_path("booked-in-three-taps", PHONE), full_page=True)


def test_any_week_of_the_horizon_is_booked_in_three_taps_on_a_phone(app: Flask, site) -> None:
    """The landing page lists every week of the bookable horizon: a week months ahead
    is as near as the next free time."""
    _base, _browser, demo = site
    page = signed_in(app, site, LAURA, PHONE)
    taps = 0

    def tap(locator) -> None:
        nonlocal taps
        locator.click()
        taps += 1

    weeks = page.locator("nav.week-chips a")
    expect(weeks.first).to_be_visible()
    assert weeks.count() >= 3
    chosen = weeks.last  # the latest week the agreement's cadence allows
    number = chosen.locator(".number").inner_text()
    monday = dt.date.fromisoformat(chosen.get_attribute("href").rsplit("week=", 1)[1])
    box = chosen.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    tap(chosen)
    expect(page.locator(".week-title")).to_contain_text(number)
    tap(page.locator("ul.time-buttons li").first)
    bar = page.locator(".book-bar")
    expect(bar).to_contain_text("Peruutus on maksuton")  # the cancellation terms, before confirming
    tap(bar.get_by_role("button", name="Varaa tämä aika"))
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on varattu")
    assert taps == 3
    with app.app_context():
        starts = db.session.scalars(
            select(SupervisionSession.starts_at).where(
                SupervisionSession.process_id == demo.individual,
                SupervisionSession.status == SessionStatus.BOOKED,
            )
        ).all()
    helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
    days = {start.astimezone(helsinki).date() for start in starts}
    assert any(monday <= day < monday + dt.timedelta(days=7) for day in days), (monday, days)
    later = screenshot_path("booked-a-later-week-in-three-taps", PHONE)
    page.screenshot(path=later, full_page=True)


def test_the_next_week_is_one_tap_from_the_booking_page(app: Flask, site) -> None:
    page = signed_in(app, site, LAURA, PHONE)
    page.get_by_role("link", name=re.compile("Varaa seuraava tapaaminen")).first.click()
    first = page.locator(".week-title").inner_text()
    page.locator("a[rel=next]").click()
    later = page.locator(".week-title").inner_text()
    assert int(later.split()[1]) == int(first.split()[1]) + 1
    page.locator("ul.time-buttons li").first.click()
    page.locator(".book-bar button").click()
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on varattu")


def test_booking_with_the_keyboard_alone(app: Flask, site) -> None:
    base, _browser, demo = site
    page = signed_in(app, site, LAURA, DESKTOP)
    page.goto(f"{base}/my/processes/{demo.individual}/book")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "slot":
            break
    else:
        pytest.fail("Tab never reached a time")
    page.keyboard.press("ArrowRight")  # the next time in the group, chosen as it moves
    assert page.evaluate("document.activeElement.checked")
    expect(page.locator(".book-bar p.when")).to_have_text(WHEN["fi"])
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    assert page.evaluate("document.activeElement.value") == "confirm"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tapaaminen on varattu")
