"""Signing in to the pages with a link sent by email, and signing out. A link to an
account with a password leads to the password page and signs no one in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service import clock
from service.domain.errors import LinkInvalid
from service.domain.passwords import EMAIL_LINK
from service.http_extensions import limiter
from service.services.accounts.sign_in import (
    PasswordSignInRequired,
    redeem_sign_in_link,
    request_sign_in_link,
)
from service.web.forms import ConfirmForm, EmailOnlyForm
from service.web.messages import notice_text
from service.web.signed_in import landing, safe_next, sign_in, sign_out

bp = Blueprint("sign_in", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_PUBLIC_FORMS"], methods=["POST"])
def request_link() -> str:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        request_sign_in_link(form.email.data or "", now=clock.now())
        return render_template("web/sign_in_sent.html")
    return render_template("web/sign_in.html", form=form)


@bp.route("/sign-in/<token>", methods=["GET", "POST"])
def use_link(token: str) -> str | Response | tuple[str, int]:
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            person_id = redeem_sign_in_link(token, now=clock.now())
        except LinkInvalid:
            return render_template("web/link_invalid.html"), 410
        except PasswordSignInRequired:
            flash(notice_text("password_sign_in_required"))
            target = safe_next(request.args.get("next"), "") or None
            return redirect(url_for("password_sign_in.password", next=target))
        sign_in(person_id, {EMAIL_LINK})
        return redirect(safe_next(request.args.get("next"), landing(person_id)))
    return render_template("web/sign_in_confirm.html", form=form)


@bp.post("/sign-out")
def sign_out_now() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        sign_out()
    return redirect(url_for("sign_in.request_link"))
