"""The supervisor's calendar connections: add a CalDAV account or a calendar's secret
.ics address, check a connection, choose which calendars block time and which one
receives sessions, read it now; the last reading, its problem and the events that
could not be read, in plain words; session events changed in the calendar, to put
back or cancel (``changes``); the Ohjaamo feed to subscribe to (``subscribe``).

No action waits on a calendar server longer than ``CALENDAR_PAGE_DEADLINE_SECONDS``.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service import clock
from service.backends import CalendarError
from service.models import FeedKind
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.calendars.access import offered_backends
from service.services.calendars.connections import (
    check_connection,
    connections_of,
    sync_now,
    unreadable_of,
)
from service.services.calendars.feeds import feeds
from service.services.calendars.setup import (
    CalendarChoiceInvalid,
    ConnectCalendar,
    choose_calendars,
    connect_calendar,
    remote_changes,
)
from service.web.calendars.forms import AddressForm, CancelChangedForm, ConnectForm
from service.web.forms import ConfirmForm
from service.web.messages import calendar_problem, error_text, notice_text, unreadable_reason
from service.web.signed_in import signed_in

bp = Blueprint("calendar_pages", __name__, url_prefix="/supervisor/calendars")

CALDAV = "caldav"
ADDRESS = "ics"


def calendars_page(
    principal: Principal,
    *,
    form: ConnectForm | None = None,
    address_form: AddressForm | None = None,
    problem: str | None = None,
    new_feed_url: str | None = None,
) -> tuple[str, int]:
    """The page as it stands, with a problem to tell (then 422) or a feed address just
    made (shown this once)."""
    if form is not None:
        form.password.data = ""
    if address_form is not None:
        address_form.address.data = ""
    profile = own_supervisor_profile(principal)
    return render_template(
        "web/calendar_connections.html",
        connections=connections_of(principal),
        unreadable=unreadable_of(principal),
        changes=remote_changes(principal, profile.id),
        feeds=[feed for feed in feeds(principal) if feed.kind is FeedKind.SUPERVISOR],
        new_feed_url=new_feed_url,
        addresses_offered=ADDRESS in offered_backends(),
        zone=profile.timezone,
        form=form or ConnectForm(formdata=None),
        address_form=address_form or AddressForm(formdata=None),
        button_form=ConfirmForm(formdata=None),
        cancel_form=CancelChangedForm(formdata=None),
        problem=problem,
        problem_text=calendar_problem,
        reason_text=unreadable_reason,
    ), 422 if problem else 200


def back() -> Response:
    return redirect(url_for("calendar_pages.connections"))


@bp.get("")
@signed_in
def connections(principal: Principal) -> tuple[str, int]:
    return calendars_page(principal)


def _connect(principal: Principal, command: ConnectCalendar) -> CalendarError | None:
    try:
        connect_calendar(principal, own_supervisor_profile(principal).id, command, now=clock.now())
    except CalendarError as failure:
        return failure
    return None


@bp.post("")
@signed_in
def connect(principal: Principal) -> Response | tuple[str, int]:
    form = ConnectForm()
    if not form.validate_on_submit():
        return calendars_page(principal, form=form, problem=error_text("form_expired"))
    command = ConnectCalendar(
        url=form.url.data or "",
        username=form.username.data or "",
        password=form.password.data or "",
        backend=CALDAV,
    )
    failure = _connect(principal, command)
    if failure is not None:
        return calendars_page(principal, form=form, problem=calendar_problem(failure.problem))
    flash(notice_text("calendar_connected"))
    return back()


@bp.post("/address")
@signed_in
def connect_address(principal: Principal) -> Response | tuple[str, int]:
    form = AddressForm()
    if not form.validate_on_submit() or ADDRESS not in offered_backends():
        return calendars_page(principal, address_form=form, problem=error_text("form_expired"))
    failure = _connect(
        principal,
        ConnectCalendar(url=form.address.data or "", username="", password="", backend=ADDRESS),
    )
    if failure is not None:
        problem = calendar_problem(failure.problem)
        return calendars_page(principal, address_form=form, problem=problem)
    flash(notice_text("calendar_address_connected"))
    return back()


def _ids(name: str) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(value) for value in request.form.getlist(name) if value]
    except ValueError:
        return [uuid.uuid4()]  # no calendar has it: refused as a wrong choice


@bp.post("/<uuid:connection_id>/choose")
@signed_in
def choose(connection_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return calendars_page(principal, problem=error_text("form_expired"))
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
        return calendars_page(principal, problem=error_text("calendar_choice_invalid"))
    flash(notice_text("calendars_chosen_sessions_coming" if queued else "calendars_chosen"))
    return back()


@bp.post("/<uuid:connection_id>/check")
@signed_in
def check(connection_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return calendars_page(principal, problem=error_text("form_expired"))
    by_address = any(
        connection.id == connection_id and connection.backend == ADDRESS
        for connection in connections_of(principal)
    )
    try:
        check_connection(principal, connection_id)
    except CalendarError as failure:
        return calendars_page(principal, problem=calendar_problem(failure.problem))
    flash(notice_text("calendar_address_works" if by_address else "calendar_works"))
    return back()


@bp.post("/<uuid:connection_id>/sync")
@signed_in
def sync(connection_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return calendars_page(principal, problem=error_text("form_expired"))
    try:
        report = sync_now(principal, connection_id, now=clock.now())
    except CalendarError as failure:
        return calendars_page(principal, problem=calendar_problem(failure.problem))
    flash(notice_text("calendar_synced" if report is not None else "calendar_still_reading"))
    return back()
