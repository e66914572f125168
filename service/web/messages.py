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
    "unknown_location": _l("Choose one of the addresses in the list."),
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
    "password_too_short": _l(
        "The password is too short. A few words in a row are long and easy to remember."
    ),
    "not_a_value": _l("Check this value: give a number, a date or a time."),
    "slot_step": _l("The step must divide a day evenly, for example 15, 30 or 60 minutes."),
    "at_least_one": _l("Give at least 1."),
    "at_least_one_or_empty": _l("Give at least 1, or leave it empty for no limit."),
    "hours_both_ends": _l("Give both the start and the end, or neither."),
    "hours_order": _l("The end must come after the start."),
    "password_is_email": _l("Your email address cannot be your password."),
    "password_wrong": _l("The password is not right."),
    "code_wrong": _l("The code is not right. Check the clock of your phone and try the next code."),
    "unknown_participant": _l("Record attendance for the participants of this session."),
    "not_recordable": _l("Attendance cannot be recorded for this session."),
    "whole_number": _l("Give a whole number."),
    "capacity_range": _l("Give the number of people the room holds, from 1 to 500."),
    "positive_range": _l("Give a number greater than zero, or leave the field empty."),
    "time_format": _l("Give the time as hours and minutes, such as 08:00."),
    "room_hours_order": _l("The room must open before it closes."),
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
    "session_not_over": _l("Attendance is recorded once the session has begun."),
    "calendar_choice_invalid": _l(
        "Choose calendars of this connection, and one at most to receive sessions."
    ),
    "sign_in_refused": _l("The email address or the password is wrong."),
    "code_refused": _l("The code is wrong or was already used. Wait for the next one."),
    "rooms_kept_elsewhere": _l(
        "Your organisation's rooms are kept in its own room system: change them there."
    ),
    "room_kept_in_ohjaamo": _l("Edit this room with all its details."),
    "room_not_changeable": _l(
        "Only the room of an upcoming booked session at your premises can be changed."
    ),
    "series_agreement_not_accepted": _l(
        "The series is proposed once every party has accepted the agreement."
    ),
    "series_all_booked": _l(
        "Every session of the agreement is already booked, so there is nothing to propose."
    ),
    "series_not_proposed": _l(
        "A chosen session is no longer proposed in this series. Nothing was changed: "
        "check the list and try again."
    ),
    "series_outside_series": _l(
        "That time is outside the agreement's dates or in its break. Choose one of the "
        "times offered."
    ),
    "series_invalid": _l(
        "The series cannot be planned from this agreement. Check its dates, rhythm and break."
    ),
    "series_choose_sessions": _l("Tick the sessions to book, or book all that fit."),
    "series_time_taken": _l(
        "The chosen time is no longer free: %(reasons)s Nothing was changed. Choose another "
        "time below."
    ),
    "room_taken": _l(
        "That room is no longer free for the session. Choose another room from the list."
    ),
}

CALENDAR_PROBLEMS = {
    "calendar.wrong_url": _l("No calendar was found at that address. Check the address."),
    "calendar.unauthorized": _l(
        "The calendar server did not accept the username and password. Check them, or create"
        " a new app password."
    ),
    "calendar.tls_failed": _l(
        "The calendar server's certificate could not be verified, so the connection is not safe."
    ),
    "calendar.timeout": _l("The calendar server did not answer in time. Try again later."),
    "calendar.unreachable": _l(
        "The calendar server could not be reached. Check the address, or try again later."
    ),
    "calendar.server_error": _l("The calendar server answered with an error. Try again later."),
    "calendar.conflict": _l("The calendar changed at the same time. Ohjaamo tries again."),
    "calendar.refused_address": _l(
        "The address leads into an internal network, where Ohjaamo does not connect. Ask the"
        " administrator if the server is on your practice's own network."
    ),
}

NOTICES = {
    "password_saved": _l("Your password is saved. You were signed out on your other devices."),
    "second_factor_on": _l("One-time codes are on. You need a code each time you sign in."),
    "second_factor_off": _l("One-time codes are off."),
    "password_sign_in_required": _l(
        "Your account signs in with your password, not with a link. Sign in here."
    ),
    "notes_saved": _l("The notes and the next small step are saved."),
    "attendance_saved": _l("Attendance is saved."),
    "calendar_connected": _l("The calendar is connected. Choose below which calendars to use."),
    "calendars_chosen": _l("Your choice of calendars is saved."),
    "calendar_synced": _l("The calendar was read just now."),
    "calendar_works": _l("The calendar server answers and accepts the password."),
    "availability_saved": _l("Your availability is saved. New times are offered by it at once."),
    "messages_retried": _l("The messages will be sent again in a moment."),
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
    RoomProblem.REFUSED_ADDRESS: _l(
        "The address leads into an internal network, where Ohjaamo does not connect. Ask the"
        " administrator of Ohjaamo to allow the room system's host."
    ),
}


def field_problem(code: str) -> str:
    return str(FIELD_PROBLEMS.get(code, _l("Check this field.")))


def calendar_problem(code: str | None) -> str:
    return str(CALENDAR_PROBLEMS.get(code or "", CALENDAR_PROBLEMS["calendar.server_error"]))


def notice_text(code: str) -> str:
    return str(NOTICES[code])


def room_problem(problem: RoomProblem | str | None) -> str:
    """A room system's problem for the reader; an unknown key reads as bad settings."""
    try:
        return str(ROOM_PROBLEMS[RoomProblem(problem or "")])
    except ValueError:
        return str(ROOM_PROBLEMS[RoomProblem.BAD_SETTINGS])


def error_text(code: str) -> str:
    return str(ERRORS.get(code, _l("Something went wrong. Please try again.")))
