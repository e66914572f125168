"""Forms of signing in with a password and of one's own sign-in security."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField


class PasswordSignInForm(FlaskForm):
    email = EmailField(_l("Email"))
    password = PasswordField(_l("Password"))


class CodeForm(FlaskForm):
    code = StringField(_l("One-time code"))


class NewPasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password"))


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Your password"))
