"""The agreement as a reader sees it: every checklist item as a labelled line, in the
reader's language, for the printable page and the PDF alike."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from service import formats
from service.domain.agreements import ReportItem
from service.extensions import db
from service.models import Location, Person, SupervisionProcess
from service.services.processes.agreements import VersionView, required_people
from service.web.formatting import moment
from service.web.forms import MODE_LABELS

PLACE_LABELS = {
    "client_premises": _l("At the client's premises"),
    "office": _l("At the supervisor's office"),
    "remote": _l("Remote (video)"),
}
REPORT_LABELS = {
    ReportItem.SESSIONS_AGREED: _l("number of sessions agreed"),
    ReportItem.SESSIONS_HELD: _l("sessions held"),
    ReportItem.SESSIONS_CANCELLED: _l("cancelled sessions"),
    ReportItem.SESSIONS_UPCOMING: _l("upcoming sessions"),
    ReportItem.ATTENDANCE_COUNTS: _l("attendance counts"),
    ReportItem.INVOICING: _l("invoicing figures"),
    ReportItem.GOAL_AVERAGES: _l("goal averages, with the group's consent"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "sent": _l("Waiting for acceptance"),
    "accepted": _l("In force"),
    "superseded": _l("Replaced by a newer version"),
}
PARTY_LABELS = {
    "supervisor": _l("supervisor"),
    "supervisee": _l("supervisee"),
    "manager": _l("manager"),
    "orderer": _l("orderer"),
}
WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday")]


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class AgreementView:
    code: str
    number: int
    status: str
    title: str
    sections: list[Section]
    acceptances: list[tuple[str, str, str]]
    waiting: list[str]


def _place(version) -> str:
    label = str(PLACE_LABELS[str(version.place_kind)])
    location = db.session.get(Location, version.location_id) if version.location_id else None
    if location is None:
        return label
    address = ", ".join(
        part for part in (location.street, location.postal_code, location.city) if part
    )
    return f"{label}: {location.name}, {address}" if address else f"{label}: {location.name}"


def _break(start: str | None, end: str | None) -> str:
    """Month-days "07-01" .. "07-31" as the reader writes them: 1.7.–31.7."""
    if not (start and end):
        return _("None")
    # A leap year, so that 29 February can be written.
    first, last = (
        formats.day_of_month(dt.date(2028, int(v[:2]), int(v[3:]))) for v in (start, end)
    )
    return f"{first}–{last}"


def _moment(instant: dt.datetime, zone: ZoneInfo) -> str:
    """Date and time in the process's zone, with the zone named."""
    return moment(instant, zone.key)


def agreement_view(process: SupervisionProcess, view: VersionView) -> AgreementView:
    version = view.version
    zone = ZoneInfo(process.supervisor.timezone)
    people = {p.person_id: p for p in process.participants}
    # a goal without an owner looks up None and finds no name
    names: dict[uuid.UUID | None, str] = {
        pid: db.session.get_one(Person, pid).name for pid in required_people(process)
    }
    participants = ", ".join(
        names[pid] + (f" ({_('manager')})" if people[pid].is_manager else "") for pid in people
    )
    goals = [
        goal["title"]
        + (
            ""
            if goal["kind"] == "organisation"
            else f" ({names.get(_uuid(goal.get('owner_id')), '')})"
        )
        for goal in version.goals_snapshot
    ]
    sections = [
        Section(
            _("Parties"),
            [
                (_("Supervisor"), process.supervisor.person.name),
                (_("Supervisees"), participants),
                (
                    _("Orderer"),
                    process.orderer_organisation.name
                    if process.orderer_organisation
                    else _("The supervisee pays"),
                ),
            ],
        ),
        Section(
            _("Supervision"),
            [
                (_("Kind"), str(MODE_LABELS[process.mode])),
                (
                    _("Sessions"),
                    _(
                        "%(count)s sessions of %(minutes)s minutes",
                        count=version.session_count,
                        minutes=version.session_minutes,
                    ),
                ),
                (
                    _("Cadence"),
                    _(
                        "every %(low)s–%(high)s days",
                        low=version.min_gap_days,
                        high=version.max_gap_days,
                    ),
                ),
                (
                    _("Period"),
                    f"{formats.date(version.starts_on)} – {formats.date(version.planned_end_on)}",
                ),
                (
                    _("Preferred day"),
                    str(WEEKDAYS[version.preferred_weekday])
                    if version.preferred_weekday is not None and version.preferred_weekday < 5
                    else _("As agreed"),
                ),
                (_("Break"), _break(version.break_from, version.break_until)),
                (_("Place"), _place(version)),
                (_("Methods"), version.methods),
            ],
        ),
        Section(_("Goals"), [(str(i + 1) + ".", title) for i, title in enumerate(goals)]),
        Section(
            _("Evaluation"),
            [
                (
                    _("Interim evaluations"),
                    _("every %(months)s months", months=version.interim_evaluation_months),
                ),
                (_("Final evaluation"), formats.date(version.planned_end_on)),
                (_("Method"), _("Scaling questions: 0 = no progress, 10 = goal reached.")),
            ],
        ),
        Section(
            _("Price and invoicing"),
            [
                (_("Price per session"), formats.money(version.price_cents) + " " + _("plus VAT")),
                (
                    _("Payer"),
                    version.payer_description
                    or (process.orderer_organisation.name if process.orderer_organisation else ""),
                ),
                (_("Invoicing"), version.invoicing_terms),
            ],
        ),
        Section(
            _("Cancellations and ending"),
            [
                (
                    _("Free cancellation"),
                    _(
                        "until %(hours)s hours before the session",
                        hours=version.free_cancellation_hours,
                    ),
                ),
                (
                    _("Later cancellation"),
                    _(
                        "%(percent)s %% of the price is charged",
                        percent=version.late_cancellation_charge_percent,
                    ),
                ),
                (
                    _("Sickness"),
                    _("Not charged")
                    if version.sickness_exception
                    else _("Charged like other late cancellations"),
                ),
                (_("Ending early"), version.early_termination_terms),
                (_("If you are not satisfied"), version.dissatisfaction_terms),
            ],
        ),
        Section(
            _("Confidentiality"),
            [
                (_("Duty of confidentiality"), version.confidentiality_clause),
                (
                    _("Reported to the orderer"),
                    ", ".join(
                        str(REPORT_LABELS[ReportItem(item)])
                        for item in version.orderer_report_items
                    ),
                ),
            ],
        ),
    ]
    acceptances = [
        (names.get(a.person_id, ""), str(PARTY_LABELS[str(a.party)]), _moment(a.accepted_at, zone))
        for a in sorted(view.acceptances, key=lambda a: a.accepted_at)
    ]
    return AgreementView(
        code=process.code,
        number=version.number,
        status=str(STATUS_LABELS[str(version.status)]),
        title=_(
            "Supervision agreement %(code)s, version %(number)s",
            code=process.code,
            number=version.number,
        ),
        sections=sections,
        acceptances=acceptances,
        waiting=[names.get(pid, "") for pid in view.waiting_for],
    )


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None
