"""Rooms kept in Ohjaamo, edited by the orderer contact: a new room, a room's details
and rules, and its closed periods. Bad input is shown next to its field, translated,
and nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from service import clock
from service.domain.errors import InvalidFields
from service.domain.localtime import local_date
from service.services.auth import Principal
from service.services.rooms.admin import (
    RoomsKeptElsewhere,
    add_closure,
    add_room,
    remove_closure,
    update_room,
)
from service.services.rooms.organisation import contact_organisation, contact_room, rooms_view
from service.web.forms import ConfirmForm
from service.web.messages import error_text, field_problem
from service.web.rooms.forms import ClosureForm, RoomForm
from service.web.signed_in import signed_in

bp = Blueprint("room_edit_pages", __name__)
Page = str | BaseResponse | tuple[str, int]
# A closed period ends at midnight after its last day.
MOMENT = dt.timedelta(microseconds=1)


def _problems(invalid: InvalidFields) -> dict[str, str]:
    return {name: field_problem(code) for name, code in invalid.fields.items()}


def _fill(form: RoomForm, room) -> None:
    for name in ("name", "building", "floor", "accessible", "is_active"):
        getattr(form, name).data = getattr(room, name)
    form.capacity.data = str(room.capacity)
    form.equipment.data = ", ".join(room.equipment or ())
    for name in ("bookable_from", "bookable_until"):
        value = getattr(room, name)
        getattr(form, name).data = value.strftime("%H:%M") if value else ""
    for name in ("max_advance_days", "max_length_minutes"):
        value = getattr(room, name)
        getattr(form, name).data = "" if value is None else str(value)


def _back(organisation_id: uuid.UUID) -> BaseResponse:
    return redirect(url_for("room_pages.rooms", organisation_id=organisation_id))


@bp.route("/organisation/<uuid:organisation_id>/rooms/new", methods=["GET", "POST"])
@signed_in
def new_room(organisation_id: uuid.UUID, principal: Principal) -> Page:
    organisation = contact_organisation(principal, organisation_id)
    form = RoomForm()
    problems: dict[str, str] = {}
    problem = None
    if form.validate_on_submit():
        try:
            add_room(principal, organisation_id, form.data)
        except InvalidFields as invalid:
            problems = _problems(invalid)
        except RoomsKeptElsewhere as refused:
            problem = error_text(refused.code)
        else:
            flash(_("The room is added."))
            return _back(organisation_id)
    elif request.method == "POST":
        problem = error_text("form_expired")
    page = render_template(
        "web/room_edit.html",
        organisation=organisation,
        room=None,
        form=form,
        problems=problems,
        problem=problem,
    )
    return (page, 422) if problems or problem else page


def _edit_page(
    principal: Principal,
    organisation_id: uuid.UUID,
    room_id: uuid.UUID,
    *,
    form: RoomForm | None = None,
    closure_form: ClosureForm | None = None,
    problems: dict[str, str] | None = None,
    closure_problems: dict[str, str] | None = None,
    problem: str | None = None,
) -> Page:
    room = contact_room(principal, organisation_id, room_id)
    if form is None:
        form = RoomForm(formdata=None)
        _fill(form, room)
    view = rooms_view(principal, organisation_id, now=clock.now())
    zone = ZoneInfo(view.organisation.timezone)
    closures = [
        (closure, local_date(closure.starts_at, zone), local_date(closure.ends_at - MOMENT, zone))
        for closure in view.closures.get(room.id, [])
    ]
    page = render_template(
        "web/room_edit.html",
        organisation=view.organisation,
        room=room,
        form=form,
        closure_form=closure_form or ClosureForm(formdata=None),
        closures=closures,
        remove_form=ConfirmForm(formdata=None),
        problems=problems or {},
        closure_problems=closure_problems or {},
        problem=problem,
    )
    return (page, 422) if problems or closure_problems or problem else page


@bp.route("/organisation/<uuid:organisation_id>/rooms/<uuid:room_id>", methods=["GET", "POST"])
@signed_in
def edit_room(organisation_id: uuid.UUID, room_id: uuid.UUID, principal: Principal) -> Page:
    contact_room(principal, organisation_id, room_id)
    form = RoomForm()
    if request.method == "GET":
        return _edit_page(principal, organisation_id, room_id)
    if not form.validate_on_submit():
        return _edit_page(
            principal, organisation_id, room_id, form=form, problem=error_text("form_expired")
        )
    try:
        update_room(principal, organisation_id, room_id, form.data)
    except InvalidFields as invalid:
        return _edit_page(
            principal, organisation_id, room_id, form=form, problems=_problems(invalid)
        )
    except RoomsKeptElsewhere as refused:
        return _edit_page(principal, organisation_id, room_id, problem=error_text(refused.code))
    flash(_("The room is saved."))
    return _back(organisation_id)


@bp.post("/organisation/<uuid:organisation_id>/rooms/<uuid:room_id>/closures")
@signed_in
def new_closure(organisation_id: uuid.UUID, room_id: uuid.UUID, principal: Principal) -> Page:
    contact_room(principal, organisation_id, room_id)
    form = ClosureForm()
    if not form.validate_on_submit():
        return _edit_page(principal, organisation_id, room_id, problem=error_text("form_expired"))
    try:
        add_closure(principal, organisation_id, room_id, form.data)
    except InvalidFields as invalid:
        return _edit_page(
            principal,
            organisation_id,
            room_id,
            closure_form=form,
            closure_problems=_problems(invalid),
        )
    except RoomsKeptElsewhere as refused:
        return _edit_page(principal, organisation_id, room_id, problem=error_text(refused.code))
    flash(_("The closed period is saved."))
    return redirect(url_for(".edit_room", organisation_id=organisation_id, room_id=room_id))


@bp.post(
    "/organisation/<uuid:organisation_id>/rooms/<uuid:room_id>/closures/<uuid:closure_id>/remove"
)
@signed_in
def drop_closure(
    organisation_id: uuid.UUID, room_id: uuid.UUID, closure_id: uuid.UUID, principal: Principal
) -> Page:
    contact_room(principal, organisation_id, room_id)
    if not ConfirmForm().validate_on_submit():
        return _edit_page(principal, organisation_id, room_id, problem=error_text("form_expired"))
    remove_closure(principal, organisation_id, room_id, closure_id)
    flash(_("The closed period is removed."))
    return redirect(url_for(".edit_room", organisation_id=organisation_id, room_id=room_id))
