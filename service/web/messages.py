"""Field problems and domain errors in the reader's language.

The domain and use cases name problems by stable codes; this is the one table that
turns a code into a sentence for a page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FIELD_PROBLEMS = {
    "required": _l("This field is required."),
    "too_long": _l("This is too long."),
    "invalid_email": _l("Enter a valid email address, such as name@example.fi."),
    "unknown_mode": _l("Choose individual, group or work-community supervision."),
    "group_size_range": _l("The group size does not fit the kind of supervision chosen."),
    "choose_at_least_one": _l("Choose at least one topic."),
    "unknown_need": _l("Choose topics from the list."),
    "consent_required": _l("Please accept the privacy notice to send the inquiry."),
    "unknown_language": _l("Choose Finnish, Swedish or English."),
    "unknown_slot": _l("That time is no longer available. Please choose another."),
}

ERRORS = {
    "booking_conflict": _l("That time was just taken. Please choose another."),
    "link_invalid": _l("This link is not valid any more: it has expired or was already used."),
    "not_found": _l("We could not find that page."),
    "forbidden": _l("You may not see this page."),
    "form_expired": _l("The form expired. Please check the details and send it again."),
    "too_many_requests": _l("Too many tries in a short time. Please wait a moment."),
    "bad_request": _l("The request could not be understood. Please try again."),
    "server_error": _l("Something went wrong on our side. Please try again in a moment."),
}


def field_problem(code: str) -> str:
    return str(FIELD_PROBLEMS.get(code, _l("Check this field.")))


def error_text(code: str) -> str:
    return str(ERRORS.get(code, _l("Something went wrong. Please try again.")))
