"""The public inquiry: ask for supervision and book the initial assessment, no account
needed; the booking becomes final when the email address is confirmed.

The inquiry is written first, then the assessment booked through the ordinary booking
use case (same rules, same locks), held until the confirmation deadline. A booking
that fails takes the inquiry away again; should the process die between the two, the
inquiry is unconfirmed and the expiry job removes it with everything it held.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select, update

from service.domain.errors import LinkInvalid
from service.domain.inquiries import (
    InquiryForm,
    check_inquiry,
    normalised_email,
)
from service.domain.processes import EndReason, ProcessMode, new_process_code
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    Inquiry,
    InquiryStatus,
    Person,
    ProcessParticipant,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
    SupervisorProfile,
)
from service.services import audit
from service.services.access import supervised_process
from service.services.auth import Principal
from service.services.booking.changes import BookSession, book_session
from service.services.booking.steps import after_change
from service.services.errors import NotFound
from service.services.links import make_link_token, redeem_link_token
from service.services.outbox import queue as outbox
from service.services.processes.lifecycle import ProcessStateError, decline_process
from service.services.transactions import write_transaction

CONFIRM_PURPOSE = "inquiry"


@dataclass(frozen=True)
class InquiryReceipt:
    inquiry_id: uuid.UUID
    process_id: uuid.UUID
    session_id: uuid.UUID | None
    confirm_by: dt.datetime


def _deadline(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(minutes=current_app.config["INQUIRY_CONFIRMATION_MINUTES"])


def submit_inquiry(
    supervisor_slug: str,
    form: InquiryForm,
    *,
    now: dt.datetime,
    assessment_at: dt.datetime | None = None,
    place_kind: PlaceKind = PlaceKind.REMOTE,
    location_id: uuid.UUID | None = None,
) -> InquiryReceipt:
    """Record the inquiry, hold the chosen assessment slot, and send the confirmation
    link. Nothing is offered to others while the slot is held."""
    check_inquiry(form, current_app.config["LANGUAGES"])
    email = normalised_email(form.email)
    confirm_by = _deadline(now)
    with write_transaction():
        profile = db.session.scalar(
            select(SupervisorProfile).where(SupervisorProfile.slug == supervisor_slug)
        )
        if profile is None or not profile.accepts_inquiries:
            raise NotFound()
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person = Person(name=form.name.strip(), email=email, language=form.language)
            db.session.add(person)
        process = SupervisionProcess(
            code=new_process_code(),
            mode=ProcessMode(form.mode),
            status=ProcessStatus.INQUIRY,
            supervisor_id=profile.id,
        )
        process.participants.append(ProcessParticipant(person=person, is_group_contact=True))
        db.session.add(process)
        db.session.flush()
        inquiry = Inquiry(
            process_id=process.id,
            person_id=person.id,
            organisation_name=form.organisation.strip(),
            mode_wished=ProcessMode(form.mode),
            needs=sorted(set(form.needs)),
            group_size=form.group_size,
            privacy_consent_at=now,
            expires_at=confirm_by,
        )
        db.session.add(inquiry)
        db.session.flush()
        outbox.enqueue(
            "email.inquiry_confirmation",
            {"inquiry_id": str(inquiry.id)},
            f"email.inquiry_confirmation:{inquiry.id}",
        )
        audit.record("inquiry.submitted", "inquiry", inquiry.id, actor_id=person.id)
        receipt = InquiryReceipt(inquiry.id, process.id, None, confirm_by)
        principal = Principal(person_id=person.id)
    if assessment_at is None:
        return receipt
    try:
        outcome = book_session(
            principal,
            BookSession(
                process_id=receipt.process_id,
                starts_at=assessment_at,
                kind=SessionKind.INITIAL_ASSESSMENT,
                place_kind=place_kind,
                location_id=location_id,
                confirm_by=confirm_by,
            ),
            now=now,
        )
    except Exception:
        _remove_inquiry(receipt.process_id)
        raise
    return InquiryReceipt(receipt.inquiry_id, receipt.process_id, outcome.session_id, confirm_by)


def confirmation_token(inquiry_id: uuid.UUID, *, now: dt.datetime) -> str:
    """The link token the confirmation email carries (made when the email is sent)."""
    return make_link_token(CONFIRM_PURPOSE, str(inquiry_id), now=now)


def confirm_inquiry(token: str, *, now: dt.datetime) -> InquiryReceipt:
    """Confirm the address: the held assessment becomes a booking, and its notices go
    out. A used, forged or lapsed link changes nothing."""
    with write_transaction():
        minutes = current_app.config["INQUIRY_CONFIRMATION_MINUTES"]
        subject = redeem_link_token(
            CONFIRM_PURPOSE, token, max_age=dt.timedelta(minutes=minutes), now=now
        )
        inquiry = db.session.get(Inquiry, uuid.UUID(subject))
        if (
            inquiry is None
            or inquiry.status is not InquiryStatus.AWAITING_CONFIRMATION
            or inquiry.expires_at <= now
        ):
            raise LinkInvalid()
        inquiry.status = InquiryStatus.CONFIRMED
        inquiry.email_confirmed_at = now
        session = db.session.scalar(
            select(SupervisionSession).where(
                SupervisionSession.process_id == inquiry.process_id,
                SupervisionSession.status == SessionStatus.AWAITING_CONFIRMATION,
            )
        )
        principal = Principal(person_id=inquiry.person_id)
        if session is not None:
            session.status = SessionStatus.BOOKED
            db.session.execute(
                update(SupervisorHold)
                .where(SupervisorHold.session_id == session.id)
                .values(expires_at=None)
            )
            inquiry.process.status = ProcessStatus.ASSESSMENT_BOOKED
            after_change(session, "booking.created", principal, [])
        audit.record("inquiry.confirmed", "inquiry", inquiry.id, actor_id=inquiry.person_id)
        return InquiryReceipt(
            inquiry.id, inquiry.process_id, session.id if session else None, inquiry.expires_at
        )


def inquiry_of(process_id: uuid.UUID) -> Inquiry | None:
    return db.session.scalar(select(Inquiry).where(Inquiry.process_id == process_id))


def _answerable(principal: Principal, process_id: uuid.UUID) -> Inquiry:
    """The process's confirmed inquiry that the supervisor has not answered yet."""
    process = supervised_process(principal, process_id)
    inquiry = inquiry_of(process.id)
    if inquiry is None or inquiry.accepted_at is not None:
        raise ProcessStateError("There is no inquiry waiting for an answer.")
    if inquiry.status is not InquiryStatus.CONFIRMED:
        raise ProcessStateError("The inquirer has not confirmed their email address yet.")
    if process.status not in (ProcessStatus.INQUIRY, ProcessStatus.ASSESSMENT_BOOKED):
        raise ProcessStateError()
    return inquiry


