"""The words of every email, in the recipient's language, as text and HTML.

Each renderer takes explicit data (no database access here) and returns the subject and
both bodies. Subjects are neutral: the process's code and a date at most, never a name,
a note or a topic. Layout lives in ``templates/email/message.{txt,html}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import gettext as _

from service import formats
from service.domain.cancellation import CancellationCategory
from service.domain.email_message import Rendered
from service.domain.localtime import zone_of
from service.i18n import in_language


@dataclass(frozen=True)
class Body:
    """The parts the layout templates arrange."""

    heading: str
    paragraphs: list[str]
    facts: list[tuple[str, str]] = field(default_factory=list)
    action: tuple[str, str] | None = None


@dataclass(frozen=True)
class Charge:
    """The cancellation rule that applied."""

    category: CancellationCategory
    charge_percent: int
    free_hours: int


@dataclass(frozen=True)
class SessionMail:
    title: str
    start: dt.datetime
    end: dt.datetime
    timezone: str
    supervisor_name: str
    place: str = ""
    video_url: str = ""
    previous_start: dt.datetime | None = None
    charge: Charge | None = None
    alternatives: tuple[dt.datetime, ...] = ()


@dataclass(frozen=True)
class AgreementMail:
    title: str
    version_number: int
    accept_url: str
    new_version: bool = False


@dataclass(frozen=True)
class EvaluationMail:
    title: str
    final: bool
    answer_url: str
    closes_on: dt.date | None = None


@dataclass(frozen=True)
class SignInMail:
    url: str
    valid_minutes: int
    # The account signs in with its password: ``url`` is the password page, not a link
    # that signs in.
    with_password: bool = False


@dataclass(frozen=True)
class AssessmentConfirmationMail:
    """``start`` and ``end`` are None for an inquiry sent without a time."""

    title: str
    start: dt.datetime | None
    end: dt.datetime | None
    timezone: str
    confirm_url: str
    valid_hours: int


@dataclass(frozen=True)
class InquiryAnswerMail:
    """The supervisor's answer to an inquiry: taken on, or declined."""

    title: str
    accepted: bool
    supervisor_name: str
    page_url: str


def _category_label(category: CancellationCategory) -> str:
    labels = {
        CancellationCategory.SICKNESS: _("sickness"),
        CancellationCategory.SCHEDULE_CONFLICT: _("a schedule conflict"),
        CancellationCategory.WORK_SITUATION: _("the work situation"),
        CancellationCategory.SUPERVISOR_CANCELLED: _("cancelled by the supervisor"),
        CancellationCategory.ROOM_UNAVAILABLE: _("the room is not available"),
        CancellationCategory.PROCESS_ENDED: _("the process has ended"),
        CancellationCategory.OTHER: _("other reason"),
    }
    return labels[category]


def when(start: dt.datetime, end: dt.datetime, timezone: str, language: str) -> str:
    """``ke 3.3.2027 klo 10.00–11.30`` in ``language``, in the recipient's ``timezone``."""
    with in_language(language):
        tz = zone_of(timezone)
        day = formats.day_with_year(start.astimezone(tz).date())
        return _(
            "%(day)s at %(time)s",
            day=day,
            time=formats.clock_span(start.astimezone(tz), end.astimezone(tz)),
        )


def _render(body: Body, subject: str, language: str) -> Rendered:
    text = render_template("email/message.txt", body=body, language=language)
    html = render_template("email/message.html", body=body, language=language)
    return Rendered(subject=subject, text=text, html=html)


def _session_facts(mail: SessionMail, language: str) -> list[tuple[str, str]]:
    facts = [
        (_("Time"), when(mail.start, mail.end, mail.timezone, language)),
        (_("Supervisor"), mail.supervisor_name),
    ]
    if mail.place:
        facts.append((_("Place"), mail.place))
    if mail.video_url:
        facts.append((_("Video link"), mail.video_url))
    return facts


def _charge_sentence(charge: Charge) -> str:
    reason = _category_label(charge.category)
    if charge.charge_percent == 0:
        return _("The cancellation is free of charge (reason: %(reason)s).", reason=reason)
    return _(
        "The session was cancelled less than %(hours)s hours before it began, so "
        "%(percent)s %% of its price is charged under the agreement (reason: %(reason)s).",
        hours=charge.free_hours,
        percent=charge.charge_percent,
        reason=reason,
    )


