"""One's own sign-in security: password, one-time codes, signing out everywhere."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service import clock
from service.crypto import vault
from service.domain.errors import InvalidFields
from service.domain.passwords import ONE_TIME_CODE, PASSWORD
from service.services.accounts.passwords import set_password
from service.services.accounts.second_factor import (
    account_security,
    disable_second_factor,
    enable_second_factor,
    secret_to_show,
    sign_out_everywhere,
)
from service.services.auth import Principal
from service.web.accounts.forms import CodeForm, NewPasswordForm, PasswordForm
from service.web.forms import ConfirmForm
from service.web.messages import error_text, field_problem, notice_text
from service.web.signed_in import renew, sign_out, signed_in

bp = Blueprint("account", __name__)


NEW_SECRET_KEY = "second_factor_new_secret"  # noqa: S105 (a session key name)


def form_expired() -> str:
    return error_text("form_expired")


def _problems(invalid: InvalidFields) -> dict[str, str]:
    return {name: field_problem(code) for name, code in invalid.fields.items()}


def _security_page(
    principal: Principal, *, password_form: NewPasswordForm | None = None, problems=None
) -> tuple[str, int]:
    return render_template(
        "web/account.html",
        security=account_security(principal),
        password_form=password_form or NewPasswordForm(formdata=None),
        off_form=PasswordForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        problems=problems or {},
    ), 422 if problems else 200


@bp.get("/account")
@signed_in
def security(principal: Principal) -> tuple[str, int]:
    return _security_page(principal)


@bp.post("/account/password")
@signed_in
def change_password(principal: Principal) -> Response | tuple[str, int]:
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return _security_page(principal, problems={"form": form_expired()})
    try:
        set_password(
            principal, current=form.current_password.data or None, new=form.new_password.data or ""
        )
    except InvalidFields as invalid:
        return _security_page(principal, password_form=form, problems=_problems(invalid))
    # The change ended every session, this one included; this one knows the password.
    renew(principal.person_id, also_proved={PASSWORD})
    flash(notice_text("password_saved"))
    return redirect(url_for("account.security"))


@bp.route("/account/second-factor", methods=["GET", "POST"])
@signed_in
def second_factor(principal: Principal) -> str | Response | tuple[str, int]:
    if not account_security(principal).has_password:
        return redirect(url_for("account.security"))
    form = CodeForm()
    problems: dict[str, str] = {}
    sealed = session.get(NEW_SECRET_KEY)
    if form.validate_on_submit() and sealed:
        secret = vault().decrypt(sealed.encode())
        try:
            enable_second_factor(principal, secret, form.code.data or "", now=clock.now())
        except InvalidFields as invalid:
            problems = _problems(invalid)
        else:
            session.pop(NEW_SECRET_KEY, None)
            # This session proved a code; others that did not are no longer signed in.
            renew(principal.person_id, also_proved={ONE_TIME_CODE})
            flash(notice_text("second_factor_on"))
            return redirect(url_for("account.security"))
    elif request.method == "POST":
        problems = {"form": form_expired()}
    shown = secret_to_show(principal, vault().decrypt(sealed.encode()) if sealed else None)
    session[NEW_SECRET_KEY] = vault().encrypt(shown.secret).decode()
    form.code.data = ""
    status = 422 if problems else 200
    return render_template(
        "web/second_factor.html", form=form, secret=shown, problems=problems
    ), status


@bp.post("/account/second-factor/off")
@signed_in
def second_factor_off(principal: Principal) -> Response | tuple[str, int]:
    form = PasswordForm()
    if not form.validate_on_submit():
        return _security_page(principal, problems={"form": form_expired()})
    try:
        disable_second_factor(principal, form.password.data or "")
    except InvalidFields as invalid:
        return _security_page(principal, problems=_problems(invalid))
    flash(notice_text("second_factor_off"))
    return redirect(url_for("account.security"))


@bp.post("/account/sign-out-everywhere")
@signed_in
def everywhere(principal: Principal) -> Response:
    if ConfirmForm().validate_on_submit():
        sign_out_everywhere(principal)
        sign_out()
    return redirect(url_for("password_sign_in.password"))
