"""The orderer's report of a process, and its invoicing figures as JSON or CSV."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate

from service import clock
from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.ratelimit import rate_limited
from service.domain.reports import MonthInvoice, listed_figures
from service.services.accounts.tokens import READ
from service.services.orderer.reports import invoice_csv, invoice_months, process_report

bp = rate_limited(
    Blueprint(
        "reports",
        __name__,
        url_prefix=f"{API_PREFIX}/processes/<uuid:process_id>",
        description="The orderer's report: counts and invoicing figures, never content.",
    )
)


class MonthSchema(Schema):
    month = fields.String(metadata={"description": "YYYY-MM, in the supervisor's zone."})
    sessions_charged = fields.Integer()
    net_cents = fields.Integer()
    vat_cents = fields.Integer()
    gross_cents = fields.Integer()


class InvoicingSchema(Schema):
    price_cents = fields.Integer(metadata={"description": "Per session, VAT excluded."})
    vat_percent = fields.Decimal(as_string=True, metadata={"type": "string"})
    net_cents = fields.Integer()
    vat_cents = fields.Integer()
    months = fields.List(fields.Nested(MonthSchema))


class AveragePointSchema(Schema):
    at = fields.AwareDateTime(metadata={"description": "When the evaluation round opened."})
    average = fields.Float()


class GoalAverageSchema(Schema):
    goal_id = fields.UUID()
    points = fields.List(fields.Nested(AveragePointSchema))


def _count(description: str) -> fields.Integer:
    return fields.Integer(allow_none=True, metadata={"description": description})


class ReportSchema(Schema):
    """The figures the agreement lists for the orderer; an unlisted one is null."""

    process_code = fields.String()
    items = fields.List(fields.String(), metadata={"description": "The report items agreed."})
    sessions_agreed = _count("Sessions the agreement sets.")
    sessions_held = _count("Held sessions.")
    sessions_no_show = _count("Sessions nobody came to.")
    sessions_cancelled_free = _count("Sessions cancelled without charge.")
    sessions_cancelled_charged = _count("Sessions cancelled late, charged.")
    sessions_upcoming = _count("Booked sessions still ahead.")
    attendance_present = _count("Participants present, summed over sessions.")
    attendance_absent = _count("Participants absent, summed over sessions.")
    invoicing = fields.Nested(InvoicingSchema, allow_none=True)
    goal_averages = fields.List(
        fields.Nested(GoalAverageSchema),
        metadata={"description": "Only with every participant's consent and enough answers."},
    )


class MonthQuerySchema(Schema):
    month = fields.String(
        validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Give the month as YYYY-MM."),
        metadata={"description": "Only this month (YYYY-MM)."},
    )


class InvoiceSchema(Schema):
    process_code = fields.String()
    months = fields.List(fields.Nested(MonthSchema))


def _month(month: MonthInvoice) -> dict[str, Any]:
    return {
        "month": month.month,
        "sessions_charged": month.sessions_charged,
        "net_cents": month.net_cents,
        "vat_cents": month.vat_cents,
        "gross_cents": month.gross_cents,
    }


@bp.get("/report")
@token_required(READ)
@bp.response(200, ReportSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def get_report(process_id: uuid.UUID) -> dict[str, Any]:
    """The orderer's report

    For the supervisor and the orderer: sessions agreed, held, cancelled and upcoming,
    attendance counts and invoicing figures, as far as the agreement lists them.
    """
    report = process_report(current_principal(), process_id, now=clock.now())
    figures = listed_figures(report.figures, report.items)
    body: dict[str, Any] = {
        "process_code": report.code,
        "items": sorted(report.items),
        **{name: value for name, value in vars(figures).items() if name != "invoicing"},
        "goal_averages": [
            {"goal_id": goal_id, "points": [{"at": at, "average": avg} for at, avg in points]}
            for goal_id, points in report.goal_averages.items()
        ],
    }
    if figures.invoicing is not None:
        invoicing = figures.invoicing
        body["invoicing"] = {
            "price_cents": invoicing.price_cents,
            "vat_percent": invoicing.vat_percent,
            "net_cents": invoicing.net_cents,
            "vat_cents": invoicing.vat_cents,
            "months": [_month(month) for month in invoicing.months],
        }
    return body


@bp.get("/invoicing")
@token_required(READ)
@bp.arguments(MonthQuerySchema, location="query")
@bp.response(200, InvoiceSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def get_invoicing(query: dict[str, Any], process_id: uuid.UUID) -> dict[str, Any]:
    """Invoicing figures

    Sessions charged, net, VAT and gross per month, if the agreement reports them.
    """
    code, months = invoice_months(
        current_principal(), process_id, now=clock.now(), month=query.get("month")
    )
    return {"process_code": code, "months": [_month(month) for month in months]}


@bp.get("/invoicing.csv")
@token_required(READ)
@bp.arguments(MonthQuerySchema, location="query")
@bp.response(
    200,
    {"type": "string"},
    content_type="text/csv",
    description="One row per month: process, month, sessions_charged, net_eur, vat_eur, gross_eur.",
)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def get_invoicing_csv(query: dict[str, Any], process_id: uuid.UUID) -> Response:
    """Invoicing figures as CSV

    The same figures as a CSV file with euros as plain decimals, for invoicing systems.
    """
    text = invoice_csv(current_principal(), process_id, now=clock.now(), month=query.get("month"))
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="invoicing-{process_id}.csv"'},
    )
