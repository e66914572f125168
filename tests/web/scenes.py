"""A process worth looking at: a group with an agreement accepted by everyone, two goals
and a year of scaling answers."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete

from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    AgreementVersion,
    EvaluationKind,
    EvaluationRound,
    Location,
    OrganisationContact,
    Person,
    ProcessStatus,
    Role,
    SessionStatus,
    SupervisionSession,
)
from service.services.auth import Principal
from service.services.processes import agreements, evaluations
from service.services.processes.agreements import GoalDraft
from tests import builders
from tests.builders import NOW, helsinki
from tests.processes import people
from tests.web.pages import with_password


@dataclass
class Scene:
    process_id: uuid.UUID
    supervisor: Principal
    participants: list[Principal]
    orderer: Principal
    stranger: Principal


NAMES = ["Aino Aaltonen", "Eero Heinonen", "Kaisa Laine", "Ville Nieminen"]


def group_with_answers() -> Scene:
    org = builders.organisation(10)
    org.organisation.name = "Pirkanmaan hyvinvointialue"
    process = builders.process(
        builders.supervisor(),
        mode=ProcessMode.GROUP,
        participants=4,
        place=PlaceKind.CLIENT_PREMISES,
        org=org,
        status=ProcessStatus.ASSESSMENT_HELD,
    )
    db.session.execute(delete(AgreementVersion))
    for participant, name in zip(process.participants, NAMES, strict=True):
        participant.person.name = name
    process.supervisor.person.name = "Helena Virtanen"
    contact = builders.person("Tilaaja")
    contact.name = "Mikko Tilaaja"
    db.session.add(OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id))
    process.orderer_contact_id = contact.id
    db.session.commit()
    supervisor = builders.supervisor_principal(process)
    team = [builders.participant_principal(process, i) for i in range(4)]
    everyone = [supervisor, *team, builders.principal(contact)]
    goals = [
        GoalDraft("Perustehtävän kirkastaminen"),
        GoalDraft("Vuorovaikutus tiimissä"),
    ]
    draft = people.draft(
        org.premises.id, goals=goals, payer_description="Pirkanmaan hyvinvointialue"
    )
    agreements.save_draft(supervisor, process.id, draft)
    version = agreements.send_agreement(supervisor, process.id, now=NOW)
    for who in everyone:
        agreements.accept_agreement(who, version, now=NOW)
    goal_ids = [uuid.UUID(g["goal_id"]) for g in people.version(version).goals_snapshot]
    for month, base in ((1, 3), (4, 5), (7, 6), (10, 8)):
        opens = NOW + dt.timedelta(days=30 * month)
        evaluation = EvaluationRound(
            process_id=process.id, kind=EvaluationKind.INTERIM, opens_at=opens
        )
        db.session.add(evaluation)
        db.session.commit()
        for index, who in enumerate(team):
            for goal_id in goal_ids:
                evaluations.answer_evaluation(
                    who, evaluation.id, goal_id, min(10, base + index % 2), None, now=opens
                )
    stranger = Person(name="Ulkopuolinen", email="ulko@example.test")
    db.session.add(stranger)
    db.session.commit()
    return Scene(
        process.id, supervisor, team, builders.principal(contact), builders.principal(stranger)
    )


@dataclass
class Desk:
    email: str
    process_id: uuid.UUID
    code: str
    session_id: uuid.UUID
    later_id: uuid.UUID
    participant_person: uuid.UUID
    other_email: str


def session_row(process, start: dt.datetime, place: PlaceKind, location_id=None, **extra):
    row = SupervisionSession(
        process_id=process.id,
        kind=SessionKind.INDIVIDUAL,
        status=SessionStatus.BOOKED,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        place_kind=place,
        location_id=location_id,
        **extra,
    )
    db.session.add(row)
    db.session.commit()
    return row


def supervisor_desk() -> Desk:
    """A supervisor with a session held in the past (Tue 3 March 2026 09:00 Helsinki)
    at the office, one at the client's premises the same day, and busy time; another
    supervisor with a process of their own."""
    profile = builders.supervisor()
    with_password(profile.person_id, Role.SUPERVISOR)
    office = Location(supervisor_id=profile.id, name="Vastaanotto", city="Tampere")
    db.session.add(office)
    org = builders.organisation(8)
    process = builders.process(profile, place=PlaceKind.CLIENT_PREMISES, org=org)
    held = session_row(process, helsinki(2026, 3, 3, 9), PlaceKind.OFFICE, office.id)
    later = session_row(
        process, helsinki(2026, 3, 3, 13), PlaceKind.CLIENT_PREMISES, org.premises.id
    )
    process.participants[0].person.name = "Aino Aaltonen"
    profile.person.name = "Helena Virtanen"
    db.session.commit()
    builders.busy(profile, helsinki(2026, 3, 4, 10), helsinki(2026, 3, 4, 12))
    builders.process(builders.supervisor(), status=ProcessStatus.AGREEMENT_SENT)
    other = builders.supervisor()
    with_password(other.person_id, Role.SUPERVISOR)
    return Desk(
        profile.person.email,
        process.id,
        process.code,
        held.id,
        later.id,
        process.participants[0].person_id,
        other.person.email,
    )
