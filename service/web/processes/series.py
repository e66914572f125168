"""The supervisor's review of a process's proposed series: every occurrence with its
standing (fits, moved out of a break, collides with reasons and alternatives), proposing
afresh, booking all or the ticked ones, and moving a collision to an alternative."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask import request as http_request
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from service import clock
from service.domain.errors import InvalidSeries
from service.domain.localtime import parse_instant
from service.services.auth import Principal
from service.services.booking.changes import BookingConflict, BookingRejected
from service.services.processes.series import (
    SeriesAcceptance,
    accept_series,
    move_proposed_session,
    propose_series,
)
from service.services.processes.series_review import review_series
from service.web.forms import ConfirmForm
from service.web.labels import SLOT_REASON_LABELS
from service.web.messages import error_text, field_problem
from service.web.processes.series_forms import AcceptForm, MoveForm, session_ids
from service.web.signed_in import signed_in

bp = Blueprint("series_pages", __name__, url_prefix="/supervisor/processes")


def _page(
    principal: Principal,
    process_id: uuid.UUID,
    *,
    problems: dict[str, str] | None = None,
    outcome: SeriesAcceptance | None = None,
) -> tuple[str, int]:
    review = review_series(principal, process_id, now=clock.now())
    return render_template(
        "web/series.html",
        review=review,
        outcome=outcome,
        problems=problems or {},
        confirm_form=ConfirmForm(formdata=None),
        accept_form=AcceptForm(formdata=None),
        move_form=MoveForm(formdata=None),
    ), 422 if problems else 200


def _refused(principal: Principal, process_id: uuid.UUID, code: str) -> tuple[str, int]:
    return _page(principal, process_id, problems={"series": error_text(code)})


def _series_problem(refused: InvalidSeries) -> str:
    """The message code of a refusal; a plan the domain cannot make has none of its own."""
    return f"series_{refused.details.get('problem', 'invalid')}"


@bp.get("/<uuid:process_id>/series")
@signed_in
def review(process_id: uuid.UUID, principal: Principal) -> tuple[str, int]:
    return _page(principal, process_id)


@bp.post("/<uuid:process_id>/series/propose")
@signed_in
def propose(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    """A fresh proposal of the sessions not yet booked, replacing the proposed ones."""
    if not ConfirmForm().validate_on_submit():
        return _refused(principal, process_id, "form_expired")
    try:
        proposed = propose_series(principal, process_id, now=clock.now())
    except InvalidSeries as refused:
        return _refused(principal, process_id, _series_problem(refused))
    flash(
        ngettext(
            "%(num)d session is proposed. Check it and book it when it fits.",
            "%(num)d sessions are proposed. Check them and book those that fit.",
            len(proposed),
        )
    )
    return redirect(url_for("series_pages.review", process_id=process_id))


@bp.post("/<uuid:process_id>/series/accept")
@signed_in
def accept(process_id: uuid.UUID, principal: Principal) -> tuple[str, int]:
    """Book every proposed session (``action=all``) or the ticked ones; the page then
    lists what was booked and what collided."""
    form = AcceptForm()
    if not form.validate_on_submit():
        return _refused(principal, process_id, "form_expired")
    chosen = None
    if http_request.form.get("action") != "all":
        chosen = session_ids(form.sessions.data)
        if chosen is None:
            return _refused(principal, process_id, "series_not_proposed")
        if not chosen:
            return _refused(principal, process_id, "series_choose_sessions")
    try:
        result = accept_series(principal, process_id, now=clock.now(), session_ids=chosen)
    except InvalidSeries as refused:
        return _refused(principal, process_id, _series_problem(refused))
    return _page(principal, process_id, outcome=result)


@bp.post("/<uuid:process_id>/series/move")
@signed_in
def move(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    """Move a proposed session to the chosen alternative, checked again as it is written."""
    form = MoveForm()
    if not form.validate_on_submit():
        return _refused(principal, process_id, "form_expired")
    ids, start = session_ids([form.session_id.data or ""]), parse_instant(form.start.data)
    if ids is None:
        return _refused(principal, process_id, "series_not_proposed")
    if start is None:
        return _page(principal, process_id, problems={"series": field_problem("choose_time")})
    try:
        move_proposed_session(principal, process_id, ids[0], start, now=clock.now())
    except InvalidSeries as refused:
        return _refused(principal, process_id, _series_problem(refused))
    except BookingConflict as conflict:
        reasons = " ".join(str(SLOT_REASON_LABELS[reason]) for reason in conflict.reasons)
        message = error_text("series_time_taken") % {"reasons": reasons}
        return _page(principal, process_id, problems={"series": message})
    except BookingRejected as rejected:
        return _refused(principal, process_id, rejected.code)
    flash(_("The session is moved to the chosen time. It is still proposed: book it below."))
    return redirect(url_for("series_pages.review", process_id=process_id))
