"""What must hold after the scenario, read from the database, the SMTP server's inbox
and the CalDAV server's calendars, and the figures to print."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import icalendar
from sqlalchemy import func, select, text

from service.domain.vevent import session_uid
from service.extensions import db
from service.models import OutboxMessage, OutboxState, SessionStatus, SupervisionSession
from service.services.booking.mail import recipients
from tests.calendars.helpers import other_client_calendar
from tests.outbox.helpers import calendar_parts, the_event
from tests.soak.installation import Installation
from tests.soak.load import NO_ANSWER, latency_ms
from tests.soak.scenario import FAILED, Outcome, Supervisor, local_app

FAULT_TAIL_SECONDS = 2.0
OVERLAPPING_HOLDS = text(
    "SELECT count(*) FROM supervisor_hold a JOIN supervisor_hold b"
    " ON a.supervisor_id = b.supervisor_id AND a.id < b.id"
    " AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
    " WHERE a.active AND b.active"
)


@dataclass
class Findings:
    figures: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def unsettled() -> int:
    query = select(func.count()).select_from(OutboxMessage)
    count = db.session.scalar(query.where(OutboxMessage.state != OutboxState.DELIVERED))
    db.session.rollback()
    return int(count or 0)


def wait_for_outbox(deadline_seconds: float) -> float:
    """Seconds until every outbox message was delivered (or the deadline passed)."""
    began = time.monotonic()
    while unsettled() and time.monotonic() - began < deadline_seconds:
        time.sleep(0.5)
    return time.monotonic() - began


def error_rates(outcome: Outcome, findings: Findings) -> None:
    samples = outcome.recorder.samples
    failed = [s for s in samples if s.status in FAILED]
    findings.figures["requests"] = len(samples)
    findings.figures["failed_requests"] = len(failed)
    findings.figures["no_answer_requests"] = sum(s.status == NO_ANSWER for s in samples)
    findings.figures["error_rate_percent"] = round(100 * len(failed) / max(1, len(samples)), 2)
    for fault in outcome.faults:
        name = fault.name.replace(" ", "_").replace("-", "_").lower()
        during = [
            s for s in samples if fault.began <= s.started <= fault.ended + FAULT_TAIL_SECONDS
        ]
        bad = sum(s.status in FAILED for s in during)
        findings.figures[f"{name}_seconds"] = round(fault.ended - fault.began, 2)
        findings.figures[f"{name}_requests"] = len(during)
        findings.figures[f"{name}_error_rate_percent"] = round(100 * bad / max(1, len(during)), 2)
    for kind in ("slots", "booking"):
        of_kind = outcome.recorder.of(kind)
        findings.figures[f"{kind}_p50_ms"] = round(latency_ms(of_kind, 50, _answered), 1)
        findings.figures[f"{kind}_p95_ms"] = round(latency_ms(of_kind, 95, _answered), 1)
    if outcome.unexpected:
        findings.problems.append(f"unexpected statuses: {Counter(outcome.unexpected)}")


def _answered(status: int) -> bool:
    return status in (200, 201, 409)


def committed_sessions() -> dict[str, tuple[str, set[str]]]:
    """Sessions not cancelled, by calendar UID: their supervisor and who gets mail."""
    found: dict[str, tuple[str, set[str]]] = {}
    sessions = db.session.scalars(
        select(SupervisionSession).where(SupervisionSession.status != SessionStatus.CANCELLED)
    )
    for session in sessions:
        emails = {person.email for person in recipients(session)}
        found[session_uid(session.id)] = (str(session.process.supervisor_id), emails)
    return found


def mail_as_recipients_see_it(installation: Installation) -> tuple[dict, int]:
    """(UID, recipient) -> distinct Message-IDs, and the raw number of messages."""
    assert installation.smtp is not None
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for received in installation.smtp.messages:
        uid = str(the_event(calendar_parts(received.message)[0])["UID"])
        for recipient in received.rcpt_tos:
            seen[(uid, recipient)].add(str(received.message["Message-ID"]))
    return seen, len(installation.smtp.messages)


def calendar_uids(installation: Installation, calendar_url: str) -> Counter[str]:
    assert installation.caldav is not None
    calendar = other_client_calendar(installation.caldav, calendar_url)
    return Counter(
        str(icalendar.Calendar.from_ical(item.data).walk("VEVENT")[0]["UID"])
        for item in calendar.events()
    )


def check(
    installation: Installation,
    supervisors: list[Supervisor],
    outcome: Outcome,
    settle_deadline: float,
) -> Findings:
    findings = Findings()
    error_rates(outcome, findings)
    findings.figures["load_seconds"] = round(outcome.seconds, 1)
    app = local_app(installation)
    with app.app_context():
        findings.figures["outbox_settle_seconds"] = round(wait_for_outbox(settle_deadline), 1)
        left = unsettled()
        if left:
            findings.problems.append(f"{left} outbox messages not delivered")
        overlaps = int(db.session.scalar(OVERLAPPING_HOLDS) or 0)
        if overlaps:
            findings.problems.append(f"{overlaps} overlapping active supervisor holds")
        committed = committed_sessions()
        booked_ids = {uid.removeprefix("ohjaamo-session-") for uid in committed}
        db.session.remove()
        db.engine.dispose()
    findings.figures["bookings_committed"] = len(committed)
    findings.figures["bookings_acknowledged"] = len(outcome.acknowledged)
    findings.figures["bookings_per_second"] = round(len(committed) / outcome.seconds, 2)
    lost = set(outcome.acknowledged) - booked_ids
    if lost:
        findings.problems.append(f"{len(lost)} acknowledged bookings not in the database")
    if len(set(outcome.acknowledged)) != len(outcome.acknowledged):
        findings.problems.append("one booking acknowledged to two clients")
    check_mail(installation, committed, findings)
    check_calendars(installation, supervisors, committed, findings)
    return findings


def check_mail(installation: Installation, committed: dict, findings: Findings) -> None:
    seen, raw = mail_as_recipients_see_it(installation)
    expected = {(uid, email) for uid, (_, emails) in committed.items() for email in emails}
    findings.figures["emails_received"] = raw
    findings.figures["emails_distinct"] = sum(len(ids) for ids in seen.values())
    findings.figures["emails_expected"] = len(expected)
    missing = expected - set(seen)
    twice = [key for key, ids in seen.items() if len(ids) > 1]
    stray = set(seen) - expected
    for count, what in ((missing, "missing"), (twice, "with two different Message-IDs")):
        if count:
            findings.problems.append(f"{len(count)} booking emails {what}")
    if stray:
        findings.problems.append(f"{len(stray)} emails about no committed booking")


def check_calendars(
    installation: Installation,
    supervisors: list[Supervisor],
    committed: dict,
    findings: Findings,
) -> None:
    objects = 0
    for supervisor in supervisors:
        found = calendar_uids(installation, supervisor.calendar_url)
        objects += sum(found.values())
        wanted = {uid for uid, (owner, _) in committed.items() if owner == supervisor.supervisor_id}
        if set(found) != wanted:
            findings.problems.append(
                f"calendar {supervisor.calendar_url}: {len(wanted - set(found))} sessions "
                f"missing, {len(set(found) - wanted)} events of no committed session"
            )
        if any(count > 1 for count in found.values()):
            findings.problems.append(f"calendar {supervisor.calendar_url}: an event twice")
    findings.figures["calendar_events"] = objects
