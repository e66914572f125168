"""The public inquiry page: times offered, mistakes explained next to their fields,
nothing written by a bad or forged post, flooding stopped, confirmation by button."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service import clock
from service.extensions import db
from service.models import (
    Inquiry,
    OutboxMessage,
    SessionStatus,
    SupervisionSession,
    SupervisorProfile,
)
from service.services.processes.inquiries import confirmation_token
from tests import builders
from tests.web.pages import csrf_token

EN = {"Accept-Language": "en"}
# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
def slug(app: Flask) -> str:
    with app.app_context():
        return builders.supervisor(min_notice_minutes=60).slug


def good_form(page: str, **changes: object) -> dict[str, object]:
    slot = re.search(r'name="slot" id="[^"]+" value="([^"]+)"', page)
    assert slot, "no time offered"
    form: dict[str, object] = {
        "csrf_token": csrf_token(page),
        "name": "Iida Inkeri",
        "email": "iida@example.test",
        "organisation": "Tampereen kaupunki",
        "mode": "group",
        "group_size": "6",
        "needs": ["workload", "team_cooperation"],
        "slot": slot.group(1),
        "privacy_consent": "y",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_an_inquiry_holds_the_time_and_sends_the_link(
    app: Flask, client: FlaskClient, slug: str
) -> None:
    page = client.get(f"/s/{slug}", headers=EN)
    assert page.status_code == 200 and "Ask for supervision" in page.text
    answer = client.post(f"/s/{slug}", data=good_form(page.text), headers=EN)
    assert answer.status_code == 302 and answer.location.endswith(f"/s/{slug}/sent")
    with app.app_context():
        inquiry = db.session.scalar(select(Inquiry))
        session = db.session.scalar(select(SupervisionSession))
        assert session.status is SessionStatus.AWAITING_CONFIRMATION
        assert db.session.scalar(select(OutboxMessage.kind)) == "email.inquiry_confirmation"
        token = confirmation_token(inquiry.id, now=clock.now())
    confirm = client.get(f"/inquiry/confirm/{token}", headers=EN)
    assert confirm.status_code == 200 and "Confirm" in confirm.text
    done = client.post(
        f"/inquiry/confirm/{token}", data={"csrf_token": csrf_token(confirm.text)}, headers=EN
    )
    assert done.status_code == 200 and "confirmed" in done.text
    again = client.post(
        f"/inquiry/confirm/{token}", data={"csrf_token": csrf_token(confirm.text)}, headers=EN
    )
    assert again.status_code == 410 and "already used" in again.text
    with app.app_context():
        assert db.session.scalar(select(SupervisionSession.status)) is SessionStatus.BOOKED


def test_mistakes_are_explained_and_nothing_is_written(
    app: Flask, client: FlaskClient, slug: str
) -> None:
    page = client.get(f"/s/{slug}", headers=EN)
    answer = client.post(
        f"/s/{slug}",
        data=good_form(page.text, email="iida@", needs=None, privacy_consent=None),
        headers=EN,
    )
    assert answer.status_code == 422
    assert "Enter a valid email address" in answer.text
    assert "Choose at least one topic" in answer.text
    assert "Please accept the privacy notice" in answer.text
    assert 'value="Iida Inkeri"' in answer.text  # what was typed is kept
    assert count(app, Inquiry) == 0 and count(app, OutboxMessage) == 0


def test_a_post_without_the_form_token_is_refused(
    app: Flask, client: FlaskClient, slug: str
) -> None:
    page = client.get(f"/s/{slug}", headers=EN)
    answer = client.post(f"/s/{slug}", data=good_form(page.text, csrf_token="forged"), headers=EN)
    assert answer.status_code == 422 and "The form expired" in answer.text
    assert count(app, Inquiry) == 0


def test_flooding_the_form_is_stopped(app: Flask, client: FlaskClient, slug: str) -> None:
    page = client.get(f"/s/{slug}", headers=EN)
    statuses = [
        client.post(f"/s/{slug}", data=good_form(page.text, email="x"), headers=EN).status_code
        for _ in range(6)
    ]
    assert statuses == [422] * 5 + [429]
    limited = client.post(f"/s/{slug}", data=good_form(page.text), headers=EN)
    assert limited.status_code == 429 and "Too many tries" in limited.text
    assert count(app, Inquiry) == 0


def test_an_unknown_supervisor_is_a_friendly_404(client: FlaskClient) -> None:
    answer = client.get("/s/nobody", headers=EN)
    assert answer.status_code == 404 and "Page not found" in answer.text


def test_the_page_speaks_finnish_by_default(app: Flask, client: FlaskClient, slug: str) -> None:
    page = client.get(f"/s/{slug}")
    assert '<html lang="fi">' in page.text and "Kysy työnohjausta" in page.text
    answer = client.post(f"/s/{slug}", data=good_form(page.text, email="iida@", needs=None))
    assert answer.status_code == 422
    assert "Anna toimiva sähköpostiosoite" in answer.text
    assert "Valitse vähintään yksi aihe." in answer.text


def test_and_swedish_when_asked(client: FlaskClient, slug: str) -> None:
    page = client.get(f"/s/{slug}", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in page.text and "Fråga om handledning" in page.text


def test_the_page_tells_lengths_price_and_terms_and_links_the_privacy_notice(
    app: Flask, client: FlaskClient, slug: str
) -> None:
    with app.app_context():
        profile = db.session.scalar(select(SupervisorProfile).where(SupervisorProfile.slug == slug))
        profile.session_price_cents = 18000
        db.session.commit()
    page = client.get(f"/s/{slug}", headers=EN).text
    for text in ("Sessions of 90 min", "€180.00 a session plus VAT", "60 min", "Free of charge"):
        assert text in page
    assert 'href="/privacy"' in page and 'autocomplete="None"' not in page
    assert "Privacy notice" in client.get("/privacy", headers=EN).text
    assert client.get(f"/s/{slug}/photo").status_code == 404  # none given: initials instead


def test_the_times_move_a_week_at_a_time_through_the_horizon(
    client: FlaskClient, slug: str
) -> None:
    first = client.get(f"/s/{slug}", headers=EN).text
    later = re.search(r'href="(/s/[^"]+\?week=[0-9-]+)[^"]*" rel="next"', first)
    assert later, "no way to the next week"
    page = client.get(later.group(1), headers=EN)
    assert page.status_code == 200 and 'rel="prev"' in page.text
    assert client.get(f"/s/{slug}?week=2999-01-01", headers=EN).status_code == 200
    assert client.get(f"/s/{slug}?week=yesterday", headers=EN).status_code == 200


def test_a_photo_is_served_from_the_profile(app: Flask, client: FlaskClient, slug: str) -> None:
    with app.app_context():
        profile = db.session.scalar(select(SupervisorProfile).where(SupervisorProfile.slug == slug))
        profile.photo, profile.photo_type = PNG, "image/png"
        db.session.commit()
    page = client.get(f"/s/{slug}", headers=EN).text
    assert f'src="/s/{slug}/photo"' in page
    photo = client.get(f"/s/{slug}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data == PNG
