"""The public inquiry: held slot, single-use confirmation, expiry that keeps nothing,
and a failed booking that leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from service import clock
from service.domain.errors import LinkInvalid
from service.domain.inquiries import InvalidInquiry
from service.domain.intervals import Interval
from service.extensions import db
from service.models import (
    Inquiry,
    OutboxMessage,
    Person,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
)
from service.services.booking.changes import BookingConflict
from service.services.booking.slots import SlotQuery, search_slots
from service.services.errors import NotFound
from service.services.processes.inquiries import (
    confirm_inquiry,
    confirmation_token,
    expire_unconfirmed,
    submit_inquiry,
)
from tests.builders import NOW, helsinki
from tests.processes import people

SLOT = helsinki(2027, 3, 3, 10)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_held_slot_is_offered_to_no_one_else(ctx: Flask) -> None:
    profile, _ = people.supervisor()
    submit_inquiry(profile.slug, people.inquiry_form(), now=NOW, assessment_at=SLOT)
    with pytest.raises(BookingConflict):
        submit_inquiry(
            profile.slug,
            people.inquiry_form(email="toinen@example.test"),
            now=NOW,
            assessment_at=SLOT,
        )
    # The failed second inquiry left nothing: one process, one person, one inquiry.
    assert (count(SupervisionProcess), count(Inquiry), count(Person)) == (1, 1, 2)


def test_confirmation_books_and_notifies_once(ctx: Flask) -> None:
    profile, _ = people.supervisor()
    receipt = submit_inquiry(profile.slug, people.inquiry_form(), now=NOW, assessment_at=SLOT)
    assert db.session.scalar(select(OutboxMessage.kind)) == "email.inquiry_confirmation"
    token = confirmation_token(receipt.inquiry_id, now=clock.now())
    confirm_inquiry(token, now=NOW + dt.timedelta(minutes=10))
    with pytest.raises(LinkInvalid):
        confirm_inquiry(token, now=NOW + dt.timedelta(minutes=11))
    kinds = sorted(db.session.scalars(select(OutboxMessage.kind)))
    assert kinds == ["booking.created", "email.inquiry_confirmation"]
    hold = db.session.scalar(
        select(SupervisorHold).where(SupervisorHold.session_id == receipt.session_id)
    )
    assert hold.expires_at is None and hold.active


def test_a_forged_link_changes_nothing(ctx: Flask) -> None:
    profile, _ = people.supervisor()
    receipt = submit_inquiry(profile.slug, people.inquiry_form(), now=NOW, assessment_at=SLOT)
    token = confirmation_token(receipt.inquiry_id, now=clock.now())
    with pytest.raises(LinkInvalid):
        confirm_inquiry(token[:-2] + "xx", now=NOW)
    session = db.session.get(SupervisionSession, receipt.session_id)
    assert session.status is SessionStatus.AWAITING_CONFIRMATION


def test_a_lapsed_inquiry_cannot_be_confirmed_and_is_deleted(ctx: Flask) -> None:
    profile, _ = people.supervisor()
    receipt = submit_inquiry(profile.slug, people.inquiry_form(), now=NOW, assessment_at=SLOT)
    token = confirmation_token(receipt.inquiry_id, now=clock.now())
    late = receipt.confirm_by + dt.timedelta(seconds=1)
    with pytest.raises(LinkInvalid):
        confirm_inquiry(token, now=late)
    window = Interval(SLOT - dt.timedelta(hours=2), SLOT + dt.timedelta(hours=3))
    query = SlotQuery(window=window, supervisor_slug=profile.slug)
    assert SLOT not in {slot.start for slot in search_slots(None, query, NOW)}
    assert SLOT in {slot.start for slot in search_slots(None, query, late)}
    assert expire_unconfirmed(now=late) == 1
    assert (count(SupervisionProcess), count(Inquiry), count(SupervisionSession)) == (0, 0, 0)
    assert db.session.scalar(select(Person).where(Person.email == "iida@example.test")) is None


def test_bad_input_writes_nothing(ctx: Flask) -> None:
    profile, _ = people.supervisor()
    with pytest.raises(InvalidInquiry) as raised:
        submit_inquiry(
            profile.slug, people.inquiry_form(email="x", needs=[]), now=NOW, assessment_at=SLOT
        )
    assert raised.value.fields == {"email": "invalid_email", "needs": "choose_at_least_one"}
    assert (count(SupervisionProcess), count(Inquiry), count(OutboxMessage)) == (0, 0, 0)


def test_unknown_supervisor_is_not_found(ctx: Flask) -> None:
    with pytest.raises(NotFound):
        submit_inquiry("nobody", people.inquiry_form(), now=NOW)
