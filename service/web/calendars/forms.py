"""Forms of the calendar connections page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import (  # type: ignore[attr-defined]
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    URLField,
)

from service.domain.cancellation import CancellationCategory
from service.web.forms import REASON_LABELS


class ConnectForm(FlaskForm):
    url = URLField(_l("Server address"))
    username = StringField(_l("Username"))
    password = PasswordField(_l("App password"))


class AddressForm(FlaskForm):
    """A calendar's secret iCalendar address (Google, Outlook and others publish one).
    Entered as a password: it is one, and the page never shows it back."""

    address = PasswordField(_l("Secret address of the calendar (.ics)"))


# What the supervisor may say of a session whose event they deleted: theirs, or the
# client's reason they were told of (which the agreement's terms may charge).
REMOTE_CANCEL_REASONS = (
    CancellationCategory.SUPERVISOR_CANCELLED,
    CancellationCategory.SICKNESS,
    CancellationCategory.SCHEDULE_CONFLICT,
    CancellationCategory.WORK_SITUATION,
    CancellationCategory.OTHER,
)


class CancelChangedForm(FlaskForm):
    reason = SelectField(
        _l("Reason"),
        choices=[
            SelectChoice(str(reason), REASON_LABELS[reason]) for reason in REMOTE_CANCEL_REASONS
        ],
    )
