"""Session events the supervisor deleted or changed in their own calendar, resolved on
the calendar connections page: put the event back as Ohjaamo has it, or cancel the
session under the agreement's terms (with every notice a cancellation sends)."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash
from werkzeug.wrappers import Response

from service import clock
from service.domain.cancellation import CancellationCategory
from service.services.auth import Principal
from service.services.booking.after_calendar import cancel_after_remote_change
from service.services.booking.steps import BookingRejected, TooLateToChange
from service.services.calendars.setup import restore_session_event
from service.web.calendars.forms import REMOTE_CANCEL_REASONS, CancelChangedForm
from service.web.calendars.pages import back, calendars_page
from service.web.forms import ConfirmForm
from service.web.messages import error_text, field_problem, notice_text
from service.web.signed_in import signed_in

bp = Blueprint("calendar_changes", __name__, url_prefix="/supervisor/calendars/sessions")


@bp.post("/<uuid:session_id>/restore")
@signed_in
def restore(session_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return calendars_page(principal, problem=error_text("form_expired"))
    restore_session_event(principal, session_id)
    flash(notice_text("session_event_restored"))
    return back()


@bp.post("/<uuid:session_id>/cancel")
@signed_in
def cancel(session_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    form = CancelChangedForm()
    if not form.validate_on_submit():
        return calendars_page(principal, problem=field_problem("choose_reason"))
    reason = CancellationCategory(form.reason.data)
    if reason not in REMOTE_CANCEL_REASONS:
        return calendars_page(principal, problem=field_problem("choose_reason"))
    try:
        cancel_after_remote_change(principal, session_id, reason, now=clock.now())
    except (BookingRejected, TooLateToChange) as refused:
        return calendars_page(principal, problem=error_text(refused.code))
    flash(notice_text("session_cancelled_after_change"))
    return back()
