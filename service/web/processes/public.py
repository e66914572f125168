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
from service.domain.localtime import parse_instant, zone_of
from service.domain.rules import PlaceKind
from service.http_extensions import limiter
from service.services.accounts.profiles import public_photo, public_profile
from service.services.booking.changes import BookingConflict
from service.services.booking.offer import assessment_terms, assessment_week
from service.services.errors import NotFound
from service.services.processes.inquiries import confirm_inquiry, submit_inquiry
from service.web.formatting import slot_days
from service.web.forms import MODE_LABELS, ConfirmForm, InquiryForm
from service.web.messages import error_text, field_problem

bp = Blueprint("public", __name__)
# Initial assessments on the public page are held remotely (video).
ASSESSMENT_PLACE = PlaceKind.REMOTE


def _public_form_limit() -> str:
    return current_app.config["RATE_LIMIT_PUBLIC_FORMS"]


def _week_arg() -> dt.date | None:
    raw = request.args.get("week", "")
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _week_url(day: dt.date) -> str:
    slug = (request.view_args or {})["slug"]
    return url_for("public.inquiry", slug=slug, week=day.isoformat()) + "#times"


@bp.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(_public_form_limit, methods=["POST"])
def inquiry(slug: str) -> str | Response | tuple[str, int]:
    profile = public_profile(slug)
    if profile is None or not profile.accepts_inquiries:
        abort(404)
    now = clock.now()
    zone = profile.timezone
    form = InquiryForm()
    form.mode.choices = [SelectChoice(str(m), str(MODE_LABELS[m])) for m in profile.modes]
    problems: dict[str, str] = {}
    week = _week_arg()
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
                form.slot.data = None
            except NotFound:
                abort(404)
            else:
                return redirect(url_for("public.inquiry_sent", slug=slug))
        if start is not None and form.slot.data:
            week = start.astimezone(zone_of(zone)).date()
    elif request.method == "POST":
        problems["form"] = error_text("form_expired")
    offer = assessment_week(slug, week, zone=zone, place_kind=ASSESSMENT_PLACE, now=now)
    status = 422 if problems else 200
    return render_template(
        "web/inquiry.html",
        profile=profile,
        form=form,
        problems=problems,
        zone=zone,
        offer=offer,
        days=slot_days(offer.slots, zone),
        terms=assessment_terms(ASSESSMENT_PLACE),
        week_url=_week_url,
        now=now,
    ), status


@bp.get("/s/<slug>/photo")
def photo(slug: str) -> Response:
    found = public_photo(slug)
    if found is None:
        abort(404)
    body, media_type = found
    answer = Response(body, mimetype=media_type)
    answer.headers["Cache-Control"] = "public, max-age=3600"
    return answer


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


@bp.get("/privacy")
def privacy() -> str:
    """The privacy notice the inquiry form's consent refers to."""
    config = current_app.config
    return render_template(
        "web/privacy.html",
        retention_months=config["RETENTION_MONTHS"],
        confirmation_minutes=config["INQUIRY_CONFIRMATION_MINUTES"],
    )
