"""The public inquiry asks only structured things and names every bad field."""

from __future__ import annotations

import dataclasses

import pytest

from service.domain.inquiries import InquiryForm, InvalidInquiry, check_inquiry, inquiry_problems

LANGUAGES = ("fi", "sv", "en")
GOOD = InquiryForm(
    name="Iida",
    email="iida@example.test",
    organisation="Kaupunki",
    mode="group",
    needs=["workload"],
    group_size=6,
    privacy_consent=True,
)


def test_good_inquiry_passes() -> None:
    check_inquiry(GOOD, LANGUAGES)


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"name": "  "}, "name", "required"),
        ({"email": "not an address"}, "email", "invalid_email"),
        ({"mode": "therapy"}, "mode", "unknown_mode"),
        ({"needs": []}, "needs", "choose_at_least_one"),
        ({"needs": ["my diagnosis"]}, "needs", "unknown_need"),
        ({"group_size": 40}, "group_size", "group_size_range"),
        ({"privacy_consent": False}, "privacy_consent", "consent_required"),
        ({"language": "de"}, "language", "unknown_language"),
    ],
)
def test_bad_fields_are_named(changes: dict, field: str, problem: str) -> None:
    form = dataclasses.replace(GOOD, **changes)
    assert inquiry_problems(form, LANGUAGES) == {field: problem}
    with pytest.raises(InvalidInquiry):
        check_inquiry(form, LANGUAGES)
