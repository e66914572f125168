"""The supervisor's page of one process (/supervisor/processes/<id>): its people, orderer,
agreement versions, sessions, goals and evaluations, and the lifecycle's steps open now,
each posting to the use case behind it; a step not open yet says why and what comes
first. Starting a process without an inquiry is posted from the process list."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import SelectChoice  # type: ignore[attr-defined]

from service import clock
from service.domain.errors import DomainError, InvalidFields
from service.domain.processes import EndReason, ProcessMode
from service.models import ProcessStatus, SupervisionProcess
from service.services.access import is_supervisor, supervised_process
from service.services.auth import Principal
from service.services.processes import lifecycle, parties
from service.services.processes.evaluations import open_session_evaluation
from service.services.processes.inquiries import accept_inquiry, decline_inquiry
from service.services.processes.lifecycle import NewParticipant
from service.services.processes.parties import OrdererChoice
from service.services.processes.process_sheet import process_sheet
from service.web.forms import MODE_LABELS, NEED_LABELS, ConfirmForm
from service.web.labels import EVALUATION_KINDS, PROCESS_STAGES, SESSION_STATES, label
from service.web.messages import error_text, field_problem
from service.web.processes.agreement_view import PARTY_LABELS, PLACE_LABELS, STATUS_LABELS
from service.web.processes.process_forms import (
    END_REASON_LABELS,
    EndForm,
    OrdererForm,
    ParticipantForm,
    StartForm,
)
from service.web.signed_in import signed_in

bp = Blueprint("process_page", __name__, url_prefix="/supervisor/processes")


def process_url(principal: Principal, process: SupervisionProcess) -> str:
    """The page of the process for this reader: the supervisor's or a participant's."""
    if is_supervisor(principal, process):
        return url_for("process_page.page", process_id=process.id)
    return url_for("my_pages.process", process_id=process.id)


def _participant_form(sheet) -> ParticipantForm:
    form = ParticipantForm(formdata=None)
    organisations = [sheet.orderer] if sheet.orderer else []
    organisations += [o for o in sheet.orderers if o not in organisations]
    form.organisation.choices = [SelectChoice("", _("No organisation"))] + [
        SelectChoice(str(o.id), o.name) for o in organisations
    ]
    return form


def _orderer_form(sheet) -> OrdererForm:
    form = OrdererForm(formdata=None)
    choices = [SelectChoice("", _("A new organisation"))]
    for organisation in sheet.orderers:
        choices.append(
            SelectChoice(str(organisation.id), _("%(name)s, a new contact", name=organisation.name))
        )
        choices += [
            SelectChoice(
                f"{organisation.id}:{c.person_id}", f"{organisation.name}: {c.person.name}"
            )
            for c in organisation.contacts
        ]
    form.existing.choices = choices
    return form


def _page(
    principal: Principal,
    process_id: uuid.UUID,
    *,
    problems: dict[str, str] | None = None,
    participant_form: ParticipantForm | None = None,
    orderer_form: OrdererForm | None = None,
) -> tuple[str, int]:
    sheet = process_sheet(principal, process_id, now=clock.now())
    participant = _participant_form(sheet)
    orderer = _orderer_form(sheet)
    if participant_form is not None:
        participant.process(request.form)
    if orderer_form is not None:
        orderer.process(request.form)
    return render_template(
        "web/process_page.html",
        sheet=sheet,
        zone=sheet.process.supervisor.timezone,
        problems=problems or {},
        participant_form=participant,
        orderer_form=orderer,
        end_form=EndForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        modes=MODE_LABELS,
        needs=NEED_LABELS,
        stages=PROCESS_STAGES,
        states=SESSION_STATES,
        places=PLACE_LABELS,
        version_states=STATUS_LABELS,
        parties=PARTY_LABELS,
        evaluation_kinds=EVALUATION_KINDS,
        end_reasons=END_REASON_LABELS,
        label=label,
        field_problem=field_problem,
    ), 422 if problems else 200


def _act(
    principal: Principal,
    process_id: uuid.UUID,
    action: Callable[[], object],
    done: str,
    *,
    anchor: str = "",
    **form_kinds: bool,
) -> Response | tuple[str, int]:
    """Run the use case behind a step (its form's CSRF token checked first); a refusal
    is shown on the page, in words."""
    if not ConfirmForm().validate_on_submit():
        return _page(principal, process_id, problems={"form": error_text("form_expired")})
    try:
        action()
    except InvalidFields as invalid:
        problems = {name: field_problem(code) for name, code in invalid.fields.items()}
        return _page(
            principal,
            process_id,
            problems=problems,
            participant_form=ParticipantForm() if form_kinds.get("participant") else None,
            orderer_form=OrdererForm() if form_kinds.get("orderer") else None,
        )
    except DomainError as refused:
        if refused.code in ("not_found", "forbidden"):
            raise
        return _page(principal, process_id, problems={"step": error_text(refused.code)})
    flash(done)
    return redirect(url_for("process_page.page", process_id=process_id) + anchor)


def _reason() -> EndReason | None:
    try:
        return EndReason(request.form.get("reason", ""))
    except ValueError:
        return None


@bp.post("/new")
@signed_in
def start(principal: Principal) -> Response:
    form = StartForm()
    form.mode.choices = [SelectChoice(str(mode), str(text)) for mode, text in MODE_LABELS.items()]
    if not form.validate_on_submit():
        flash(error_text("form_expired"))
        return redirect(url_for("supervisor.processes"))
    process_id = parties.start_process(principal, ProcessMode(form.mode.data))
    flash(_("The process is started. Add its participants and orderer."))
    return redirect(url_for("process_page.page", process_id=process_id))


@bp.get("/<uuid:process_id>")
@signed_in
def page(process_id: uuid.UUID, principal: Principal) -> tuple[str, int]:
    return _page(principal, process_id)


@bp.post("/<uuid:process_id>/inquiry/accept")
@signed_in
def accept(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: accept_inquiry(principal, process_id, now=clock.now()),
        _("The inquiry is accepted and the inquirer told."),
    )


@bp.post("/<uuid:process_id>/inquiry/decline")
@signed_in
def decline(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    reason = _reason() or EndReason.OTHER
    return _act(
        principal,
        process_id,
        lambda: decline_inquiry(principal, process_id, reason, now=clock.now()),
        _("The inquiry is declined: the inquirer is told and the held time is free again."),
    )


@bp.post("/<uuid:process_id>/assessment-held")
@signed_in
def assessment_held(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: lifecycle.mark_assessment_held(principal, process_id, now=clock.now()),
        _("The initial assessment is marked held. Form the process next."),
    )


@bp.post("/<uuid:process_id>/participants")
@signed_in
def add_participant(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    form = ParticipantForm()
    try:
        organisation_id = uuid.UUID(form.organisation.data) if form.organisation.data else None
    except ValueError:
        organisation_id = None
    new = NewParticipant(
        name=form.name.data or "",
        email=form.email.data or "",
        language=form.language.data if form.language.data in ("fi", "sv", "en") else "fi",
        is_manager=bool(form.is_manager.data),
        is_group_contact=bool(form.is_group_contact.data),
        organisation_id=organisation_id,
    )
    return _act(
        principal,
        process_id,
        lambda: lifecycle.add_participant(principal, process_id, new),
        _("%(name)s is added.", name=new.name),
        anchor="#participants",
        participant=True,
    )


@bp.post("/<uuid:process_id>/participants/<uuid:participant_id>/remove")
@signed_in
def remove_participant(
    process_id: uuid.UUID, participant_id: uuid.UUID, principal: Principal
) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: parties.remove_participant(principal, process_id, participant_id),
        _("The participant is taken off the process."),
        anchor="#participants",
    )


@bp.post("/<uuid:process_id>/participants/<uuid:participant_id>/roles")
@signed_in
def participant_roles(
    process_id: uuid.UUID, participant_id: uuid.UUID, principal: Principal
) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: parties.set_participant_roles(
            principal,
            process_id,
            participant_id,
            is_manager=request.form.get("is_manager") == "y",
            is_group_contact=request.form.get("is_group_contact") == "y",
        ),
        _("The participant's roles are saved."),
        anchor="#participants",
    )


def _orderer_choice(form: OrdererForm) -> OrdererChoice:
    organisation_id = contact_id = None
    organisation_part, _colon, contact_part = (form.existing.data or "").partition(":")
    try:
        organisation_id = uuid.UUID(organisation_part) if organisation_part else None
        contact_id = uuid.UUID(contact_part) if contact_part else None
    except ValueError:
        raise InvalidFields({"existing": "unknown_orderer"}) from None
    return OrdererChoice(
        organisation_id=organisation_id,
        organisation_name=form.organisation_name.data or "",
        business_id=form.business_id.data or "",
        premises_street=form.premises_street.data or "",
        premises_postal_code=form.premises_postal_code.data or "",
        premises_city=form.premises_city.data or "",
        contact_id=contact_id,
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
    )


@bp.post("/<uuid:process_id>/orderer")
@signed_in
def orderer(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    form = OrdererForm()
    return _act(
        principal,
        process_id,
        lambda: parties.name_orderer(principal, process_id, _orderer_choice(form)),
        _("The orderer is saved."),
        anchor="#orderer",
        orderer=True,
    )


@bp.post("/<uuid:process_id>/orderer/clear")
@signed_in
def clear_orderer(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: parties.clear_orderer(principal, process_id),
        _("The process has no orderer: the supervisee pays."),
        anchor="#orderer",
    )


@bp.post("/<uuid:process_id>/sessions/<uuid:session_id>/scaling")
@signed_in
def scaling(
    process_id: uuid.UUID, session_id: uuid.UUID, principal: Principal
) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: open_session_evaluation(principal, session_id, now=clock.now()),
        _("The scaling question is open for the participants' answers."),
        anchor="#sessions",
    )


@bp.post("/<uuid:process_id>/close")
@signed_in
def close(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    return _act(
        principal,
        process_id,
        lambda: lifecycle.close_process(principal, process_id, now=clock.now()),
        _("The process is closed."),
    )


@bp.post("/<uuid:process_id>/end")
@signed_in
def end(process_id: uuid.UUID, principal: Principal) -> Response | tuple[str, int]:
    """Declined before the agreement binds, ended early after: remaining sessions are
    cancelled under the agreement's terms."""
    reason = _reason()
    if reason is None:
        return _page(principal, process_id, problems={"reason": field_problem("choose_reason")})
    if supervised_process(principal, process_id).status is ProcessStatus.ACTIVE:
        return _act(
            principal,
            process_id,
            lambda: lifecycle.terminate_process(principal, process_id, reason, now=clock.now()),
            _("The process is ended early; its remaining sessions are cancelled."),
        )
    return _act(
        principal,
        process_id,
        lambda: lifecycle.decline_process(principal, process_id, reason, now=clock.now()),
        _("The process ends here, before its agreement; any held time is free again."),
    )
