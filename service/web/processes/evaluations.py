"""A participant answers an open evaluation: each goal on the 0–10 scale, with an
optional next small step. All answers are saved together or, with a problem, none."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from service import clock
from service.domain.errors import InvalidFields
from service.extensions import db
from service.models import EvaluationRound
from service.services.access import visible_process
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.processes.evaluations import EvaluationClosed, answer_round, answers
from service.services.processes.goals import goals_for
from service.services.processes.mine import open_rounds
from service.web.forms import ConfirmForm
from service.web.labels import EVALUATION_KINDS, label
from service.web.messages import error_text, field_problem
from service.web.signed_in import signed_in

bp = Blueprint("evaluation_pages", __name__)


def _scale(raw: str | None) -> object:
    """The posted value as the domain judges it: a whole number, or what was sent."""
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


@bp.route("/my/evaluations/<uuid:round_id>", methods=["GET", "POST"])
@signed_in
def answer(round_id: uuid.UUID, principal: Principal) -> str | Response | tuple[str, int]:
    evaluation = db.session.get(EvaluationRound, round_id)
    if evaluation is None:
        raise NotFound()
    process = visible_process(principal, evaluation.process_id)
    now = clock.now()
    if evaluation not in open_rounds(principal, process, now=now):
        raise EvaluationClosed()
    goals = goals_for(principal, process.id)
    form = ConfirmForm()
    problems: dict[str, str] = {}
    if form.validate_on_submit():
        given = {
            goal.id: (
                _scale(request.form.get(f"scale-{goal.id}")),
                (request.form.get(f"step-{goal.id}") or "").strip() or None,
            )
            for goal in goals
        }
        try:
            answer_round(principal, round_id, given, now=now)
        except InvalidFields as invalid:
            for key, code in invalid.fields.items():
                goal_id, _dot, field = key.partition(".")
                problems[f"{field}-{goal_id}"] = field_problem(code)
        else:
            flash(_("Thank you: your answers are saved. Only you and your supervisor see them."))
            return redirect(url_for("process_pages.goals", process_id=process.id))
    elif request.method == "POST":
        problems["form"] = error_text("form_expired")
    page = render_template(
        "web/evaluation.html",
        process=process,
        evaluation=evaluation,
        kind=label(EVALUATION_KINDS, evaluation.kind),
        goals=goals,
        saved={
            a.goal_id: a
            for a in answers(principal, process.id, person_id=principal.person_id)
            if a.round_id == round_id
        },
        form=form,
        problems=problems,
        posted=request.form,
    )
    return (page, 422) if problems else page
