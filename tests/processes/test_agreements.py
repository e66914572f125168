"""Agreement use cases: drafts that fail write nothing, the work community's manager,
versions and their acceptance, the series proposed when the last party accepts."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.domain.agreements import InvalidAgreement
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    AgreementVersion,
    OutboxMessage,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    VersionStatus,
)
from service.services.errors import NotFound
from service.services.processes.agreements import (
    AgreementStateError,
    accept_agreement,
    agreement_history,
    save_draft,
    send_agreement,
    version_for,
)
from tests import builders
from tests.builders import NOW
from tests.processes import people


@pytest.fixture
def community(ctx: Flask) -> SupervisionProcess:
    org = builders.organisation(10)
    process = builders.process(
        builders.supervisor(),
        mode=ProcessMode.WORK_COMMUNITY,
        participants=4,
        place=PlaceKind.CLIENT_PREMISES,
        org=org,
        status=ProcessStatus.ASSESSMENT_HELD,
    )
    db.session.execute(db.delete(AgreementVersion))
    db.session.commit()
    process.location_id = org.premises.id
    return process


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(AgreementVersion))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"session_count": 0}, "session_count"),
        ({"planned_end_on": people.draft(None).starts_on}, "planned_end_on"),
        ({"min_gap_days": 5}, "min_gap_days"),
        ({"max_gap_days": 90}, "max_gap_days"),
        ({"price_cents": -100}, "price_cents"),
        ({"mode": "individual"}, "mode"),
        ({"goals": [people.GoalDraft("  ")]}, "goals"),
    ],
)
def test_an_invalid_draft_writes_nothing(
    community: SupervisionProcess, changes: dict, field: str
) -> None:
    supervisor = builders.supervisor_principal(community)
    draft = people.draft(community.location_id, **changes)
    with pytest.raises(InvalidAgreement) as raised:
        save_draft(supervisor, community.id, draft)
    assert field in raised.value.fields
    assert versions() == 0
    assert db.session.get(SupervisionProcess, community.id).status is ProcessStatus.ASSESSMENT_HELD


def test_work_community_agreement_without_a_manager_is_not_sent(
    community: SupervisionProcess,
) -> None:
    supervisor = builders.supervisor_principal(community)
    save_draft(supervisor, community.id, people.draft(community.location_id))
    with pytest.raises(InvalidAgreement) as raised:
        send_agreement(supervisor, community.id, now=NOW)
    assert raised.value.fields == {"participants": "manager_required"}
    assert "manager_required" in str(raised.value)
    db.session.expire_all()
    [version] = db.session.scalars(select(AgreementVersion)).all()
    assert version.status is VersionStatus.DRAFT
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_binding_needs_every_party_and_proposes_the_series(community: SupervisionProcess) -> None:
    supervisor = builders.supervisor_principal(community)
    community.participants[1].is_manager = True
    db.session.commit()
    save_draft(supervisor, community.id, people.draft(community.location_id))
    version_id = send_agreement(supervisor, community.id, now=NOW)
    with pytest.raises(NotFound):
        accept_agreement(builders.principal(builders.person()), version_id, now=NOW)
    parties = [supervisor, *(builders.participant_principal(community, i) for i in range(4))]
    for who in parties[:-1]:
        assert accept_agreement(who, version_id, now=NOW).binding is False
    accept_agreement(parties[0], version_id, now=NOW)  # accepting twice counts once
    assert accept_agreement(parties[-1], version_id, now=NOW).binding is True
    proposed = db.session.scalars(
        select(SupervisionSession.status).where(SupervisionSession.process_id == community.id)
    ).all()
    assert proposed == [SessionStatus.PROPOSED] * 6
    with pytest.raises(AgreementStateError):
        accept_agreement(parties[0], version_id, now=NOW)  # binding now, not "sent"


def test_a_draft_is_not_accepted(community: SupervisionProcess) -> None:
    supervisor = builders.supervisor_principal(community)
    version_id = save_draft(supervisor, community.id, people.draft(community.location_id))
    with pytest.raises(AgreementStateError):
        accept_agreement(supervisor, version_id, now=NOW)


def test_a_draft_is_the_supervisors_own_until_it_is_sent(community: SupervisionProcess) -> None:
    supervisor = builders.supervisor_principal(community)
    participant = builders.participant_principal(community)
    community.participants[1].is_manager = True
    db.session.commit()
    version_id = save_draft(supervisor, community.id, people.draft(community.location_id))
    assert [v.version.id for v in agreement_history(supervisor, community.id)] == [version_id]
    assert agreement_history(participant, community.id) == []
    with pytest.raises(NotFound):
        version_for(participant, version_id)
    send_agreement(supervisor, community.id, now=NOW)
    assert [v.version.id for v in agreement_history(participant, community.id)] == [version_id]
    assert version_for(participant, version_id).id == version_id
