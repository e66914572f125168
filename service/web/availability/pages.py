"""The supervisor's availability settings: limits, the working week, dates that differ."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from service.domain.errors import InvalidFields
from service.domain.working_hours import OverrideKind
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.availability.settings import (
    DayHours,
    Limits,
    NewOverride,
    add_override,
    limits_of,
    remove_override,
    save_limits,
    save_week,
)
from service.web.availability.forms import (
    OVERRIDE_KINDS,
    WEEKDAYS,
    LimitsForm,
    OverrideForm,
    WeekForm,
)
from service.web.forms import ConfirmForm, required_value
from service.web.messages import error_text, field_problem, notice_text
from service.web.signed_in import signed_in

bp = Blueprint("availability", __name__, url_prefix="/supervisor/availability")


def _filled_forms(principal: Principal) -> dict[str, FlaskForm]:
    profile = own_supervisor_profile(principal)
    limits = limits_of(profile)
    limits_form = LimitsForm(formdata=None, obj=limits)
    limits_form.min_notice_hours.data = limits.min_notice_minutes // 60
    week_form = WeekForm(formdata=None)
    for hours in profile.working_hours:
        week_form[f"starts_{hours.weekday}"].data = hours.starts
        week_form[f"ends_{hours.weekday}"].data = hours.ends
    return {
        "limits_form": limits_form,
        "week_form": week_form,
        "override_form": OverrideForm(formdata=None),
    }


def _page(principal: Principal, problems: dict[str, str] | None = None, **posted: FlaskForm):
    forms = {**_filled_forms(principal), **posted}
    profile = own_supervisor_profile(principal)
    return render_template(
        "web/availability.html",
        **forms,
        overrides=profile.overrides,
        weekdays=WEEKDAYS,
        override_kinds=OVERRIDE_KINDS,
        delete_form=ConfirmForm(formdata=None),
        problems=problems or {},
    ), 422 if problems else 200


def _form_problems(form: FlaskForm) -> dict[str, str]:
    """A forged or expired form, or a value that is not a number, date or time."""
    if form.csrf_token.errors:
        return {"form": error_text("form_expired")}
    return {name: field_problem("not_a_value") for name in form.errors}


def _translated(invalid: InvalidFields) -> dict[str, str]:
    return {name: field_problem(code) for name, code in invalid.fields.items()}


def _saved(code: str) -> Response:
    flash(notice_text(code))
    return redirect(url_for("availability.settings"))


@bp.get("")
@signed_in
def settings(principal: Principal):
    return _page(principal)


@bp.post("/limits")
@signed_in
def limits(principal: Principal):
    form = LimitsForm()
    if not form.validate_on_submit():
        return _page(principal, _form_problems(form), limits_form=form)
    try:
        save_limits(
            principal,
            Limits(
                slot_step_minutes=required_value(form.slot_step_minutes.data),
                buffer_before_minutes=required_value(form.buffer_before_minutes.data),
                buffer_after_minutes=required_value(form.buffer_after_minutes.data),
                default_travel_minutes=required_value(form.default_travel_minutes.data),
                min_notice_minutes=required_value(form.min_notice_hours.data) * 60,
                max_advance_days=required_value(form.max_advance_days.data),
                max_sessions_per_day=form.max_sessions_per_day.data,
                max_sessions_per_week=form.max_sessions_per_week.data,
            ),
        )
    except InvalidFields as invalid:
        problems = _translated(invalid)
        if "min_notice_minutes" in problems:
            problems["min_notice_hours"] = problems.pop("min_notice_minutes")
        return _page(principal, problems, limits_form=form)
    return _saved("availability_saved")


@bp.post("/week")
@signed_in
def week(principal: Principal):
    form = WeekForm()
    if not form.validate_on_submit():
        return _page(principal, _form_problems(form), week_form=form)
    days = [DayHours(day, form[f"starts_{day}"].data, form[f"ends_{day}"].data) for day in range(7)]
    try:
        save_week(principal, days)
    except InvalidFields as invalid:
        problems = {
            f"starts_{name.removeprefix('day_')}": text
            for name, text in _translated(invalid).items()
        }
        return _page(principal, problems, week_form=form)
    return _saved("availability_saved")


@bp.post("/dates")
@signed_in
def add_date(principal: Principal):
    form = OverrideForm()
    if not form.validate_on_submit():
        return _page(principal, _form_problems(form), override_form=form)
    new = NewOverride(
        on_date=required_value(form.on_date.data),
        kind=OverrideKind(form.kind.data),
        starts=form.starts.data,
        ends=form.ends.data,
        label=form.label.data or "",
    )
    try:
        add_override(principal, new)
    except InvalidFields as invalid:
        return _page(principal, _translated(invalid), override_form=form)
    return _saved("availability_saved")


@bp.post("/dates/<uuid:override_id>/delete")
@signed_in
def delete_date(override_id: uuid.UUID, principal: Principal):
    if not ConfirmForm().validate_on_submit():
        return _page(principal, {"form": error_text("form_expired")})
    remove_override(principal, override_id)
    return _saved("availability_saved")
