"""The written agreement: draft from the template, send, accept by every party,
revise as a new version; accepted, it makes the process active and proposes its series.

Versions are never edited once sent: a change is a new version that every party
accepts again, and the history keeps each one with who accepted it and when.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from service.domain.agreement_template import template_for
from service.domain.agreements import (
    DEFAULT_REPORT_ITEMS,
    AgreementTerms,
    InvalidAgreement,
    Party,
    Roster,
    check_draft,
    check_sendable,
)
from service.domain.errors import DomainError
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    Agreement,
    AgreementAcceptance,
    AgreementVersion,
    Goal,
    GoalKind,
    ProcessStatus,
    SupervisionProcess,
    VersionStatus,
)
from service.services import audit
from service.services.access import is_supervisor, party_of, supervised_process, visible_process
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.outbox import queue as outbox
from service.services.places import places_for
from service.services.processes.evaluations import schedule_evaluations
from service.services.processes.lifecycle import OPEN_STATUSES, ProcessStateError
from service.services.processes.series import propose_series
from service.services.transactions import write_transaction

PAYER_LENGTH = 500


class AgreementStateError(DomainError):
    code = "agreement_state"
    default_message = "The agreement is not at a stage that allows this."


class NotAParty(DomainError):
    code = "not_a_party"
    default_message = "Only a party to the agreement may accept it."


@dataclass(frozen=True)
class GoalDraft:
    title: str
    kind: GoalKind = GoalKind.ORGANISATION
    owner_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None


@dataclass(frozen=True)
class AgreementDraft:
    """Everything the checklist asks for; texts left None come from the template."""

    starts_on: dt.date
    planned_end_on: dt.date
    session_count: int
    session_minutes: int = 90
    min_gap_days: int = 14
    max_gap_days: int = 28
    place_kind: PlaceKind = PlaceKind.CLIENT_PREMISES
    location_id: uuid.UUID | None = None
    price_cents: int = 0
    payer_description: str = ""
    preferred_weekday: int | None = None
    preferred_start: dt.time | None = None
    break_from: str | None = "07-01"
    break_until: str | None = "07-31"
    free_cancellation_hours: int = 48
    late_cancellation_charge_percent: int = 100
    sickness_exception: bool = True
    interim_evaluation_months: int = 6
    report_items: Sequence[str] = DEFAULT_REPORT_ITEMS
    goals: Sequence[GoalDraft] = field(default_factory=tuple)
    methods: str | None = None
    invoicing_terms: str | None = None
    early_termination_terms: str | None = None
    dissatisfaction_terms: str | None = None
    confidentiality_clause: str | None = None
    mode: str | None = None


def _terms(
    mode: str, source: AgreementDraft | AgreementVersion, report_items: Sequence[str]
) -> AgreementTerms:
    """The rule-relevant values of a draft being saved or a version being sent."""
    return AgreementTerms(
        mode=mode,
        session_minutes=source.session_minutes,
        session_count=source.session_count,
        min_gap_days=source.min_gap_days,
        max_gap_days=source.max_gap_days,
        starts_on=source.starts_on,
        planned_end_on=source.planned_end_on,
        place_kind=str(source.place_kind),
        price_cents=source.price_cents,
        has_location=source.location_id is not None,
        free_cancellation_hours=source.free_cancellation_hours,
        late_cancellation_charge_percent=source.late_cancellation_charge_percent,
        interim_evaluation_months=source.interim_evaluation_months,
        report_items=tuple(report_items),
        break_from=source.break_from,
        break_until=source.break_until,
    )


def _roster(process: SupervisionProcess, goals: Sequence[dict[str, object]]) -> Roster:
    return Roster(
        participants=len(process.participants),
        managers=sum(1 for p in process.participants if p.is_manager),
        organisation_goals=sum(1 for g in goals if g["kind"] == GoalKind.ORGANISATION),
    )


def _goal_snapshot(process: SupervisionProcess, goals: Sequence[GoalDraft]) -> list[dict]:
    members = {p.person_id for p in process.participants}
    snapshot = []
    for goal in goals:
        title = goal.title.strip()
        if not title or len(title) > 500:
            raise InvalidAgreement({"goals": "goal_title"})
        if goal.kind is GoalKind.PERSONAL and goal.owner_id not in members:
            raise InvalidAgreement({"goals": "goal_owner"})
        snapshot.append(
            {
                "goal_id": str(goal.goal_id) if goal.goal_id else None,
                "kind": str(goal.kind),
                "title": title,
                "owner_id": str(goal.owner_id) if goal.kind is GoalKind.PERSONAL else None,
            }
        )
    return snapshot


def latest_version(process_id: uuid.UUID) -> AgreementVersion | None:
    return db.session.scalar(
        select(AgreementVersion)
        .join(Agreement)
        .where(Agreement.process_id == process_id)
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    )


def _checked_draft(process: SupervisionProcess, draft: AgreementDraft) -> list[dict]:
    """The draft's goal snapshot, or every problem of the draft at once."""
    problems: dict[str, str] = {}
    if draft.mode is not None and draft.mode != process.mode:
        problems["mode"] = "mode_fixed"
    if len(draft.payer_description) > PAYER_LENGTH:
        problems["payer_description"] = "too_long"
    if draft.location_id is not None and draft.location_id not in {
        place.id for place in places_for(process)
    }:
        problems["location"] = "unknown_location"
    goals: list[dict] = []
    try:
        goals = _goal_snapshot(process, draft.goals)
    except InvalidAgreement as invalid:
        problems.update(invalid.fields)
    try:
        check_draft(
            _terms(draft.mode or str(process.mode), draft, draft.report_items),
            _roster(process, goals),
        )
    except InvalidAgreement as invalid:
        problems = {**invalid.fields, **problems}
    if problems:
        raise InvalidAgreement(problems)
    return goals


