"""Field problems and domain errors in the reader's language.

The domain and use cases name problems by stable codes; this is the one table that
turns a code into a sentence for a page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from service.backends import RoomProblem

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
    "unknown_place": _l("Choose the client's premises, the supervisor's office or remote."),
    "location_required": _l("Give the address where the sessions are held."),
    "at_least_one_session": _l("Agree on at least one session."),
    "session_minutes_range": _l("A session lasts 30 to 240 minutes."),
    "gap_range": _l("Sessions are 7 to 60 days apart."),
    "gap_order": _l("The longest gap cannot be shorter than the shortest."),
    "end_before_start": _l("The planned end must come after the start."),
    "price_negative": _l("The price cannot be negative."),
    "not_negative": _l("This cannot be negative."),
    "percent_range": _l("Give a percentage from 0 to 100."),
    "interim_months_range": _l("Interim evaluations come every 1 to 24 months."),
    "unknown_report_item": _l("Choose what is reported to the orderer from the list."),
    "month_day": _l("Give the break as day and month."),
    "break_needs_both_ends": _l("Give both the first and the last day of the break."),
    "too_many_participants": _l("There are too many participants for this kind of supervision."),
    "too_few_participants": _l("There are too few participants for this kind of supervision."),
    "manager_required": _l("Work-community supervision needs the manager among the participants."),
    "organisation_goal_required": _l("Set at least one goal for the organisation."),
    "goal_title": _l("Give each goal a title of at most 500 characters."),
    "goal_owner": _l("A personal goal belongs to one of the participants."),
    "mode_fixed": _l("The kind of supervision is fixed when the process starts."),
    "scale_range": _l("Answer with a number from 0 to 10."),
    "scale_whole_number": _l("Answer with a whole number from 0 to 10."),
    "choose_time": _l("Choose one of the times offered."),
    "choose_reason": _l("Choose the reason for cancelling from the list."),
    "whole_number": _l("Give a whole number."),
    "capacity_range": _l("Give the number of people the room holds, from 1 to 500."),
    "positive_range": _l("Give a number greater than zero, or leave the field empty."),
    "time_format": _l("Give the time as hours and minutes, such as 08:00."),
    "hours_order": _l("The room must open before it closes."),
    "date_format": _l("Give the date as day, month and year."),
    "closure_order": _l("The last closed day cannot come before the first."),
    "choose_room": _l("Choose one of the free rooms."),
    "unknown_room_system": _l("Choose a room system from the list."),
    "url_required": _l("Give the address of the room system, starting with https://."),
}

ERRORS = {
    "booking_conflict": _l("That time was just taken. Please choose another."),
    "booking_rejected": _l("This session cannot be booked or changed here any more."),
    "too_late_to_change": _l(
        "The free cancellation period has passed, so the session can no longer be moved "
        "here. Please ask your supervisor."
    ),
    "not_upcoming": _l("Absence can be reported only for an upcoming booked session."),
    "evaluation_closed": _l("This evaluation is not open for answers now."),
    "link_invalid": _l("This link is not valid any more: it has expired or was already used."),
    "not_found": _l("We could not find that page."),
    "forbidden": _l("You may not see this page."),
    "form_expired": _l("The form expired. Please check the details and send it again."),
    "too_many_requests": _l("Too many tries in a short time. Please wait a moment."),
    "bad_request": _l("The request could not be understood. Please try again."),
    "server_error": _l("Something went wrong on our side. Please try again in a moment."),
    "rooms_kept_elsewhere": _l(
        "Your organisation's rooms are kept in its own room system: change them there."
    ),
    "room_kept_in_ohjaamo": _l("Edit this room with all its details."),
    "room_not_changeable": _l(
        "Only the room of an upcoming booked session at your premises can be changed."
    ),
    "room_taken": _l(
        "That room is no longer free for the session. Choose another room from the list."
    ),
}

# The room system's problems in plain words for the pages; `ROOM_PROBLEM_TEXT` in
# service/backends.py keeps the English operator text for logs and the command line.
ROOM_PROBLEMS = {
    RoomProblem.WRONG_URL: _l("No room system was found at that address. Check the address."),
    RoomProblem.UNAUTHORIZED: _l(
        "The room system did not accept the credentials. Check the token or password."
    ),
    RoomProblem.TIMEOUT: _l("The room system did not answer in time. Try again later."),
    RoomProblem.UNREACHABLE: _l(
        "The room system could not be reached. Check the address, or try again later."
    ),
    RoomProblem.SERVER_ERROR: _l("The room system answered with an error. Try again later."),
    RoomProblem.BAD_ANSWER: _l("The room system's answer could not be understood."),
    RoomProblem.BAD_SETTINGS: _l("The room system settings are incomplete or invalid."),
}


def field_problem(code: str) -> str:
    return str(FIELD_PROBLEMS.get(code, _l("Check this field.")))


def room_problem(problem: RoomProblem | str | None) -> str:
    """A room system's problem for the reader; an unknown key reads as bad settings."""
    try:
        return str(ROOM_PROBLEMS[RoomProblem(problem)])
    except ValueError:
        return str(ROOM_PROBLEMS[RoomProblem.BAD_SETTINGS])


def error_text(code: str) -> str:
    return str(ERRORS.get(code, _l("Something went wrong. Please try again.")))
