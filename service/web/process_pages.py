"""A process's printable agreement (HTML and PDF) and its goal charts, for the people
the use cases let see them."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, render_template

from service.domain.evaluations import chart_geometry
from service.models import GoalKind
from service.services.agreements import VersionView, agreement_history
from service.services.auth import Principal
from service.services.evaluations import goal_points
from service.services.goals import goals_for
from service.services.processes import visible_process
from service.web.agreement_pdf import agreement_pdf
from service.web.agreement_view import agreement_view
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
    view = agreement_view(process, _version(principal, process_id, number))
    return render_template("web/agreement.html", view=view)


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
