"""The supervisor's agreement editor: the versions so far, and the draft to save or
send. A sent version is never edited; saving after it begins the next version."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from service import clock
from service.domain.errors import InvalidFields
from service.services.auth import Principal
from service.services.processes.agreement_editing import editor_start
from service.services.processes.agreements import agreement_history, save_draft, send_agreement
from service.web.formatting import moment
from service.web.messages import error_text, field_problem
from service.web.processes.agreement_forms import (
    FORM_FIELD_OF,
    AgreementForm,
    fill_form,
    form_problems,
    offer_choices,
    read_draft,
)
from service.web.processes.agreement_view import PARTY_LABELS, STATUS_LABELS
from service.web.signed_in import signed_in

bp = Blueprint("agreement_editor", __name__, url_prefix="/supervisor/processes")


def _history(principal: Principal, process_id: uuid.UUID, zone: str) -> list[dict]:
    return [
        {
            "number": view.version.number,
            "status": str(STATUS_LABELS[str(view.version.status)]),
            "sent": moment(view.version.sent_at, zone) if view.version.sent_at else "",
            "accepted_by": [
                f"{a.person.name} ({PARTY_LABELS[str(a.party)]})"
                for a in sorted(view.acceptances, key=lambda a: a.accepted_at)
            ],
        }
        for view in agreement_history(principal, process_id)
    ]


def _page(
    principal: Principal,
    process_id: uuid.UUID,
    *,
    posted: AgreementForm | None = None,
    problems: dict[str, str] | None = None,
) -> tuple[str, int]:
    start = editor_start(principal, process_id, language=str(get_locale()), now=clock.now())
    zone = start.process.supervisor.timezone
    form = posted
    if form is None:
        form = AgreementForm(formdata=None)
        fill_form(form, start.draft)
    offer_choices(form, start.places, start.participants)
    return render_template(
        "web/agreement_editor.html",
        process=start.process,
        form=form,
        editable=start.editable,
        history=_history(principal, process_id, zone),
        problems=problems or {},
    ), 422 if problems else 200


def _translated(invalid: InvalidFields) -> dict[str, str]:
    return {
        FORM_FIELD_OF.get(name, name): field_problem(code) for name, code in invalid.fields.items()
    }


@bp.get("/<uuid:process_id>/agreement")
@signed_in
def editor(process_id: uuid.UUID, principal: Principal) -> tuple[str, int]:
    return _page(principal, process_id)


@bp.post("/<uuid:process_id>/agreement")
@signed_in
def save(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    """Save the draft; with ``action=send`` also send it to every party to accept."""
    form = AgreementForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            expired = {"form": error_text("form_expired")}
            return _page(principal, process_id, posted=form, problems=expired)
        problems = {name: field_problem(code) for name, code in form_problems(form).items()}
        return _page(principal, process_id, posted=form, problems=problems)
    try:
        save_draft(principal, process_id, read_draft(form), language=str(get_locale()))
    except InvalidFields as invalid:
        return _page(principal, process_id, posted=form, problems=_translated(invalid))
    if request.form.get("action") != "send":
        flash(_("The draft is saved. The parties see it once you send it."))
        return redirect(url_for("agreement_editor.editor", process_id=process_id))
    try:
        send_agreement(principal, process_id, now=clock.now())
    except InvalidFields as invalid:
        problems = {
            "form": _("The draft is saved, but it cannot be sent yet."),
            **_translated(invalid),
        }
        return _page(principal, process_id, posted=form, problems=problems)
    flash(_("The agreement is sent. Every party is asked by email to accept it."))
    return redirect(url_for("agreement_editor.editor", process_id=process_id))