def save_draft(
    principal: Principal, process_id: uuid.UUID, draft: AgreementDraft, *, language: str = "fi"
) -> uuid.UUID:
    """Write the draft version: the open draft is edited in place; after a sent or
    accepted version a new one is begun. Invalid drafts write nothing."""
    with write_transaction():
        process = supervised_process(principal, process_id)
        if process.status not in OPEN_STATUSES:
            raise ProcessStateError()
        goals = _checked_draft(process, draft)
        texts = template_for(language)
        values = {
            key: value
            for key, value in asdict(draft).items()
            if key not in {"goals", "report_items", "mode"}
        }
        for key, default in asdict(texts).items():
            values[key] = values[key] if values[key] is not None else default
        values["orderer_report_items"] = [str(item) for item in draft.report_items]
        values["goals_snapshot"] = goals
        latest = latest_version(process_id)
        if latest is not None and latest.status is VersionStatus.DRAFT:
            version = latest
            for key, value in values.items():
                setattr(version, key, value)
        else:
            agreement = db.session.scalar(
                select(Agreement).where(Agreement.process_id == process_id)
            ) or Agreement(process_id=process_id)
            db.session.add(agreement)
            version = AgreementVersion(
                agreement=agreement,
                number=(latest.number + 1) if latest else 1,
                created_by_id=principal.person_id,
                **values,
            )
            db.session.add(version)
        if process.status is not ProcessStatus.ACTIVE:
            process.status = ProcessStatus.AGREEMENT_DRAFT
        db.session.flush()
        audit.record(
            "agreement.drafted", "agreement_version", version.id, actor_id=principal.person_id
        )
        return version.id


