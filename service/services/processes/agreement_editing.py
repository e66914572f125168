"""What the supervisor's agreement editor starts from: the newest version as a draft,
or the template when there is none yet, with the places and people it may name."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from dateutil.relativedelta import relativedelta

from service.domain.agreement_template import template_for
from service.domain.localtime import local_date, zone_of
from service.models import AgreementVersion, GoalKind, Location, SupervisionProcess
from service.services.access import supervised_process
from service.services.auth import Principal
from service.services.places import places_for
from service.services.processes.agreements import AgreementDraft, GoalDraft, latest_version
from service.services.processes.lifecycle import OPEN_STATUSES

FIRST_DRAFT_SESSIONS = 10
FIRST_DRAFT_MONTHS = 12


@dataclass(frozen=True)
class EditorStart:
    process: SupervisionProcess
    draft: AgreementDraft
    places: list[Location]
    participants: list[tuple[uuid.UUID, str]]
    editable: bool


def _from_version(version: AgreementVersion) -> AgreementDraft:
    fields = {name for name in AgreementDraft.__dataclass_fields__} - {"goals", "report_items"}
    goals = tuple(
        GoalDraft(
            goal["title"],
            GoalKind(goal["kind"]),
            uuid.UUID(goal["owner_id"]) if goal["owner_id"] else None,
            uuid.UUID(goal["goal_id"]) if goal["goal_id"] else None,
        )
        for goal in version.goals_snapshot
    )
    return AgreementDraft(
        **{name: getattr(version, name) for name in fields if name != "mode"},
        report_items=tuple(version.orderer_report_items),
        goals=goals,
    )


def _from_template(language: str, today: dt.date) -> AgreementDraft:
    return AgreementDraft(
        starts_on=today,
        planned_end_on=today + relativedelta(months=FIRST_DRAFT_MONTHS),
        session_count=FIRST_DRAFT_SESSIONS,
        **asdict(template_for(language)),
    )


def editor_start(
    principal: Principal, process_id: uuid.UUID, *, language: str, now: dt.datetime
) -> EditorStart:
    """Only the process's supervisor edits its agreement; others get the use cases'
    not-found or forbidden."""
    process = supervised_process(principal, process_id)
    latest = latest_version(process_id)
    today = local_date(now, zone_of(process.supervisor.timezone))
    draft = _from_version(latest) if latest else _from_template(language, today)
    return EditorStart(
        process=process,
        draft=draft,
        places=places_for(process),
        participants=[(p.person_id, p.person.name) for p in process.participants],
        editable=process.status in OPEN_STATUSES,
    )
