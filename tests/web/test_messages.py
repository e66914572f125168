"""Every problem code the domain reports reads as a sentence in Finnish and Swedish:
bad input always gets a clear, translated message."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from flask import Flask
from flask_babel import force_locale

from service.domain.agreements import Roster, check_sendable
from service.domain.errors import InvalidFields
from service.domain.evaluations import check_answer
from service.domain.inquiries import InquiryForm, inquiry_problems
from service.web.messages import FIELD_PROBLEMS, field_problem
from tests.domain.test_agreements import GOOD

TERMS = dataclasses.replace(GOOD, mode="work_community")
BAD_TERMS = [
    {"mode": "x"},
    {"place_kind": "x"},
    {"place_kind": "office"},
    {"session_count": 0},
    {"session_minutes": 5},
    {"min_gap_days": 2},
    {"min_gap_days": 30, "max_gap_days": 20},
    {"planned_end_on": dt.date(2020, 1, 1)},
    {"price_cents": -1},
    {"free_cancellation_hours": -1},
    {"late_cancellation_charge_percent": 200},
    {"interim_evaluation_months": 0},
    {"report_items": ("x",)},
    {"break_from": "99-99", "break_until": "99-99"},
    {"break_from": "07-01"},
]


def reported_codes() -> set[str]:
    codes: set[str] = set()
    for changes in BAD_TERMS:
        try:
            check_sendable(dataclasses.replace(TERMS, **changes), Roster(70, 0, 0))
        except InvalidFields as invalid:
            codes |= set(invalid.fields.values())
    try:
        check_sendable(TERMS, Roster(1, 1, 1))
    except InvalidFields as invalid:
        codes |= set(invalid.fields.values())
    for scale in (11, 1.5):
        with pytest.raises(InvalidFields) as raised:
            check_answer(scale, None)
        codes |= set(raised.value.fields.values())
    form = InquiryForm("", "x", "o" * 300, "x", ["x"], None, False, "de")
    codes |= set(inquiry_problems(form, ("fi",)).values())
    return codes


def test_the_domain_reports_the_codes_the_pages_know() -> None:
    assert reported_codes() - set(FIELD_PROBLEMS) == set()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_code_is_translated(app: Flask, language: str) -> None:
    with app.test_request_context(), force_locale(language):
        for code, message in FIELD_PROBLEMS.items():
            assert field_problem(code) != message._args[0], (
                f"{code} is not translated to {language}"
            )
