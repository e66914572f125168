"""The supervisor's calendar connections: add a CalDAV account, check it, choose which
calendars block time and which one receives sessions, sync now; the last sync and its
problem in plain words."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service import clock
from service.backends import CalendarError
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.calendars.connections import check_connection, connections_of, sync_now
from service.services.calendars.setup import (
    CalendarChoiceInvalid,
    ConnectCalendar,
    choose_calendars,
    connect_calendar,
)
from service.web.calendars.forms import ConnectForm
from service.web.forms import ConfirmForm
from service.web.messages import calendar_problem, error_text, notice_text
from service.web.signed_in import signed_in

bp = Blueprint("calendar_pages", __name__, url_prefix="/supervisor/calendars")


def _page(
    principal: Principal, *, form: ConnectForm | None = None, problem: str | None = None
) -> tuple[str, int]:
    if form is not None:
        form.password.data = ""
    return render_template(
        "web/calendar_connections.html",
        connections=connections_of(principal),
        zone=own_supervisor_profile(principal).timezone,
        form=form or ConnectForm(formdata=None),
        button_form=ConfirmForm(formdata=None),
        problem=problem,
        problem_text=calendar_problem,
    ), 422 if problem else 200


def _back() -> Response:
    return redirect(url_for("calendar_pages.connections"))


@bp.get("")
@signed_in
def connections(principal: Principal) -> tuple[str, int]:
    return _page(principal)


@bp.post("")
@signed_in
def connect(principal: Principal) -> Response | tuple[str, int]:
    form = ConnectForm()
    if not form.validate_on_submit():
        return _page(principal, form=form, problem=error_text("form_expired"))
    command = ConnectCalendar(
        url=form.url.data or "",
        username=form.username.data or "",
        password=form.password.data or "",
    )
    profile_id = own_supervisor_profile(principal).id
    try:
        connect_calendar(principal, profile_id, command, now=clock.now())
    except CalendarError as failure:
        return _page(principal, form=form, problem=calendar_problem(failure.problem))
    flash(notice_text("calendar_connected"))
    return _back()


def _ids(name: str) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(value) for value in request.form.getlist(name) if value]
    except ValueError:
        return [uuid.uuid4()]  # no calendar has it: refused as a wrong choice


@bp.post("/<uuid:connection_id>/choose")
@signed_in
def choose(connection_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return _page(principal, problem=error_text("form_expired"))
    receiving = _ids("receives")
    try:
        queued = choose_calendars(
            principal,
            connection_id,
            blocking=_ids("blocks"),
            receiving=receiving[0] if len(receiving) == 1 else None,
            now=clock.now(),
        )
    except CalendarChoiceInvalid:
        return _page(principal, problem=error_text("calendar_choice_invalid"))
    flash(notice_text("calendars_chosen_sessions_coming" if queued else "calendars_chosen"))
    return _back()


@bp.post("/<uuid:connection_id>/check")
@signed_in
def check(connection_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return _page(principal, problem=error_text("form_expired"))
    try:
        check_connection(principal, connection_id)
    except CalendarError as failure:
        return _page(principal, problem=calendar_problem(failure.problem))
    flash(notice_text("calendar_works"))
    return _back()


@bp.post("/<uuid:connection_id>/sync")
@signed_in
def sync(connection_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return _page(principal, problem=error_text("form_expired"))
    try:
        report = sync_now(principal, connection_id, now=clock.now())
    except CalendarError as failure:
        return _page(principal, problem=calendar_problem(failure.problem))
    flash(notice_text("calendar_synced" if report is not None else "calendar_still_reading"))
    return _back()
