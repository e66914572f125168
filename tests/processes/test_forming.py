"""Forming a process by the supervisor: started without an inquiry, participants taken
off and given roles, the orderer named (new or existing); the inquiry answered (accepted,
or declined with the time freed and the person told); closing after the final
evaluation; a supervisor added by the operator."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from service.domain.errors import InvalidFields
from service.domain.processes import EndReason, ProcessMode
from service.extensions import db
from service.models import (
    Inquiry,
    Location,
    Organisation,
    OutboxMessage,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
)
from service.services.accounts.supervisors import NewSupervisor, add_supervisor
from service.services.auth import Principal
from service.services.errors import AccessDenied, NotFound
from service.services.processes import lifecycle, parties
from service.services.processes.inquiries import (
    accept_inquiry,
    confirm_inquiry,
    confirmation_token,
    decline_inquiry,
    submit_inquiry,
)
from service.services.processes.lifecycle import NewParticipant, ProcessStateError
from service.services.processes.parties import OrdererChoice
from tests import builders
from tests.builders import NOW, helsinki
from tests.processes import people


def confirmed_inquiry(slug: str):
    receipt = submit_inquiry(
        slug, people.inquiry_form(), now=NOW, assessment_at=helsinki(2027, 3, 3, 10)
    )
    confirm_inquiry(confirmation_token(receipt.inquiry_id, now=NOW), now=NOW)
    return receipt


def test_a_supervisor_forms_a_group_with_a_new_orderer(ctx: Flask) -> None:
    _profile, supervisor = people.supervisor()
    process_id = parties.start_process(supervisor, ProcessMode.GROUP)
    assert db.session.get(SupervisionProcess, process_id).status is ProcessStatus.INQUIRY
    lifecycle.mark_assessment_held(supervisor, process_id, now=NOW)
    ids = [
        lifecycle.add_participant(
            supervisor, process_id, NewParticipant(f"Jäsen {n}", f"j{n}@example.test")
        )
        for n in range(3)
    ]
    parties.set_participant_roles(
        supervisor, process_id, ids[1], is_manager=False, is_group_contact=True
    )
    parties.set_participant_roles(
        supervisor, process_id, ids[2], is_manager=True, is_group_contact=True
    )
    parties.remove_participant(supervisor, process_id, ids[0])
    process = db.session.get(SupervisionProcess, process_id)
    assert [(p.is_manager, p.is_group_contact) for p in process.participants] == [
        (True, True),
        (False, False),
    ]
    with pytest.raises(InvalidFields) as invalid:
        parties.name_orderer(supervisor, process_id, OrdererChoice(contact_email="x"))
    assert set(invalid.value.fields) == {"organisation_name", "contact_name", "contact_email"}
    parties.name_orderer(
        supervisor,
        process_id,
        OrdererChoice(
            organisation_name="Kide Oy",
            premises_street="Katu 1",
            premises_city="Tampere",
            contact_name="Sari Tilaaja",
            contact_email="sari@example.test",
        ),
    )
    process = db.session.get(SupervisionProcess, process_id)
    organisation = process.orderer_organisation
    assert organisation.name == "Kide Oy" and process.orderer_contact.name == "Sari Tilaaja"
    assert db.session.scalar(select(Location).where(Location.organisation_id == organisation.id))
    assert parties.orderer_choices(supervisor) == [organisation]

    # The next process names the same organisation and its contact.
    second = parties.start_process(supervisor, ProcessMode.INDIVIDUAL)
    parties.name_orderer(
        supervisor,
        second,
        OrdererChoice(organisation_id=organisation.id, contact_id=process.orderer_contact_id),
    )
    assert db.session.get(SupervisionProcess, second).orderer_organisation_id == organisation.id
    stranger = builders.supervisor()
    with pytest.raises(NotFound):
        parties.name_orderer(
            Principal(person_id=stranger.person_id),
            second,
            OrdererChoice(organisation_id=organisation.id, contact_id=process.orderer_contact_id),
        )
    other_org = db.session.scalar(select(Organisation).where(Organisation.name != "Kide Oy"))
    assert other_org is None
    client = Principal(person_id=process.participants[0].person_id)
    with pytest.raises(AccessDenied):
        parties.remove_participant(client, process_id, ids[1])
    with pytest.raises(AccessDenied):
        parties.start_process(client, ProcessMode.GROUP)


def test_an_inquiry_is_accepted_before_the_assessment(ctx: Flask) -> None:
    profile, supervisor = people.supervisor()
    receipt = confirmed_inquiry(profile.slug)
    with pytest.raises(ProcessStateError):
        lifecycle.mark_assessment_held(supervisor, receipt.process_id, now=NOW)
    accept_inquiry(supervisor, receipt.process_id, now=NOW)
    assert db.session.get(Inquiry, receipt.inquiry_id).accepted_at == NOW
    with pytest.raises(ProcessStateError):
        accept_inquiry(supervisor, receipt.process_id, now=NOW)
    kinds = set(db.session.scalars(select(OutboxMessage.kind)))
    assert "email.inquiry_answer" in kinds
    with pytest.raises(ProcessStateError):  # the assessment has not taken place yet
        lifecycle.mark_assessment_held(supervisor, receipt.process_id, now=NOW)
    lifecycle.mark_assessment_held(supervisor, receipt.process_id, now=helsinki(2027, 3, 3, 12))


def test_declining_frees_the_time_and_tells_the_person(ctx: Flask) -> None:
    profile, supervisor = people.supervisor()
    receipt = confirmed_inquiry(profile.slug)
    decline_inquiry(supervisor, receipt.process_id, EndReason.NOT_A_FIT, now=NOW)
    db.session.expire_all()
    process = db.session.get(SupervisionProcess, receipt.process_id)
    assert process.status is ProcessStatus.DECLINED
    session = db.session.get(SupervisionSession, receipt.session_id)
    assert session.status is SessionStatus.CANCELLED
    holds = db.session.scalars(
        select(SupervisorHold).where(SupervisorHold.session_id == session.id)
    ).all()
    assert all(not hold.active for hold in holds)
    payloads = [
        m.payload
        for m in db.session.scalars(select(OutboxMessage))
        if m.kind == "email.inquiry_answer"
    ]
    assert payloads == [{"inquiry_id": str(receipt.inquiry_id), "accepted": False}]


def test_closing_waits_for_the_final_evaluation(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    supervisor = builders.supervisor_principal(process)
    from service.models import EvaluationKind, EvaluationRound

    db.session.add(
        EvaluationRound(
            process_id=process.id, kind=EvaluationKind.FINAL, opens_at=NOW + dt.timedelta(days=30)
        )
    )
    db.session.commit()
    with pytest.raises(ProcessStateError):
        lifecycle.close_process(supervisor, process.id, now=NOW)
    lifecycle.close_process(supervisor, process.id, now=NOW + dt.timedelta(days=31))
    db.session.expire_all()
    assert db.session.get(SupervisionProcess, process.id).status is ProcessStatus.CLOSED


def test_the_operator_adds_a_supervisor(ctx: Flask) -> None:
    new = NewSupervisor(
        name="Aino Ohjaaja",
        email="aino@example.test",
        slug="aino-ohjaaja",
        practice_name="Työnohjaus Aino",
        practice_slug="aino",
        admin=True,
    )
    profile_id = add_supervisor(new)
    with pytest.raises(InvalidFields) as taken:
        add_supervisor(new)
    assert taken.value.fields == {"slug": "slug_taken"}
    with pytest.raises(InvalidFields) as bad:
        add_supervisor(NewSupervisor("", "x", "Ä", "P", "p"))
    assert set(bad.value.fields) == {"name", "email", "slug"}
    from service.models import SupervisorProfile

    profile = db.session.get(SupervisorProfile, profile_id)
    assert {r.role for r in profile.person.account.roles} == {"supervisor", "admin"}
