"""Signed links work once by what they mean, not by how they are spelt.

The last character of a base64 part carries bits that decoding throws away, so one
token can be written several ways. A used link must stay used in every spelling: the
sign-in link through the page, and the inquiry's confirmation link through the use case.
"""

from __future__ import annotations

import base64
import datetime as dt
import string

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import clock
from service.domain.errors import LinkInvalid
from service.services.accounts.sign_in import SIGN_IN_PURPOSE, sign_in_token
from service.services.links import make_link_token, redeem_link_token
from service.services.processes.inquiries import (
    CONFIRM_PURPOSE,
    confirm_inquiry,
    confirmation_token,
    submit_inquiry,
)
from service.services.transactions import write_transaction
from tests import builders
from tests.builders import NOW, helsinki
from tests.processes import people
from tests.web.pages import csrf_token

ALPHABET = string.ascii_letters + string.digits + "-_"


def _decoded(part: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except ValueError:
        return None


def other_spellings(token: str) -> list[str]:
    """Every other text of the token whose parts decode to the same bytes."""
    parts = token.split(".")
    found = []
    for index, part in enumerate(parts):
        if not part:
            continue
        meaning = _decoded(part)
        for character in ALPHABET:
            spelt = part[:-1] + character
            if spelt != part and _decoded(spelt) == meaning:
                found.append(".".join([*parts[:index], spelt, *parts[index + 1 :]]))
    return found


def test_the_helper_finds_the_spellings_the_attack_used(app: Flask) -> None:
    with app.app_context():
        token = sign_in_token(builders.person().id, now=clock.now())
    # The signature alone has three more spellings; the payload and time have more.
    assert len(other_spellings(token)) >= 3


def test_a_used_sign_in_link_signs_no_one_in_in_any_spelling(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        token = sign_in_token(builders.person().id, now=clock.now())
    page = client.get(f"/sign-in/{token}")
    first = client.post(f"/sign-in/{token}", data={"csrf_token": csrf_token(page.text)})
    assert first.status_code == 302
    for spelling in other_spellings(token):
        other = app.test_client()
        page = other.get(f"/sign-in/{spelling}")
        answer = other.post(f"/sign-in/{spelling}", data={"csrf_token": csrf_token(page.text)})
        assert answer.status_code == 410, spelling
        assert other.get("/my").status_code == 302


@pytest.mark.parametrize("purpose", [SIGN_IN_PURPOSE, CONFIRM_PURPOSE])
def test_every_signed_link_is_used_by_its_meaning(app: Flask, purpose: str) -> None:
    lifetime = dt.timedelta(minutes=30)
    with app.app_context():
        token = make_link_token(purpose, "subject", now=NOW)
        spellings = other_spellings(token)
        # The signature's other spellings verify; the other parts' change what is signed.
        with write_transaction():
            assert redeem_link_token(purpose, spellings[-1], max_age=lifetime, now=NOW) == "subject"
        for spelling in [token, *spellings]:
            with pytest.raises(LinkInvalid), write_transaction():
                redeem_link_token(purpose, spelling, max_age=lifetime, now=NOW)


def test_a_confirmation_link_of_a_used_spelling_confirms_nothing(app: Flask) -> None:
    with app.app_context():
        profile, _ = people.supervisor()
        receipt = submit_inquiry(
            profile.slug, people.inquiry_form(), now=NOW, assessment_at=helsinki(2027, 3, 3, 10)
        )
        token = confirmation_token(receipt.inquiry_id, now=clock.now())
        later = NOW + dt.timedelta(minutes=10)
        confirm_inquiry(other_spellings(token)[-1], now=later)
        with pytest.raises(LinkInvalid):
            confirm_inquiry(token, now=later)


@pytest.mark.parametrize(
    "used_at",
    [NOW + dt.timedelta(minutes=31), NOW - dt.timedelta(minutes=1)],
    ids=["after-its-lifetime", "before-it-was-made"],
)
def test_a_link_ages_by_the_service_clock(app: Flask, used_at: dt.datetime) -> None:
    """The age is reckoned from the `now` the caller gives, not from the machine's clock."""
    lifetime = dt.timedelta(minutes=30)
    with app.app_context():
        token = make_link_token(SIGN_IN_PURPOSE, "subject", now=NOW)
        with pytest.raises(LinkInvalid), write_transaction():
            redeem_link_token(SIGN_IN_PURPOSE, token, max_age=lifetime, now=used_at)
        with write_transaction():
            assert redeem_link_token(SIGN_IN_PURPOSE, token, max_age=lifetime, now=NOW) == "subject"
