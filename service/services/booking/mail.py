"""Each person's email about a booking change.

One ``email.booking`` message per recipient (`enqueue_emails`): every current
participant of the process and the supervisor, each with their own message so nobody
sees another's address. Keys make a re-delivered fan-out write nothing twice. Each
email is rendered at delivery from the database; a session changed again since is not
described by an older message (the newer change sends its own).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from service.domain.cancellation import CancellationCategory
from service.domain.email_message import assemble
from service.domain.invitation import Attendee, build_invitation
from service.extensions import db
from service.i18n import supported_language
from service.models import (
    Person,
    SupervisionProcess,
    SupervisionSession,
    SupervisorProfile,
)
from service.services.booking.steps import cancellation_terms
from service.services.notify import mail
from service.services.notify.render import Charge, SessionMail, render_booking
from service.services.outbox.queue import Delivery, enqueue_once
from service.services.session_outward import session_invitation, session_place, session_title

BOOKING_EMAIL = "email.booking"
INVITING_EVENTS = frozenset({"created", "moved", "room_changed", "cancelled", "room_unavailable"})
ROOM_CHANGED_EVENT = "room_changed"
CANCELLING_EVENTS = frozenset({"cancelled", "room_unavailable"})
# What one email tells about the session, read in one query (with the recipient) rather
# than one per step.
_WITH_SUPERVISOR = (
    joinedload(SupervisionSession.process)
    .joinedload(SupervisionProcess.supervisor)
    .joinedload(SupervisorProfile.person)
)
# Built once: a worker sends thousands, and building the query cost a third of reading.
_SESSION_AND_RECIPIENT = (
    select(SupervisionSession, Person)
    .join(Person, Person.id == bindparam("person_id"))
    .options(_WITH_SUPERVISOR)
    .where(SupervisionSession.id == bindparam("session_id"))
)


def recipients(session: SupervisionSession) -> list[Person]:
    """The supervisor and the participants still in the process on the session's day."""
    process = session.process
    day = session.starts_at.date()
    people = [process.supervisor.person] + [
        participant.person
        for participant in process.participants
        if participant.left_on is None or participant.left_on >= day
    ]
    unique = {person.id: person for person in people if person.erased_at is None}
    return list(unique.values())


def email_key(event: str, session_id: object, sequence: int, person_id: object) -> str:
    return f"{BOOKING_EMAIL}.{event}:{session_id}:{sequence}:{person_id}"


def enqueue_emails(
    session: SupervisionSession,
    event: str,
    sequence: int,
    previous_start: str | None = None,
    *,
    alternatives: list[str] | None = None,
) -> int:
    """One email message per recipient, once per key; returns how many were new.
    ``alternatives`` are free start times (ISO) offered instead of a lost one."""
    written = 0
    for person in recipients(session):
        payload: dict[str, object] = {
            "event": event,
            "session_id": str(session.id),
            "sequence": sequence,
            "person_id": str(person.id),
        }
        if previous_start:
            payload["previous_start"] = previous_start
        if alternatives is not None:
            payload["alternatives"] = alternatives
        written += enqueue_once(
            BOOKING_EMAIL, payload, email_key(event, session.id, sequence, person.id)
        )
    return written


def _charge(session: SupervisionSession) -> Charge | None:
    if session.cancellation_reason is None or session.charge_percent is None:
        return None
    terms = cancellation_terms(session.process)
    return Charge(
        category=CancellationCategory(session.cancellation_reason),
        charge_percent=session.charge_percent,
        free_hours=terms.free_hours,
    )


def deliver_booking_email(delivery: Delivery) -> None:
    """Handler of ``email.booking``: render one person's message and send it."""
    payload = delivery.payload
    found = db.session.execute(
        _SESSION_AND_RECIPIENT,
        {
            "session_id": uuid.UUID(payload["session_id"]),
            "person_id": uuid.UUID(payload["person_id"]),
        },
    ).one_or_none()
    if found is None:
        return
    session, person = found
    if person.erased_at is not None:
        return
    if session.sequence != int(payload["sequence"]):
        return
    event = payload["event"]
    previous = payload.get("previous_start")
    supervisor = session.process.supervisor.person
    details = SessionMail(
        title=session_title(session.process.code),
        start=session.starts_at,
        end=session.ends_at,
        timezone=person.timezone,
        supervisor_name=supervisor.name,
        place=session_place(session),
        video_url=session.video_url,
        previous_start=dt.datetime.fromisoformat(previous) if previous else None,
        charge=_charge(session) if event == "cancelled" else None,
        alternatives=tuple(
            dt.datetime.fromisoformat(start) for start in payload.get("alternatives", ())
        ),
    )
    language = supported_language(person.language)
    invitation = None
    if event in INVITING_EVENTS:
        attendee = Attendee(person.name, person.email)
        cancelled = event in CANCELLING_EVENTS
        invitation = build_invitation(
            session_invitation(session, attendee, delivery.now, cancelled=cancelled)
        )
    message = assemble(
        render_booking(event, details, language),
        to_name=person.name,
        to_address=person.email,
        message_id=mail.message_id_for(delivery.idempotency_key),
        language=language,
        invitation=invitation,
    )
    mail.send(message)
