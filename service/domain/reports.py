"""The orderer's report: counts and invoicing figures, nothing else.

Sessions are charged by their charge percent: a held session in full, a no-show and a
late cancellation as the agreement's terms said when they were marked, a free
cancellation not at all. Money is integer cents; VAT is rounded half up per month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from service.domain.agreements import ReportItem


class Outcome(StrEnum):
    UPCOMING = "upcoming"
    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED_FREE = "cancelled_free"
    CANCELLED_CHARGED = "cancelled_charged"


@dataclass(frozen=True)
class SessionFigure:
    """One session as the report sees it: a date, what became of it, who came."""

    on: dt.date
    outcome: Outcome
    charge_percent: int
    present: int = 0
    absent: int = 0


@dataclass(frozen=True)
class MonthInvoice:
    month: str
    sessions_charged: int
    net_cents: int
    vat_cents: int

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


@dataclass(frozen=True)
class OrdererReport:
    sessions_agreed: int
    counts: dict[Outcome, int]
    present: int
    absent: int
    price_cents: int
    vat_percent: Decimal
    months: tuple[MonthInvoice, ...] = field(default_factory=tuple)

    @property
    def net_cents(self) -> int:
        return sum(month.net_cents for month in self.months)

    @property
    def vat_cents(self) -> int:
        return sum(month.vat_cents for month in self.months)


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def build_report(
    sessions: Iterable[SessionFigure],
    *,
    sessions_agreed: int,
    price_cents: int,
    vat_percent: Decimal,
) -> OrdererReport:
    counts = dict.fromkeys(Outcome, 0)
    present = absent = 0
    charged: dict[str, list[int]] = defaultdict(list)
    for session in sessions:
        counts[session.outcome] += 1
        present += session.present
        absent += session.absent
        if session.outcome is not Outcome.UPCOMING and session.charge_percent > 0:
            charged[session.on.strftime("%Y-%m")].append(session.charge_percent)
    months = []
    for month in sorted(charged):
        net = _cents(sum((Decimal(price_cents) * pct / 100 for pct in charged[month]), Decimal(0)))
        months.append(
            MonthInvoice(month, len(charged[month]), net, _cents(net * vat_percent / 100))
        )
    return OrdererReport(
        sessions_agreed, counts, present, absent, price_cents, vat_percent, tuple(months)
    )


def euros(cents: int) -> str:
    """Cents as a plain decimal string ("1234.50"), for CSV and machine readers."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


CSV_HEADER: Sequence[str] = ("month", "sessions_charged", "net_eur", "vat_eur", "gross_eur")


def csv_rows(months: Iterable[MonthInvoice]) -> list[tuple[str, ...]]:
    return [
        (
            m.month,
            str(m.sessions_charged),
            euros(m.net_cents),
            euros(m.vat_cents),
            euros(m.gross_cents),
        )
        for m in months
    ]


@dataclass(frozen=True)
class ListedFigures:
    """The report as the agreement lists its items: an unlisted figure is None."""

    sessions_agreed: int | None
    sessions_held: int | None
    sessions_no_show: int | None
    sessions_cancelled_free: int | None
    sessions_cancelled_charged: int | None
    sessions_upcoming: int | None
    attendance_present: int | None
    attendance_absent: int | None
    invoicing: OrdererReport | None


def listed_figures(report: OrdererReport, items: Collection[str]) -> ListedFigures:
    """Only the figures whose report item the agreement lists."""

    def when(item: ReportItem, value: int) -> int | None:
        return value if item in items else None

    counts = report.counts
    return ListedFigures(
        sessions_agreed=when(ReportItem.SESSIONS_AGREED, report.sessions_agreed),
        sessions_held=when(ReportItem.SESSIONS_HELD, counts[Outcome.HELD]),
        sessions_no_show=when(ReportItem.SESSIONS_HELD, counts[Outcome.NO_SHOW]),
        sessions_cancelled_free=when(ReportItem.SESSIONS_CANCELLED, counts[Outcome.CANCELLED_FREE]),
        sessions_cancelled_charged=when(
            ReportItem.SESSIONS_CANCELLED, counts[Outcome.CANCELLED_CHARGED]
        ),
        sessions_upcoming=when(ReportItem.SESSIONS_UPCOMING, counts[Outcome.UPCOMING]),
        attendance_present=when(ReportItem.ATTENDANCE_COUNTS, report.present),
        attendance_absent=when(ReportItem.ATTENDANCE_COUNTS, report.absent),
        invoicing=report if ReportItem.INVOICING in items else None,
    )
