"""One world of every role the API answers, on real time (the API reads the clock).

Process A is a work community at its orderer's premises: two supervisees (the
`supervisee` books for the group, the other is its manager), an orderer contact, an
upcoming session with a room reserved, a past session to record attendance for, and
version 2 of its agreement waiting for acceptance. A's supervisor also forms process F
(started without an inquiry, one participant, no orderer) and has inquiry Q to answer
(its email confirmed). Process B belongs to another supervisor; another organisation has
its own contact. Each role holds a read-and-write token, except `read_only` (A's
supervisor, read scope) and `anonymous` (no token).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select

from service import clock
from service.domain.agreements import DEFAULT_REPORT_ITEMS
from service.domain.inquiries import InquiryForm
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind, SessionKind
from service.domain.webhooks import EVENTS
from service.extensions import db
from service.models import (
    Agreement,
    AgreementVersion,
    FeedKind,
    Organisation,
    OrganisationContact,
    Person,
    SessionStatus,
    SupervisionSession,
    VersionStatus,
)
from service.services.accounts.tokens import create_token
from service.services.auth import Principal
from service.services.booking.changes import BookSession, book_session
from service.services.calendars import feeds
from service.services.notify import webhooks
from service.services.processes import parties
from service.services.processes.inquiries import (
    confirm_inquiry,
    confirmation_token,
    submit_inquiry,
)
from service.services.processes.lifecycle import NewParticipant, add_participant
from tests import builders

HELSINKI = ZoneInfo("Europe/Helsinki")
ROLES = (
    "anonymous",
    "supervisee",
    "other_supervisee",
    "supervisor",
    "other_supervisor",
    "orderer_contact",
    "orderer_token",
    "other_org_token",
    "read_only",
)


@dataclass
class ApiWorld:
    slug: str
    process_id: uuid.UUID
    other_process_id: uuid.UUID
    session_id: uuid.UUID
    past_session_id: uuid.UUID
    participant_ids: list[uuid.UUID]
    organisation_id: uuid.UUID
    room_id: uuid.UUID
    webhook_id: uuid.UUID
    feed_id: uuid.UUID
    tokens: dict[str, str | None]
    forming_process_id: uuid.UUID
    forming_participant_id: uuid.UUID
    inquiry_process_id: uuid.UUID

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens[role]
        return {"Authorization": f"Bearer {token}"} if token else {}


def _token(person_id: uuid.UUID, *scopes: str, organisation_id: uuid.UUID | None = None) -> str:
    person = db.session.get(Person, person_id)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    _, plaintext = create_token(person, "test", scopes or ("read", "write"), organisation)
    return plaintext


def _contact(organisation_id: uuid.UUID) -> Person:
    contact = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=organisation_id, person_id=contact.id))
    db.session.commit()
    return contact


def _second_version(process_id: uuid.UUID) -> None:
    """Version 2, a copy of the accepted terms, sent and waiting for every party."""
    agreement = db.session.scalar(select(Agreement).where(Agreement.process_id == process_id))
    original = agreement.versions[0]
    columns = {
        attr.key: getattr(original, attr.key)
        for attr in inspect(AgreementVersion).column_attrs
        if attr.key not in {"id", "number", "status", "created_at", "accepted_at", "sent_at"}
    }
    db.session.add(
        AgreementVersion(**columns, number=2, status=VersionStatus.SENT, sent_at=clock.now())
    )
    db.session.commit()


def build_world() -> ApiWorld:
    now = clock.now()
    today = now.date()
    org = builders.organisation(8)
    other_org = builders.organisation(8)
    profile = builders.supervisor()
    process = builders.process(
        profile,
        mode=ProcessMode.WORK_COMMUNITY,
        participants=2,
        place=PlaceKind.CLIENT_PREMISES,
        org=org,
        starts_on=today - dt.timedelta(days=60),
        planned_end_on=today + dt.timedelta(days=365),
        orderer_report_items=[str(item) for item in DEFAULT_REPORT_ITEMS],
    )
    booker = next(p for p in process.participants if p.is_group_contact)
    manager = next(p for p in process.participants if not p.is_group_contact)
    manager.is_manager = True
    contact = _contact(org.organisation.id)
    process.orderer_contact_id = contact.id
    other = builders.process(
        builders.supervisor(),
        starts_on=today - dt.timedelta(days=60),
        planned_end_on=today + dt.timedelta(days=365),
    )
    other_contact = _contact(other_org.organisation.id)
    past = SupervisionSession(
        process_id=process.id,
        kind=SessionKind.WORK_COMMUNITY,
        status=SessionStatus.BOOKED,
        starts_at=now - dt.timedelta(days=7),
        ends_at=now - dt.timedelta(days=7) + dt.timedelta(minutes=90),
        place_kind=PlaceKind.REMOTE,
    )
    db.session.add(past)
    db.session.commit()
    supervisor = builders.supervisor_principal(process)
    booked = book_session(supervisor, BookSession(process.id, builders.upcoming(2, 10)), now=now)
    _second_version(process.id)
    orderer = Principal(person_id=contact.id, organisation_id=org.organisation.id)
    subscription, _secret = webhooks.create_subscription(
        orderer, "https://hooks.example.test/ohjaamo", EVENTS
    )
    feed, _url = feeds.create_feed(Principal(person_id=booker.person_id), FeedKind.PARTICIPANT)
    forming = parties.start_process(supervisor, ProcessMode.GROUP)
    forming_participant = add_participant(
        supervisor, forming, NewParticipant("Ryhmäläinen", f"f-{forming}@example.test")
    )
    receipt = submit_inquiry(
        profile.slug,
        InquiryForm(
            "Kysyjä", f"q-{forming}@example.test", "", "individual", ["workload"], None, True
        ),
        now=now,
    )
    confirm_inquiry(confirmation_token(receipt.inquiry_id, now=now), now=now)
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "supervisee": _token(booker.person_id),
        "other_supervisee": _token(other.participants[0].person_id),
        "supervisor": _token(profile.person_id),
        "other_supervisor": _token(other.supervisor.person_id),
        "orderer_contact": _token(contact.id),
        "orderer_token": _token(contact.id, organisation_id=org.organisation.id),
        "other_org_token": _token(other_contact.id, organisation_id=other_org.organisation.id),
        "read_only": _token(profile.person_id, "read"),
    }
    return ApiWorld(
        slug=profile.slug,
        process_id=process.id,
        other_process_id=other.id,
        session_id=booked.session_id,
        past_session_id=past.id,
        participant_ids=[booker.id, manager.id],
        organisation_id=org.organisation.id,
        room_id=org.rooms[0].id,
        webhook_id=subscription.id,
        feed_id=feed.id,
        tokens=tokens,
        forming_process_id=forming,
        forming_participant_id=forming_participant,
        inquiry_process_id=receipt.process_id,
    )
