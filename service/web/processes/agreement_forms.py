"""The agreement editor's form and its reading into a draft. Types and formats only:
the agreement's rules are the domain's, the places' owners the use case's."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Literal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# The WTForms stubs predate SelectChoice (WTForms 3.3).
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Optional

from service import formats
from service.domain.agreements import InvalidAgreement
from service.models import GoalKind, Location
from service.services.processes.agreements import AgreementDraft, GoalDraft
from service.web.availability.forms import WEEKDAYS
from service.web.forms import CheckboxList, required_value
from service.web.labels import PLACE_LABELS
from service.web.processes.agreement_view import REPORT_LABELS

EMPTY_GOAL_ROWS = 2
GOAL_KINDS = {
    GoalKind.ORGANISATION: _l("The organisation's goal"),
    GoalKind.PERSONAL: _l("A participant's own goal"),
}
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$")


class GoalForm(Form):
    goal_id = HiddenField()
    title = StringField(_l("Goal"))
    kind = SelectField(
        _l("Whose goal"),
        choices=[SelectChoice(str(k), v) for k, v in GOAL_KINDS.items()],
        validate_choice=False,
    )
    owner = SelectField(_l("Participant (own goals)"), validate_choice=False)


class AgreementForm(FlaskForm):
    starts_on = DateField(_l("Starts on"))
    planned_end_on = DateField(_l("Planned to end on"))
    session_count = IntegerField(_l("Number of sessions"))
    session_minutes = IntegerField(_l("Length of a session (minutes)"))
    min_gap_days = IntegerField(_l("Shortest gap between sessions (days)"))
    max_gap_days = IntegerField(_l("Longest gap between sessions (days)"))
    preferred_weekday = SelectField(_l("Preferred day"), validate_choice=False)
    preferred_start = TimeField(_l("Preferred starting time"), validators=[Optional()])
    break_from = StringField(_l("Break begins (day.month.)"))
    break_until = StringField(_l("Break ends (day.month.)"))
    place_kind = SelectField(
        _l("Place"),
        choices=[SelectChoice(str(k), v) for k, v in PLACE_LABELS.items()],
        validate_choice=False,
    )
    location_id = SelectField(_l("Address"), validate_choice=False)
    price = StringField(_l("Price per session, euros without VAT"))
    payer_description = StringField(_l("Payer"))
    free_cancellation_hours = IntegerField(_l("Free cancellation until (hours before)"))
    late_cancellation_charge_percent = IntegerField(_l("Charge for a later cancellation (%)"))
    sickness_exception = BooleanField(_l("Sickness is not charged"))
    interim_evaluation_months = IntegerField(_l("Interim evaluation every (months)"))
    report_items = CheckboxList(
        _l("Reported to the orderer"),
        choices=[SelectChoice(str(k), v) for k, v in REPORT_LABELS.items()],
        validate_choice=False,
    )
    methods = TextAreaField(_l("Methods"))
    invoicing_terms = TextAreaField(_l("Invoicing"))
    early_termination_terms = TextAreaField(_l("Ending early"))
    dissatisfaction_terms = TextAreaField(_l("If the client is not satisfied"))
    confidentiality_clause = TextAreaField(_l("Duty of confidentiality"))
    goals = FieldList(FormField(GoalForm), label=_l("Goals"))


def offer_choices(
    form: AgreementForm, places: list[Location], participants: list[tuple[uuid.UUID, str]]
) -> None:
    """The choices that depend on the process: its places, its people, the weekdays."""
    form.preferred_weekday.choices = [SelectChoice("", _l("As agreed"))] + [
        SelectChoice(str(day), name) for day, name in enumerate(WEEKDAYS[:5])
    ]
    form.location_id.choices = [SelectChoice("", _l("No address (remote)"))] + [
        SelectChoice(str(p.id), f"{p.name}, {p.address}" if p.address else p.name) for p in places
    ]
    people = [SelectChoice("", "–")] + [SelectChoice(str(pid), name) for pid, name in participants]
    for entry in form.goals:
        entry.form.owner.choices = people


def fill_form(form: AgreementForm, draft: AgreementDraft) -> None:
    """Put a draft into an unposted form, with empty rows for new goals."""
    for name in [
        "starts_on",
        "planned_end_on",
        "session_count",
        "session_minutes",
        "min_gap_days",
        "max_gap_days",
        "preferred_start",
        "payer_description",
        "free_cancellation_hours",
        "late_cancellation_charge_percent",
        "sickness_exception",
        "interim_evaluation_months",
        "methods",
        "invoicing_terms",
        "early_termination_terms",
        "dissatisfaction_terms",
        "confidentiality_clause",
    ]:
        form[name].data = getattr(draft, name)
    form.preferred_weekday.data = (
        "" if draft.preferred_weekday is None else str(draft.preferred_weekday)
    )
    form.break_from.data = _month_day_text(draft.break_from)
    form.break_until.data = _month_day_text(draft.break_until)
    form.place_kind.data = str(draft.place_kind)
    form.location_id.data = str(draft.location_id) if draft.location_id else ""
    form.price.data = formats.number(Decimal(draft.price_cents) / 100, 2, grouped=False)
    form.report_items.data = [str(item) for item in draft.report_items]
    for goal in draft.goals:
        form.goals.append_entry(
            {
                "goal_id": str(goal.goal_id) if goal.goal_id else "",
                "title": goal.title,
                "kind": str(goal.kind),
                "owner": str(goal.owner_id) if goal.owner_id else "",
            }
        )
    for _row in range(EMPTY_GOAL_ROWS):
        form.goals.append_entry({"kind": str(GoalKind.ORGANISATION)})


# The domain names some problems by the draft's field, the form by its own.
FORM_FIELD_OF = {"price_cents": "price", "location": "location_id", "break": "break_from"}


def form_problems(form: AgreementForm) -> dict[str, str]:
    """Values that are no number, date or time, as field problem codes."""
    problems = {}
    for name in form.errors:
        if name == "goals":
            problems[name] = "goal_owner"
        else:
            problems[name] = (
                "required"
                if not form[name].raw_data or not form[name].raw_data[0]
                else "not_a_value"
            )
    return problems


def read_draft(form: AgreementForm) -> AgreementDraft:
    """The posted form as a draft; values in a wrong format are refused all at once."""
    problems: dict[str, str] = {}
    price_cents = _cents(form.price.data or "")
    if price_cents is None:
        problems["price"] = "not_a_value"
    break_from, break_until = _month_day(form.break_from.data), _month_day(form.break_until.data)
    if False in (break_from, break_until):
        problems["break_from"] = "month_day"
    location_id = _uuid(form.location_id.data)
    if location_id is False:
        problems["location_id"] = "unknown_location"
    goals = []
    for entry in form.goals:
        goal = entry.form
        title = goal.title.data
        if title is None or not title.strip():
            continue
        kind, owner = _goal_kind(goal.kind.data), _uuid(goal.owner.data)
        if kind is None or owner is False:
            problems["goals"] = "goal_owner"
            continue
        goals.append(
            GoalDraft(
                title,
                kind,
                owner if kind is GoalKind.PERSONAL else None,
                _uuid(goal.goal_id.data) or None,
            )
        )
    weekday = form.preferred_weekday.data or ""
    if weekday and weekday not in {"0", "1", "2", "3", "4"}:
        problems["preferred_weekday"] = "not_a_value"
    if problems:
        raise InvalidAgreement(problems)
    # each was checked above, and named a problem otherwise
    assert price_cents is not None and break_from is not False and break_until is not False
    return AgreementDraft(
        starts_on=required_value(form.starts_on.data),
        planned_end_on=required_value(form.planned_end_on.data),
        session_count=required_value(form.session_count.data),
        session_minutes=required_value(form.session_minutes.data),
        min_gap_days=required_value(form.min_gap_days.data),
        max_gap_days=required_value(form.max_gap_days.data),
        place_kind=form.place_kind.data,
        location_id=location_id or None,
        price_cents=price_cents,
        payer_description=(form.payer_description.data or "").strip(),
        preferred_weekday=int(weekday) if weekday else None,
        preferred_start=form.preferred_start.data,
        break_from=break_from,
        break_until=break_until,
        free_cancellation_hours=required_value(form.free_cancellation_hours.data),
        late_cancellation_charge_percent=required_value(form.late_cancellation_charge_percent.data),
        sickness_exception=form.sickness_exception.data,
        interim_evaluation_months=required_value(form.interim_evaluation_months.data),
        report_items=tuple(form.report_items.data or ()),
        goals=tuple(goals),
        methods=form.methods.data or "",
        invoicing_terms=form.invoicing_terms.data or "",
        early_termination_terms=form.early_termination_terms.data or "",
        dissatisfaction_terms=form.dissatisfaction_terms.data or "",
        confidentiality_clause=form.confidentiality_clause.data or "",
    )


def _cents(text: str) -> int | None:
    """Euros as a reader writes them: ``180``, ``180,50``, ``1 200.00``."""
    try:
        euros = Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    if not euros.is_finite() or euros != euros.quantize(Decimal("0.01")):
        return None
    return int(euros * 100)


def _month_day(text: str | None) -> str | Literal[False] | None:
    """``1.7.`` as the domain's ``07-01``; empty is no break, anything else False."""
    if not (text or "").strip():
        return None
    match = _MONTH_DAY.match(text or "")
    if match is None:
        return False
    day, month = (int(part) for part in match.groups())
    return f"{month:02d}-{day:02d}"


def _month_day_text(value: str | None) -> str:
    return f"{int(value[3:])}.{int(value[:2])}." if value else ""


def _uuid(text: str | None) -> uuid.UUID | Literal[False] | None:
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return False


def _goal_kind(text: str | None) -> GoalKind | None:
    try:
        return GoalKind(text or "")
    except ValueError:
        return None
