"""A person's own data: the export they may download at any time (JSON or CSV), the
erasure request their supervisors act on, and the language they choose.

The export holds what Ohjaamo keeps about the person themself: never another
participant's details, and never the supervisor's notes (those are the supervisor's
working notes, purged with the process's content).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.domain.errors import InvalidFields
from service.extensions import db
from service.i18n import supported_language
from service.models import (
    AgreementAcceptance,
    AgreementVersion,
    ErasureRequest,
    Goal,
    Person,
    ProcessParticipant,
    SupervisionProcess,
    SupervisionSession,
)
from service.services import audit
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.processes.evaluations import answers
from service.services.transactions import write_transaction

CSV_HEADER = ("section", "process", "when", "item", "value")


def _person(principal: Principal) -> Person:
    person = db.session.get(Person, principal.person_id)
    if person is None or person.erased_at is not None:
        raise NotFound()
    return person


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(principal: Principal) -> dict[str, Any]:
    """Everything about the principal themself, as plain JSON values."""
    person = _person(principal)
    memberships = db.session.execute(
        select(ProcessParticipant, SupervisionProcess)
        .join(SupervisionProcess, SupervisionProcess.id == ProcessParticipant.process_id)
        .where(ProcessParticipant.person_id == person.id)
        .order_by(SupervisionProcess.created_at)
    ).all()
    processes = []
    for participant, process in memberships:
        sessions = db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.process_id == process.id)
            .order_by(SupervisionSession.starts_at)
        ).all()
        titles = select(Goal.id, Goal.title).where(Goal.process_id == process.id)
        goals = {goal_id: title for goal_id, title in db.session.execute(titles)}
        processes.append(
            {
                "code": process.code,
                "mode": str(process.mode),
                "status": str(process.status),
                "supervisor": process.supervisor.person.name,
                "manager": participant.is_manager,
                "group_contact": participant.is_group_contact,
                "consents_to_share_averages": participant.consents_to_share_averages,
                "sessions": [_session(s, participant.id) for s in sessions],
                "evaluation_answers": [
                    {
                        "answered_round": str(a.kind),
                        "round_opened": _iso(a.opens_at),
                        "goal": goals.get(a.goal_id, ""),
                        "scale": a.scale,
                        "next_step": a.next_step,
                    }
                    for a in answers(principal, process.id)
                ],
            }
        )
    acceptances = db.session.execute(
        select(AgreementAcceptance, AgreementVersion)
        .join(AgreementVersion, AgreementVersion.id == AgreementAcceptance.version_id)
        .where(AgreementAcceptance.person_id == person.id)
        .order_by(AgreementAcceptance.accepted_at)
    ).all()
    erasure = _open_erasure(person.id)
    with write_transaction():
        audit.record("person.data_exported", "person", person.id, actor_id=person.id)
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "language": person.language,
            "timezone": person.timezone,
            "created_at": _iso(person.created_at),
        },
        "processes": processes,
        "agreement_acceptances": [
            {
                "process": _process_code(version),
                "version": version.number,
                "role": str(acceptance.party),
                "accepted_at": _iso(acceptance.accepted_at),
            }
            for acceptance, version in acceptances
        ],
        "erasure_requested_at": _iso(erasure.requested_at) if erasure else None,
    }


def _process_code(version: AgreementVersion) -> str:
    process = db.session.get(SupervisionProcess, version.agreement.process_id)
    return process.code if process else ""


def _session(session: SupervisionSession, participant_id: uuid.UUID) -> dict[str, Any]:
    mine = next((a for a in session.attendance if a.participant_id == participant_id), None)
    return {
        "kind": str(session.kind),
        "status": str(session.status),
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
        "place": str(session.place_kind),
        "cancellation_reason": str(session.cancellation_reason or "") or None,
        "my_attendance": str(mine.status) if mine else None,
    }


def personal_data_csv(data: dict[str, Any]) -> str:
    """The export as rows of (section, process, when, item, value)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for key, value in data["person"].items():
        writer.writerow(("person", "", "", key, value))
    for process in data["processes"]:
        code = process["code"]
        for key in ("mode", "status", "supervisor", "manager", "group_contact"):
            writer.writerow(("process", code, "", key, process[key]))
        for session in process["sessions"]:
            writer.writerow(("session", code, session["starts_at"], "status", session["status"]))
            if session["my_attendance"]:
                writer.writerow(
                    ("session", code, session["starts_at"], "attendance", session["my_attendance"])
                )
        for answer in process["evaluation_answers"]:
            when = answer["round_opened"]
            writer.writerow(("evaluation", code, when, answer["goal"], answer["scale"]))
            if answer["next_step"]:
                writer.writerow(("next_step", code, when, answer["goal"], answer["next_step"]))
    for acceptance in data["agreement_acceptances"]:
        writer.writerow(
            (
                "agreement",
                acceptance["process"],
                acceptance["accepted_at"],
                f"version {acceptance['version']}",
                acceptance["role"],
            )
        )
    if data["erasure_requested_at"]:
        writer.writerow(("erasure", "", data["erasure_requested_at"], "requested", "yes"))
    return buffer.getvalue()


def _open_erasure(person_id: uuid.UUID) -> ErasureRequest | None:
    return db.session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.person_id == person_id, ErasureRequest.handled_at.is_(None)
        )
    )


def erasure_requested_at(principal: Principal) -> dt.datetime | None:
    request = _open_erasure(principal.person_id)
    return request.requested_at if request else None


def request_erasure(principal: Principal, *, now: dt.datetime) -> dt.datetime:
    """Record the request once (asking again changes nothing) for the supervisors of the
    person's processes; returns when it was first made."""
    try:
        with write_transaction():
            person = _person(principal)
            existing = _open_erasure(person.id)
            if existing is not None:
                return existing.requested_at
            db.session.add(ErasureRequest(person_id=person.id, requested_at=now))
            audit.record("person.erasure_requested", "person", person.id, actor_id=person.id)
            return now
    except IntegrityError:
        # A second request raced in and the open-request index kept only one.
        requested = erasure_requested_at(principal)
        assert requested is not None
        return requested


def open_erasure_requests(supervisor_person_id: uuid.UUID) -> list[tuple[Person, dt.datetime]]:
    """Open requests of people taking part in this supervisor's processes."""
    rows = db.session.execute(
        select(Person, ErasureRequest.requested_at)
        .join(ErasureRequest, ErasureRequest.person_id == Person.id)
        .join(ProcessParticipant, ProcessParticipant.person_id == Person.id)
        .join(SupervisionProcess, SupervisionProcess.id == ProcessParticipant.process_id)
        .where(ErasureRequest.handled_at.is_(None))
        .where(SupervisionProcess.supervisor.has(person_id=supervisor_person_id))
        .distinct()
        .order_by(ErasureRequest.requested_at)
    ).all()
    return [(person, requested) for person, requested in rows]


def choose_language(principal: Principal | None, language: str) -> str:
    """The language the person reads pages and emails in; returns the one kept."""
    if language not in current_app.config["LANGUAGES"]:
        raise InvalidFields({"language": "unknown_language"})
    chosen = supported_language(language)
    if principal is not None:
        with write_transaction():
            _person(principal).language = chosen
    return chosen
