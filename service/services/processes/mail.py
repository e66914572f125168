"""The emails of the process use cases, delivered by the worker: the inquiry's
confirmation link, the agreement to accept, an evaluation opening, a sign-in link.

Outbox payloads carry identifiers only; each handler reads the database at delivery
and renders in the recipient's language. A message whose object is gone (an expired
inquiry, a replanned evaluation) is dropped, not retried. Links are signed here, at
delivery, so no credential ever sits in the outbox.
"""

from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy import select

from service import clock
from service.domain.email_message import Rendered, assemble
from service.extensions import db
from service.i18n import supported_language
from service.models import (
    AgreementVersion,
    EvaluationKind,
    EvaluationRound,
    Inquiry,
    InquiryStatus,
    Person,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.accounts.sign_in import sign_in_token, signs_in_with_password
from service.services.notify import mail
from service.services.notify.render import (
    AgreementMail,
    AssessmentConfirmationMail,
    EvaluationMail,
    SignInMail,
    render_agreement,
    render_assessment_confirmation,
    render_evaluation_open,
    render_sign_in_link,
)
from service.services.outbox.queue import Delivery
from service.services.processes.inquiries import confirmation_token
from service.services.session_outward import session_title


def _url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _title(process: SupervisionProcess) -> str:
    return session_title(process.code)


def _send(delivery: Delivery, person: Person, rendered: Rendered, language: str) -> None:
    message = assemble(
        rendered,
        to_name=person.name,
        to_address=person.email,
        message_id=mail.message_id_for(delivery.idempotency_key),
        language=language,
    )
    mail.send(message)


def deliver_inquiry_confirmation(delivery: Delivery) -> None:
    inquiry = db.session.get(Inquiry, uuid.UUID(delivery.payload["inquiry_id"]))
    if inquiry is None or inquiry.status is not InquiryStatus.AWAITING_CONFIRMATION:
        return
    person = inquiry.person
    held = db.session.scalar(
        select(SupervisionSession).where(
            SupervisionSession.process_id == inquiry.process_id,
            SupervisionSession.status == SessionStatus.AWAITING_CONFIRMATION,
        )
    )
    minutes = current_app.config["INQUIRY_CONFIRMATION_MINUTES"]
    language = supported_language(person.language)
    details = AssessmentConfirmationMail(
        title=_title(inquiry.process),
        start=held.starts_at if held else None,
        end=held.ends_at if held else None,
        timezone=person.timezone,
        confirm_url=_url(f"/inquiry/confirm/{confirmation_token(inquiry.id, now=clock.now())}"),
        valid_hours=max(1, minutes // 60),
    )
    _send(delivery, person, render_assessment_confirmation(details, language), language)


def deliver_agreement_sent(delivery: Delivery) -> None:
    version = db.session.get(AgreementVersion, uuid.UUID(delivery.payload["version_id"]))
    person = db.session.get(Person, uuid.UUID(delivery.payload["person_id"]))
    if version is None or person is None or person.erased_at is not None:
        return
    process = db.session.get_one(SupervisionProcess, version.agreement.process_id)
    language = supported_language(person.language)
    details = AgreementMail(
        title=_title(process),
        version_number=version.number,
        accept_url=_url(f"/processes/{process.id}/agreement/{version.number}"),
        new_version=version.number > 1,
    )
    _send(delivery, person, render_agreement(details, language), language)


def deliver_evaluation_open(delivery: Delivery) -> None:
    evaluation = db.session.get(EvaluationRound, uuid.UUID(delivery.payload["round_id"]))
    person = db.session.get(Person, uuid.UUID(delivery.payload["person_id"]))
    if evaluation is None or person is None or person.erased_at is not None:
        return
    process = db.session.get_one(SupervisionProcess, evaluation.process_id)
    language = supported_language(person.language)
    details = EvaluationMail(
        title=_title(process),
        final=evaluation.kind is EvaluationKind.FINAL,
        answer_url=_url(f"/processes/{process.id}/goals"),
        closes_on=evaluation.closes_at.date() if evaluation.closes_at else None,
    )
    _send(delivery, person, render_evaluation_open(details, language), language)


def deliver_sign_in_link(delivery: Delivery) -> None:
    person = db.session.get(Person, uuid.UUID(delivery.payload["person_id"]))
    if person is None or person.erased_at is not None:
        return
    language = supported_language(person.language)
    minutes = current_app.config["SIGN_IN_LINK_MINUTES"]
    if signs_in_with_password(person):
        details = SignInMail(_url("/sign-in/password"), minutes, with_password=True)
    else:
        token = sign_in_token(person.id, now=clock.now())
        details = SignInMail(_url(f"/sign-in/{token}"), minutes)
    _send(delivery, person, render_sign_in_link(details, language), language)


HANDLERS = {
    "email.inquiry_confirmation": deliver_inquiry_confirmation,
    "email.agreement_sent": deliver_agreement_sent,
    "email.evaluation_open": deliver_evaluation_open,
    "email.sign_in_link": deliver_sign_in_link,
}
