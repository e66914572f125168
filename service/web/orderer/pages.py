"""The orderer contact's pages: our processes (no content), sessions with attendance
counts, agreements waiting for us, and the monthly invoicing figures as a table and CSV."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template, request

from service import clock
from service.services.auth import Principal
from service.services.errors import AccessDenied
from service.services.orderer.overview import (
    orderer_invoice_csv,
    orderer_organisations,
    orderer_overview,
)
from service.web.formatting import reader_zone
from service.web.processes.mine import labels
from service.web.signed_in import signed_in

bp = Blueprint("orderer_pages", __name__)
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@bp.get("/organisation")
@signed_in
def overview(principal: Principal) -> str:
    if not orderer_organisations(principal):
        raise AccessDenied()
    return render_template(
        "web/orderer.html",
        view=orderer_overview(principal, now=clock.now()),
        zone=reader_zone(principal),
        **labels(),
    )


@bp.get("/organisation/invoicing.csv")
@signed_in
def invoicing_csv(principal: Principal) -> Response:
    if not orderer_organisations(principal):
        raise AccessDenied()
    month = request.args.get("month") or None
    if month is not None and not MONTH.fullmatch(month):
        abort(400)
    body = orderer_invoice_csv(principal, now=clock.now(), month=month)
    name = f"ohjaamo-invoicing-{month or 'all'}.csv"
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
