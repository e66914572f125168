"""Forms of the pages. WTForms parses and carries the CSRF token; the rules themselves
are the domain's, so a form declares no validators of its own beyond types."""

from __future__ import annotations

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from service.domain.cancellation import CancellationCategory
from service.domain.inquiries import NEEDS
from service.domain.processes import ProcessMode

MODE_LABELS = {
    ProcessMode.INDIVIDUAL: _l("Individual supervision"),
    ProcessMode.GROUP: _l("Group supervision"),
    ProcessMode.WORK_COMMUNITY: _l("Work-community supervision"),
}
REASON_LABELS = {
    CancellationCategory.SICKNESS: _l("Sickness"),
    CancellationCategory.SCHEDULE_CONFLICT: _l("A schedule conflict"),
    CancellationCategory.WORK_SITUATION: _l("The work situation"),
    CancellationCategory.SUPERVISOR_CANCELLED: _l("Cancelled by the supervisor"),
    CancellationCategory.ROOM_UNAVAILABLE: _l("The room was not available"),
    CancellationCategory.PROCESS_ENDED: _l("The process ended"),
    CancellationCategory.OTHER: _l("Other reason"),
}
NEED_LABELS = {
    "workload": _l("Workload and coping"),
    "team_cooperation": _l("Cooperation in the team"),
    "change_at_work": _l("Change at work"),
    "leadership": _l("Leadership"),
    "professional_growth": _l("Professional growth"),
    "client_work": _l("Client work"),
    "conflicts": _l("Conflicts"),
    "wellbeing_at_work": _l("Wellbeing at work"),
    "career_direction": _l("Career direction"),
}


T = TypeVar("T")


def required_value(value: T | None) -> T:
    """The value of a field without Optional() in a form that validated. A browser
    posts every such field (empty, it fails validation), so only a request made by
    hand lacks one: a bad request."""
    if value is None:
        raise BadRequest("A field of the form is missing.")
    return value


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InquiryForm(FlaskForm):
    name = StringField(_l("Your name"))
    email = EmailField(_l("Email"))
    organisation = StringField(_l("Organisation (optional)"))
    mode = SelectField(_l("Kind of supervision"))
    group_size = IntegerField(_l("Number of people (groups)"), validators=[Optional()])
    needs = CheckboxList(
        _l("What would you like to work on?"),
        choices=[SelectChoice(n, NEED_LABELS[n]) for n in NEEDS],
    )
    slot = RadioField(_l("Time for the initial assessment"), validate_choice=False)
    privacy_consent = BooleanField(_l("I have read the privacy notice and agree to it."))


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("Email"))


class ConfirmForm(FlaskForm):
    """A button only: links in emails are opened by scanners, so using one takes a POST."""


class SlotForm(FlaskForm):
    """A time from the offered ones. The key makes a double submit book only once."""

    slot = RadioField(_l("Time"), validate_choice=False)
    key = HiddenField()


class CancelForm(FlaskForm):
    reason = RadioField(_l("Reason"), validate_choice=False)


class LanguageForm(FlaskForm):
    language = StringField(_l("Language"))
    next = HiddenField()
