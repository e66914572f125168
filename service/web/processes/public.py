"""The public pages: a supervisor's inquiry form with initial-assessment times, and the
confirmation of the email address."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import SelectChoice  # type: ignore[attr-defined]

from service import clock
from service.domain.errors import InvalidFields, LinkInvalid
from service.domain.inquiries import InquiryForm as InquiryData
from service.domain.intervals import Interval
from service.domain.localtime import parse_instant, zone_of
from service.domain.rules import PlaceKind
from service.http_extensions import limiter
from service.services.accounts.profiles import public_profile
from service.services.booking.changes import BookingConflict
from service.services.booking.slots import SlotQuery, search_slots
from service.services.errors import NotFound
from service.services.processes.inquiries import confirm_inquiry, submit_inquiry
from service.web.forms import MODE_LABELS, ConfirmForm, InquiryForm
from service.web.messages import error_text, field_problem

bp = Blueprint("public", __name__)
DAYS_OFFERED = 21
SLOTS_SHOWN = 12


def _public_form_limit() -> str:
    return current_app.config["RATE_LIMIT_PUBLIC_FORMS"]


def _slot_choices(slug: str, zone: str, now: dt.datetime) -> list[SelectChoice]:
    window = Interval(now, now + dt.timedelta(days=DAYS_OFFERED))
    query = SlotQuery(window=window, supervisor_slug=slug, place_kind=PlaceKind.REMOTE)
    tz = zone_of(zone)
    choices = []
    for slot in search_slots(None, query, now)[:SLOTS_SHOWN]:
        local = slot.start.astimezone(tz)
        choices.append(SelectChoice(slot.start.isoformat(), local.strftime("%d.%m.%Y %H:%M")))
    return choices


@bp.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(_public_form_limit, methods=["POST"])
def inquiry(slug: str) -> Response | tuple[str, int]:
    profile = public_profile(slug)
    if profile is None or not profile.accepts_inquiries:
        abort(404)
    now = clock.now()
    form = InquiryForm()
    form.mode.choices = [SelectChoice(str(m), str(MODE_LABELS[m])) for m in profile.modes]
    form.slot.choices = _slot_choices(slug, profile.timezone, now)
    problems: dict[str, str] = {}
    if form.validate_on_submit():
        data = InquiryData(
            name=form.name.data or "",
            email=form.email.data or "",
            organisation=form.organisation.data or "",
            mode=form.mode.data or "",
            needs=form.needs.data or [],
            group_size=form.group_size.data,
            privacy_consent=bool(form.privacy_consent.data),
            language=str(get_locale()),
        )
        start = parse_instant(form.slot.data) if form.slot.data else None
        if form.slot.data and start is None:
            problems["slot"] = field_problem("unknown_slot")
        if not problems:
            try:
                submit_inquiry(slug, data, now=now, assessment_at=start)
            except InvalidFields as invalid:
                problems = {name: field_problem(code) for name, code in invalid.fields.items()}
            except BookingConflict:
                problems["slot"] = error_text("booking_conflict")
                form.slot.choices = _slot_choices(slug, profile.timezone, now)
            except NotFound:
                abort(404)
            else:
                return redirect(url_for("public.inquiry_sent", slug=slug))
    elif request.method == "POST":
        problems["form"] = error_text("form_expired")
    status = 422 if problems else 200
    return render_template(
        "web/inquiry.html", profile=profile, form=form, problems=problems, zone=profile.timezone
    ), status


@bp.get("/s/<slug>/sent")
def inquiry_sent(slug: str) -> str:
    profile = public_profile(slug)
    if profile is None:
        abort(404)
    minutes = current_app.config["INQUIRY_CONFIRMATION_MINUTES"]
    return render_template("web/inquiry_sent.html", profile=profile, minutes=minutes)


@bp.route("/inquiry/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> str | tuple[str, int]:
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            confirm_inquiry(token, now=clock.now())
        except LinkInvalid:
            return render_template("web/link_invalid.html"), 410
        return render_template("web/inquiry_confirmed.html")
    return render_template("web/confirm.html", form=form)
