"""Forms of the supervisor's session page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class NotesForm(FlaskForm):
    notes = TextAreaField(_l("Private notes"))
    next_step = TextAreaField(_l("Next small step"))