def render_booking(event: str, mail: SessionMail, language: str) -> Rendered:
    """``event``: ``created``, ``moved``, ``room_changed``, ``cancelled``,
    ``room_unavailable`` or ``reminder``."""
    with in_language(language) as lang:
        facts = _session_facts(mail, lang)
        day = formats.day(mail.start.astimezone(zone_of(mail.timezone)).date())
        if event == "created":
            subject = _("%(title)s: session booked for %(day)s", title=mail.title, day=day)
            heading = _("Your session is booked")
            paragraphs = [_("The calendar invitation is attached.")]
        elif event == "moved":
            subject = _("%(title)s: session moved to %(day)s", title=mail.title, day=day)
            heading = _("Your session has moved")
            paragraphs = [_("The calendar invitation is updated.")]
            if mail.previous_start is not None:
                before = when(
                    mail.previous_start,
                    mail.previous_start + (mail.end - mail.start),
                    mail.timezone,
                    lang,
                )
                facts.append((_("Previously"), before))
        elif event == "room_changed":
            subject = _(
                "%(title)s: a new room for the session on %(day)s", title=mail.title, day=day
            )
            heading = _("Your session has a new room")
            paragraphs = [
                _("The time stays the same. The calendar invitation is updated with the new place.")
            ]
        elif event == "cancelled":
            subject = _("%(title)s: session on %(day)s cancelled", title=mail.title, day=day)
            heading = _("Your session is cancelled")
            paragraphs = [_("The event is removed from your calendar.")]
            if mail.charge is not None:
                paragraphs.append(_charge_sentence(mail.charge))
        elif event == "room_unavailable":
            subject = _("%(title)s: no room for the session on %(day)s", title=mail.title, day=day)
            heading = _("The room could not be reserved")
            paragraphs = [
                _(
                    "The room system did not confirm a room for this session, so the "
                    "session is cancelled free of charge and removed from your calendar."
                ),
                _("Please book another time in Ohjaamo."),
            ]
            session_length = mail.end - mail.start
            for start in mail.alternatives:
                free = when(start, start + session_length, mail.timezone, lang)
                facts.append((_("Free time"), free))
            if not mail.alternatives:
                paragraphs.append(_("Your supervisor will suggest a new time."))
        elif event == "reminder":
            subject = _("%(title)s: reminder of the session on %(day)s", title=mail.title, day=day)
            heading = _("Reminder of your session")
            paragraphs = [_("This is a reminder of your coming session.")]
        else:
            raise ValueError(f"unknown booking email {event!r}")
        return _render(Body(heading, paragraphs, facts), subject, lang)


def render_agreement(mail: AgreementMail, language: str) -> Rendered:
    with in_language(language) as lang:
        if mail.new_version:
            subject = _("%(title)s: a new version of the agreement to accept", title=mail.title)
            heading = _("The agreement has changed")
            paragraphs = [
                _(
                    "Version %(number)s of the supervision agreement waits for your "
                    "acceptance. The earlier version stays in force until every party "
                    "has accepted.",
                    number=mail.version_number,
                )
            ]
        else:
            subject = _("%(title)s: the supervision agreement to accept", title=mail.title)
            heading = _("Your supervision agreement")
            paragraphs = [_("The supervision agreement waits for your acceptance.")]
        body = Body(heading, paragraphs, action=(_("Read and accept"), mail.accept_url))
        return _render(body, subject, lang)


def render_evaluation_open(mail: EvaluationMail, language: str) -> Rendered:
    with in_language(language) as lang:
        subject = _("%(title)s: evaluation open", title=mail.title)
        heading = _("Final evaluation") if mail.final else _("Interim evaluation")
        paragraphs = [_("Your answers are seen only by you and your supervisor.")]
        facts = []
        if mail.closes_on is not None:
            facts.append((_("Open until"), formats.date(mail.closes_on)))
        body = Body(heading, paragraphs, facts, action=(_("Answer"), mail.answer_url))
        return _render(body, subject, lang)


def render_sign_in_link(mail: SignInMail, language: str) -> Rendered:
    if mail.with_password:
        return _render_password_reminder(mail, language)
    with in_language(language) as lang:
        subject = _("Your sign-in link")
        paragraphs = [
            _(
                "The link works once, for %(minutes)s minutes. If you did not ask for "
                "it, you can ignore this message.",
                minutes=mail.valid_minutes,
            )
        ]
        body = Body(_("Sign in"), paragraphs, action=(_("Sign in"), mail.url))
        return _render(body, subject, lang)


def _render_password_reminder(mail: SignInMail, language: str) -> Rendered:
    with in_language(language) as lang:
        subject = _("How you sign in")
        paragraphs = [
            _(
                "Your account signs in with your password (and a one-time code, if you "
                "have turned codes on), so no sign-in link is sent. If you did not ask for "
                "a link, you can ignore this message."
            ),
            _("If you have forgotten your password, ask your practice's administrator."),
        ]
        body = Body(_("Sign in"), paragraphs, action=(_("Sign in with a password"), mail.url))
        return _render(body, subject, lang)


def render_assessment_confirmation(mail: AssessmentConfirmationMail, language: str) -> Rendered:
    with in_language(language) as lang:
        subject = _("%(title)s: confirm your initial assessment", title=mail.title)
        paragraphs = [
            _(
                "Confirm your email address within %(hours)s hours to keep this time. "
                "Without confirmation the time is released.",
                hours=mail.valid_hours,
            )
        ]
        facts = []
        if mail.start is not None and mail.end is not None:
            facts.append((_("Time"), when(mail.start, mail.end, mail.timezone, lang)))
        body = Body(
            _("Confirm your initial assessment"),
            paragraphs,
            facts,
            action=(_("Confirm"), mail.confirm_url),
        )
        return _render(body, subject, lang)


def render_inquiry_answer(mail: InquiryAnswerMail, language: str) -> Rendered:
    with in_language(language) as lang:
        if mail.accepted:
            subject = _("%(title)s: your inquiry is accepted", title=mail.title)
            heading = _("Your inquiry is accepted")
            paragraphs = [
                _(
                    "%(name)s has taken on your inquiry. Your initial assessment, the "
                    "agreement and your sessions are on your own page.",
                    name=mail.supervisor_name,
                )
            ]
            body = Body(heading, paragraphs, action=(_("Open your page"), mail.page_url))
        else:
            subject = _("%(title)s: answer to your inquiry", title=mail.title)
            heading = _("Answer to your inquiry")
            paragraphs = [
                _(
                    "%(name)s cannot take on this supervision. Any time held for you is "
                    "released. Thank you for your inquiry.",
                    name=mail.supervisor_name,
                )
            ]
            body = Body(heading, paragraphs)
        return _render(body, subject, lang)
