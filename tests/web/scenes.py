"""A process worth looking at: a group with an agreement accepted by everyone, two goals
and a year of scaling answers."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete

from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    AgreementVersion,
    EvaluationKind,
    EvaluationRound,
    OrganisationContact,
    Person,
    ProcessStatus,
)
from service.services import agreements, evaluations
from service.services.agreements import GoalDraft
from service.services.auth import Principal
from tests import builders
from tests.builders import NOW
from tests.processes import people


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
