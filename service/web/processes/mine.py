"""A supervisee's own pages: the processes they take part in and one process with its
sessions, agreement, evaluations and goals."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template

from service import clock
from service.models import ProcessStatus
from service.services.access import may_book
from service.services.auth import Principal
from service.services.booking.offer import horizon_weeks, process_terms
from service.services.orderer.overview import is_orderer_contact
from service.services.processes.mine import agreement_waiting, my_processes, process_page
from service.services.processes.process_sheet import booking_blocker
from service.web.formatting import reader_zone
from service.web.forms import MODE_LABELS, REASON_LABELS, ConfirmForm
from service.web.labels import EVALUATION_KINDS, PROCESS_STAGES, SESSION_STATES, label
from service.web.processes.agreement_view import PLACE_LABELS
from service.web.signed_in import signed_in

bp = Blueprint("my_pages", __name__)


def labels() -> dict[str, object]:
    return {
        "modes": MODE_LABELS,
        "stages": PROCESS_STAGES,
        "states": SESSION_STATES,
        "places": PLACE_LABELS,
        "reasons": REASON_LABELS,
        "evaluation_kinds": EVALUATION_KINDS,
        "label": label,
    }


@bp.get("/my")
@signed_in
def home(principal: Principal) -> str:
    processes = my_processes(principal)
    waiting = {p.id for p in processes if agreement_waiting(principal, p.id) is not None}
    zone, now = reader_zone(principal), clock.now()
    under_way = [
        p for p in processes if p.status is ProcessStatus.ACTIVE and may_book(principal, p)
    ]
    blockers = {p.id: booking_blocker(principal, p, now=now) for p in under_way}
    bookable = {p.id for p in under_way if blockers[p.id] is None}
    weeks = {p.id: horizon_weeks(p, zone=zone, now=now) for p in processes if p.id in bookable}
    return render_template(
        "web/my_processes.html",
        processes=processes,
        waiting=waiting,
        bookable=bookable,
        blockers=blockers,
        weeks=weeks,
        orderer=is_orderer_contact(principal),
        **labels(),
    )


@bp.get("/my/processes/<uuid:process_id>")
@signed_in
def process(process_id: uuid.UUID, principal: Principal) -> str:
    page = process_page(principal, process_id, now=clock.now())
    return render_template(
        "web/my_process.html",
        page=page,
        session_terms=process_terms(page.process),
        now=clock.now(),
        zone=reader_zone(principal),
        form=ConfirmForm(),
        **labels(),
    )
