"""Who sees what of a process: every role against every confidential object.

A role that may not know of a process gets NotFound; one that sees it but may not do
this gets AccessDenied. Notes are the supervisor's alone; a person's answers are theirs
and the supervisor's; the orderer sees figures, never content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask import Flask

from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    EvaluationKind,
    EvaluationRound,
    Goal,
    GoalKind,
    OrganisationContact,
    SupervisionProcess,
)
from service.services import access
from service.services.access import visible_process
from service.services.auth import Principal
from service.services.booking.changes import BookSession, book_session
from service.services.errors import AccessDenied, NotFound
from service.services.orderer import reports
from service.services.processes import evaluations, session_records
from service.services.processes.agreements import NotAParty, agreement_history
from tests import builders
from tests.builders import NOW, helsinki

ALLOWED, DENIED, HIDDEN = "allowed", "denied", "hidden"


@dataclass
class World:
    process_id: object
    session_id: object
    author: Principal
    roles: dict[str, Principal]


@pytest.fixture
def world(ctx: Flask) -> World:
    org = builders.organisation(8)
    other_org = builders.organisation(8)
    profile = builders.supervisor()
    process = builders.process(
        profile,
        mode=ProcessMode.WORK_COMMUNITY,
        participants=3,
        place=PlaceKind.CLIENT_PREMISES,
        org=org,
    )
    process.participants[1].is_manager = True
    contact, stranger_contact = builders.person("Tilaaja"), builders.person("Toinen tilaaja")
    db.session.add(OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id))
    db.session.add(
        OrganisationContact(
            organisation_id=other_org.organisation.id, person_id=stranger_contact.id
        )
    )
    process.orderer_contact_id = contact.id
    other = builders.process(builders.supervisor())
    goal = Goal(process_id=process.id, kind=GoalKind.ORGANISATION, title="Tavoite")
    db.session.add(goal)
    evaluation = EvaluationRound(process_id=process.id, kind=EvaluationKind.INTERIM, opens_at=NOW)
    db.session.add(evaluation)
    db.session.commit()
    supervisor = builders.supervisor_principal(process)
    author = builders.participant_principal(process, 0)
    start = helsinki(2027, 3, 3, 10)
    session_id = book_session(supervisor, BookSession(process.id, start), now=NOW).session_id
    evaluations.answer_evaluation(author, evaluation.id, goal.id, 7, "Askel", now=NOW)
    session_records.write_content(supervisor, session_id, notes="Salainen", next_step="Askel")
    return World(
        process.id,
        session_id,
        author,
        {
            "supervisor": supervisor,
            "author": author,
            "manager": builders.participant_principal(process, 1),
            "other_supervisee": builders.participant_principal(process, 2),
            "orderer_contact": builders.principal(contact),
            "orderer_token": Principal(person_id=contact.id, organisation_id=org.organisation.id),
            "other_orderer": builders.principal(stranger_contact),
            "other_process_supervisee": builders.participant_principal(other, 0),
            "other_supervisor": builders.supervisor_principal(other),
        },
    )


def outcome(action) -> str:
    try:
        action()
    except NotFound:
        return HIDDEN
    except (AccessDenied, NotAParty):
        return DENIED
    return ALLOWED


def notes(world: World, who: Principal) -> str:
    def read():
        if session_records.read_content(who, world.session_id).notes != "Salainen":
            raise AccessDenied()

    return outcome(read)


ACTIONS = {
    "view": lambda w, p: outcome(lambda: visible_process(p, w.process_id)),
    "agreement": lambda w, p: outcome(lambda: agreement_history(p, w.process_id)),
    "notes": notes,
    "next_step": lambda w, p: outcome(lambda: session_records.read_content(p, w.session_id)),
    "author_answers": lambda w, p: outcome(
        lambda: evaluations.answers(p, w.process_id, person_id=w.author.person_id)
    ),
    "report": lambda w, p: outcome(lambda: reports.process_report(p, w.process_id, now=NOW)),
}

EXPECTED = {
    #                         view     agreement notes   next_step author_answers report
    "supervisor": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "author": (ALLOWED, ALLOWED, DENIED, ALLOWED, ALLOWED, DENIED),
    "manager": (ALLOWED, ALLOWED, DENIED, ALLOWED, DENIED, DENIED),
    "other_supervisee": (ALLOWED, ALLOWED, DENIED, ALLOWED, DENIED, DENIED),
    "orderer_contact": (ALLOWED, ALLOWED, DENIED, DENIED, DENIED, ALLOWED),
    "orderer_token": (ALLOWED, ALLOWED, DENIED, DENIED, DENIED, ALLOWED),
    "other_orderer": (HIDDEN,) * 6,
    "other_process_supervisee": (HIDDEN,) * 6,
    "other_supervisor": (HIDDEN,) * 6,
}


# The rules of service/services/access.py, one per column: what each says of a reader.
RULES = {
    "view": lambda who, process, w: access.may_view_process(who, process),
    "agreement": lambda who, process, w: access.may_view_process(who, process),
    "notes": lambda who, process, w: access.may_read_notes(who, process),
    "next_step": lambda who, process, w: access.may_read_next_step(who, process),
    "author_answers": lambda who, process, w: access.may_read_answers(
        who, process, w.author.person_id
    ),
    "report": lambda who, process, w: access.may_view_report(who, process),
}


def ruled(world: World, who: Principal) -> tuple[str, ...]:
    """The matrix as access.py states it: allowed where the rule says so, denied to
    whoever sees the process otherwise, hidden from everyone else."""
    process = db.session.get(SupervisionProcess, world.process_id)
    seen = access.may_view_process(who, process)
    return tuple(
        (ALLOWED if rule(who, process, world) else DENIED) if seen else HIDDEN
        for rule in RULES.values()
    )


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access_states_the_matrix(world: World, role: str) -> None:
    assert ruled(world, world.roles[role]) == EXPECTED[role]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_against_every_object(world: World, role: str) -> None:
    who = world.roles[role]
    seen = tuple(action(world, who) for action in ACTIONS.values())
    assert dict(zip(ACTIONS, seen, strict=True)) == dict(zip(ACTIONS, EXPECTED[role], strict=True))


def test_a_manager_never_sees_another_participants_answers(world: World) -> None:
    mine = evaluations.answers(world.roles["manager"], world.process_id)
    assert mine == []
    everyone = evaluations.answers(world.roles["supervisor"], world.process_id)
    assert [a.person_id for a in everyone] == [world.author.person_id]


def test_nobody_but_the_participant_answers(world: World) -> None:
    evaluation_id = db.session.query(EvaluationRound.id).scalar()
    goal_id = db.session.query(Goal.id).scalar()
    for role in ("supervisor", "orderer_contact"):
        with pytest.raises(AccessDenied):
            evaluations.answer_evaluation(
                world.roles[role], evaluation_id, goal_id, 5, None, now=NOW + dt.timedelta(hours=1)
            )
