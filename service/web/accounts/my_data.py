"""My data: download everything Ohjaamo keeps about me, ask for its erasure; and the
language choice every page offers in its footer."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from service import clock
from service.domain.errors import InvalidFields
from service.i18n import LANGUAGE_KEY
from service.services.accounts.profiles import me
from service.services.auth import Principal
from service.services.privacy.personal_data import (
    choose_language,
    erasure_requested_at,
    personal_data,
    personal_data_csv,
    request_erasure,
)
from service.web.formatting import moment, reader_zone
from service.web.forms import ConfirmForm, LanguageForm
from service.web.messages import error_text, field_problem
from service.web.signed_in import current_principal, safe_next, signed_in

bp = Blueprint("my_data_pages", __name__)


@bp.get("/my/data")
@signed_in
def my_data(principal: Principal) -> str:
    requested = erasure_requested_at(principal)
    zone = reader_zone(principal)
    return render_template(
        "web/my_data.html",
        person=me(principal),
        requested=moment(requested, zone) if requested else None,
        form=ConfirmForm(),
    )


def _download(body: str, mimetype: str, name: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/my/data.json")
@signed_in
def export_json(principal: Principal) -> Response:
    data = personal_data(principal)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _download(body, "application/json", "ohjaamo-my-data.json")


@bp.get("/my/data.csv")
@signed_in
def export_csv(principal: Principal) -> Response:
    body = personal_data_csv(personal_data(principal))
    return _download(body, "text/csv", "ohjaamo-my-data.csv")


@bp.post("/my/data/erasure")
@signed_in
def erasure(principal: Principal) -> BaseResponse:
    if ConfirmForm().validate_on_submit():
        request_erasure(principal, now=clock.now())
        flash(_("Your request is recorded. Your supervisor erases your data and tells you."))
    else:
        flash(error_text("form_expired"))
    return redirect(request.path.rsplit("/", 1)[0])


@bp.post("/language")
def language() -> BaseResponse:
    form = LanguageForm()
    target = safe_next(form.next.data, url_for("my_pages.home"))
    if not form.validate_on_submit():
        flash(error_text("form_expired"))
        return redirect(target)
    try:
        session[LANGUAGE_KEY] = choose_language(current_principal(), form.language.data or "")
    except InvalidFields as invalid:
        flash(field_problem(invalid.fields["language"]))
    return redirect(target)
