"""The supervisor's own pages: the week and the month, processes by stage, and the page
of one session (attendance, private notes, next small step)."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service import clock, formats
from service.domain.agenda import (
    GRID_FIRST_HOUR,
    GRID_LAST_HOUR,
    EntryKind,
    month_weeks,
    place_in_grid,
    week_start,
    working_week_at_hand,
)
from service.domain.errors import DomainError, InvalidFields
from service.domain.localtime import local_date, zone_of
from service.models import AttendanceStatus
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.availability.agenda import agenda, processes_by_stage
from service.services.calendars.connections import calendar_attention
from service.services.processes.session_records import record_attendance, write_content
from service.services.processes.session_sheet import session_sheet
from service.web.forms import ConfirmForm
from service.web.messages import error_text, field_problem, notice_text
from service.web.signed_in import signed_in
from service.web.supervisor.session_forms import NotesForm

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")


def _today(principal: Principal) -> dt.date:
    return local_date(clock.now(), zone_of(own_supervisor_profile(principal).timezone))


def _date_arg(name: str, parse: str, fallback: dt.date) -> dt.date:
    raw = request.args.get(name)
    if not raw:
        return fallback
    try:
        return dt.datetime.strptime(raw, parse).date()
    except ValueError:
        abort(400)


@bp.get("/week")
@signed_in
def week(principal: Principal) -> str:
    today = _today(principal)
    at_hand = working_week_at_hand(today)
    first = week_start(_date_arg("day", "%Y-%m-%d", at_hand))
    last = first + dt.timedelta(days=6)
    shown = agenda(principal, first, last, language=formats.language())
    return render_template(
        "web/supervisor_week.html",
        agenda=shown,
        attention=calendar_attention(principal),
        grid=[place_in_grid(day) for day in shown.days],
        hours=range(GRID_FIRST_HOUR, GRID_LAST_HOUR),
        first=first,
        last=last,
        today=today,
        at_hand=at_hand,
        previous=first - dt.timedelta(days=7),
        following=first + dt.timedelta(days=7),
        kinds=EntryKind,
    )


@bp.get("/month")
@signed_in
def month(principal: Principal) -> str:
    today = _today(principal)
    first = _date_arg("month", "%Y-%m", today.replace(day=1)).replace(day=1)
    weeks = month_weeks(first.year, first.month)
    shown = agenda(principal, weeks[0][0], weeks[-1][-1], language=formats.language())
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render_template(
        "web/supervisor_month.html",
        agenda=shown,
        weeks=[shown.days[i : i + 7] for i in range(0, len(shown.days), 7)],
        first=first,
        today=today,
        previous=(first - dt.timedelta(days=1)).replace(day=1),
        following=following,
        kinds=EntryKind,
    )


@bp.get("/processes")
@signed_in
def processes(principal: Principal) -> str:
    stages = processes_by_stage(principal, now=clock.now())
    zone = own_supervisor_profile(principal).timezone
    return render_template(
        "web/supervisor_processes.html",
        stages=stages,
        zone=zone,
        start_form=ConfirmForm(formdata=None),
    )


def _session_page(
    principal: Principal,
    session_id: uuid.UUID,
    *,
    notes_form: NotesForm | None = None,
    problems: dict[str, str] | None = None,
) -> tuple[str, int]:
    sheet = session_sheet(principal, session_id)
    if notes_form is None:
        notes_form = NotesForm(formdata=None)
        notes_form.notes.data = sheet.content.notes or ""
        notes_form.next_step.data = sheet.content.next_step or ""
    return render_template(
        "web/supervisor_session.html",
        sheet=sheet,
        notes_form=notes_form,
        attendance_form=ConfirmForm(formdata=None),
        statuses=AttendanceStatus,
        problems=problems or {},
        now=clock.now(),
    ), 422 if problems else 200


@bp.get("/sessions/<uuid:session_id>")
@signed_in
def session_page(session_id: uuid.UUID, principal: Principal) -> tuple[str, int]:
    return _session_page(principal, session_id)


@bp.post("/sessions/<uuid:session_id>/notes")
@signed_in
def save_notes(session_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    form = NotesForm()
    if not form.validate_on_submit():
        return _session_page(principal, session_id, problems={"form": error_text("form_expired")})
    try:
        write_content(
            principal, session_id, notes=form.notes.data or "", next_step=form.next_step.data or ""
        )
    except InvalidFields as invalid:
        problems = {name: field_problem(code) for name, code in invalid.fields.items()}
        return _session_page(principal, session_id, notes_form=form, problems=problems)
    flash(notice_text("notes_saved"))
    return redirect(url_for("supervisor.session_page", session_id=session_id))


def _attendance_choices() -> dict[uuid.UUID, AttendanceStatus]:
    """``attendance-<participant id>`` fields; a value that is no status is a 422."""
    chosen = {}
    for name, value in request.form.items():
        if not name.startswith("attendance-"):
            continue
        try:
            chosen[uuid.UUID(name.removeprefix("attendance-"))] = AttendanceStatus(value)
        except ValueError as error:
            raise InvalidFields({"attendance": "unknown_participant"}) from error
    return chosen


@bp.post("/sessions/<uuid:session_id>/attendance")
@signed_in
def save_attendance(session_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    if not ConfirmForm().validate_on_submit():
        return _session_page(principal, session_id, problems={"form": error_text("form_expired")})
    try:
        record_attendance(principal, session_id, _attendance_choices(), now=clock.now())
    except InvalidFields as invalid:
        problems = {name: field_problem(code) for name, code in invalid.fields.items()}
        return _session_page(principal, session_id, problems=problems)
    except DomainError as refused:
        if refused.code in ("not_found", "forbidden"):
            raise
        problems = {"attendance": error_text(refused.code)}
        return _session_page(principal, session_id, problems=problems)
    flash(notice_text("attendance_saved"))
    return redirect(url_for("supervisor.session_page", session_id=session_id))
