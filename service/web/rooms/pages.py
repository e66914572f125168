"""The organisation's rooms page for its orderer contact: rooms, upcoming reservations,
the room system's settings (tested before they are kept), syncing now, the capacity of
a mirrored room and another room for a session. Rooms kept in Ohjaamo are edited in
``room_edit_pages``. Only the organisation's contacts find these pages."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from service import clock
from service.domain.errors import InvalidFields
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.orderer.overview import orderer_organisations
from service.services.rooms.admin import RoomKeptInOhjaamo, set_capacity
from service.services.rooms.change import RoomNotChangeable, RoomTaken, change_room, room_choices
from service.services.rooms.organisation import contact_organisation, rooms_view
from service.services.rooms.settings import RoomSettingsRejected, save_room_system
from service.services.rooms.sync import sync_organisation_rooms
from service.web.formatting import moment, reader_zone, session_time
from service.web.forms import ConfirmForm
from service.web.messages import error_text, field_problem, room_problem
from service.web.rooms.forms import (
    ROOM_SYSTEM_LABELS,
    CapacityForm,
    RoomChoiceForm,
    RoomSystemForm,
)
from service.web.rooms.system_form import fill_system_form, system_settings
from service.web.signed_in import signed_in

bp = Blueprint("room_pages", __name__)
Page = str | BaseResponse | tuple[str, int]


@bp.get("/organisation/rooms")
@signed_in
def first(principal: Principal) -> BaseResponse:
    """The rooms of the contact's (first) organisation; the page lists the others."""
    organisations = orderer_organisations(principal)
    if not organisations:
        raise NotFound()
    return redirect(url_for("room_pages.rooms", organisation_id=organisations[0].id))


def _render(
    principal: Principal,
    organisation_id: uuid.UUID,
    *,
    system_form: RoomSystemForm | None = None,
    problems: dict[str, str] | None = None,
    problem: str | None = None,
    capacity_problem: tuple[uuid.UUID, str] | None = None,
) -> Page:
    view = rooms_view(principal, organisation_id, now=clock.now())
    if system_form is None:
        system_form = RoomSystemForm(formdata=None)
        fill_system_form(system_form, view.organisation)
    system_form.system.choices = list(ROOM_SYSTEM_LABELS.items())
    zone = reader_zone(principal)
    page = render_template(
        "web/rooms.html",
        view=view,
        others=[o for o in orderer_organisations(principal) if o.id != organisation_id],
        system_form=system_form,
        capacity_form=CapacityForm(formdata=None),
        problems=problems or {},
        problem=problem,
        capacity_problem=capacity_problem,
        zone=zone,
        synced_at=moment(view.organisation.rooms_synced_at, zone)
        if view.organisation.rooms_synced_at
        else None,
        sync_problem=room_problem(view.sync_problem) if view.sync_problem else None,
        system_label=ROOM_SYSTEM_LABELS.get(view.organisation.room_system),
    )
    failed = problems or problem or capacity_problem
    return (page, 422) if failed else page


@bp.get("/organisation/<uuid:organisation_id>/rooms")
@signed_in
def rooms(organisation_id: uuid.UUID, principal: Principal) -> Page:
    return _render(principal, organisation_id)


@bp.post("/organisation/<uuid:organisation_id>/rooms/system")
@signed_in
def room_system(organisation_id: uuid.UUID, principal: Principal) -> Page:
    organisation = contact_organisation(principal, organisation_id)
    form = RoomSystemForm()
    if not form.validate_on_submit():
        return _render(principal, organisation_id, problem=error_text("form_expired"))
    try:
        system, settings, secret = system_settings(form, organisation)
    except InvalidFields as invalid:
        problems = {name: field_problem(code) for name, code in invalid.fields.items()}
        return _render(principal, organisation_id, system_form=form, problems=problems)
    try:
        result = save_room_system(
            organisation_id, system, settings, secret, actor_id=principal.person_id
        )
    except RoomSettingsRejected as rejected:
        text = room_problem(rejected.details.get("problem"))
        return _render(principal, organisation_id, system_form=form, problem=text)
    flash(
        _(
            "The room system works and its settings are saved: %(count)s rooms found.",
            count=result.rooms,
        )
    )
    return redirect(url_for("room_pages.rooms", organisation_id=organisation_id))


@bp.post("/organisation/<uuid:organisation_id>/rooms/sync")
@signed_in
def sync_now(organisation_id: uuid.UUID, principal: Principal) -> Page:
    contact_organisation(principal, organisation_id)
    if not ConfirmForm().validate_on_submit():
        return _render(principal, organisation_id, problem=error_text("form_expired"))
    report = sync_organisation_rooms(organisation_id, clock.now())
    if report.error is None:
        flash(_("Rooms synced: %(count)s rooms in the room system.", count=report.rooms))
    return redirect(url_for("room_pages.rooms", organisation_id=organisation_id))


@bp.post("/organisation/<uuid:organisation_id>/rooms/<uuid:room_id>/capacity")
@signed_in
def capacity(organisation_id: uuid.UUID, room_id: uuid.UUID, principal: Principal) -> Page:
    form = CapacityForm()
    if not form.validate_on_submit():
        contact_organisation(principal, organisation_id)
        return _render(principal, organisation_id, problem=error_text("form_expired"))
    try:
        set_capacity(principal, organisation_id, room_id, form.capacity.data or "")
    except InvalidFields as invalid:
        text = field_problem(invalid.fields["capacity"])
        return _render(principal, organisation_id, capacity_problem=(room_id, text))
    except RoomKeptInOhjaamo as refused:
        return _render(principal, organisation_id, problem=error_text(refused.code))
    flash(_("The capacity is saved and the room is in use."))
    return redirect(url_for("room_pages.rooms", organisation_id=organisation_id))


@bp.route(
    "/organisation/<uuid:organisation_id>/sessions/<uuid:session_id>/room",
    methods=["GET", "POST"],
)
@signed_in
def change(organisation_id: uuid.UUID, session_id: uuid.UUID, principal: Principal) -> Page:
    now = clock.now()
    try:
        choices = room_choices(principal, organisation_id, session_id, now=now)
    except RoomNotChangeable as refused:
        flash(error_text(refused.code))
        return redirect(url_for("room_pages.rooms", organisation_id=organisation_id))
    form = RoomChoiceForm()
    problem = None
    if form.validate_on_submit():
        try:
            chosen = uuid.UUID(form.room.data or "")
        except ValueError:
            problem = field_problem("choose_room")
        else:
            try:
                change_room(principal, organisation_id, session_id, chosen, now=now)
            except RoomTaken as taken:
                problem = error_text(taken.code)
                choices = room_choices(principal, organisation_id, session_id, now=clock.now())
            else:
                flash(_("The session's room is changed."))
                return redirect(url_for("room_pages.rooms", organisation_id=organisation_id))
    elif request.method == "POST":
        problem = error_text("form_expired")
    zone = reader_zone(principal)
    page = render_template(
        "web/room_change.html",
        organisation_id=organisation_id,
        choices=choices,
        form=form,
        when=session_time(choices.session.starts_at, choices.session.ends_at, zone),
        problem=problem,
    )
    return (page, 422) if problem else page
