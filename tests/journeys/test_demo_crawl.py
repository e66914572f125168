"""The demo as its people meet it: `ohjaamo demo` on an empty instance, then every demo
person signs in the way they do (the supervisor with the printed password, everyone else
with a link from the mail) and follows every link they are shown, page after page; an
anonymous visitor starts from the front page. No page answers 5xx. Where each person
lands after signing in is checked for accessibility and photographed at both widths."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from service.extensions import db
from service.models import Person
from service.services.operations.demo import DEMO_PASSWORD, SUPERVISOR_EMAIL
from tests.journeys.site import Site

pytestmark = pytest.mark.sqlite_only
_HREF = re.compile(r'href="([^"#]*)')
# Week, month and list navigation leads on without end: a few of each path are enough.
SAME_PATH = 3
PAGES_EACH = 250


def crawl(site: Site, page: Page, who: str) -> int:
    seen: set[str] = set()
    per_path: Counter[str] = Counter()
    queue = ["/"]
    while queue and len(seen) < PAGES_EACH:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.request.get(site.base + url)
        assert response.status < 500, f"{who}: {url} answered {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for raw in _HREF.findall(response.text()):
            href = html.unescape(raw)
            if href.startswith(site.base):
                href = href[len(site.base) :]
            if not href.startswith("/") or href.startswith("//") or href in seen:
                continue
            path = href.split("?", 1)[0]
            if per_path[path] >= SAME_PATH:
                continue
            per_path[path] += 1
            queue.append(href)
    return len(seen)


def test_every_demo_person_follows_every_link(site: Site) -> None:
    output = site.operator("demo")
    assert SUPERVISOR_EMAIL in output and DEMO_PASSWORD in output
    with site.app.app_context():
        people = list(db.session.scalars(select(Person.email).order_by(Person.email)))
    assert len(people) >= 12

    visitor = site.person()
    visitor.goto(f"{site.base}/")
    site.step(visitor, "demo-00-front-page")
    visited = {"anonymous": crawl(site, visitor, "anonymous")}
    for email in people:
        page = site.person()
        if email == SUPERVISOR_EMAIL:
            page.goto(f"{site.base}/sign-in/password")
            page.get_by_label(site.t("Email")).fill(email)
            page.get_by_label(site.t("Password")).fill(DEMO_PASSWORD)
            page.get_by_role("button", name=site.t("Sign in"), exact=True).click()
        else:
            site.sign_in_by_mail(page, email)
        site.step(page, f"demo-{email.split('@')[0].replace('.', '-')}")
        visited[email] = crawl(site, page, email)
        page.context.close()
    print(f"crawl: pages each person reached: {visited}")
    assert visited[SUPERVISOR_EMAIL] > 40, visited
    assert all(count > 3 for count in visited.values()), visited
