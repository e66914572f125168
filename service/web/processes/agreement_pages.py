"""A process's printable agreement (HTML and PDF) and its goal charts, for the people
the use cases let see them."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from service import clock
from service.domain.evaluations import chart_geometry
from service.models import GoalKind
from service.services.access import visible_process
from service.services.auth import Principal
from service.services.processes.agreements import VersionView, accept_agreement, agreement_history
from service.services.processes.evaluations import goal_points
from service.services.processes.goals import goals_for
from service.web.forms import ConfirmForm
from service.web.messages import error_text
from service.web.processes.agreement_pdf import agreement_pdf
from service.web.processes.agreement_view import agreement_view
from service.web.signed_in import signed_in

bp = Blueprint("process_pages", __name__)


def _version(principal: Principal, process_id: uuid.UUID, number: int) -> VersionView:
    for view in agreement_history(principal, process_id):
        if view.version.number == number:
            return view
    abort(404)


@bp.get("/processes/<uuid:process_id>/agreement/<int:number>")
@signed_in
def agreement(process_id: uuid.UUID, number: int, principal: Principal) -> str:
    process = visible_process(principal, process_id)
    version = _version(principal, process_id, number)
    view = agreement_view(process, version)
    form = ConfirmForm() if principal.person_id in version.waiting_for else None
    return render_template("web/agreement.html", view=view, accept_form=form)


@bp.post("/processes/<uuid:process_id>/agreement/<int:number>/accept")
@signed_in
def accept(process_id: uuid.UUID, number: int, principal: Principal) -> BaseResponse:
    version = _version(principal, process_id, number)
    if ConfirmForm().validate_on_submit():
        outcome = accept_agreement(principal, version.version.id, now=clock.now())
        if outcome.binding:
            flash(_("Thank you: everyone has accepted, and the agreement is now in force."))
        else:
            flash(_("Thank you: your acceptance is recorded."))
    else:
        flash(error_text("form_expired"))
    return redirect(url_for("process_pages.agreement", process_id=process_id, number=number))


@bp.get("/processes/<uuid:process_id>/agreement/<int:number>.pdf")
@signed_in
def agreement_as_pdf(process_id: uuid.UUID, number: int, principal: Principal) -> Response:
    process = visible_process(principal, process_id)
    view = agreement_view(process, _version(principal, process_id, number))
    filename = f"agreement-{view.code}-v{number}.pdf"
    return Response(
        agreement_pdf(view),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/processes/<uuid:process_id>/goals")
@signed_in
def goals(process_id: uuid.UUID, principal: Principal) -> str:
    process = visible_process(principal, process_id)
    zone = process.supervisor.timezone
    charts = [
        (goal, chart_geometry(goal_points(principal, process_id, goal.id, zone=zone)))
        for goal in goals_for(principal, process_id)
    ]
    return render_template(
        "web/goals.html", process=process, charts=charts, personal=GoalKind.PERSONAL
    )
