"""Every email renderer in Finnish, Swedish and English; catalogs compiled and complete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask

from service import create_app
from service.domain.cancellation import CancellationCategory
from service.services.notify.render import (
    AgreementMail,
    AssessmentConfirmationMail,
    Charge,
    EvaluationMail,
    InquiryAnswerMail,
    SessionMail,
    SignInMail,
    render_agreement,
    render_assessment_confirmation,
    render_booking,
    render_evaluation_open,
    render_inquiry_answer,
    render_sign_in_link,
)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "service" / "translations"
START = dt.datetime(2027, 3, 3, 8, tzinfo=dt.UTC)
SESSION = SessionMail(
    title="Työnohjaus TY-0001",
    start=START,
    end=START + dt.timedelta(minutes=90),
    timezone="Europe/Helsinki",
    supervisor_name="Maija <Ohjaaja>",
    place="Huone 5",
    charge=Charge(CancellationCategory.SCHEDULE_CONFLICT, 50, 48),
)


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})


RENDERERS = {
    "created": lambda lang: render_booking("created", SESSION, lang),
    "room_changed": lambda lang: render_booking("room_changed", SESSION, lang),
    "cancelled": lambda lang: render_booking("cancelled", SESSION, lang),
    "reminder": lambda lang: render_booking("reminder", SESSION, lang),
    "agreement": lambda lang: render_agreement(
        AgreementMail("Työnohjaus TY-0001", 2, "https://o.test/a", new_version=True), lang
    ),
    "evaluation": lambda lang: render_evaluation_open(
        EvaluationMail("Työnohjaus TY-0001", True, "https://o.test/e", dt.date(2027, 4, 1)), lang
    ),
    "sign_in": lambda lang: render_sign_in_link(SignInMail("https://o.test/s", 15), lang),
    "sign_in_with_password": lambda lang: render_sign_in_link(
        SignInMail("https://o.test/sign-in/password", 15, with_password=True), lang
    ),
    "assessment": lambda lang: render_assessment_confirmation(
        AssessmentConfirmationMail(
            "Työnohjaus TY-0001", START, START + dt.timedelta(hours=1), "Europe/Helsinki",
            "https://o.test/c", 24,
        ),
        lang,
    ),
    "inquiry_accepted": lambda lang: render_inquiry_answer(
        InquiryAnswerMail("Työnohjaus TY-0001", True, "Maija <Ohjaaja>", "https://o.test/m"), lang
    ),
    "inquiry_declined": lambda lang: render_inquiry_answer(
        InquiryAnswerMail("Työnohjaus TY-0001", False, "Maija <Ohjaaja>", "https://o.test/m"), lang
    ),
}  # fmt: skip

EXPECTED_SUBJECT_WORDS = {
    ("inquiry_accepted", "fi"): "yhteydenottosi on hyväksytty",
    ("inquiry_accepted", "sv"): "din förfrågan har godkänts",
    ("inquiry_accepted", "en"): "your inquiry is accepted",
    ("inquiry_declined", "fi"): "vastaus yhteydenottoosi",
    ("inquiry_declined", "sv"): "svar på din förfrågan",
    ("inquiry_declined", "en"): "answer to your inquiry",
    ("created", "fi"): "tapaaminen varattu",
    ("created", "sv"): "träff bokad",
    ("created", "en"): "session booked",
    ("room_changed", "fi"): "uusi tila",
    ("room_changed", "sv"): "ny lokal",
    ("room_changed", "en"): "a new room",
    ("cancelled", "fi"): "peruttu",
    ("cancelled", "sv"): "avbokad",
    ("cancelled", "en"): "cancelled",
    ("reminder", "fi"): "muistutus",
    ("reminder", "sv"): "påminnelse",
    ("reminder", "en"): "reminder",
    ("agreement", "fi"): "sopimuksen uusi versio",
    ("agreement", "sv"): "ny version av avtalet",
    ("agreement", "en"): "new version of the agreement",
    ("evaluation", "fi"): "arviointi",
    ("evaluation", "sv"): "utvärderingen",
    ("evaluation", "en"): "evaluation open",
    ("sign_in", "fi"): "Kirjautumislinkkisi",
    ("sign_in", "sv"): "inloggningslänk",
    ("sign_in", "en"): "sign-in link",
    ("sign_in_with_password", "fi"): "Näin kirjaudut",
    ("sign_in_with_password", "sv"): "Så loggar du in",
    ("sign_in_with_password", "en"): "How you sign in",
    ("assessment", "fi"): "vahvista alkukartoitus",
    ("assessment", "sv"): "bekräfta kartläggningssamtalet",
    ("assessment", "en"): "confirm your initial assessment",
}


@pytest.mark.parametrize(("mail", "language"), sorted(EXPECTED_SUBJECT_WORDS))
def test_every_email_renders_in_each_language(app: Flask, mail: str, language: str) -> None:
    with app.app_context():
        rendered = RENDERERS[mail](language)
    assert EXPECTED_SUBJECT_WORDS[(mail, language)] in rendered.subject
    assert "%(" not in rendered.subject + rendered.text + rendered.html
    assert f'<html lang="{language}">' in rendered.html
    assert "Ohjaamo" in rendered.text


def test_cancellation_states_the_charge_rule(app: Flask) -> None:
    with app.app_context():
        finnish = render_booking("cancelled", SESSION, "fi")
    assert "alle 48 tuntia" in finnish.text and "50 %" in finnish.text
    assert "päällekkäinen meno" in finnish.text


def test_html_escapes_and_subject_stays_neutral(app: Flask) -> None:
    with app.app_context():
        rendered = render_booking("created", SESSION, "en")
    assert "Maija &lt;Ohjaaja&gt;" in rendered.html and "<Ohjaaja>" not in rendered.html
    assert "Maija" not in rendered.subject
    assert "Time: Wed, 3 Mar 2027 at 10:00–11:30" in rendered.text  # en-GB, 24 h
    assert not rendered.subject.startswith(" ")
    with app.app_context():
        finnish = render_booking("created", SESSION, "fi")
        swedish = render_booking("created", SESSION, "sv")
    assert "ke 3.3.2027 klo 10.00–11.30" in finnish.text and "ke 3.3." in finnish.subject
    assert "ons 3 mars 2027 kl. 10.00–11.30" in swedish.text


def test_unknown_language_falls_back_to_the_default(app: Flask) -> None:
    with app.app_context():
        rendered = render_sign_in_link(SignInMail("https://o.test/s", 15), "de")
    assert rendered.subject == "Kirjautumislinkkisi"


def _key(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Plural messages come as tuples from a .po file and as lists from a .mo file; a
    single string is kept as one."""
    return (value,) if isinstance(value, str) else tuple(value)


def _translations(catalog) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each message with its translation; an untranslated one (empty, or compiled as
    its own source text) counts as missing."""
    return {
        _key(m.id): _key(m.string)
        for m in catalog
        if m.id and all(_key(m.string)) and _key(m.string) != _key(m.id)
    }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_compiled_catalog_matches_its_source(language: str) -> None:
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as source:
        po = read_po(source)
    with (folder / "messages.mo").open("rb") as compiled:
        mo = read_mo(compiled)
    assert _translations(mo) == _translations(po)
    if language != "en":
        assert all(all(_key(m.string)) for m in po if m.id), "every message translated"
