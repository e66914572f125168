"""Forms of the rooms pages. Fields are text: the domain reads and checks them
(`service.domain.room_input`), so a typo gets its own message rather than a type error."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField, TextAreaField

ROOM_SYSTEM_LABELS = {
    "ohjaamo": _l("Rooms kept in Ohjaamo"),
    "caldav": _l("CalDAV resource calendars"),
    "http": _l("A room system with a web API (HTTP/JSON)"),
}


class RoomForm(FlaskForm):
    name = StringField(_l("Name"))
    capacity = StringField(_l("Capacity (people)"))
    building = StringField(_l("Building"))
    floor = StringField(_l("Floor"))
    accessible = BooleanField(_l("Accessible"))
    equipment = StringField(_l("Equipment, separated by commas"))
    bookable_from = StringField(_l("Bookable from (hh:mm)"))
    bookable_until = StringField(_l("Bookable until (hh:mm)"))
    max_advance_days = StringField(_l("Bookable at most this many days ahead"))
    max_length_minutes = StringField(_l("Longest reservation in minutes"))
    is_active = BooleanField(_l("In use"), default=True)


class ClosureForm(FlaskForm):
    starts_on = StringField(_l("First closed day"))
    ends_on = StringField(_l("Last closed day"))
    reason = StringField(_l("Reason (optional)"))


class CapacityForm(FlaskForm):
    capacity = StringField(_l("Capacity (people)"))


class RoomSystemForm(FlaskForm):
    system = RadioField(_l("Room system"), validate_choice=False)
    url = StringField(_l("Address (URL)"))
    username = StringField(_l("Username (CalDAV)"))
    secret = PasswordField(_l("Token or password"))
    calendar_urls = TextAreaField(_l("Room calendars, one address a line (CalDAV, optional)"))


class RoomChoiceForm(FlaskForm):
    room = RadioField(_l("Room"), validate_choice=False)