def send_agreement(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> uuid.UUID:
    """Send the draft to every party for acceptance. A work community's agreement needs
    its manager among the participants, and every agreement an organisation goal."""
    with write_transaction():
        process = supervised_process(principal, process_id)
        version = latest_version(process_id)
        if version is None or version.status is not VersionStatus.DRAFT:
            raise AgreementStateError("There is no draft to send.")
        terms = _terms(str(process.mode), version, version.orderer_report_items)
        check_sendable(terms, _roster(process, version.goals_snapshot))
        for earlier in version.agreement.versions:
            if earlier.status is VersionStatus.SENT:
                earlier.status = VersionStatus.SUPERSEDED
        version.status = VersionStatus.SENT
        version.sent_at = now
        if process.status is not ProcessStatus.ACTIVE:
            process.status = ProcessStatus.AGREEMENT_SENT
        for person_id in required_people(process):
            outbox.enqueue(
                "email.agreement_sent",
                {"version_id": str(version.id), "person_id": str(person_id)},
                f"email.agreement_sent:{version.id}:{person_id}",
            )
        audit.record(
            "agreement.sent", "agreement_version", version.id, actor_id=principal.person_id
        )
        return version.id


def required_people(process: SupervisionProcess) -> list[uuid.UUID]:
    """Everyone whose acceptance makes a version bind: the supervisor, every
    participant (the manager among them) and the orderer contact."""
    people = [process.supervisor.person_id, *(p.person_id for p in process.participants)]
    if process.orderer_organisation_id is not None and process.orderer_contact_id is not None:
        people.append(process.orderer_contact_id)
    return list(dict.fromkeys(people))


@dataclass(frozen=True)
class Acceptance:
    version_id: uuid.UUID
    party: Party
    binding: bool
    proposed_sessions: int = 0


def accept_agreement(
    principal: Principal, version_id: uuid.UUID, *, now: dt.datetime
) -> Acceptance:
    """Record one party's acceptance of the sent version. The last one makes it bind:
    older versions are superseded, the goals take the version's wording, evaluations
    are scheduled, the process becomes active and its series is proposed."""
    with write_transaction():
        version = db.session.get(AgreementVersion, version_id)
        if version is None:
            raise NotFound()
        process = visible_process(principal, version.agreement.process_id)
        party = party_of(principal, process)
        if party is None:
            raise NotAParty()
        if version.status is not VersionStatus.SENT:
            raise AgreementStateError("Only a sent version can be accepted.")
        accepted = {a.person_id for a in version.acceptances}
        if principal.person_id not in accepted:
            version.acceptances.append(
                AgreementAcceptance(person_id=principal.person_id, party=party, accepted_at=now)
            )
            accepted.add(principal.person_id)
            audit.record(
                "agreement.accepted", "agreement_version", version.id, actor_id=principal.person_id
            )
        binding = set(required_people(process)) <= accepted
        if binding:
            _make_binding(process, version, now)
        supervisor = Principal(person_id=process.supervisor.person_id)
        process_id = process.id
    proposed = propose_series(supervisor, process_id, now=now) if binding else []
    return Acceptance(version_id, party, binding, len(proposed))


def _make_binding(process: SupervisionProcess, version: AgreementVersion, now: dt.datetime) -> None:
    for earlier in version.agreement.versions:
        if earlier.status is VersionStatus.ACCEPTED:
            earlier.status = VersionStatus.SUPERSEDED
    version.status = VersionStatus.ACCEPTED
    version.accepted_at = now
    version.goals_snapshot = _sync_goals(process, version.goals_snapshot)
    process.status = ProcessStatus.ACTIVE
    schedule_evaluations(process, version, now)
    audit.record("agreement.binding", "agreement_version", version.id)


def _sync_goals(process: SupervisionProcess, snapshot: list[dict]) -> list[dict]:
    """Make the process's goals those of the accepted version; goals dropped from it
    stay for the history of their answers but are no longer asked about."""
    existing = {
        goal.id: goal
        for goal in db.session.scalars(select(Goal).where(Goal.process_id == process.id))
    }
    kept = set()
    synced = []
    for position, entry in enumerate(snapshot):
        goal = existing.get(uuid.UUID(entry["goal_id"])) if entry["goal_id"] else None
        if goal is None:
            goal = Goal(process_id=process.id, kind=GoalKind(entry["kind"]))
            db.session.add(goal)
        goal.title = entry["title"]
        goal.owner_id = uuid.UUID(entry["owner_id"]) if entry["owner_id"] else None
        goal.position = position
        goal.is_active = True
        db.session.flush()
        kept.add(goal.id)
        synced.append({**entry, "goal_id": str(goal.id)})
    for goal_id, goal in existing.items():
        if goal_id not in kept:
            goal.is_active = False
    return synced


@dataclass(frozen=True)
class VersionView:
    version: AgreementVersion
    acceptances: list[AgreementAcceptance]
    waiting_for: list[uuid.UUID]


def agreement_history(principal: Principal, process_id: uuid.UUID) -> list[VersionView]:
    """Every version, newest first, with who accepted it and whom it still waits for.
    A draft is the supervisor's own until it is sent: nobody else sees it."""
    process = visible_process(principal, process_id)
    required = required_people(process)
    query = (
        select(AgreementVersion)
        .join(Agreement)
        .where(Agreement.process_id == process_id)
        .order_by(AgreementVersion.number.desc())
    )
    if not is_supervisor(principal, process):
        query = query.where(AgreementVersion.status != VersionStatus.DRAFT)
    versions = db.session.scalars(query).all()
    views = []
    for version in versions:
        accepted = {a.person_id for a in version.acceptances}
        waiting = (
            [p for p in required if p not in accepted]
            if version.status is VersionStatus.SENT
            else []
        )
        views.append(VersionView(version, list(version.acceptances), waiting))
    return views


def version_for(principal: Principal, version_id: uuid.UUID) -> AgreementVersion:
    version = db.session.get(AgreementVersion, version_id)
    if version is None:
        raise NotFound()
    process = visible_process(principal, version.agreement.process_id)
    if version.status is VersionStatus.DRAFT and not is_supervisor(principal, process):
        raise NotFound()
    return version
