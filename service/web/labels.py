"""Names of kinds and states in the reader's language, for the pages.

A supervisee's or orderer's page names a process's stage and a session's state in a
sentence of its own (``label`` with the first tables); the supervisor's pages group and
annotate by the enum-keyed tables registered as template globals by ``register``.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from service.domain.errors import Reason
from service.domain.rules import PlaceKind, SessionKind
from service.domain.series import OccurrenceStatus
from service.models import AttendanceStatus, OutboxState, ProcessStatus, SessionStatus
from service.web.forms import MODE_LABELS

PROCESS_STAGES = {
    "inquiry": _l("Inquiry"),
    "assessment_booked": _l("Initial assessment booked"),
    "assessment_held": _l("Initial assessment held"),
    "agreement_draft": _l("Agreement being drafted"),
    "agreement_sent": _l("Agreement waiting for acceptance"),
    "active": _l("Under way"),
    "closed": _l("Closed"),
    "declined": _l("Not started"),
    "terminated": _l("Ended early"),
}
SESSION_STATES = {
    "proposed": _l("Proposed, not yet confirmed"),
    "awaiting_confirmation": _l("Awaiting email confirmation"),
    "waiting_for_room": _l("Booked, room being reserved"),
    "booked": _l("Booked"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
    "no_show": _l("No-show"),
}
EVALUATION_KINDS = {
    "session": _l("Scaling at a session"),
    "interim": _l("Interim evaluation"),
    "final": _l("Final evaluation"),
}


def label(table: dict, key: object) -> str:
    return str(table.get(str(key), key))


SESSION_KIND_LABELS = {
    SessionKind.INITIAL_ASSESSMENT: _l("Initial assessment"),
    SessionKind.INDIVIDUAL: _l("Individual session"),
    SessionKind.GROUP: _l("Group session"),
    SessionKind.WORK_COMMUNITY: _l("Work-community session"),
}
SESSION_STATUS_LABELS = {
    SessionStatus.PROPOSED: _l("proposed"),
    SessionStatus.AWAITING_CONFIRMATION: _l("awaiting confirmation"),
    SessionStatus.WAITING_FOR_ROOM: _l("waiting for a room"),
    SessionStatus.BOOKED: _l("booked"),
    SessionStatus.HELD: _l("held"),
    SessionStatus.CANCELLED: _l("cancelled"),
    SessionStatus.NO_SHOW: _l("no one came"),
}
PROCESS_STATUS_LABELS = {
    ProcessStatus.INQUIRY: _l("Inquiries"),
    ProcessStatus.ASSESSMENT_BOOKED: _l("Initial assessment booked"),
    ProcessStatus.ASSESSMENT_HELD: _l("Initial assessment held"),
    ProcessStatus.AGREEMENT_DRAFT: _l("Agreement in draft"),
    ProcessStatus.AGREEMENT_SENT: _l("Agreement sent"),
    ProcessStatus.ACTIVE: _l("Active"),
    ProcessStatus.CLOSED: _l("Closed"),
    ProcessStatus.DECLINED: _l("Declined"),
    ProcessStatus.TERMINATED: _l("Ended early"),
}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.REPORTED_ABSENT: _l("Told in advance they cannot come"),
}
PLACE_LABELS = {
    PlaceKind.OFFICE: _l("Supervisor's office"),
    PlaceKind.CLIENT_PREMISES: _l("Client's premises"),
    PlaceKind.REMOTE: _l("Remote"),
}
OUTBOX_STATE_LABELS = {
    OutboxState.PENDING: _l("waiting"),
    OutboxState.LEASED: _l("being sent"),
    OutboxState.DELIVERED: _l("sent"),
    OutboxState.DEAD: _l("gave up"),
}

SLOT_REASON_LABELS = {
    Reason.WRONG_DURATION: _l("The length differs from the agreed one."),
    Reason.NOT_ALIGNED: _l("It does not start at one of your starting times."),
    Reason.NONEXISTENT_LOCAL_TIME: _l("That clock time does not exist that day (summer time)."),
    Reason.TOO_SOON: _l("It is sooner than your notice period allows."),
    Reason.TOO_FAR: _l("It is further ahead than bookings are taken."),
    Reason.SESSIONS_USED_UP: _l("Every session of the agreement is already booked or used."),
    Reason.OUTSIDE_AGREEMENT: _l("It is outside the agreement's dates."),
    Reason.OUTSIDE_CADENCE: _l("It does not keep the agreed gap between sessions."),
    Reason.AFTER_SERIES_END: _l("It is after the series ends."),
    Reason.HOLIDAY: _l("It is a public holiday."),
    Reason.DAY_OFF: _l("It is your day off."),
    Reason.OUTSIDE_WORKING_HOURS: _l("It is outside your working hours."),
    Reason.BUSY: _l("Your calendar is busy then."),
    Reason.SESSION_CONFLICT: _l("Another session is booked then."),
    Reason.TRAVEL_TIME: _l(
        "There is not enough travel time from the session before or to the next."
    ),
    Reason.DAILY_LIMIT: _l("Your limit of sessions that day is reached."),
    Reason.WEEKLY_LIMIT: _l("Your limit of sessions that week is reached."),
    Reason.NO_ROOM: _l("No room large enough is free at the premises."),
}
OCCURRENCE_STATUS_LABELS = {
    OccurrenceStatus.OK: _l("Fits"),
    OccurrenceStatus.SKIPPED_BREAK: _l("Fits, moved out of a break or holiday"),
    OccurrenceStatus.COLLISION: _l("Collides"),
}


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        mode_labels=MODE_LABELS,
        session_kind_labels=SESSION_KIND_LABELS,
        session_status_labels=SESSION_STATUS_LABELS,
        process_status_labels=PROCESS_STATUS_LABELS,
        attendance_labels=ATTENDANCE_LABELS,
        place_labels=PLACE_LABELS,
        outbox_state_labels=OUTBOX_STATE_LABELS,
        slot_reason_labels=SLOT_REASON_LABELS,
        occurrence_status_labels=OCCURRENCE_STATUS_LABELS,
        occurrence_statuses=OccurrenceStatus,
    )
