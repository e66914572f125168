"""A work-community process from its inquiry: the people and organisation it needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.inquiries import InquiryForm
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import AgreementVersion, GoalKind, OrganisationContact, SupervisorProfile
from service.services.auth import Principal
from service.services.processes.agreements import AgreementDraft, GoalDraft
from tests import builders


def inquiry_form(**changes: object) -> InquiryForm:
    values: dict[str, object] = {
        "name": "Iida Inkeri",
        "email": "iida@example.test",
        "organisation": "Tampereen kaupunki",
        "mode": "work_community",
        "needs": ["team_cooperation", "workload"],
        "group_size": 8,
        "privacy_consent": True,
    }
    values.update(changes)
    return InquiryForm(**values)  # type: ignore[arg-type]


@dataclass
class Orderer:
    setup: builders.OrganisationSetup
    contact: Principal


def orderer() -> Orderer:
    setup = builders.organisation(12)
    contact = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=setup.organisation.id, person_id=contact.id))
    db.session.commit()
    return Orderer(setup, builders.principal(contact))


def supervisor() -> tuple[SupervisorProfile, Principal]:
    profile = builders.supervisor()
    return profile, Principal(person_id=profile.person_id)


def draft(location_id, *, goals: list[GoalDraft] | None = None, **changes) -> AgreementDraft:
    values = {
        "starts_on": dt.date(2027, 3, 15),
        "planned_end_on": dt.date(2027, 9, 30),
        "session_count": 6,
        "min_gap_days": 14,
        "max_gap_days": 28,
        "place_kind": PlaceKind.CLIENT_PREMISES,
        "location_id": location_id,
        "price_cents": 18000,
        "goals": goals if goals is not None else [GoalDraft("Toimiva perustehtävä")],
    }
    values.update(changes)
    return AgreementDraft(**values)


def personal_goal(title: str, owner) -> GoalDraft:
    return GoalDraft(title, kind=GoalKind.PERSONAL, owner_id=owner)


def version(version_id) -> AgreementVersion:
    return db.session.get(AgreementVersion, version_id)