def _tell(inquiry: Inquiry, *, accepted: bool) -> None:
    outbox.enqueue(
        "email.inquiry_answer",
        {"inquiry_id": str(inquiry.id), "accepted": accepted},
        f"email.inquiry_answer:{inquiry.id}",
    )


def accept_inquiry(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> None:
    """The supervisor takes the inquiry on: the inquirer is told, and the process goes
    on to its initial assessment (booked with the inquiry, or to be agreed)."""
    with write_transaction():
        inquiry = _answerable(principal, process_id)
        inquiry.accepted_at = now
        _tell(inquiry, accepted=True)
        audit.record("inquiry.accepted", "inquiry", inquiry.id, actor_id=principal.person_id)


def decline_inquiry(
    principal: Principal, process_id: uuid.UUID, reason: EndReason, *, now: dt.datetime
) -> None:
    """The supervisor declines: the held assessment is cancelled (its time freed, its
    invitation withdrawn), the process ends as declined, and the inquirer is told."""
    inquiry_id = _answerable(principal, process_id).id
    db.session.rollback()

    def tell() -> None:
        inquiry = db.session.get(Inquiry, inquiry_id)
        if inquiry is not None:
            _tell(inquiry, accepted=False)
            audit.record("inquiry.declined", "inquiry", inquiry.id, actor_id=principal.person_id)

    decline_process(principal, process_id, reason, now=now, also=tell)


def expire_unconfirmed(now: dt.datetime) -> int:
    """Delete inquiries never confirmed, with their process, held slot and, when they
    have nothing else here, the person: unconfirmed addresses are not kept."""
    with write_transaction():
        lapsed = db.session.scalars(
            select(Inquiry).where(
                Inquiry.status == InquiryStatus.AWAITING_CONFIRMATION, Inquiry.expires_at <= now
            )
        ).all()
        process_ids = [inquiry.process_id for inquiry in lapsed]
        person_ids = {inquiry.person_id for inquiry in lapsed}
        for process_id in process_ids:
            _delete_process(process_id)
        _delete_unattached(person_ids)
    return len(process_ids)


def _remove_inquiry(process_id: uuid.UUID) -> None:
    db.session.rollback()
    with write_transaction():
        person_ids = set(
            db.session.scalars(select(Inquiry.person_id).where(Inquiry.process_id == process_id))
        )
        _delete_process(process_id)
        _delete_unattached(person_ids)


def _delete_process(process_id: uuid.UUID) -> None:
    db.session.execute(delete(SupervisionProcess).where(SupervisionProcess.id == process_id))


def _delete_unattached(person_ids: set[uuid.UUID]) -> None:
    """Remove people who exist only because of a lapsed inquiry."""
    for person_id in person_ids:
        person = db.session.get(Person, person_id)
        in_use = db.session.scalar(
            select(ProcessParticipant.id).where(ProcessParticipant.person_id == person_id).limit(1)
        )
        if person is not None and person.account is None and in_use is None:
            db.session.delete(person)
