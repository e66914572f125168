"""Forms of the calendar connections page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, URLField


class ConnectForm(FlaskForm):
    url = URLField(_l("Server address"))
    username = StringField(_l("Username"))
    password = PasswordField(_l("App password"))
