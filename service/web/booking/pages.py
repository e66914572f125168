"""Booking, moving and cancelling a session, reporting absence, and a session as an
`.ics` file: each page shows what will happen before the reader confirms it."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from service import clock, formats
from service.domain.cancellation import CancellationCategory
from service.domain.errors import InvalidFields
from service.domain.localtime import parse_instant, zone_of
from service.services.access import visible_process
from service.services.auth import Principal
from service.services.booking.changes import (
    BookingConflict,
    BookingRejected,
    BookSession,
    TooLateToChange,
    book_session,
    cancel_session,
    confirm_proposed_session,
    reschedule_session,
)
from service.services.booking.offer import is_offered, process_terms, process_week
from service.services.booking.sessions import session_for
from service.services.processes.mine import cancellation_quote
from service.services.processes.process_sheet import booking_blocker
from service.services.processes.session_file import session_calendar_file
from service.services.processes.session_records import report_absence
from service.web.formatting import moment, reader_zone, session_time, slot_days
from service.web.forms import REASON_LABELS, CancelForm, ConfirmForm, SlotForm
from service.web.messages import error_text, field_problem
from service.web.processes.process_page import process_url
from service.web.signed_in import signed_in

bp = Blueprint("session_pages", __name__)


def _week_arg() -> dt.date | None:
    """``?week=2027-03-08``: the week to show; None (the next free time's) when absent
    or not a date."""
    raw = request.args.get("week", "")
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _week_url(day: dt.date) -> str:
    """This page at the week of ``day``."""
    return url_for(request.endpoint or "", **(request.view_args or {}), week=day.isoformat())


def _chosen_start(form: SlotForm) -> dt.datetime | None:
    """The chosen time. Whether it may be booked is the use case's to judge, in its
    transaction: a time offered a moment ago may be gone, and a double submit of the
    same key is answered with the first booking."""
    return parse_instant(form.slot.data)


def _slot_page(
    principal: Principal,
    process_id: uuid.UUID,
    *,
    moving: uuid.UUID | None,
    heading: str,
    current: str | None,
) -> str | BaseResponse | tuple[str, int]:
    """Choose a time (a week at a time), check it with the terms, confirm it."""
    process = visible_process(principal, process_id)
    now = clock.now()
    zone = reader_zone(principal)
    blocker = booking_blocker(principal, process, now=now, moving=moving)
    terms = process_terms(process)
    form = SlotForm()
    problem = None
    week = _week_arg()
    if form.validate_on_submit():
        start = _chosen_start(form)
        reviewing = request.form.get("step") != "confirm"
        if start is None:
            problem = field_problem("unknown_slot" if form.slot.data else "choose_time")
        elif reviewing and not (
            terms
            and is_offered(principal, process_id, start, terms.minutes, now=now, moving=moving)
        ):
            problem = field_problem("unknown_slot")
            start = None
        elif reviewing:
            return render_template(
                "web/book_review.html",
                process=process,
                form=form,
                start=start,
                end=start + dt.timedelta(minutes=terms.minutes if terms else 0),
                terms=terms,
                zone=zone,
                heading=heading,
                current=current,
                moving=moving,
                now=now,
            )
        else:
            try:
                if moving is None:
                    command = BookSession(process_id=process_id, starts_at=start)
                    book_session(principal, command, now=now, idempotency_key=form.key.data or None)
                    flash(_("The session is booked. An invitation is on its way to your email."))
                else:
                    reschedule_session(principal, moving, start, now=now)
                    flash(_("The session is moved. A new invitation is on its way to your email."))
            except BookingConflict:
                problem = error_text("booking_conflict")
            except (BookingRejected, TooLateToChange) as refused:
                problem = error_text(refused.code)
            else:
                return redirect(process_url(principal, process))
        if start is not None:
            week = start.astimezone(zone_of(zone)).date()
    elif request.method == "POST":
        problem = error_text("form_expired")
    offer = (
        None
        if blocker
        else process_week(principal, process_id, week, zone=zone, now=now, moving=moving)
    )
    form.key.data = form.key.data or str(uuid.uuid4())
    page = render_template(
        "web/book.html",
        process=process,
        form=form,
        offer=offer,
        days=slot_days(offer.slots, zone) if offer else [],
        terms=terms,
        zone=zone,
        heading=heading,
        current=current,
        problem=problem,
        blocker=blocker,
        back=process_url(principal, process),
        now=now,
        week_url=_week_url,
    )
    return (page, 422) if problem else page


@bp.route("/my/processes/<uuid:process_id>/book", methods=["GET", "POST"])
@signed_in
def book(process_id: uuid.UUID, principal: Principal) -> str | BaseResponse | tuple[str, int]:
    return _slot_page(
        principal, process_id, moving=None, heading=_("Book the next session"), current=None
    )


@bp.route("/my/sessions/<uuid:session_id>/move", methods=["GET", "POST"])
@signed_in
def move(session_id: uuid.UUID, principal: Principal) -> str | BaseResponse | tuple[str, int]:
    session = session_for(principal, session_id)
    current = session_time(session.starts_at, session.ends_at, reader_zone(principal))
    return _slot_page(
        principal,
        session.process_id,
        moving=session_id,
        heading=_("Move the session"),
        current=current,
    )


@bp.route("/my/sessions/<uuid:session_id>/cancel", methods=["GET", "POST"])
@signed_in
def cancel(session_id: uuid.UUID, principal: Principal) -> str | BaseResponse | tuple[str, int]:
    session = session_for(principal, session_id)
    now = clock.now()
    quote = cancellation_quote(principal, session, now=now)
    form = CancelForm()
    problem = None
    if form.validate_on_submit():
        try:
            category = CancellationCategory(form.reason.data or "")
            if category not in quote.reasons:
                raise ValueError(category)
        except ValueError:
            problem = field_problem("choose_reason")
        else:
            try:
                outcome = cancel_session(principal, session_id, category, now=clock.now())
            except BookingRejected as refused:
                problem = error_text(refused.code)
            else:
                if outcome.charge_percent:
                    flash(
                        _(
                            "The session is cancelled. Under the agreement %(percent)s %% "
                            "of its price is charged.",
                            percent=outcome.charge_percent,
                        )
                    )
                else:
                    flash(_("The session is cancelled free of charge."))
                return redirect(process_url(principal, session.process))
    elif request.method == "POST":
        problem = error_text("form_expired")
    zone = reader_zone(principal)
    page = render_template(
        "web/cancel.html",
        quote=quote,
        form=form,
        reasons=[
            (c, REASON_LABELS[c], quote.charges[c], formats.money(quote.charge_cents(c)))
            for c in quote.reasons
        ],
        when=session_time(session.starts_at, session.ends_at, zone),
        deadline=moment(quote.deadline, zone),
        problem=problem,
    )
    return (page, 422) if problem else page


@bp.post("/my/sessions/<uuid:session_id>/confirm")
@signed_in
def confirm(session_id: uuid.UUID, principal: Principal) -> BaseResponse:
    """Book a session the supervisor proposed, at its proposed time."""
    session = session_for(principal, session_id)
    process_id = session.process_id
    if ConfirmForm().validate_on_submit():
        try:
            confirm_proposed_session(principal, session_id, now=clock.now())
        except BookingConflict:
            flash(error_text("booking_conflict"))
        except BookingRejected as refused:
            flash(error_text(refused.code))
        else:
            flash(_("The session is booked. An invitation is on its way to your email."))
    else:
        flash(error_text("form_expired"))
    return redirect(url_for("my_pages.process", process_id=process_id))


@bp.post("/my/sessions/<uuid:session_id>/absence")
@signed_in
def absence(session_id: uuid.UUID, principal: Principal) -> BaseResponse | tuple[str, int]:
    session = session_for(principal, session_id)
    if ConfirmForm().validate_on_submit():
        try:
            report_absence(principal, session_id, now=clock.now())
        except InvalidFields:
            flash(error_text("not_upcoming"))
        else:
            flash(_("Thank you: your absence is noted and the supervisor will see it."))
    else:
        flash(error_text("form_expired"))
    return redirect(url_for("my_pages.process", process_id=session.process_id))


@bp.get("/my/sessions/<uuid:session_id>.ics")
@signed_in
def calendar_file(session_id: uuid.UUID, principal: Principal) -> Response:
    name, body = session_calendar_file(principal, session_id, now=clock.now())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
