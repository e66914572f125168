"""Names of states and kinds as a reader sees them, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
SESSION_KINDS = {
    "initial_assessment": _l("Initial assessment"),
}
EVALUATION_KINDS = {
    "session": _l("Scaling at a session"),
    "interim": _l("Interim evaluation"),
    "final": _l("Final evaluation"),
}


def label(table: dict, key: object) -> str:
    return str(table.get(str(key), key))
