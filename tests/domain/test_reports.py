"""The orderer report's figures: counts, attendance, invoicing with VAT, CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from service.domain.reports import Outcome, SessionFigure, build_report, csv_rows, euros


def figure(
    day: int, outcome: Outcome, charge: int, month: int = 3, present: int = 0
) -> SessionFigure:
    return SessionFigure(dt.date(2027, month, day), outcome, charge, present=present)


def test_charges_follow_each_session_outcome() -> None:
    report = build_report(
        [
            figure(1, Outcome.HELD, 100, present=5),
            figure(15, Outcome.CANCELLED_CHARGED, 50),
            figure(20, Outcome.CANCELLED_FREE, 0),
            figure(2, Outcome.NO_SHOW, 100, month=4),
            figure(20, Outcome.UPCOMING, 0, month=4),
        ],
        sessions_agreed=20,
        price_cents=15_000,
        vat_percent=Decimal("25.5"),
    )
    assert report.counts[Outcome.HELD] == 1 and report.counts[Outcome.UPCOMING] == 1
    assert report.present == 5
    march, april = report.months
    assert (march.month, march.sessions_charged, march.net_cents) == ("2027-03", 2, 22_500)
    assert march.vat_cents == 5_738  # 5737.5 rounded half up
    assert (april.net_cents, april.vat_cents, april.gross_cents) == (15_000, 3_825, 18_825)
    assert report.net_cents == 37_500


def test_csv_rows_use_plain_euros() -> None:
    report = build_report(
        [figure(1, Outcome.HELD, 100)],
        sessions_agreed=1,
        price_cents=12_345,
        vat_percent=Decimal(24),
    )
    assert csv_rows(report.months) == [("2027-03", "1", "123.45", "29.63", "153.08")]
    assert euros(-5) == "-0.05"
