"""Messages the worker gave up on (emails, calendar and room changes), for the practice
admin to look at and send again."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service.models import OutboxState
from service.services.accounts.supervisors import require_admin
from service.services.auth import Principal
from service.services.outbox.admin import list_messages, retry
from service.web.forms import ConfirmForm
from service.web.messages import notice_text
from service.web.signed_in import signed_in

bp = Blueprint("outbox_pages", __name__, url_prefix="/admin/outbox")
SHOWN = 100


@bp.get("")
@signed_in
def problems(principal: Principal) -> str:
    require_admin(principal)
    return render_template(
        "web/outbox_problems.html",
        messages=list_messages(OutboxState.DEAD, limit=SHOWN),
        form=ConfirmForm(formdata=None),
    )


@bp.post("/retry")
@signed_in
def send_again(principal: Principal) -> Response:
    require_admin(principal)
    if ConfirmForm().validate_on_submit():
        chosen = request.form.get("message")
        try:
            ids = [uuid.UUID(chosen)] if chosen else None
        except ValueError:
            ids = []
        if ids != []:
            retry(ids)
            flash(notice_text("messages_retried"))
    return redirect(url_for("outbox_pages.problems"))
