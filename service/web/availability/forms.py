"""Forms of the availability settings page. Types only: the rules are the use case's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import (  # type: ignore[attr-defined]
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import Optional

from service.domain.working_hours import OverrideKind

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class LimitsForm(FlaskForm):
    slot_step_minutes = IntegerField(_l("Times offered every (minutes)"))
    buffer_before_minutes = IntegerField(_l("Free time before a session (minutes)"))
    buffer_after_minutes = IntegerField(_l("Free time after a session (minutes)"))
    default_travel_minutes = IntegerField(_l("Travel between places (minutes)"))
    min_notice_hours = IntegerField(_l("Bookings at least this many hours ahead"))
    max_advance_days = IntegerField(_l("Bookings at most this many days ahead"))
    max_sessions_per_day = IntegerField(_l("Sessions a day at most"), validators=[Optional()])
    max_sessions_per_week = IntegerField(_l("Sessions a week at most"), validators=[Optional()])


class WeekForm(FlaskForm):
    """Start and end of each weekday, ``starts_0`` (Monday) to ``ends_6`` (Sunday)."""


for _day in range(7):
    setattr(WeekForm, f"starts_{_day}", TimeField(_l("Starts"), validators=[Optional()]))
    setattr(WeekForm, f"ends_{_day}", TimeField(_l("Ends"), validators=[Optional()]))


OVERRIDE_KINDS = {
    OverrideKind.OFF: _l("Day off"),
    OverrideKind.REPLACE: _l("Other hours that day"),
    OverrideKind.EXTRA: _l("Extra hours that day"),
}


class OverrideForm(FlaskForm):
    on_date = DateField(_l("Date"))
    kind = SelectField(
        _l("What"), choices=[SelectChoice(str(k), v) for k, v in OVERRIDE_KINDS.items()]
    )
    starts = TimeField(_l("Starts"), validators=[Optional()])
    ends = TimeField(_l("Ends"), validators=[Optional()])
    label = StringField(_l("Note for yourself (optional)"))
