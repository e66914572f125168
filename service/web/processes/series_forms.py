"""The series review's forms: ticked sessions to book, and an alternative time for a
colliding one. Types only; which sessions and times are allowed is the use case's."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField


class AcceptForm(FlaskForm):
    sessions = SelectMultipleField(_l("Sessions to book"), validate_choice=False)


class MoveForm(FlaskForm):
    session_id = HiddenField()
    start = RadioField(_l("Alternative times"), validate_choice=False)


def session_ids(values: list[str] | None) -> list[uuid.UUID] | None:
    """The ticked ids; None when one of them is no id at all."""
    try:
        return [uuid.UUID(value) for value in values or []]
    except ValueError:
        return None
