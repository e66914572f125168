"""Signing in with a password, then the one-time code when the person has turned the
second factor on. Both forms are rate limited per address and per account."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service import clock
from service.domain.inquiries import normalised_email
from service.domain.passwords import ONE_TIME_CODE, PASSWORD
from service.http_extensions import limiter
from service.services.accounts.passwords import SignInRefused, check_code, check_password
from service.web.accounts.forms import CodeForm, PasswordSignInForm
from service.web.messages import error_text
from service.web.signed_in import (
    PENDING_KEY,
    await_second_factor,
    awaiting_second_factor,
    landing,
    safe_next,
    sign_in,
)

bp = Blueprint("password_sign_in", __name__)
NEXT_KEY = "after_sign_in"


def _address_limit() -> str:
    return current_app.config["RATE_LIMIT_SIGN_IN"]


def _account_limit() -> str:
    return current_app.config["RATE_LIMIT_SIGN_IN_ACCOUNT"]


def _account_key() -> str:
    """Tries against one account count together, from whichever address they come."""
    if request.endpoint == "password_sign_in.code":
        return f"sign-in:{session.get(PENDING_KEY, '')}"
    return f"sign-in:{normalised_email(request.form.get('email', '')) or ''}"


def _finish(person_id: uuid.UUID, target: str | None, proved: set[str]) -> Response:
    sign_in(person_id, proved)
    return redirect(safe_next(target, landing(person_id)))


@bp.route("/sign-in/password", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
def password() -> str | Response | tuple[str, int]:
    form = PasswordSignInForm()
    problem = None
    if form.validate_on_submit():
        now = clock.now()
        try:
            checked = check_password(form.email.data or "", form.password.data or "", now=now)
        except SignInRefused:
            problem = error_text("sign_in_refused")
        else:
            target = request.args.get("next")
            if not checked.needs_code:
                return _finish(checked.person_id, target, {PASSWORD})
            await_second_factor(checked.person_id, now)
            session[NEXT_KEY] = safe_next(target, "")
            return redirect(url_for("password_sign_in.code"))
    elif request.method == "POST":
        problem = error_text("form_expired")
    form.password.data = ""
    status = 401 if problem else 200
    return render_template("web/sign_in_password.html", form=form, problem=problem), status


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
def code() -> str | Response | tuple[str, int]:
    now = clock.now()
    person_id = awaiting_second_factor(now)
    if person_id is None:
        return redirect(url_for("password_sign_in.password"))
    form = CodeForm()
    problem = None
    if form.validate_on_submit():
        try:
            check_code(person_id, form.code.data or "", now=now)
        except SignInRefused:
            problem = error_text("code_refused")
        else:
            return _finish(person_id, session.get(NEXT_KEY) or None, {PASSWORD, ONE_TIME_CODE})
    elif request.method == "POST":
        problem = error_text("form_expired")
    status = 401 if problem else 200
    return render_template("web/sign_in_code.html", form=form, problem=problem), status
