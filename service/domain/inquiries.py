"""The public inquiry: what may be asked of someone who wants supervision.

Needs are chosen from a fixed list; the form asks no free-text health or personal
details, so an inquiry cannot carry them by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from service.domain.errors import InvalidFields
from service.domain.processes import PARTICIPANT_LIMITS, ProcessMode

NEEDS: tuple[str, ...] = (
    "workload",
    "team_cooperation",
    "change_at_work",
    "leadership",
    "professional_growth",
    "client_work",
    "conflicts",
    "wellbeing_at_work",
    "career_direction",
)
MAX_NAME = 200
MAX_ORGANISATION = 200


class InvalidInquiry(InvalidFields):
    code = "invalid_inquiry"
    default_message = "The inquiry is not valid."


@dataclass(frozen=True)
class InquiryForm:
    name: str
    email: str
    organisation: str
    mode: str
    needs: Sequence[str]
    group_size: int | None
    privacy_consent: bool
    language: str = "fi"


def normalised_email(address: str) -> str | None:
    """The address in canonical form, or None when it is not an address. Syntax only:
    no DNS lookup in a request; ``.test`` domains (RFC 2606) pass, for demos and tests."""
    try:
        checked = validate_email(address.strip(), check_deliverability=False, test_environment=True)
        return checked.normalized
    except EmailNotValidError:
        return None


def inquiry_problems(form: InquiryForm, languages: Sequence[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not form.name.strip():
        problems["name"] = "required"
    elif len(form.name) > MAX_NAME:
        problems["name"] = "too_long"
    if normalised_email(form.email) is None:
        problems["email"] = "invalid_email"
    if len(form.organisation) > MAX_ORGANISATION:
        problems["organisation"] = "too_long"
    if form.mode not in set(ProcessMode):
        problems["mode"] = "unknown_mode"
    elif form.group_size is not None:
        limits = PARTICIPANT_LIMITS[ProcessMode(form.mode)]
        if not limits.minimum <= form.group_size <= limits.maximum:
            problems["group_size"] = "group_size_range"
    if not form.needs:
        problems["needs"] = "choose_at_least_one"
    elif not set(form.needs) <= set(NEEDS):
        problems["needs"] = "unknown_need"
    if not form.privacy_consent:
        problems["privacy_consent"] = "consent_required"
    if form.language not in languages:
        problems["language"] = "unknown_language"
    return problems


def check_inquiry(form: InquiryForm, languages: Sequence[str]) -> None:
    problems = inquiry_problems(form, languages)
    if problems:
        raise InvalidInquiry(problems)
