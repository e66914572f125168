"""The supervisor's agreement editor through the test client: only the process's
supervisor reaches it; a draft is saved, bad input is refused in the reader's language
with nothing written, and sending makes a version every party is emailed to accept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    AgreementVersion,
    OrganisationContact,
    OutboxMessage,
    ProcessStatus,
    Role,
    SupervisionProcess,
    VersionStatus,
)
from service.services.processes.agreements import required_people
from tests import builders
from tests.web.pages import csrf_token, sign_in, sign_in_with_password, with_password

EN = {"Accept-Language": "en"}
FI = {"Accept-Language": "fi"}


@dataclass
class Team:
    process_id: uuid.UUID
    code: str
    email: str
    other_email: str
    participant: uuid.UUID
    premises: uuid.UUID
    foreign_premises: uuid.UUID
    owner: uuid.UUID
    people: int


@pytest.fixture
def team(app: Flask) -> Team:
    """A group after its initial assessment, ordered by an organisation, no agreement yet."""
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        org = builders.organisation(10)
        process = builders.process(
            profile,
            mode=ProcessMode.GROUP,
            participants=3,
            place=PlaceKind.CLIENT_PREMISES,
            org=org,
            status=ProcessStatus.ASSESSMENT_HELD,
        )
        db.session.execute(delete(AgreementVersion))
        contact = builders.person("Tilaaja")
        db.session.add(
            OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id)
        )
        process.orderer_contact_id = contact.id
        db.session.commit()
        other = builders.supervisor()
        with_password(other.person_id, Role.SUPERVISOR)
        return Team(
            process.id,
            process.code,
            profile.person.email,
            other.person.email,
            process.participants[0].person_id,
            org.premises.id,
            builders.organisation().premises.id,
            process.participants[1].person_id,
            len(required_people(process)),
        )


def terms(team: Team, **changes: str) -> dict[str, str]:
    values = {
        "starts_on": "2027-04-01",
        "planned_end_on": "2027-12-15",
        "session_count": "8",
        "session_minutes": "90",
        "min_gap_days": "14",
        "max_gap_days": "35",
        "preferred_weekday": "2",
        "preferred_start": "13:00",
        "break_from": "1.7.",
        "break_until": "31.7.",
        "place_kind": "client_premises",
        "location_id": str(team.premises),
        "price": "180,50",
        "payer_description": "Pirkanmaan hyvinvointialue",
        "free_cancellation_hours": "48",
        "late_cancellation_charge_percent": "50",
        "sickness_exception": "y",
        "interim_evaluation_months": "3",
        "report_items": "sessions_held",
        "methods": "Ratkaisukeskeinen",
        "invoicing_terms": "Kuukausittain",
        "early_termination_terms": "Kirjallisesti",
        "dissatisfaction_terms": "Kerro ohjaajalle",
        "confidentiality_clause": "Vaitiolo",
        "goals-0-title": "Perustehtävän kirkastaminen",
        "goals-0-kind": "organisation",
        "goals-0-owner": "",
        "goals-1-title": "Oma jaksaminen",
        "goals-1-kind": "personal",
        "goals-1-owner": str(team.owner),
        "goals-2-title": "",
        "goals-2-kind": "organisation",
        "goals-2-owner": "",
    }
    values.update(changes)
    return values


def editor_of(team: Team) -> str:
    return f"/supervisor/processes/{team.process_id}/agreement"


def post(client: FlaskClient, team: Team, headers=EN, **changes: str):
    page = client.get(editor_of(team), headers=headers)
    data = {"csrf_token": csrf_token(page.text), **terms(team, **changes)}
    return client.post(editor_of(team), data=data, headers=headers)


def versions() -> list[AgreementVersion]:
    return list(db.session.scalars(select(AgreementVersion).order_by(AgreementVersion.number)))


def outbox_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.kind == "email.agreement_sent")
    )


def test_only_the_processs_supervisor_reaches_the_editor(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    sign_in_with_password(client, team.other_email, language="en")
    assert client.get(editor_of(team)).status_code == 404
    token = csrf_token(client.get("/account").text)
    forged = client.post(editor_of(team), data={"csrf_token": token, **terms(team)})
    assert forged.status_code == 404
    participant = app.test_client()
    sign_in(participant, team.participant, language="en")
    assert participant.get(editor_of(team)).status_code == 403
    anonymous = app.test_client().get(editor_of(team))
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    with app.app_context():
        assert versions() == []


def test_the_processes_page_links_to_the_editor(client: FlaskClient, team: Team) -> None:
    sign_in_with_password(client, team.email, language="en")
    page = client.get("/supervisor/processes", headers=EN)
    assert f'href="{editor_of(team)}"' in page.text


def test_a_first_draft_starts_from_the_template_and_is_saved(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    sign_in_with_password(client, team.email, language="en")
    page = client.get(editor_of(team), headers=EN)
    assert page.status_code == 200 and "No versions yet" in page.text
    assert "Solution-focused supervision" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    saved = post(client, team, action="save")
    assert saved.status_code == 302, saved.text
    with app.app_context():
        [version] = versions()
        assert version.status is VersionStatus.DRAFT and version.number == 1
        assert version.price_cents == 18050 and version.session_count == 8
        assert (version.break_from, version.break_until) == ("07-01", "07-31")
        assert version.preferred_weekday == 2 and version.orderer_report_items == ["sessions_held"]
        assert [g["title"] for g in version.goals_snapshot] == [
            "Perustehtävän kirkastaminen",
            "Oma jaksaminen",
        ]
        assert version.goals_snapshot[1]["owner_id"] == str(team.owner)
        process = db.session.get(SupervisionProcess, team.process_id)
        assert process.status is ProcessStatus.AGREEMENT_DRAFT
    shown = client.get(editor_of(team), headers=EN)
    assert "Version 1" in shown.text and "Draft" in shown.text
    assert 'value="180.50"' in shown.text and 'value="1.7."' in shown.text
    assert "Oma jaksaminen" in shown.text and outbox_count_in(app) == 0


def outbox_count_in(app: Flask) -> int:
    with app.app_context():
        return outbox_count()


def test_bad_terms_are_shown_in_finnish_at_their_fields_and_nothing_is_written(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    sign_in_with_password(client, team.email, language="fi")
    answer = post(
        client,
        team,
        headers=FI,
        session_count="0",
        min_gap_days="40",
        max_gap_days="20",
        planned_end_on="2027-03-01",
    )
    assert answer.status_code == 422
    text = answer.text
    assert 'id="session_count-error">Sovi vähintään yksi tapaaminen.' in text
    assert 'id="max_gap_days-error">Pisin väli ei voi olla lyhyempi kuin lyhin.' in text
    assert "Suunnitellun päättymisen on oltava alkamisen jälkeen." in text
    assert 'value="Oma jaksaminen"' in text  # what was typed stays
    unreadable = post(client, team, headers=FI, price="kymppi", break_from="heinäkuu")
    assert unreadable.status_code == 422
    assert (
        'id="price-error">Tarkista arvo: anna luku, päivämäärä tai kellonaika.' in unreadable.text
    )
    assert 'id="break_from-error">Anna tauko päivänä ja kuukautena.' in unreadable.text
    sign_in_with_password(client, team.email, language="en")
    elsewhere = post(client, team, location_id=str(team.foreign_premises))
    assert elsewhere.status_code == 422
    assert "Choose one of the addresses in the list." in elsewhere.text
    forged = client.post(editor_of(team), data=terms(team), headers=EN)
    assert forged.status_code == 422 and "The form expired" in forged.text
    with app.app_context():
        assert versions() == []
        process = db.session.get(SupervisionProcess, team.process_id)
        assert process.status is ProcessStatus.ASSESSMENT_HELD


def test_sending_makes_a_version_to_accept_and_emails_every_party(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    sign_in_with_password(client, team.email, language="en")
    sent = post(client, team, action="send")
    assert sent.status_code == 302, sent.text
    page = client.get(editor_of(team), headers=EN)
    assert "Waiting for acceptance" in page.text and "at " in page.text
    assert f"/processes/{team.process_id}/agreement/1" in page.text
    assert outbox_count_in(app) == team.people
    revised = post(client, team, action="send", session_count="10")
    assert revised.status_code == 302
    history = client.get(editor_of(team), headers=EN).text
    assert "Version 2" in history and "Replaced by a newer version" in history
    with app.app_context():
        first, second = versions()
        assert first.status is VersionStatus.SUPERSEDED and first.session_count == 8
        assert second.status is VersionStatus.SENT and second.session_count == 10
        assert outbox_count() == 2 * team.people
    read_only = client.get(f"/processes/{team.process_id}/agreement/2", headers=EN)
    assert read_only.status_code == 200 and "10 sessions of 90 minutes" in read_only.text


def test_a_draft_without_an_organisation_goal_is_saved_but_not_sent(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    sign_in_with_password(client, team.email, language="en")
    answer = post(client, team, action="send", **{"goals-0-title": ""})
    assert answer.status_code == 422
    assert "The draft is saved, but it cannot be sent yet." in answer.text
    assert 'id="goals">Set at least one goal for the organisation.' in answer.text
    with app.app_context():
        [version] = versions()
        assert version.status is VersionStatus.DRAFT and version.sent_at is None
        assert outbox_count() == 0
